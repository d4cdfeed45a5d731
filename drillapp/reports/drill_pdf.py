"""Print-outs of the drill programme:

- **the year programme** (A4 landscape): month by month, each drill's date and time, title, kind, plan and
  level, status (cancelled and postponed ones marked, and greyed), then the port's blocked periods;
- **a drill briefing** (A4 portrait): the drill's facts, objectives with the plan actions that measure them,
  the scenario, participants by role, timings, safety notes, and, for the controllers' copy only, the MSEL
  (the players must not see the injects before they come).

Same page, fonts and exact-text handling as the plan and roster print-outs (reports/page.py, plan_pdf.py).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from drillapp.clock import to_local
from drillapp.i18n import N_, _
from drillapp.labels import label, level_label
from drillapp.models.enums import DrillStatus, InjectDelivery, ParticipantRole
from drillapp.reports.page import PageInfo
from drillapp.reports.roster_pdf import MARKING, build, frame_width, heading, roster_styles, weekday, when
from drillapp.reports.tables import column_widths, grid_table, text_para
from drillapp.services.drill_calendar import Briefing, YearProgramme

MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"),
          N_("August"), N_("September"), N_("October"), N_("November"), N_("December"))
GREY = colors.HexColor("#8a8a8a")


def status_label(status: DrillStatus) -> str:
    return label(status)


def role_label(role: ParticipantRole) -> str:
    return label(role)


def delivery_label(delivery: InjectDelivery | None) -> str:
    return label(delivery)


def year_programme_story(programme: YearProgramme, printed_at) -> list[Flowable]:  # noqa: ANN001
    st = roster_styles()
    width = frame_width(landscape(A4))
    story = heading(_("Drill programme {year}").format(year=programme.year),
                    _("{port} · {count} drills · printed {time}").format(
                        port=programme.port_name, count=sum(1 for d in programme.drills
                                                           if d.status is not DrillStatus.CANCELLED),
                        time=when(printed_at)), st)
    if not programme.drills:
        story.append(text_para(_("No drill is planned in this year."), st["body"]))
    for month in range(1, 13):
        drills = [d for d in programme.drills if to_local(d.start).month == month]
        if not drills:
            continue
        story.append(CondPageBreak(90))
        story.append(text_para(_(MONTHS[month - 1]), st["h2"]))
        rows, extra = [], []
        for i, d in enumerate(drills):
            local = to_local(d.start)
            title = d.title if d.status is not DrillStatus.CANCELLED else f"✗ {d.title}"
            rows.append([local.strftime("%m-%d"), weekday(local),
                         f"{local.strftime('%H:%M')}–{to_local(d.end).strftime('%H:%M')}", title, label(d.kind),
                         d.plan_code or "—", level_label(d.level) if d.level else "—", status_label(d.status)])
            if d.status in (DrillStatus.CANCELLED, DrillStatus.POSTPONED):
                extra.append(("TEXTCOLOR", (0, i), (-1, i), GREY))
        story += grid_table([_("Date"), _("Day"), _("Time"), _("Drill"), _("Type"), _("Plan"), _("Level"), _("Status")],
                        rows, column_widths(width, [44, 34, 76, None, 62, 70, 58, 62]), st, extra)
    if programme.blocked:
        story.append(CondPageBreak(80))
        story.append(text_para(_("Holidays and blocked periods"), st["h2"]))
        story += grid_table([_("From"), _("To"), _("Entry name"), _("Kind")],
                        [[e.starts_on.isoformat(), e.ends_on.isoformat(), e.name,
                          label(e.kind)]
                         for e in programme.blocked], column_widths(width, [80, 80, None, 120]), st)
    story.append(text_para(_("✗ cancelled. Times are the port's."), st["small"]))
    return story


def write_year_programme(programme: YearProgramme, out: Path, printed_at) -> Path:  # noqa: ANN001
    story = year_programme_story(programme, printed_at)
    return build(out, story, PageInfo(title=_("{port} · drill programme {year}").format(
        port=programme.port_name, year=programme.year), reference=str(programme.year), marking=MARKING),
        landscape(A4))


def briefing_story(briefing: Briefing, printed_at, *, controllers: bool) -> list[Flowable]:  # noqa: ANN001
    st = roster_styles()
    width = frame_width(A4)
    design = briefing.design
    c = design.content
    copy = _("Controllers' copy: contains the scenario script") if controllers else _("Players' copy")
    story = heading(_("Drill briefing: {title}").format(title=c.title),
                    _("{port} · {copy} · printed {time}").format(port=briefing.port_name, copy=copy,
                                                                 time=when(printed_at)), st)
    start, end = c.start, c.start + timedelta(minutes=c.duration_minutes)
    facts = [
        (_("Type"), f"{label(c.kind)} · {label(c.scope)}"),
        (_("Plan"), f"{briefing.plan_code} {design.plan_title}".strip() or "—"),
        (_("Level"), level_label(c.level) if c.level else "—"),
        (_("Starts"), f"{when(start)} ({weekday(to_local(start))})"),
        (_("Ends"), when(end)), (_("Duration"), _("{n} minutes").format(n=c.duration_minutes)),
        (_("Location"), c.location or "—"), (_("Status"), status_label(c.status)),
        (_("Owner"), design.owner_name or "—"),
    ]
    story += grid_table([_("Drill"), c.title], [[k, v] for k, v in facts], column_widths(width, [90, None]), st)
    story.append(text_para(_("Objectives"), st["h2"]))
    if c.objectives:
        rows = []
        for n, o in enumerate(c.objectives, start=1):
            measured = "\n".join(briefing.actions.get(a, str(a)) for a in o.action_ids) or "—"
            rows.append([str(n), o.text, measured])
        story += grid_table(["#", _("Objective"), _("Measured by the plan's actions")], rows,
                        column_widths(width, [22, None, None]), st)
    else:
        story.append(text_para(_("No objective set yet."), st["body"]))
    story.append(text_para(_("Scenario description"), st["h2"]))
    story.append(text_para(c.scenario_text or "—", st["body"]))
    story.append(text_para(_("Participants"), st["h2"]))
    if briefing.participants:
        order = list(ParticipantRole)
        people = sorted(briefing.participants, key=lambda p: (order.index(p.role), p.agency.value if p.agency else ""))
        story += grid_table([_("Role"), _("Name"), _("Branch")],
                        [[role_label(p.role), p.name, label(p.agency) if p.agency else "—"] for p in people],
                        column_widths(width, [100, None, 140]), st)
    else:
        story.append(text_para(_("No participant named yet."), st["body"]))
    story.append(text_para(_("Safety"), st["h2"]))
    story.append(text_para(c.safety_notes or "—", st["body"]))
    if controllers:
        story.append(Spacer(1, 4))
        story.append(CondPageBreak(100))
        story.append(text_para(_("Scenario script (MSEL): for controllers only"), st["h2"]))
        if c.injects:
            keys = {o.key: n for n, o in enumerate(c.objectives, start=1)}
            rows = [[str(i.number), f"+{i.offset_minutes}′\n{when(start + timedelta(minutes=i.offset_minutes))[11:]}",
                     i.scenario_time, f"{i.sender} → {i.recipient}", delivery_label(i.delivery), i.message,
                     i.expected_action, str(keys.get(i.objective_key, "")) if i.objective_key is not None else ""]
                    for i in c.injects]
            story += grid_table(["#", _("Time"), _("Scenario time"), _("From → to"), _("Delivery"), _("Message"),
                             _("Expected action"), _("Obj.")], rows,
                            column_widths(width, [20, 44, 50, 70, 42, None, 90, 28]), st)
        else:
            story.append(text_para(_("No inject yet."), st["body"]))
    return story


def write_briefing(briefing: Briefing, out: Path, printed_at, *, controllers: bool = False) -> Path:  # noqa: ANN001
    story = briefing_story(briefing, printed_at, controllers=controllers)
    return build(out, story, PageInfo(title=_("{port} · drill briefing").format(port=briefing.port_name),
                                      reference=briefing.design.content.title, marking=MARKING))
