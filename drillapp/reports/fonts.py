"""Fonts for print-outs: the bundled CJK TrueType font, embedded (as a subset) in every PDF.

Order: the bundled font in resources/fonts; else a CJK TrueType font found on the system (Windows,
macOS, Linux locations); else ReportLab's built-in CID font STSong-Light, which PDF viewers draw with
their own font (not embedded: the print-out may then look different on another PC). `font_status()`
says which one is in use, for the Settings page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from drillapp.paths import resource_path

BUNDLED = ("fonts", "wqy-microhei.ttc")
CJK_FONT_NAME = "DrillappCJK"
CID_FALLBACK = "STSong-Light"

SYSTEM_CANDIDATES = [
    # Windows
    "C:/Windows/Fonts/simhei.ttf", "C:/Windows/Fonts/simfang.ttf", "C:/Windows/Fonts/simkai.ttf",
    # macOS (TrueType outlines only; .ttc collections are tried by ReportLab's subfont index 0)
    "/Library/Fonts/Arial Unicode.ttf", "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    # Linux
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]


@dataclass(frozen=True)
class FontChoice:
    name: str  # the ReportLab font name to use
    path: Path | None  # the TrueType file, None for the CID fallback
    embedded: bool


def _candidates() -> list[Path]:
    bundled = resource_path(*BUNDLED)
    return [bundled, *(Path(p) for p in SYSTEM_CANDIDATES)]


@cache
def cjk_font() -> FontChoice:
    """Register (once) and return the font every print-out uses for Chinese and Latin text alike."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    for path in _candidates():
        if not path.is_file():
            continue
        try:
            pdfmetrics.registerFont(TTFont(CJK_FONT_NAME, str(path), subfontIndex=0))
        except TTFError:
            continue  # e.g. CFF outlines, which ReportLab cannot embed
        return FontChoice(CJK_FONT_NAME, path, True)
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return FontChoice(CID_FALLBACK, None, False)


def _truetype_outlines(path: Path) -> bool:
    """Whether the file (or a collection's first font) has TrueType outlines, which ReportLab can embed: a look
    at its first bytes, where registering it parses the whole file (seconds of Python for a 4 MB font)."""
    import struct

    try:
        with path.open("rb") as handle:
            head = handle.read(16)
            if head[:4] == b"ttcf" and len(head) >= 16:
                handle.seek(struct.unpack(">I", head[12:16])[0])
                head = handle.read(4)
    except OSError:
        return False
    return head[:4] in (b"\x00\x01\x00\x00", b"true")


def expected_font() -> FontChoice:
    """The font the print-outs will use, without registering it (cheap: for saying which, not for printing)."""
    if cjk_font.cache_info().currsize:  # registered already: that one
        return cjk_font()
    for path in _candidates():
        if path.is_file() and _truetype_outlines(path):
            return FontChoice(CJK_FONT_NAME, path, True)
    return FontChoice(CID_FALLBACK, None, False)


def font_status() -> str:
    from drillapp.i18n import _

    choice = expected_font()
    if choice.embedded and choice.path is not None:
        return _("Print-outs embed the font {file}: they look the same on every PC.").format(file=choice.path.name)
    return _(
        "No CJK TrueType font was found: print-outs use the viewer's built-in Chinese font ({name}) "
        "and may look different on another PC."
    ).format(name=choice.name)
