"""The page every print-out shares: A4, the CJK font, a header with the document's name and a footer
with "page x of y", and an "internal" marking. Later print-outs (plans, action cards, rosters, reports)
build their story with `styles()` and `markup()` and hand it to `build_pdf`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from drillapp.reports.fonts import cjk_font
from drillapp.reports.text import drawable


@dataclass(frozen=True)
class PageInfo:
    title: str  # header, left
    reference: str = ""  # header, right (e.g. plan id and version)
    marking: str = "内部资料 / Internal"
    footer: str = "第 {page} 页，共 {pages} 页 · Page {page} of {pages}"


def styles() -> dict[str, ParagraphStyle]:
    font = cjk_font().name
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=28, spaceAfter=8),
        "h1": ParagraphStyle("h1", parent=base, fontSize=15, leading=21, spaceBefore=10, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12.5, leading=18, spaceBefore=8, spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=13),
    }


def _numbered_canvas(info: PageInfo) -> type[Canvas]:
    """A canvas that draws header and footer after the last page, when the page count is known."""
    font = cjk_font().name

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFont(font, 8.5)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(18 * mm, height - 12 * mm, drawable(info.title, font)[:80])
            self.drawRightString(width - 18 * mm, height - 12 * mm, drawable(info.reference, font))
            self.setStrokeColor(colors.HexColor("#999999"))
            self.line(18 * mm, height - 14 * mm, width - 18 * mm, height - 14 * mm)
            self.drawString(18 * mm, 10 * mm, drawable(info.marking, font))
            self.drawRightString(
                width - 18 * mm, 10 * mm, drawable(info.footer.format(page=self._pageNumber, pages=total), font)
            )
            self.restoreState()

    return NumberedCanvas


def build_pdf(out: Path, story: list[Any], info: PageInfo) -> Path:
    """Write `story` to `out` (through a temporary file, so a failed build leaves no half PDF)."""
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    doc = SimpleDocTemplate(
        str(tmp), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=20 * mm, bottomMargin=18 * mm,
        title=info.title, author="drillapp",
    )
    try:
        doc.build(story, canvasmaker=_numbered_canvas(info))
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
