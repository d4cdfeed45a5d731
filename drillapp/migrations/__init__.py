"""Alembic environment and revisions, inside the package so an installed app can upgrade its database."""
