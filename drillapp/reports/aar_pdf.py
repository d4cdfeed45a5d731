"""The After-Action Report / Improvement Plan (AAR/IP) of a drill, in the usual structure:

1. overview (the exercise: name, dates, type, scope, plan and level, location, scenario, objectives,
   participating branches, controllers, evaluators);
2. summary, with the share of timed actions on target and the objectives by rating (a chart);
3. analysis by objective (HSEEP rating and the evaluator's observations);
4. strengths, and areas for improvement (root cause, what part of which plan, the revision that answers it,
   corrective actions);
5. the improvement-plan matrix (issue, corrective action, capability element, branch, owner, start, due, status);
6. hot-wash notes and amendments;
appendix A: the timeline; appendix B: the times against targets (a chart and the table).

The review of a real incident prints the same way, marked 真实事件 / REAL INCIDENT (in red) where a drill's says
演练 / DRILL, its overview the incident's (alarm to stand-down, no exercise objectives).

A review not signed off prints too, marked DRAFT on its cover and in every page's header.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer, Table

from drillapp.i18n import _, join_list
from drillapp.labels import label, level_label
from drillapp.reports.charts import ratings_chart, times_chart
from drillapp.reports.page import PageInfo, build_pdf, frame_size
from drillapp.reports.run_pdf import DRILL_MARK, facts_table, measures_table, timeline_table, when
from drillapp.reports.tables import column_widths, grid_style, grid_table, print_styles, text_para
from drillapp.services.incident_review import REAL_INCIDENT_MARK
from drillapp.services.review_read import FindingDoc, ReviewDoc

DRAFT_MARK = "草稿 / DRAFT"
RED = colors.HexColor("#b71c1c")


def date_text(value: Any) -> str:
    return value.isoformat() if value is not None else "—"


def _mark(text: str, st: dict, width: float) -> Table:
    return Table([[text_para(text, st["marking"])]], colWidths=[width * 0.45], hAlign="CENTER",
                 style=grid_style([("BOX", (0, 0), (-1, -1), 1.5, RED), ("TOPPADDING", (0, 0), (-1, -1), 5),
                                     ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))


def _real_mark(st: dict, width: float) -> Table:
    """A real incident's marking: white on red, where a drill's is boxed."""
    style = ParagraphStyle("real-incident", parent=st["marking"], textColor=colors.white)
    return Table([[text_para(REAL_INCIDENT_MARK, style)]], colWidths=[width * 0.6], hAlign="CENTER",
                 style=grid_style([("BACKGROUND", (0, 0), (-1, -1), RED), ("TOPPADDING", (0, 0), (-1, -1), 5),
                                     ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))


def _kind(doc: ReviewDoc) -> str:
    ov = doc.overview
    return _("Real incident") if doc.real else f"{label(ov.kind)} · {label(ov.scope)}"


def _cover(doc: ReviewDoc, st: dict, width: float, height: float) -> list[Flowable]:
    ov = doc.overview
    out: list[Flowable] = [Spacer(1, height * 0.08), text_para(
        _("Incident Review / Improvement Plan") if doc.real else _("After-Action Report / Improvement Plan"), st["subtitle"]),
                           Spacer(1, 6), text_para(doc.title, st["title"]), Spacer(1, 4), text_para(ov.drill_title, st["centre"]),
                           Spacer(1, 24)]
    facts = [
        (_("Alarm to stand-down") if doc.real else _("Exercise dates"),
         f"{when(ov.started_at, True)} – {when(ov.ended_at, True) if ov.ended_at else '—'}"),
        (_("Type"), _kind(doc)),
        (_("Status"), label(doc.status)),
    ]
    if not doc.draft:
        facts.append((_("Signed off"), f"{doc.signed_off_by} · {when(doc.signed_off_at, True)}"))
    out.append(facts_table(facts, st, width))
    out.append(Spacer(1, 24))
    if doc.draft:
        out.append(_mark(DRAFT_MARK, st, width))
        out.append(Spacer(1, 6))
        out.append(text_para(_("Not signed off: a draft for discussion."), st["warning"]))
        out.append(Spacer(1, 12))
    out.append(_real_mark(st, width) if doc.real else _mark(DRILL_MARK, st, width))
    out.append(PageBreak())
    return out


def _overview(doc: ReviewDoc, st: dict, width: float) -> list[Flowable]:
    ov = doc.overview
    objectives = [text_para(f"{n}. {r.text}", st["cell"]) for n, r in enumerate(doc.ratings, start=1)] or "—"
    plan = f"{ov.plan_code} {ov.plan_title}".strip() or "—"
    if ov.plan_version is not None:
        plan += " · " + _("version {number}").format(number=ov.plan_version)
    rows: list[tuple[str, Any]] = [
        (_("Incident") if doc.real else _("Exercise"), ov.drill_title + (" · " + _("unplanned") if ov.unplanned else "")),
        (_("Alarm to stand-down") if doc.real else _("Dates"),
         f"{when(ov.started_at, True)} – {when(ov.ended_at, True) if ov.ended_at else '—'}"),
        (_("Type") if doc.real else _("Type and scope"), _kind(doc)),
        (_("Plan and level"), f"{plan} · {level_label(ov.level)}"),
        (_("Location"), ov.location or "—"),
        (_("Description") if doc.real else _("Scenario narrative"), ov.scenario or "—"),
        (_("Objectives"), objectives),
        (_("Branches that acted") if doc.real else _("Participating branches"),
         join_list([label(a) for a in ov.branches]) or "—"),
        (_("Opened by") if doc.real else _("Controllers"), join_list(ov.controllers) or "—"),
        (_("Evaluators"), join_list(ov.evaluators) or "—"),
    ]
    if doc.real:  # an incident has no exercise objectives and no evaluators
        rows = [r for r in rows if r[0] not in (_("Objectives"), _("Evaluators"))]
    heading = _("1. Overview of the incident") if doc.real else _("1. Overview")
    return [text_para(heading, st["h1"]), facts_table(rows, st, width)]


def _summary(doc: ReviewDoc, st: dict, width: float) -> list[Flowable]:
    rec = doc.record
    out: list[Flowable] = [text_para(_("2. Summary"), st["h1"])]
    if doc.summary.strip():
        out += [text_para(line, st["para"]) for line in doc.summary.splitlines() if line.strip()]
    out.append(text_para(_("{hit} of {timed} timed actions were done on target.").format(hit=rec.on_target, timed=rec.timed),
                  st["body"]))
    chart = ratings_chart([r.rating for r in doc.ratings], width)
    if chart is not None:
        out += [Spacer(1, 4), chart]
    return out


def _analysis(doc: ReviewDoc, st: dict, width: float) -> list[Flowable]:
    out: list[Flowable] = [text_para(_("3. Analysis") if doc.real else _("3. Analysis by objective"), st["h1"])]
    if not doc.ratings:
        return [*out, text_para(_("A real incident has no exercise objectives: see the findings.") if doc.real
                                else _("The drill has no objectives."), st["body"])]
    rows = [[str(n), r.text, label(r.rating) if r.rating else _("not rated"), r.observations or "—"]
            for n, r in enumerate(doc.ratings, start=1)]
    return out + grid_table([_("#"), _("Objective"), _("Rating"), _("Observations")], rows,
                        column_widths(width, [30, None, 110, None]), st)


def _finding_block(n: int, f: FindingDoc, st: dict, width: float) -> list[Flowable]:
    title = f"{n}. {f.text}" + (" " + _("(draft)") if f.draft else "")
    facts: list[tuple[str, Any]] = [(_("Branch"), label(f.agency) or "—"), (_("Root cause"), f.root_cause or "—")]
    if f.target is not None:
        facts.append((_("Points at"), f"{label(f.target.part)}: {f.target.label}"))
    if f.revision is not None:
        facts.append((_("Plan revision"), _("version {number} ({status})").format(number=f.revision.number,
                                                                                 status=label(f.revision.status))))
    actions = [text_para("• " + _("{text} — {capability}, {owner}, due {date} ({status})").format(
        text=a.text, capability=label(a.capability) or "—", owner=a.owner_name or label(a.agency) or "—",
        date=date_text(a.due_on), status=label(a.status)), st["cell"]) for a in f.actions]
    facts.append((_("Corrective actions"), actions or "—"))
    return [CondPageBreak(80), text_para(title, st["h3"]), facts_table(facts, st, width)]


def _findings(doc: ReviewDoc, st: dict, width: float) -> list[Flowable]:
    out: list[Flowable] = [text_para(_("4. Strengths and areas for improvement"), st["h1"]), text_para(_("Strengths"), st["h2"])]
    strengths = doc.strengths
    out += [text_para(f"{n}. " + (_("{text} ({branch})").format(text=f.text, branch=label(f.agency)) if f.agency
                                  else f.text) + (" " + _("(draft)") if f.draft else ""),
                      st["para"]) for n, f in enumerate(strengths, start=1)] or [text_para("—", st["body"])]
    out += [CondPageBreak(120), text_para(_("Areas for improvement"), st["h2"])]
    improvements = doc.improvements
    if not improvements:
        out.append(text_para("—", st["body"]))
    for n, f in enumerate(improvements, start=1):
        out += _finding_block(n, f, st, width)
    return out


def _matrix(doc: ReviewDoc, st: dict, width: float) -> list[Flowable]:
    rows = []
    for f in doc.improvements:
        for a in f.actions:
            rows.append([f.text, a.text, label(a.capability) or "—", label(a.agency) or "—", a.owner_name or "—",
                         date_text(a.start_on), date_text(a.due_on), label(a.status)])
    out: list[Flowable] = [CondPageBreak(160), text_para(_("5. Improvement plan"), st["h1"])]
    if not rows:
        return [*out, text_para(_("No corrective actions yet."), st["body"])]
    return out + grid_table([_("Issue"), _("Corrective action"), _("Capability element"), _("Branch"), _("Owner"),
                         _("Start"), _("Due"), _("Status")], rows,
                        column_widths(width, [None, None, 62, 62, 46, 60, 60, 46]), st)


def _notes(doc: ReviewDoc, st: dict, width: float) -> list[Flowable]:
    out: list[Flowable] = [text_para(_("6. Hot wash and amendments"), st["h1"]), text_para(_("Hot wash"), st["h2"])]
    if doc.hot_wash:
        out += grid_table([_("Branch"), _("Kind"), _("Note"), _("By")],
                      [[label(h.agency) or "—", label(h.kind), h.text, h.author] for h in doc.hot_wash],
                      column_widths(width, [70, 60, None, 60]), st)
    else:
        out.append(text_para("—", st["body"]))
    out.append(text_para(_("Amendments"), st["h2"]))
    if doc.amendments:
        out += grid_table([_("Date"), _("By"), _("Amendment")], [[when(a.at, True), a.author, a.text] for a in doc.amendments],
                      column_widths(width, [84, 60, None]), st)
    else:
        out.append(text_para("—", st["body"]))
    return out


def aar_story(doc: ReviewDoc) -> list[Flowable]:
    st = print_styles()
    width, height = frame_size()
    story = _cover(doc, st, width, height)
    story += _overview(doc, st, width) + _summary(doc, st, width) + _analysis(doc, st, width)
    story += _findings(doc, st, width) + _matrix(doc, st, width) + _notes(doc, st, width)
    rec = doc.record
    story += [PageBreak(), text_para(_("Appendix A. Timeline"), st["h1"]), *timeline_table(rec.timeline, st, width)]
    story += [PageBreak(), text_para(_("Appendix B. Times against targets"), st["h1"])]
    chart = times_chart(rec.measures, width)
    if chart is not None:
        story += [chart, Spacer(1, 6)]
    story += measures_table(rec.measures, {i.id: i.reason for i in rec.snapshot.items}, st, width, numbered=True)
    return story


def write_aar(doc: ReviewDoc, out: Path) -> Path:
    reference = _("AAR/IP") + (" · " + REAL_INCIDENT_MARK if doc.real else "") \
        + (" · " + DRAFT_MARK if doc.draft else " · " + label(doc.status))
    return build_pdf(Path(out), aar_story(doc), PageInfo(title=doc.title, reference=reference, cover=True))
