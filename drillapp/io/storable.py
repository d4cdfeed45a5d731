"""Text that a database cannot store, and how to show it in a message.

A lone surrogate (U+D800–U+DFFF: a YAML escape like "\\ud800" makes one) cannot be encoded as UTF-8, and
PostgreSQL refuses the NUL character (U+0000) in text; either would fail deep inside the database driver.
Files are checked with `unstorable` where they are read, so the message can name the file, row and field.
"""

from __future__ import annotations

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(text: str) -> str | None:
    """The first character of `text` that cannot be stored, as "U+XXXX"; None when all can."""
    found = _UNSTORABLE.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def printable(text: str, limit: int = 80) -> str:
    """`text` safe to put in a message: unstorable characters spelled out, and at most `limit` characters."""
    shown = _UNSTORABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
