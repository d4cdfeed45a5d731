"""What the commands print: rows as tab-separated lines or a JSON array, values in the port's time; and a
password asked for (from an environment variable, else the terminal)."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from enum import Enum
from typing import Any

from drillapp.i18n import _


def ask(prompt: str, env: str) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        from drillapp.services.errors import DomainError

        raise DomainError(_("No password given: set {env} or run in a terminal to be asked.").format(env=env))
    import getpass

    return getpass.getpass(prompt)


def plain(value: Any) -> Any:
    """A value for printing: enums by value, stored (UTC) times as the port's time with its offset
    (2027-04-30T09:30:00+08:00), dates as they are."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        from drillapp.clock import iso

        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def print_rows(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        import json

        print(json.dumps([{k: plain(v) for k, v in r.items()} for r in rows], ensure_ascii=False, indent=1))
        return
    for r in rows:
        print("\t".join("" if v is None else str(plain(v)) for v in r.values()))
