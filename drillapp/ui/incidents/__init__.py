"""Incident desk screens."""
