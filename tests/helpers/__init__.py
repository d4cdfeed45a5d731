"""Builders and plumbing shared by the tests (see STYLE.md, "Tests")."""
