"""Print-outs of a real incident: a situation report (初报 / 续报 / 终报) and the hand-over sheet.

Both carry "实战 / REAL" in a red band where a drill's print-outs say "演练 / DRILL" (run_pdf.py), so a page on
the desk is never taken for an exercise. Times are the port's.

- **The report**: the incident's number and the report's kind and number (a draft says so), then the eight
  headings of the practice (time, place, nature, casualties, measures taken, resources, next steps, reporter),
  the issue time and the content hash the incident's log holds for it.
- **The incident record** (after it, the review's evidence): the facts and summary, the reports owed and issued,
  every action against its target (from the alarm, or from the escalation that brought it), the tasks, and the
  timeline of every log line and checklist event, with the hash chain's head.
- **The hand-over sheet**: what the next duty officer needs on one page where it fits: level, status, alarm,
  next report due, a line for both officers' signatures, the open actions (those not required at this level
  marked so, overdue ones shaded) and tasks, who is working the incident, the last log entries; long lists
  continue on the next page. Who is on scene comes from the call-outs linked to the incident.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer, Table

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.labels import label, level_label
from drillapp.models.enums import ItemState
from drillapp.reports.page import PageInfo, build_pdf, frame_size
from drillapp.reports.run_pdf import facts_table, timeline_table, when
from drillapp.reports.tables import (
    column_widths,
    grid_style,
    grid_table,
    minutes_text,
    print_styles,
    text_para,
)
from drillapp.services.incident_view import IncidentItem, IncidentRecord, IncidentSnapshot, ReportDocument
from drillapp.services.measures import late_minutes
from drillapp.services.run_view import ItemStatus

REAL_MARK = "实战 / REAL"
REAL_RED = colors.HexColor("#c62828")
NOT_REQUIRED_FILL = colors.HexColor("#eeeeee")
LATE_FILL = colors.HexColor("#fde0dc")
FIELD_TITLES = {
    "occurred": "时间 / Time", "place": "地点 / Place", "nature": "性质 / Nature",
    "casualties": "伤亡情况 / Casualties", "measures": "已采取措施 / Measures taken",
    "resources": "投入力量 / Resources", "next_steps": "下一步工作 / Next steps", "reporter": "报告人 / Reporter",
}
KIND_TITLES = {"initial": "初报 / Initial report", "follow_up": "续报 / Follow-up report",
               "final": "终报 / Final report"}


def real_band(st: dict[str, ParagraphStyle], width: float) -> Table:
    """The red band every incident print-out starts with."""
    style = ParagraphStyle("real-mark", parent=st["marking"], textColor=colors.white)
    return Table([[text_para(REAL_MARK, style)]], colWidths=[width], hAlign="CENTER",
                 style=grid_style([("BACKGROUND", (0, 0), (-1, -1), REAL_RED), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                     ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 7)]))


def _plan(snap: IncidentSnapshot) -> str:
    if not snap.plan_code:
        return _("No plan: the generic checklist")
    version = " · " + _("version {number}").format(number=snap.plan_version) if snap.plan_version else ""
    return f"{snap.plan_code} {snap.plan_title}{version}"


def _next_report(snap: IncidentSnapshot) -> str:
    due = snap.next_report
    if due is None:
        return "—"
    return f"{KIND_TITLES[due.kind.value]} · " + (when(due.due_at, with_date=True) if due.due_at else _("no set time"))


def _facts(snap: IncidentSnapshot) -> list[tuple[str, Any]]:
    return [
        (_("Incident"), f"{snap.number} {snap.title}"),
        (_("Status"), label(snap.status) + (f" · {when(snap.closed_at, with_date=True)}" if snap.closed_at else "")),
        (_("Response level"), level_label(snap.level) if snap.level else "—"),
        (_("Alarm at"), when(snap.alarm_at, with_date=True)),
        (_("Location"), snap.location or "—"),
        (_("Plan"), _plan(snap)),
    ]


# -- the report -------------------------------------------------------------------------------------------


def report_story(doc: ReportDocument) -> list[Flowable]:
    st = print_styles()
    width, _h = frame_size()
    snap, report = doc.incident, doc.report
    story: list[Flowable] = [real_band(st, width), Spacer(1, 6), text_para(doc.title, st["h1"]),
                             text_para(KIND_TITLES[report.kind.value], st["h2"])]
    story.append(facts_table([(_("Incident"), f"{snap.number} {snap.title}"), (_("Port"), snap.port_name),
                              (_("Response level"), level_label(snap.level) if snap.level else "—")], st, width))
    heading = ParagraphStyle("report-heading", parent=st["body"], fontSize=st["body"].fontSize + 1,
                             leading=st["body"].leading + 1, spaceBefore=6, spaceAfter=1, textColor=REAL_RED)
    for name, words in report.fields:  # headings and paragraphs, not table cells: a long text runs on over pages
        story.append(text_para(FIELD_TITLES[name], heading))
        story += [text_para(line, st["body"]) for line in (words or "—").split("\n")]
    story.append(Spacer(1, 8))
    if report.number is not None:
        issued = _("Issued {time} by {who} · report no. {number}").format(
            time=when(report.issued_at, with_date=True), who=report.issued_by or "—", number=report.number)
        story.append(text_para(issued, st["body"]))
        story.append(text_para(_("Content hash (SHA-256, as in the incident's log): {hash}").format(
            hash=report.content_hash), st["small"]))
    else:
        story.append(text_para(_("DRAFT — not issued: no number yet."), st["body"]))
    return story


def write_report(doc: ReportDocument, out: Path) -> Path:
    return build_pdf(Path(out), report_story(doc), PageInfo(title=doc.title, reference=REAL_MARK))


# -- the hand-over sheet ----------------------------------------------------------------------------------


def _clock(value: datetime | None, now: datetime) -> str:
    """A due time on the sheet: the time, with the date when it is not today's."""
    if value is None:
        return "—"
    local, today = to_local(value), to_local(now)
    return local.strftime("%H:%M" if local.date() == today.date() else "%m-%d %H:%M")


