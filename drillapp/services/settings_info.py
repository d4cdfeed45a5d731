"""What the settings dialogs read about the database connection, so that they use a service's module and
not `db.py` (docs/architecture.md, "Layers"): the environment variable that names the database."""

from __future__ import annotations

from drillapp.db import ENV_VAR

__all__ = ["ENV_VAR"]
