"""The page every print-out shares: A4, the CJK font, a header with the document's name and a footer
with "page x of y", and an "internal" marking. Later print-outs (plans, action cards, rosters, reports)
build their story with `styles()` and `markup()` and hand it to `build_pdf`.

What depends on the page count or on where a flowable landed is drawn after the last page, in one
layout pass: the header and footer, a `Contents` (table of contents: its entries are laid out with the
story, their page numbers drawn at the end), and the PDF outline. A flowable with a `toc_entry`
attribute `(key, level, title)` becomes an outline entry and a destination named `key`; `Contents`
lists such entries. `PageInfo(cover=True)` leaves the first page without header and footer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from drillapp.reports.cjk import PlainText
from drillapp.reports.fonts import cjk_font
from drillapp.reports.text import drawable

PAGE_SIZE = A4
LEFT_MARGIN = RIGHT_MARGIN = 18 * mm
TOP_MARGIN = 20 * mm
BOTTOM_MARGIN = 18 * mm
FRAME_PADDING = 6  # ReportLab's default Frame padding, on each side


def frame_size() -> tuple[float, float]:
    """The width and height a flowable has on a page (inside margins and frame padding)."""
    width, height = PAGE_SIZE
    return (width - LEFT_MARGIN - RIGHT_MARGIN - 2 * FRAME_PADDING,
            height - TOP_MARGIN - BOTTOM_MARGIN - 2 * FRAME_PADDING)


@dataclass(frozen=True)
class PageInfo:
    title: str  # header, left
    reference: str = ""  # header, right (e.g. plan id and version)
    marking: str = "内部资料 / Internal"
    footer: str = "第 {page} 页，共 {pages} 页 · Page {page} of {pages}"
    cover: bool = False  # the first page is a cover: no header or footer on it (it still counts)


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
    """A canvas that draws header and footer after the last page, when the page count is known.

    `later(fn)` asks for `fn(canvas)` to run on the current page at that time too (page numbers in a
    table of contents, outline entries); `anchors` maps a destination key to its page number.
    """
    font = cjk_font().name

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            if not kwargs.get("initialFontName"):  # no unused, unembedded Helvetica in the PDF
                kwargs["initialFontName"] = font
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self._later: dict[int, list[Callable[[Canvas], None]]] = {}
            self.anchors: dict[str, int] = {}

        def later(self, fn: Callable[[Canvas], None]) -> None:
            self._later.setdefault(self._pageNumber, []).append(fn)

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            annotations: int = getattr(self, "_annotationCount", 0)  # names of annotations added later must not repeat
            for state in self._pages:
                self.__dict__.update(state)
                self._annotationCount = annotations
                if not (info.cover and self._pageNumber == 1):
                    self._decorate(total)
                for fn in self._later.get(self._pageNumber, ()):
                    fn(self)
                annotations = self._annotationCount
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


class _DocTemplate(SimpleDocTemplate):
    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's name
        entry = getattr(flowable, "toc_entry", None)
        if entry is None:
            return
        key, level, title = entry
        canv = self.canv
        if hasattr(canv, "anchors"):
            canv.anchors[key] = canv.getPageNumber()
        top = self.frame._y + flowable.getSpaceAfter() + getattr(flowable, "height", 0) + 4

        def mark(c: Canvas) -> None:
            c.bookmarkPage(key, fit="XYZ", left=0, top=top)
            c.addOutlineEntry(title, key, level=level, closed=level > 0)

        later = getattr(canv, "later", None)
        if later is not None:
            later(mark)  # the page exists in the PDF only when the canvas saves
        else:
            mark(canv)


class Contents(Flowable):
    """A table of contents laid out in the same pass as the story (no second pass): `entries` are
    `(key, level, title)` of the flowables carrying `toc_entry`; each title wraps in its level's
    style, and its page number (known only at the end) is drawn after the last page, linked to it."""

    NUMBER_WIDTH = 30

    def __init__(self, entries: Sequence[tuple[str, int, str]], level_styles: Sequence[ParagraphStyle]) -> None:
        super().__init__()
        self.entries = list(entries)
        self.level_styles = list(level_styles)
        self._laid_out: list[tuple[Any, float]] = []
        self._laid_out_width = 0.0

    def _paragraphs(self, width: float) -> list[tuple[Any, float]]:
        if self._laid_out and self._laid_out_width == width:
            return self._laid_out
        out = []
        for _key, level, title in self.entries:
            style = self.level_styles[min(level, len(self.level_styles) - 1)]
            para = PlainText(title, style)
            _w, h = para.wrap(width - self.NUMBER_WIDTH, 10**6)
            out.append((para, h + style.spaceBefore + style.spaceAfter))
        self._laid_out, self._laid_out_width = out, width
        return out

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = sum(h for _p, h in self._paragraphs(availWidth))
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        laid_out = self._paragraphs(availWidth)
        used = 0.0
        for n, (_para, h) in enumerate(laid_out):
            if used + h > availHeight:
                if n == 0:
                    return []
                first, rest = (Contents(part, self.level_styles) for part in (self.entries[:n], self.entries[n:]))
                first._laid_out, first._laid_out_width = laid_out[:n], availWidth
                rest._laid_out, rest._laid_out_width = laid_out[n:], availWidth
                return [first, rest]
            used += h
        return [self]

    def draw(self) -> None:
        canv = self.canv
        y = self.height
        for (key, _level, _title), (para, _h) in zip(self.entries, self._laid_out, strict=True):
            style = para.style
            y -= style.spaceBefore
            para.drawOn(canv, 0, y - para.height)
            text_end = para.last_line_end()
            baseline = y - para.height + style.leading - style.fontSize
            number_left = self.width - self.NUMBER_WIDTH + 4
            if number_left - text_end > 8:
                canv.saveState()
                canv.setDash(0.6, 2.4)
                canv.setLineWidth(0.6)
                canv.setStrokeColor(colors.HexColor("#888888"))
                canv.line(text_end + 3, baseline + 1, number_left - 2, baseline + 1)
                canv.restoreState()
            x1, y1 = canv.absolutePosition(0, y - para.height)
            x2, y2 = canv.absolutePosition(self.width, y)
            nx, ny = canv.absolutePosition(self.width, baseline)
            later = getattr(canv, "later", None)
            if later is not None:
                later(_page_number_drawer(key, style, (nx, ny), (x1, y1, x2, y2)))
            y -= para.height + style.spaceAfter


def _page_number_drawer(
    key: str, style: ParagraphStyle, at: tuple[float, float], rect: tuple[float, float, float, float]
) -> Callable[[Canvas], None]:
    def draw(canv: Canvas) -> None:
        page = getattr(canv, "anchors", {}).get(key)
        if page is None:
            return
        canv.saveState()
        canv.setFont(style.fontName, style.fontSize)
        canv.setFillColor(style.textColor)
        canv.drawRightString(at[0], at[1], str(page))
        canv.restoreState()
        canv.linkRect("", key, rect, relative=0, thickness=0)

    return draw


def build_pdf(out: Path, story: list[Any], info: PageInfo) -> Path:
    """Write `story` to `out` (through a temporary file, so a failed build leaves no half PDF)."""
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    doc = _DocTemplate(
        str(tmp), pagesize=PAGE_SIZE, leftMargin=LEFT_MARGIN, rightMargin=RIGHT_MARGIN, topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN, title=info.title, author="drillapp",
    )
    try:
        doc.build(story, canvasmaker=_numbered_canvas(info))
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