def _on_scene(snap: IncidentSnapshot) -> str:
    """The team members who arrived (call-outs for the incident), with their phones; how many are still awaited."""
    here = [f"{c.name}（{label(c.agency)}）{c.mobile}".strip() for c in snap.on_scene]
    awaited = len(snap.called) - len(here)
    text = "、".join(here) or "—"
    return text + ("  " + _("({count} called, not arrived)").format(count=awaited) if awaited else "")


def _people(snap: IncidentSnapshot) -> str:
    names = [e.author for e in snap.log if e.author] + [t.assignee for t in snap.tasks if t.assignee and t.open]
    seen: list[str] = []
    for n in names:
        if n not in seen:
            seen.append(n)
    return "、".join(seen) or "—"


def handover_story(snap: IncidentSnapshot, from_officer: str, to_officer: str, now: datetime) -> list[Flowable]:
    st = print_styles(9.0)
    width, _h = frame_size()
    k = st["cell"].fontSize / 9.5
    story: list[Flowable] = [real_band(st, width), Spacer(1, 4),
                             text_para(_("Hand-over sheet") + f" · {snap.number} {snap.title}", st["h1"])]
    story.append(facts_table(_facts(snap)[1:] + [
        (_("Next report due"), _next_report(snap)),
        (_("On scene"), _on_scene(snap)),
        (_("Working the incident"), _people(snap)),
        (_("Handed over"), _("{time}: {old} to {new}").format(time=when(now, with_date=True), old=from_officer or "—",
                                                              new=to_officer or "—")),
    ], st, width))
    story.append(text_para(_("Handed over by: ____________    Taken over by: ____________    Time: ________"), st["body"]))
    items = [i for i in snap.items if i.open]
    story.append(text_para(_("Open actions ({count})").format(count=len(items)), st["h2"]))
    if items:
        rows, extra = [], []
        for n, item in enumerate(items):
            text = item.row.text + ("\n" + _("not required at this level") if item.not_required else "")
            rows.append([label(item.row.agency), text, minutes_text(item.row.target_minutes),
                         _clock(item.due_at, now)])
            if item.not_required:
                extra.append(("BACKGROUND", (0, n), (-1, n), NOT_REQUIRED_FILL))
            elif item.status_at(now) is ItemStatus.RED:
                extra.append(("BACKGROUND", (0, n), (-1, n), LATE_FILL))
        story += grid_table([_("Agency"), _("Action"), _("Target"), _("Due at")], rows,
                        column_widths(width, [70 * k, None, 44 * k, 48 * k]), st, extra)
    else:
        story.append(text_para(_("None: every action is done or settled."), st["body"]))
    tasks = [t for t in snap.tasks if t.open]
    story.append(text_para(_("Open tasks ({count})").format(count=len(tasks)), st["h2"]))
    if tasks:
        story += grid_table([_("Agency"), _("Task"), _("Person"), _("Status"), _("Due")],
                        [[label(t.agency), t.text, t.assignee or "—", label(t.status),
                          _clock(t.due_at, now)] for t in tasks],
                        column_widths(width, [70 * k, None, 60 * k, 60 * k, 66 * k]), st)
    else:
        story.append(text_para(_("None."), st["body"]))
    story.append(text_para(_("Last log entries ({shown} of {total})").format(shown=len(snap.log), total=snap.log_total),
                    st["h2"]))
    story += grid_table([_("Time"), _("By"), _("Category"), _("Entry")],
                    [[_clock(e.at, now), e.author, label(e.kind), e.text] for e in reversed(snap.log)],
                    column_widths(width, [40 * k, 60 * k, 78 * k, None]), st)
    return story


