"""CSV cells that a spreadsheet would run as formulas, neutralised the way OWASP describes.

A cell beginning with = + - @ (or a tab or carriage return) is a formula to Excel and LibreOffice: a name
like ``=HYPERLINK("http://…","click")`` or ``=cmd|' /C calc'!A0`` in an exported sheet runs when someone
opens it. `neutralise` puts a single quote in front of such a cell, which makes it plain text; every CSV
the app writes goes through it. `restore` takes the quote off again when the app reads a CSV back, so an
import gives back exactly what was exported. A value that itself starts with quotes before such a
character gets one more quote, so the two are exact inverses.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

TRIGGERS = frozenset("=+-@\t\r")


def _looks_like_formula(text: str) -> bool:
    return text.lstrip("'")[:1] in TRIGGERS


def neutralise(value: Any) -> Any:
    """A cell as it is safe to write: text that a spreadsheet would run gets a leading single quote."""
    if isinstance(value, str) and _looks_like_formula(value):
        return "'" + value
    return value


def restore(value: str) -> str:
    """A cell read from a CSV the app wrote (or any CSV): the value before `neutralise`."""
    if value.startswith("'") and _looks_like_formula(value[1:]):
        return value[1:]
    return value


def safe_row(cells: Iterable[Any]) -> list[Any]:
    """A row of cells, each neutralised (for csv.writer.writerow)."""
    return [neutralise(c) for c in cells]
