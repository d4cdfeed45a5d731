"""Print-outs of the on-call roster: the call-out list, the roster grid of a period, one member's duties.

- **The call-out list** (A4 portrait): who is on call now (or at a chosen moment) and on the next shift,
  with branch, squad, squad leaders marked, office phone and mobile, skills valid that day, and when it was
  printed; the duty officer pins it by the phone.
- **The roster grid** (A4 landscape, `roster_grid.py`): a row per day, a column per kind of shift, the
  names on duty in each cell; a quarter runs over several pages with the header repeated; then the
  fairness table (services/roster_fairness.py), the same as beside the grid on screen.
- **A member's duties** (A4 portrait): the member's details and every shift of the period.

Same look and font handling as the plan print-outs (`plan_pdf`): every text prints exactly as typed
(escaped, characters no font has shown as □), cells wrap, headers repeat. The stories take plain data
from `OnCallService`; the `write_*` functions read it and print. Periods are given and printed as their
first and last day, both included ("2027-01-01 – 2027-03-31"), in the page header and the text alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer

from drillapp.clock import to_local
from drillapp.i18n import N_, _, join_list
from drillapp.labels import label
from drillapp.reports import page
from drillapp.reports.page import (
    BOTTOM_MARGIN,
    FRAME_PADDING,
    LEFT_MARGIN,
    RIGHT_MARGIN,
    TOP_MARGIN,
    PageInfo,
)
from drillapp.reports.tables import column_widths, fit_width, grid_table, print_styles, text_para
from drillapp.services.oncall import (
    CalloutList,
    DutiesSheet,
    MemberDuties,
    OnCallMember,
    RosterSheet,
    ShiftOnCall,
    shift_kind_label,
)

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
LEADER_MARK = "★"
WEEKEND_FILL = colors.HexColor("#f3efe4")
MARKING = "内部资料 / Internal"


# -- shared pieces ------------------------------------------------------------------------------------


def frame_width(pagesize: tuple[float, float]) -> float:
    return pagesize[0] - LEFT_MARGIN - RIGHT_MARGIN - 2 * FRAME_PADDING


def frame_height(pagesize: tuple[float, float]) -> float:
    return pagesize[1] - TOP_MARGIN - BOTTOM_MARGIN - 2 * FRAME_PADDING


def build(out: Path, story: list[Any], info: PageInfo, pagesize: tuple[float, float] = A4) -> Path:
    """Like `page.build_pdf`, on a page of any size (the roster grid is landscape); through a
    temporary file, so a failed build leaves no half PDF."""
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    doc = page._DocTemplate(
        str(tmp), pagesize=pagesize, leftMargin=LEFT_MARGIN, rightMargin=RIGHT_MARGIN, topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN, title=info.title, author="drillapp",
    )
    try:
        doc.build(story, canvasmaker=page._numbered_canvas(info))
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def when(value: datetime) -> str:
    return to_local(value).strftime("%Y-%m-%d %H:%M")


def period_text(first: date, last: date) -> str:
    """A period by its first and last day, both included: the one way the roster print-outs say it."""
    return _("{start} – {end}").format(start=first.isoformat(), end=last.isoformat())


def days_of(start: datetime, end: datetime) -> tuple[date, date]:
    """The first and last local day of the stored moments [start, end)."""
    return to_local(start).date(), to_local(end - timedelta(microseconds=1)).date()


def weekday(value: datetime) -> str:
    return _(WEEKDAYS[value.weekday()])


def shift_title(shift: ShiftOnCall) -> str:
    return _("{kind} · {start} – {end}").format(kind=shift_kind_label(shift.kind), start=when(shift.starts_at),
                                               end=when(shift.ends_at))


def member_name(member: OnCallMember) -> str:
    return f"{member.name} {LEADER_MARK}" if member.leader else member.name


def branch_name(member: OnCallMember) -> str:
    """The agency, short (the branches' full names are long for a table column)."""
    return label(member.agency) or member.branch


def joined(items: Sequence[str]) -> str:
    """A list in running text: 、 between Chinese items, a comma in English."""
    return join_list(tuple(items))


def heading(title: str, subtitle: str, st: dict[str, ParagraphStyle], note: str = "") -> list[Flowable]:
    out: list[Flowable] = [text_para(title, st["title_left"]), text_para(subtitle, st["small"])]
    if note.strip():
        out += [Spacer(1, 4), text_para(note.strip(), st["body"])]
    out.append(Spacer(1, 6))
    return out


def roster_styles() -> dict[str, ParagraphStyle]:
    st = print_styles()
    st["title_left"] = ParagraphStyle("roster-title", parent=st["h1"], fontSize=17, leading=23, spaceBefore=0)
    return st


# -- the call-out list --------------------------------------------------------------------------------


def callout_list_story(port: str, current: ShiftOnCall | None, upcoming: ShiftOnCall | None,
                       printed_at: datetime, note: str = "", at: datetime | None = None) -> list[Flowable]:
    """Who is on call now (or at the chosen moment `at`) and next: names, squads, branches, phones, skills."""
    st = roster_styles()
    width = frame_width(A4)
    story = heading(_("Call-out list of the rapid-response team"),
                    _("{port} · printed {time}").format(port=port, time=when(printed_at)), st, note)
    first = _("On call now") if at is None else _("On call at {time}").format(time=when(at))
    for title, shift in ((first, current), (_("Next shift"), upcoming)):
        story.append(text_para(title, st["h2"]))
        if shift is None:
            story.append(text_para(_("No published roster covers this time."), st["body"]))
            continue
        story.append(text_para(shift_title(shift), st["body"]))
        story += callout_table(shift.members, st, width)
    story.append(text_para(_("{mark} squad leader. Call the mobile first, then the office phone.").format(mark=LEADER_MARK),
                    st["small"]))
    return story


def callout_table(members: Sequence[OnCallMember], st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    if not members:
        return [text_para(_("Nobody is assigned to this shift."), st["body"])]
    header = ["#", _("Name"), _("Branch"), _("Squad"), _("Mobile"), _("Phone"), _("Skills")]
    cell = st["cell"]
    mobile = fit_width([m.mobile for m in members] + [header[4]], cell, 50, width / 6)
    phone = fit_width([m.phone for m in members] + [header[5]], cell, 50, width / 6)
    rows = [[str(i), member_name(m), branch_name(m), m.squad or "—", m.mobile or "—", m.phone or "—",
             joined(m.skills) or "—"] for i, m in enumerate(members, start=1)]
    return grid_table(header, rows, column_widths(width, [22, 72, 80, 80, mobile, phone, None]), st)


def write_callout_list(data: CalloutList, out: Path, note: str = "") -> Path:
    """Print the call-out list (OnCallService.callout_list): the shift covering its moment (a chosen moment is
    named as such) and the one after it."""
    story = callout_list_story(data.port, data.current, data.upcoming, data.printed_at, note, data.chosen)
    return build(out, story, PageInfo(title=_("{port} · call-out list").format(port=data.port),
                                      reference=when(data.moment), marking=MARKING))


# -- one member's duties ------------------------------------------------------------------------------


def member_duties_story(port: str, duties: MemberDuties, printed_at: datetime, note: str = "") -> list[Flowable]:
    st = roster_styles()
    width = frame_width(A4)
    m = duties.member
    story = heading(_("On-call duties of {name}").format(name=m.name),
                    _("{port} · {period} · printed {time}").format(
                        port=port, period=period_text(*days_of(duties.start, duties.end)), time=when(printed_at)),
                    st, note)
    branch = f"{branch_name(m)} · {m.branch}" if m.branch != branch_name(m) else m.branch
    squad = (m.squad or "—") + (f" ({_('leader')})" if m.leader else "")
    facts = [(_("Branch"), branch), (_("Squad"), squad),
             (_("Mobile"), m.mobile or "—"), (_("Phone"), m.phone or "—"), (_("Skills"), joined(m.skills) or "—")]
    story += grid_table([_("Member"), m.name], [[k, v] for k, v in facts], column_widths(width, [90, None]), st)
    story.append(Spacer(1, 6))
    story.append(text_para(_("{count} shifts").format(count=len(duties.duties)), st["h2"]))
    if not duties.duties:
        story.append(text_para(_("No published duty in this period."), st["body"]))
        return story
    rows = [[to_local(d.starts_at).strftime("%Y-%m-%d"), weekday(to_local(d.starts_at)), shift_kind_label(d.kind),
             when(d.starts_at), when(d.ends_at), d.duty or ""] for d in duties.duties]
    header = [_("Date"), _("Day"), _("Shift"), _("From"), _("To"), _("Duty")]
    extra = [("BACKGROUND", (0, i), (-1, i), WEEKEND_FILL)
             for i, d in enumerate(duties.duties) if to_local(d.starts_at).weekday() >= 5]
    story += grid_table(header, rows, column_widths(width, [66, 34, 70, 88, 88, None]), st, extra)
    return story


def write_member_duties(data: DutiesSheet, out: Path, note: str = "") -> Path:
    """Print a member's published duties (OnCallService.duties_sheet)."""
    story = member_duties_story(data.port, data.duties, data.printed_at, note)
    return build(out, story, PageInfo(title=_("{port} · on-call duties").format(port=data.port),
                                      reference=data.duties.member.name, marking=MARKING))


def write_roster_grid(data: RosterSheet, out: Path, note: str = "") -> Path:
    """Print the published roster (OnCallService.roster_sheet) as a grid (A4 landscape), with the fairness
    table."""
    from drillapp.reports.roster_grid import roster_grid_story

    story = roster_grid_story(data.port, data.shifts, data.first, data.last, data.printed_at, note, data.fairness)
    return build(out, story, PageInfo(title=_("{port} · on-call roster").format(port=data.port),
                                      reference=period_text(data.first, data.last), marking=MARKING), landscape(A4))
