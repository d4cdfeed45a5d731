"""The roster grid of a period (A4 landscape): a row per day, a column per kind of shift, the names on
duty in each cell (squad leaders marked); weekends shaded; the header repeats on every page. After it, the
fairness table: per member the duties, nights, weekends and holidays of the period and of the days before,
and the fair share; then the spread (services/roster_fairness.py, the same table as beside the grid on
screen): what the team lead answers "why me again?" with.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import CondPageBreak, Flowable, Table

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import Agency, ShiftKind
from drillapp.reports.cjk import PlainText
from drillapp.reports.roster_pdf import (
    LEADER_MARK,
    WEEKEND_FILL,
    frame_width,
    heading,
    member_name,
    period_text,
    roster_styles,
    weekday,
    when,
)
from drillapp.reports.tables import (
    CELL_PADDING,
    GRID,
    HEADER_FILL,
    column_widths,
    grid_style,
    grid_table,
    text_para,
)
from drillapp.services.oncall import ShiftOnCall, shift_kind_label
from drillapp.services.roster_fairness import (
    PARTS,
    FairnessTable,
    cell_text,
    kind_title,
    part_title,
    spread_text,
)

MUTED = colors.HexColor("#777777")
KIND_ORDER = (ShiftKind.DAY, ShiftKind.NIGHT, ShiftKind.DUTY_24H)


def roster_grid_story(port: str, shifts: list[ShiftOnCall], first: date, last: date,
                      printed_at: datetime, note: str = "", fairness: FairnessTable | None = None) -> list[Flowable]:
    """The grid of the days first..last (both included), then the fairness table when given."""
    st = roster_styles()
    width = frame_width(landscape(A4))
    story = heading(_("On-call roster"), _("{port} · {period} · printed {time}").format(
        port=port, period=period_text(first, last), time=when(printed_at)), st, note)
    if not shifts:
        story.append(text_para(_("No published shift in this period."), st["body"]))
        return story
    columns = grid_columns(shifts)
    cells: dict[tuple[date, ShiftKind, Agency | None], list[str]] = {}
    for shift in shifts:
        local = to_local(shift.starts_at)
        day = local.date()
        several = sum(s.kind is shift.kind and to_local(s.starts_at).date() == day for s in shifts) > 1
        for kind, agency in columns:
            if kind is not shift.kind:
                continue
            names = "、".join(member_name(m) for m in shift.members if agency is None or m.agency is agency) or "—"
            cells.setdefault((day, kind, agency), []).append(f"{local.strftime('%H:%M')} {names}" if several else names)
    rows, extra = [], []
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    for i, day in enumerate(days):
        rows.append([day.isoformat(), weekday(datetime.combine(day, datetime.min.time())),
                     *("\n".join(cells.get((day, k, a), [])) for k, a in columns)])
        if day.weekday() >= 5:
            extra.append(("BACKGROUND", (0, i), (-1, i), WEEKEND_FILL))
    header = [_("Date"), _("Day"), *column_titles(columns)]
    story += grid_table(header, rows, column_widths(width, [66, 34, *([None] * len(columns))]), st, extra)
    story.append(text_para(_("{mark} squad leader.").format(mark=LEADER_MARK), st["small"]))
    if fairness is not None:
        story.append(CondPageBreak(120))
        story.append(text_para(_("Duties per member and the fair share"), st["h2"]))
        story += fairness_table(fairness, st, width)
    return story


def grid_columns(shifts: list[ShiftOnCall]) -> list[tuple[ShiftKind, Agency | None]]:
    """A column per kind of shift; with one kind only (24-hour duty), a column per branch instead, so
    the cells stay short and the branch quota shows at a glance."""
    kinds = [k for k in KIND_ORDER if any(s.kind is k for s in shifts)]
    if len(kinds) != 1:
        return [(k, None) for k in kinds]
    present = {m.agency for s in shifts for m in s.members}
    return [(kinds[0], a) for a in Agency if a in present] or [(kinds[0], None)]


def column_titles(columns: list[tuple[ShiftKind, Agency | None]]) -> list[str]:
    if all(a is None for _k, a in columns):
        return [shift_kind_label(k) for k, _a in columns]
    return [f"{shift_kind_label(k)} · {label(a)}" if a else shift_kind_label(k) for k, a in columns]


def fairness_table(table: FairnessTable, st: dict, width: float) -> list[Flowable]:
    """Per member (by branch, then name): each load in this period, in the days before and the fair share,
    under a two-row header (the load, then its parts); then the spread and what the fair share means."""
    agencies = list(Agency)
    rows = sorted(table.rows, key=lambda r: (agencies.index(r.agency) if r.agency else len(agencies), r.name,
                                            r.member_id))
    columns = table.columns()
    number = 38.0
    widths = column_widths(width, [None, 90, 82, *([number] * len(columns))])
    head, cell = st["head"], st["cell"]
    top: list[PlainText | str] = [text_para(_("Name"), head), text_para(_("Branch"), head), text_para(_("Squad"), head)]
    sub: list = ["", "", ""]
    commands: list = [("SPAN", (c, 0), (c, 1)) for c in range(3)]
    for i, (kind, part) in enumerate(columns):
        col = 3 + i
        top.append(text_para(kind_title(kind), head) if part == PARTS[0] else "")
        sub.append(text_para(part_title(part, table.past_days), head))
        if part == PARTS[0]:
            commands.append(("SPAN", (col, 0), (col + len(PARTS) - 1, 0)))
    body = [[text_para(f"{r.name} {LEADER_MARK}" if r.leader else r.name, cell), text_para(label(r.agency) if r.agency else "—", cell),
             text_para(r.squad or "—", cell), *(cell_text(r, k, part) for k, part in columns)] for r in rows]
    commands += [
        ("FONTSIZE", (0, 2), (-1, -1), cell.fontSize), ("LEADING", (0, 2), (-1, -1), cell.leading),
        ("FONTSIZE", (0, 0), (-1, 1), head.fontSize), ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 1), HEADER_FILL), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (3, 2), (-1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    for i, r in enumerate(rows):
        if not r.counted:
            commands.append(("TEXTCOLOR", (0, i + 2), (-1, i + 2), MUTED))
    out: list[Flowable] = [Table([top, sub, *body], colWidths=widths, repeatRows=2, splitByRow=1,
                                 style=grid_style(commands), hAlign="LEFT", spaceBefore=2, spaceAfter=6)]
    out.append(text_para(spread_text(table), st["body"]))
    note = _("Fair share: what each member would do in this period if it and the {days} days before were shared "
             "evenly among the active members (the average over both, less what the member did before).").format(
        days=table.past_days)
    if any(not r.counted for r in rows):
        note += " " + _("Grey: no longer an active member, not counted.")
    out.append(text_para(note, st["small"]))
    return out
