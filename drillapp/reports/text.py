"""Text for ReportLab Paragraphs: printed exactly as typed.

Paragraph parses a small XML markup, so `<`, `>` and `&` are escaped; a character the font has no
glyph for becomes a visible placeholder (□) instead of an invisible gap or a crash; line breaks stay
line breaks. CJK text wraps anywhere (the styles set wordWrap="CJK").
"""

from __future__ import annotations

from functools import cache
from xml.sax.saxutils import escape

PLACEHOLDER = "\u25a1"  # □


@cache
def _covered(font_name: str) -> frozenset[int] | None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = pdfmetrics.getFont(font_name)
    if isinstance(font, TTFont):
        return frozenset(font.face.charToGlyph)
    return None  # a built-in or CID font: trust the viewer


def drawable(text: str, font_name: str) -> str:
    """`text` with every character the font cannot draw replaced by the placeholder."""
    covered = _covered(font_name)
    if covered is None:
        return text
    placeholder = PLACEHOLDER if ord(PLACEHOLDER) in covered else "?"
    return "".join(ch if ord(ch) in covered or ch in "\n\t" else placeholder for ch in text)


def markup(text: str, font_name: str) -> str:
    """Paragraph markup that shows `text` exactly (escaped, drawable, line breaks kept)."""
    return escape(drawable(text, font_name)).replace("\n", "<br/>")
