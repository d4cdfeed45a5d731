"""Benchmark `plan_print`: printing a long plan to PDF, side by side with bare ReportLab.

The plan is the demo port's longest plan (most text), its content (sections, levels, actions, matrix,
contacts, resources) repeated until the print-out is about 60 pages. In the same run, a bare ReportLab
document is built from the same strings: one Paragraph per string, the same CJK font registered the
same way (`cjk_font()`), `wordWrap="CJK"`, in a SimpleDocTemplate with the default canvas. One warm-up
build per side (not counted: fonts load, caches fill), then N builds per side interleaved
app, bare, app, bare, ... Both write a PDF file to a temp folder. Targets: app/bare median at most
1.5x, and the app's median under 2 s.

The demo database is made in-process (drillapp.demo.DemoService) on a temp SQLite file.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.runner import Context, register

TARGET_RATIO = 1.5
TARGET_SECONDS = 2.0
TARGET_PAGES = 60
DEFAULT_REPEAT = 5


def _demo_plan(tmp: Path) -> Any:
    """The demo port's longest plan (by the length of all its text), as a PlanDoc."""
    from sqlalchemy import select

    from drillapp import schema
    from drillapp.db import Database
    from drillapp.demo import DemoService
    from drillapp.models import ContingencyPlan
    from drillapp.services.context import SYSTEM_ACTOR
    from drillapp.services.plans import PlanService
    from drillapp.services.users import UserService

    db = Database.open(f"sqlite:///{(tmp / 'demo.sqlite3').as_posix()}")
    try:
        schema.upgrade(db.engine)
        actor = UserService(db, SYSTEM_ACTOR).ensure_local_user("bench")
        DemoService(db, actor).load_demo()
        with db.session() as s:
            plan_ids = list(s.scalars(select(ContingencyPlan.id)))
        plans = PlanService(db, actor)
        docs = [plans.current_document(pid) for pid in plan_ids]
        return max(docs, key=lambda d: sum(len(x) for x in plan_strings(d)))
    finally:
        db.dispose()


def plan_strings(doc: Any) -> list[str]:
    """Every piece of the plan's own text the print-out shows, in order (the bare side prints these)."""
    out = [doc.title_zh, doc.title_en, doc.code, doc.port_name, doc.approved_by, doc.change_note]
    for sec in doc.sections:
        out.append(sec.title)
        out.extend(line for line in sec.body.split("\n"))
    for lv in doc.levels:
        out.extend([lv.name, lv.trigger])
    out.extend(m.task for m in doc.matrix)
    for a in doc.actions:
        out.extend([a.text, a.responsible_post])
    for c in doc.contacts:
        out.extend([c.name, c.post, c.phone, c.mobile, c.notes])
    for r in doc.resources:
        out.extend([r.name, r.kind, r.location, r.notes])
    return [x for x in out if x and x.strip()]


def repeat_plan(doc: Any, times: int) -> Any:
    """The plan with its content repeated `times` times (section ids and matrix tasks kept distinct)."""
    step = max([s.id for s in doc.sections] + [a.id for a in doc.actions] + [0]) + 1
    sections, actions, matrix, levels, contacts, resources = [], [], [], [], [], []
    for n in range(times):
        sections += [replace(s, id=s.id + n * step, parent_id=None if s.parent_id is None else s.parent_id + n * step,
                             position=s.position + n * 1000) for s in doc.sections]
        actions += [replace(a, id=a.id + n * step, position=a.position + n * 1000) for a in doc.actions]
        suffix = f"（{n + 1}）" if n else ""
        matrix += [replace(m, task=m.task + suffix) for m in doc.matrix]
        levels += list(doc.levels)
        contacts += [replace(c, position=c.position + n * 1000) for c in doc.contacts]
        resources += [replace(r, position=r.position + n * 1000) for r in doc.resources]
    return replace(doc, sections=tuple(sections), actions=tuple(actions), matrix=tuple(matrix), levels=tuple(levels),
                   contacts=tuple(contacts), resources=tuple(resources))


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def build_app(doc: Any, out: Path) -> Path:
    from drillapp.reports.plan_pdf import write_plan_pdf

    return write_plan_pdf(doc, out)


