"""How values look on screen: enums as labels, stored UTC times as local time, levels as I–IV."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from drillapp.clock import to_local, utcnow
from drillapp.labels import label, level_label


def display(key: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return label(value)
    if isinstance(value, datetime):
        return to_local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if key == "level" and isinstance(value, int):
        return level_label(value)
    return str(value)


def port_now() -> datetime:
    """The port's wall-clock time now (not the PC's): what date and time fields start from."""
    return to_local(utcnow())


def port_today() -> date:
    return port_now().date()