def write_handover(snap: IncidentSnapshot, out: Path, *, from_officer: str, to_officer: str,
                   now: datetime) -> Path:
    return build_pdf(Path(out), handover_story(snap, from_officer, to_officer, now),
                     PageInfo(title=f"{snap.number} {snap.title}", reference=_("Hand-over sheet") + " · " + REAL_MARK))


# -- the incident record ----------------------------------------------------------------------------------


def _result(item: IncidentItem) -> str:
    taken = item.minutes_taken
    if item.row.state is ItemState.SKIPPED:
        return _("skipped: {reason}").format(reason=item.row.reason) if item.row.reason else _("skipped")
    if item.row.state is ItemState.NOT_APPLICABLE:
        return _("not applicable")
    if taken is None:
        return _("not required at this level") if item.not_required else _("not done")
    if item.row.target_minutes is None:
        return ""
    over = taken - item.row.target_minutes
    return _("{minutes:.1f} min late").format(minutes=late_minutes(over)) if over > 0 else _("on target")


def record_story(record: IncidentRecord) -> list[Flowable]:
    st = print_styles()
    width, _h = frame_size()
    k = st["cell"].fontSize / 9.5
    snap = record.snapshot
    story: list[Flowable] = [real_band(st, width), Spacer(1, 6), text_para(f"{snap.number} {snap.title}", st["h1"])]
    story.append(facts_table(_facts(snap) + [
        (_("Opened"), when(snap.opened_at, with_date=True) + (f" · {snap.opened_by}" if snap.opened_by else "")),
        (_("On scene"), _on_scene(snap)),
        (_("Hash-chained record"), _("{count} entries, hash chain head {hash}").format(count=snap.chain_seq,
                                                                           hash=snap.chain_head or "—")),
    ], st, width))
    for title, words in ((_("Description"), snap.description), (_("Summary"), snap.summary)):
        story.append(text_para(title, st["h2"]))  # paragraphs, not table cells: a long text runs on over pages
        story += [text_para(line, st["body"]) for line in (words or "—").split("\n")]
    story.append(text_para(_("Reports"), st["h2"]))
    story += grid_table([_("Report"), _("Due"), _("Issued at"), _("Report no.")],
                    [[KIND_TITLES[d.kind.value], when(d.due_at, with_date=True) if d.due_at else "—",
                      when(d.issued_at, with_date=True) if d.issued_at else _("not issued"),
                      str(d.issued_number) if d.issued_number else "—"] for d in snap.dues],
                    column_widths(width, [None, 96 * k, 96 * k, 60 * k]), st)
    story.append(text_para(_("Actions against their targets"), st["h2"]))
    rows, extra = [], []
    for n, item in enumerate(snap.items):
        rows.append([label(item.row.agency), item.row.text, minutes_text(item.row.target_minutes),
                     when(item.row.done_at, with_date=True) if item.row.done_at else "—",
                     "—" if item.minutes_taken is None else f"{item.minutes_taken:.1f}", _result(item)])
        if item.status_at(snap.closed_at or item.counted_from) in (ItemStatus.LATE, ItemStatus.RED):
            extra.append(("BACKGROUND", (0, n), (-1, n), LATE_FILL))
    story += grid_table([_("Agency"), _("Action"), _("Target"), _("Done at"), _("Taken"), _("Result")], rows,
                    column_widths(width, [66 * k, None, 44 * k, 84 * k, 40 * k, 80 * k]), st, extra)
    if snap.tasks:
        story.append(text_para(_("Tasks"), st["h2"]))
        story += grid_table([_("Agency"), _("Task"), _("Person"), _("Status"), _("Due")],
                        [[label(t.agency), t.text, t.assignee or "—", label(t.status),
                          when(t.due_at, with_date=True) if t.due_at else "—"] for t in snap.tasks],
                        column_widths(width, [66 * k, None, 60 * k, 60 * k, 84 * k]), st)
    story.append(text_para(_("Timeline"), st["h2"]))
    story += timeline_table(record.timeline, st, width)
    return story


def write_record(record: IncidentRecord, out: Path) -> Path:
    snap = record.snapshot
    return build_pdf(Path(out), record_story(record),
                     PageInfo(title=f"{snap.number} {snap.title}", reference=_("Incident record") + " · " + REAL_MARK))


__all__ = ["write_handover", "write_record", "write_report"]
