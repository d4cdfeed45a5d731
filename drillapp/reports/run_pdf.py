"""Print-outs of a drill run: the blank checklist for posts without a PC, and the completed run record.

- **The blank checklist** (before the drill): the drill and plan, "DRILL / 演练" in large type, a line for the
  start time, the plan's actions for the drill's level by phase in the checklist's order (checklist.py), each
  with a tick box, its agency, target time, a blank column for the due time (start + target) and one for the
  time done and initials; then the reports due and when.
- **The completed run record** (after it): the facts (drill, plan, start, end, pauses, who started it, the
  hash chain's head), how many timed actions were on target, every item against its target (taken, late by,
  missed, skipped with its reason; deviations marked in red), then the timeline: who did what when, back-timed
  entries with both times.

Same page, fonts and tables as the plan print-outs (plan_pdf): text prints exactly as typed, cells wrap.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer, Table

from drillapp.clock import to_local, utcnow
from drillapp.i18n import _
from drillapp.labels import label, level_label
from drillapp.models.enums import ItemState
from drillapp.reports.page import PageInfo, build_pdf, frame_size
from drillapp.reports.tables import (
    GRID,
    HEADER_FILL,
    TickBox,
    column_widths,
    grid_style,
    grid_table,
    minutes_text,
    print_styles,
    text_para,
)
from drillapp.services.console_text import event_text
from drillapp.services.measures import Measure, late_minutes
from drillapp.services.run_console import BlankChecklist
from drillapp.services.run_record import RunRecord, TimelineLine

DRILL_MARK = "演练 / DRILL"
LATE_FILL = colors.HexColor("#fde0dc")
RED = colors.HexColor("#b71c1c")
BLANK = "________"


def when(value: datetime | None, with_date: bool = False) -> str:
    if value is None:
        return "—"
    return to_local(value).strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M:%S")


def drill_mark(st: dict[str, ParagraphStyle], width: float) -> Table:
    return Table([[text_para(DRILL_MARK, st["marking"])]], colWidths=[width * 0.4], hAlign="CENTER",
                 style=grid_style([("BOX", (0, 0), (-1, -1), 1.5, RED), ("TOPPADDING", (0, 0), (-1, -1), 4),
                                     ("BOTTOMPADDING", (0, 0), (-1, -1), 7)]))


def facts_table(facts: Sequence[tuple[str, Any]], st: dict[str, ParagraphStyle], width: float) -> Table:
    rows = [[text_para(k, st["head"]), v if isinstance(v, Flowable | list) else text_para(str(v), st["cell"])] for k, v in facts]
    return Table(rows, colWidths=column_widths(width, [width * 0.24, None]), hAlign="LEFT",
                 style=grid_style([("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
                                     ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 3),
                                     ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]), spaceAfter=8)


def _plan_line(code: str, title: str, version: int | None, level: int | None) -> str:
    if not code:
        return "—"
    text = f"{code} {title}"
    if version is not None:
        text += " · " + _("version {number}").format(number=version)
    return text + " · " + level_label(level)


# -- the blank checklist ----------------------------------------------------------------------------------


def blank_story(blank: BlankChecklist) -> list[Flowable]:
    st = print_styles()
    width, _h = frame_size()
    story: list[Flowable] = [drill_mark(st, width), Spacer(1, 6), text_para(blank.title, st["h1"])]
    story.append(facts_table([
        (_("Type"), label(blank.kind)),
        (_("Scheduled"), when(blank.scheduled_start, with_date=True)),
        (_("Location"), blank.location or "—"),
        (_("Plan and level"), _plan_line(blank.plan_code, blank.plan_title, blank.plan_version, blank.level)),
        (_("Started at"), BLANK + "  " + _("(fill in: the drill's start; due times count from it)")),
        (_("Post / filled in by"), BLANK + BLANK),
    ], st, width))
    if not blank.items:
        story.append(text_para(_("The drill's plan has no approved version with actions for this level."), st["body"]))
        return story
    k = st["cell"].fontSize / 9.5
    header = ["✓", _("Agency"), _("Action"), _("Target"), _("Due at"), _("Done at"), _("Initials")]
    fixed: list[float | None] = [20 * k, 70 * k, None, 44 * k, 48 * k, 48 * k, 44 * k]
    phase: object = object()
    rows: list[list[Any]] = []
    extra: list[tuple[Any, ...]] = []
    for item in blank.items:
        if item.phase != phase:
            phase = item.phase
            extra.append(("SPAN", (0, len(rows)), (-1, len(rows))))
            extra.append(("BACKGROUND", (0, len(rows)), (-1, len(rows)), colors.HexColor("#f1f3f5")))
            extra.append(("NOSPLIT", (0, len(rows)), (-1, len(rows) + 1)))  # a phase's heading with its first item
            rows.append([text_para(label(item.phase) or "—", st["head"]), "", "", "", "", "", ""])
        text: list[Flowable] = [text_para(item.text, st["cell"])]
        if item.responsible_post.strip():
            text.append(text_para(_("Responsible post: {post}").format(post=item.responsible_post.strip()), st["cell_small"]))
        if item.report_due is not None:
            text.append(text_para(_("Report due: {report}").format(report=label(item.report_due)), st["cell_small"]))
        rows.append([TickBox(8 * k), label(item.agency), text, minutes_text(item.target_minutes), "", "", ""])
    story += grid_table(header, rows, column_widths(width, fixed), st, extra, split_rows=False)
    reports = [i for i in blank.items if i.report_due is not None]
    if reports:
        story.append(text_para(_("Reports due"), st["h2"]))
        story += grid_table([_("Report"), _("Agency"), _("Due (minutes from the start)"), _("Due at"), _("Sent at")],
                        [[label(r.report_due), label(r.agency), minutes_text(r.target_minutes), "", ""] for r in reports],
                        column_widths(width, [None, 80, 110, 60, 60]), st)
    story.append(Spacer(1, 6))
    story.append(text_para(_("Printed {time}. Hand the filled-in sheet to the duty officer: the ticks are entered with the "
                      "time they happened.").format(time=when(utcnow(), with_date=True)), st["small"]))
    return story


def write_blank_checklist(blank: BlankChecklist, out: Path) -> Path:
    return build_pdf(Path(out), blank_story(blank), PageInfo(title=blank.title, reference=_("Blank checklist")
                                                             + " · " + DRILL_MARK))


# -- the completed run record -----------------------------------------------------------------------------


def deviation_text(m: Measure, reason: str = "") -> str:
    if m.state is ItemState.SKIPPED:
        return _("skipped: {reason}").format(reason=reason) if reason else _("skipped")
    if m.state is ItemState.NOT_APPLICABLE:
        return _("not applicable")
    if m.missed:
        return _("not done")
    if m.late:
        return _("{minutes:.1f} min late").format(minutes=late_minutes(m.over_by or 0.0))
    if m.late is False:
        return _("on target")
    return ""


def measures_table(measures: Sequence[Measure], reasons: dict[int, str], st: dict[str, ParagraphStyle],
                   width: float, numbered: bool = False) -> list[Flowable]:
    """Every timed action against its target (deviations on red)."""
    k = st["cell"].fontSize / 9.5
    header = [*(["#"] if numbered else []), _("Agency"), _("Action"), _("Target"), _("Done at"), _("Taken"),
              _("Result")]
    fixed: list[float | None] = [*([24 * k] if numbered else []), 66 * k, None, 44 * k, 52 * k, 46 * k, 78 * k]
    rows, extra = [], []
    for n, m in enumerate(measures, start=1):
        rows.append([*([str(n)] if numbered else []), label(m.agency), m.text, minutes_text(m.target_minutes),
                     when(m.happened_at), "—" if m.minutes_taken is None else f"{m.minutes_taken:.1f}",
                     deviation_text(m, reasons.get(m.item_id, ""))])
        if m.deviation:
            extra.append(("BACKGROUND", (0, n - 1), (-1, n - 1), LATE_FILL))
    return grid_table(header, rows, column_widths(width, fixed), st, extra)


def timeline_table(lines: Sequence[TimelineLine], st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    k = st["cell"].fontSize / 9.5
    header = [_("Time"), _("By"), _("Agency"), _("Entry")]
    rows = []
    for t in lines:
        time_cell: Any = when(t.at)
        if t.back_timed:
            time_cell = [text_para(when(t.at), st["cell"]),
                         text_para(_("recorded {time}").format(time=when(t.recorded_at)), st["cell_small"])]
        rows.append([time_cell, t.author, label(t.agency) or "—", timeline_text(t)])
    return grid_table(header, rows, column_widths(width, [58 * k, 64 * k, 66 * k, None]), st)


def timeline_text(t: TimelineLine) -> str:
    if t.action is None:
        text = t.text
        if t.corrects_seq is not None:
            text = _("Correction of line {n}: {text}").format(n=t.corrects_seq, text=text)
        return text
    return event_text(t.action, t.item_text, t.text)


def record_story(record: RunRecord) -> list[Flowable]:
    st = print_styles()
    width, _h = frame_size()
    snap = record.snapshot
    paused = sum(((end or snap.ended_at or utcnow()) - start).total_seconds() for start, end in snap.pauses) / 60
    story: list[Flowable] = [drill_mark(st, width), Spacer(1, 6), text_para(snap.drill_title, st["h1"])]
    story.append(facts_table([
        (_("Type"), label(snap.drill_kind) + (" · " + _("unplanned") if snap.unplanned else "")),
        (_("Plan and level"), _plan_line(snap.plan_code, snap.plan_title, snap.plan_version, snap.level)),
        (_("Started"), when(snap.started_at, with_date=True) + (f" · {snap.started_by}" if snap.started_by else "")),
        (_("Ended"), when(snap.ended_at, with_date=True) if snap.ended_at else _("still running")),
        (_("Paused"), _("{minutes:.0f} min").format(minutes=paused) if snap.pauses else "—"),
        (_("On target"), _("{hit} of {timed} timed actions").format(hit=record.on_target, timed=record.timed)),
        (_("Hash-chained record"), _("{count} entries, hash chain head {hash}").format(count=snap.chain_seq,
                                                                           hash=snap.chain_head or "—")),
    ], st, width))
    reasons = {i.id: i.reason for i in snap.items}
    story.append(text_para(_("Actions against their targets"), st["h2"]))
    story += measures_table(record.measures, reasons, st, width)
    story.append(text_para(_("Timeline"), st["h2"]))
    story += timeline_table(record.timeline, st, width)
    return story


def write_run_record(record: RunRecord, out: Path) -> Path:
    snap = record.snapshot
    return build_pdf(Path(out), record_story(record),
                     PageInfo(title=snap.drill_title, reference=_("Run record") + f" {snap.run_id} · " + DRILL_MARK))


__all__ = ["write_blank_checklist", "write_run_record"]
