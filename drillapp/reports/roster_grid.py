"""The roster grid of a period (A4 landscape): a row per day, a column per kind of shift, the names on
duty in each cell (squad leaders marked); weekends shaded; the header repeats on every page. After it,
how many duties (weekend duties, nights) each member has in the period: the fairness the team lead
answers for.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import CondPageBreak, Flowable

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import Agency, ShiftKind
from drillapp.reports.plan_pdf import _p, _table, _widths
from drillapp.reports.roster_pdf import (
    LEADER_MARK,
    WEEKEND_FILL,
    branch_name,
    frame_width,
    heading,
    member_name,
    roster_styles,
    weekday,
    when,
)
from drillapp.services.oncall import OnCallMember, ShiftOnCall, shift_kind_label

KIND_ORDER = (ShiftKind.DAY, ShiftKind.NIGHT, ShiftKind.DUTY_24H)


def _days(start: datetime, end: datetime) -> list[date]:
    first, last = to_local(start).date(), to_local(end - timedelta(microseconds=1)).date()
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def roster_grid_story(port: str, shifts: list[ShiftOnCall], start: datetime, end: datetime,
                      printed_at: datetime, note: str = "") -> list[Flowable]:
    st = roster_styles()
    width = frame_width(landscape(A4))
    period = _("{start} – {end}").format(start=to_local(start).strftime("%Y-%m-%d"),
                                          end=to_local(end - timedelta(microseconds=1)).strftime("%Y-%m-%d"))
    story = heading(_("On-call roster"), _("{port} · {period} · printed {time}").format(
        port=port, period=period, time=when(printed_at)), st, note)
    if not shifts:
        story.append(_p(_("No published shift in this period."), st["body"]))
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
    for i, day in enumerate(_days(start, end)):
        rows.append([day.isoformat(), weekday(datetime.combine(day, datetime.min.time())),
                     *("\n".join(cells.get((day, k, a), [])) for k, a in columns)])
        if day.weekday() >= 5:
            extra.append(("BACKGROUND", (0, i), (-1, i), WEEKEND_FILL))
    header = [_("Date"), _("Day"), *column_titles(columns)]
    story += _table(header, rows, _widths(width, [66, 34, *([None] * len(columns))]), st, extra)
    story.append(_p(_("{mark} squad leader.").format(mark=LEADER_MARK), st["small"]))
    story.append(CondPageBreak(120))
    story.append(_p(_("Duties per member"), st["h2"]))
    story += duty_count_table(shifts, st, width)
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


def duty_count_table(shifts: list[ShiftOnCall], st: dict, width: float) -> list[Flowable]:
    members: dict[int, OnCallMember] = {}
    total, weekend, nights = Counter(), Counter(), Counter()
    for shift in shifts:
        local = to_local(shift.starts_at)
        for m in shift.members:
            members.setdefault(m.member_id, m)
            total[m.member_id] += 1
            weekend[m.member_id] += local.weekday() >= 5
            nights[m.member_id] += shift.kind is ShiftKind.NIGHT
    agencies = list(Agency)
    ordered = sorted(members.values(), key=lambda m: (agencies.index(m.agency), m.name, m.member_id))
    with_nights = any(nights.values())
    rows = [[member_name(m), branch_name(m), m.squad or "—", m.mobile or "—", str(total[m.member_id]),
             str(weekend[m.member_id]), *([str(nights[m.member_id])] if with_nights else [])] for m in ordered]
    header = [_("Name"), _("Branch"), _("Squad"), _("Mobile"), _("Shifts"), _("Weekend"),
              *([_("Nights")] if with_nights else [])]
    return _table(header, rows, _widths(width, [None, None, None, 100, 50, 50, *([50] if with_nights else [])]), st)