def build_bare(strings: list[str], out: Path) -> Path:
    """Bare ReportLab: the same strings as Paragraphs in a SimpleDocTemplate, same font, A4, same margins."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from drillapp.reports.fonts import cjk_font

    style = ParagraphStyle("bare", fontName=cjk_font().name, fontSize=10.5, leading=15, wordWrap="CJK")
    story = [Paragraph(escape(s).replace("\n", "<br/>"), style) for s in strings]
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=20 * mm,
                            bottomMargin=18 * mm)
    doc.build(story)
    return out


@register("plan_print")
def plan_print(ctx: Context) -> dict[str, Any]:
    """The longest demo plan repeated to ~60 pages, printed, against bare ReportLab (target <= 1.5x, < 2 s)."""
    repeat = ctx.repeat_or(DEFAULT_REPEAT)
    with tempfile.TemporaryDirectory(prefix="drillapp-bench-print-") as tmp_name:
        tmp = Path(tmp_name)
        ctx.log("making the demo database and reading its plans ...")
        base = _demo_plan(tmp)
        # repeat the content until the print-out is about TARGET_PAGES pages
        times = 1
        pages = _pages(build_app(repeat_plan(base, times), tmp / "probe.pdf"))
        for _ in range(3):
            if abs(pages - TARGET_PAGES) <= 2:
                break
            times = max(1, round(times * TARGET_PAGES / max(pages, 1)))
            pages = _pages(build_app(repeat_plan(base, times), tmp / "probe.pdf"))
        doc = repeat_plan(base, times)
        strings = plan_strings(doc)
        ctx.log(f"plan {base.code} x{times}: {pages} pages, {len(strings)} strings")

        sides = {"app": lambda out: build_app(doc, out), "bare": lambda out: build_bare(strings, out)}
        if ctx.self_test:  # the harness without the system under test: bare on both sides, ~1.0x
            sides["app"] = sides["bare"]
        times_s: dict[str, list[float]] = {"app": [], "bare": []}
        out_pages: dict[str, int] = {}
        for round_no in range(repeat + 1):
            for side, build in sides.items():
                out = tmp / f"{side}-{round_no}.pdf"
                t0 = time.perf_counter()
                build(out)
                elapsed = time.perf_counter() - t0
                if round_no:
                    times_s[side].append(elapsed)
                else:
                    out_pages[side] = _pages(out)
                out.unlink()
                ctx.log(f"  {'warm-up' if not round_no else f'run {round_no}'} {side}: {elapsed:.3f} s")

    app_med, bare_med = statistics.median(times_s["app"]), statistics.median(times_s["bare"])
    ratio = app_med / bare_med
    ok = ratio <= TARGET_RATIO and app_med < TARGET_SECONDS
    rows = [
        ["stand-in: bare (--self-test)" if ctx.self_test else "drillapp (full plan)", out_pages["app"], f"{app_med:.3f} s", f"{min(times_s['app']):.3f} s"],
        ["bare ReportLab (paragraphs)", out_pages["bare"], f"{bare_med:.3f} s", f"{min(times_s['bare']):.3f} s"],
        ["app/bare", "", f"{ratio:.2f}x", f"{min(times_s['app']) / min(times_s['bare']):.2f}x"],
    ]
    return {
        "status": "PASS" if ok else "FAIL",
        "headline": (f"app/bare {ratio:.2f}x (target <= {TARGET_RATIO}x), app {app_med:.2f} s median "
                     f"(target < {TARGET_SECONDS:g} s)"),
        "title": f"print plan {base.code} repeated x{times} to ~{TARGET_PAGES} pages",
        "table": {"columns": ["case", "pages", "median", "min"], "rows": rows},
        "notes": [f"{repeat} runs per side after one warm-up each, interleaved; {len(strings)} strings, "
                  f"{len(doc.actions)} actions, {len(doc.sections)} sections."],
        "times_s": times_s,
        "pages": out_pages,
        "plan": base.code,
        "repeated": times,
    }
