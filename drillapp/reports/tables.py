"""The pieces every print-out's tables and text share: the styles scaled to a size, exact-text paragraphs,
level colours with a readable text colour on them, dates and durations as printed, the tick box, and the
grid table whose text wraps in its cells and whose header repeats on every page (long tables in chunks).

Used by the plan (plan_pdf.py), roster, run, review, incident and drill print-outs; it depends only on
reports/page.py, cjk.py, fonts.py and text.py, so none of those print-outs imports another for its tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Table, TableStyle

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.reports.cjk import PlainText, char_widths
from drillapp.reports.fonts import cjk_font
from drillapp.reports.page import styles
from drillapp.reports.text import drawable

#: Rows per table: a long table is printed as several (each with its header), so that ReportLab,
#: which lays out the rest of a table again at every page break, does not slow down quadratically.
TABLE_CHUNK_ROWS = 40

PADDINGS = ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
GRID = colors.HexColor("#8a8a8a")
HEADER_FILL = colors.HexColor("#e4e7eb")
CELL_PADDING = 4
HEADER_ROW = 20  # about the height of a table's header row
NEUTRAL_LEVEL = "#9e9e9e"


# -- styles and small pieces --------------------------------------------------------------------------


def print_styles(size: float = 10.5) -> dict[str, ParagraphStyle]:
    """The shared page styles, plus the plan's own; `size` scales them all (action cards shrink)."""
    base = styles()
    k = size / 10.5

    def scaled(name: str, parent: ParagraphStyle, font_size: float, leading: float, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, fontSize=font_size * k, leading=leading * k, **kw)

    body = scaled("plan-body", base["body"], 10.5, 16)
    st = {
        "body": body,
        "para": ParagraphStyle("plan-para", parent=body, firstLineIndent=2 * body.fontSize, spaceAfter=3 * k),
        "small": scaled("plan-small", body, 8.5, 11.5),
        "h1": scaled("plan-h1", base["h1"], 15, 21, spaceBefore=12 * k, spaceAfter=6 * k),
        "h2": scaled("plan-h2", base["h2"], 12.5, 18, spaceBefore=9 * k, spaceAfter=4 * k),
        "h3": scaled("plan-h3", base["body"], 11, 16, spaceBefore=6 * k, spaceAfter=3 * k),
        "cell": scaled("plan-cell", base["cell"], 9.5, 12.5),
        "cell_small": scaled("plan-cell-small", base["cell"], 8, 10.5, textColor=colors.HexColor("#444444")),
        "head": scaled("plan-head", base["cell"], 9, 12),
        "title": scaled("plan-title", base["title"], 24, 32, alignment=TA_CENTER, spaceAfter=6 * k),
        "subtitle": scaled("plan-subtitle", body, 13, 18, alignment=TA_CENTER, textColor=colors.HexColor("#333333")),
        "centre": scaled("plan-centre", body, 11, 16, alignment=TA_CENTER),
        "marking": scaled("plan-marking", body, 14, 20, alignment=TA_CENTER, textColor=colors.HexColor("#b71c1c")),
        "warning": scaled("plan-warning", body, 11, 16, alignment=TA_CENTER, textColor=colors.HexColor("#b71c1c")),
        "card_kind": scaled("card-kind", body, 9, 12),
        "card_agency": scaled("card-agency", body, 17, 22),
        "card_level": scaled("card-level", body, 15, 20, alignment=TA_CENTER),
        "card_title": scaled("card-title", body, 12.5, 17),
    }
    toc = [ParagraphStyle("toc0", parent=body, fontSize=11 * k, leading=16 * k, spaceBefore=3 * k),
           ParagraphStyle("toc1", parent=body, fontSize=10 * k, leading=14 * k, leftIndent=16 * k),
           ParagraphStyle("toc2", parent=body, fontSize=9.5 * k, leading=13 * k, leftIndent=32 * k)]
    st.update({f"toc{i}": s for i, s in enumerate(toc)})
    return st


def text_para(text: str, style: ParagraphStyle) -> PlainText:
    """The plan's (or a label's) text as a paragraph, printed exactly as typed."""
    return PlainText(text, style)


def parse_colour(value: str) -> colors.Color:
    try:
        return colors.toColor(value.strip()) if value and value.strip() else colors.HexColor(NEUTRAL_LEVEL)
    except (ValueError, TypeError, AttributeError):
        return colors.HexColor(NEUTRAL_LEVEL)


def _luminance(c: colors.Color) -> float:
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c.red) + 0.7152 * lin(c.green) + 0.0722 * lin(c.blue)


def readable_text_colour(background: colors.Color) -> colors.Color:
    """Black or white, whichever contrasts more with `background` (WCAG contrast ratio)."""
    lum = _luminance(background)
    on_white = 1.05 / (lum + 0.05)
    on_black = (lum + 0.05) / 0.05
    return colors.white if on_white >= on_black else colors.black


def on_colour(style: ParagraphStyle, background: colors.Color) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-on", parent=style, textColor=readable_text_colour(background))


def date_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return to_local(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def minutes_text(value: int | None) -> str:
    if value is None:
        return "—"
    if value >= 120 and value % 60 == 0:
        return _("{hours} h").format(hours=value // 60)
    return _("{minutes} min").format(minutes=value)


class TickBox(Flowable):
    """An empty square to tick by hand."""

    def __init__(self, size: float = 9) -> None:
        super().__init__()
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.size, self.size + 2

    def draw(self) -> None:
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 1, self.size, self.size, stroke=1, fill=0)


def grid_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A TableStyle in the print-out's font (ReportLab sets each cell's font, Helvetica by default,
    even for paragraph cells, which would put an unused, unembedded Helvetica into the PDF)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), cjk_font().name), *commands])


def grid_table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float], st: dict[str, ParagraphStyle],
    extra: Iterable[tuple[Any, ...]] = (), chunk: int = TABLE_CHUNK_ROWS, split_rows: bool = True,
) -> list[Flowable]:
    """A table whose text wraps inside its cells, its header repeated on every page. A text cell is a
    paragraph, or, when it fits on one line, a plain string the table draws itself (the same font,
    size and baseline, at a fraction of the cost). `extra` style commands use row numbers of `rows`
    (0 = first data row). Long tables come in chunks of `chunk` rows. A row taller than what is left of a
    page is split across pages unless `split_rows` is False (a form whose rows are filled in: a tick box
    stays with its text)."""
    head = [table_cell(h, st["head"], w) for h, w in zip(header, widths, strict=True)]
    body = [[table_cell(c, st["cell"], w) for c, w in zip(row, widths, strict=True)] for row in rows]
    cell, head_style = st["cell"], st["head"]
    out: list[Flowable] = []
    for first in range(0, max(len(body), 1), chunk):
        part = body[first:first + chunk]
        commands: list[tuple[Any, ...]] = [
            ("FONTSIZE", (0, 0), (-1, 0), head_style.fontSize),
            ("LEADING", (0, 0), (-1, 0), head_style.leading),
            ("FONTSIZE", (0, 1), (-1, -1), cell.fontSize),
            ("LEADING", (0, 1), (-1, -1), cell.leading),
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        for cmd in extra:
            name, (c0, r0), (c1, r1), *args = cmd
            if first <= r0 < first + chunk:
                r1 = min(r1, first + len(part) - 1)
                commands.append((name, (c0, r0 - first + 1), (c1, r1 - first + 1), *args))
        out.append(Table([head, *part], colWidths=list(widths), repeatRows=1, splitByRow=1, splitInRow=int(split_rows),
                         style=grid_style(commands), hAlign="LEFT", spaceBefore=2, spaceAfter=6))
    return out


def table_cell(value: Any, style: ParagraphStyle, width: float) -> Any:
    """A table cell: flowables as they are; text as a plain string if it fits on one line, else a paragraph."""
    if isinstance(value, Flowable | list | tuple):
        return value
    text = str(value)
    if "\n" not in text:
        shown = drawable(text, style.fontName)
        if sum(char_widths(shown, style.fontName, style.fontSize)) <= width - 2 * CELL_PADDING - 0.5:
            return shown
    return text_para(text, style)


def fit_width(texts: Iterable[str], style: ParagraphStyle, lowest: float, highest: float) -> float:
    """A column just wide enough for the longest of `texts` on one line (within lowest..highest)."""
    longest = max((sum(char_widths(drawable(t, style.fontName), style.fontName, style.fontSize)) for t in texts),
                  default=0.0)
    return max(lowest, min(highest, longest + 2 * CELL_PADDING + 1))


def column_widths(total: float, fixed: Sequence[float | None]) -> list[float]:
    """Column widths: the given ones, and the rest shared by the `None` columns."""
    free = total - sum(w for w in fixed if w is not None)
    flexible = sum(1 for w in fixed if w is None) or 1
    return [w if w is not None else free / flexible for w in fixed]
