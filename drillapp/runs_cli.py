"""The drill console and the review without the window: `drillapp runs ...`, `drillapp log verify`,
`drillapp reviews ...`, `drillapp actions list`.

Times given (`--at`) are the port's local time, or ISO with an offset; times printed are the port's with their
offset. `runs start` starts any planned drill whatever its date (the command line does not ask).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from drillapp.clock import from_local, iso
from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import ActionStatus, Agency, ItemState, LogKind

STATES = {"done": ItemState.DONE, "na": ItemState.NOT_APPLICABLE, "skipped": ItemState.SKIPPED,
          "open": ItemState.OPEN}
BRANCHES = [a.value for a in Agency]


def _at(value: str | None) -> datetime | None:
    """--at: the port's local time (2027-04-30T09:42) or ISO with an offset, as stored (naive UTC)."""
    if value is None:
        return None
    from drillapp.services.errors import ValidationError

    try:
        return from_local(datetime.fromisoformat(value.strip()))
    except (ValueError, OverflowError):
        raise ValidationError(_("--at must be a date and time like 2026-03-02T09:00."), "at") from None


def add_parsers(sub: Any) -> None:
    runs = sub.add_parser("runs", help="drill runs: start, show, tick, log, end, print")
    runs_sub = runs.add_subparsers(dest="runs_command", metavar="<start|unplanned|show|tick|log|end|print>",
                                   required=True)
    start = runs_sub.add_parser("start", help="start a planned drill (whatever its date); prints the run's id")
    start.add_argument("drill", type=int, metavar="DRILL_ID")
    unplanned = runs_sub.add_parser("unplanned", help="start an unplanned drill of a plan at a level; prints the run's id")
    unplanned.add_argument("plan", metavar="PLAN", help="the plan's id or code")
    unplanned.add_argument("--level", type=int, choices=[1, 2, 3, 4], help="the response level")
    unplanned.add_argument("--tabletop", action="store_true", help="a tabletop (default: live)")
    show = runs_sub.add_parser("show", help="the run: status, checklist with times against targets, log")
    show.add_argument("run", type=int, metavar="RUN_ID")
    show.add_argument("--json", action="store_true", help="print a JSON object")
    tick = runs_sub.add_parser("tick", help="mark a checklist item done, not applicable, skipped (with --note as the "
                               "reason) or open again")
    tick.add_argument("run", type=int, metavar="RUN_ID")
    tick.add_argument("item", type=int, metavar="ITEM_ID")
    tick.add_argument("--state", choices=sorted(STATES), default="done")
    tick.add_argument("--note", default="", metavar="T", help="a note (for skipped: why)")
    tick.add_argument("--at", metavar="ISO", help="when it happened, if earlier (local time, or ISO with offset)")
    log = runs_sub.add_parser("log", help="add a line to the run's log")
    log.add_argument("run", type=int, metavar="RUN_ID")
    log.add_argument("text", metavar="TEXT")
    log.add_argument("--branch", choices=BRANCHES, metavar="B", help="the branch it is about: " + ", ".join(BRANCHES))
    log.add_argument("--kind", choices=[k.value for k in LogKind if k not in (LogKind.PAUSE, LogKind.RESUME)],
                     default=LogKind.NOTE.value)
    log.add_argument("--at", metavar="ISO", help="when it happened, if earlier (local time, or ISO with offset)")
    end = runs_sub.add_parser("end", help="end the drill (its checklist and log close)")
    end.add_argument("run", type=int, metavar="RUN_ID")
    prt = runs_sub.add_parser("print", help="the completed run record, or with --blank the blank checklist, as PDF")
    prt.add_argument("run", type=int, nargs="?", metavar="RUN_ID")
    prt.add_argument("--drill", type=int, metavar="DRILL_ID", help="with --blank: the drill's (no run needed)")
    prt.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    prt.add_argument("--blank", action="store_true", help="the blank checklist for posts without a PC")

    log_cmd = sub.add_parser("log", help="the drill and incident logs' hash chains")
    log_sub = log_cmd.add_subparsers(dest="log_command", metavar="<verify>", required=True)
    verify = log_sub.add_parser("verify", help="check a run's log: 'intact' (exit 0) or the first record that breaks "
                                "its chain (exit 1)")
    verify.add_argument("run", type=int, nargs="?", metavar="RUN_ID")
    verify.add_argument("--incident", type=int, metavar="ID", help="an incident's log instead")
    verify.add_argument("--json", action="store_true")

    reviews = sub.add_parser("reviews", help="after-action reviews: create from a run, print")
    reviews_sub = reviews.add_subparsers(dest="reviews_command", metavar="<create|print>", required=True)
    create = reviews_sub.add_parser("create", help="the review of a finished run (the one it has, or a new one); "
                                    "prints its id")
    create.add_argument("run", type=int, metavar="RUN_ID")
    rprint = reviews_sub.add_parser("print", help="the AAR/IP as PDF (a draft is marked DRAFT)")
    rprint.add_argument("review", type=int, metavar="ID")
    rprint.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")

    actions = sub.add_parser("actions", help="corrective actions across the reviews")
    actions_sub = actions.add_subparsers(dest="actions_command", metavar="<list>", required=True)
    alist = actions_sub.add_parser("list", help="list the corrective actions")
    alist.add_argument("--json", action="store_true")
    alist.add_argument("--overdue", action="store_true", help="only those past their due date, still open")
    alist.add_argument("--branch", choices=BRANCHES, metavar="B", help="only this branch's")
    alist.add_argument("--status", choices=[s.value for s in ActionStatus])


def _minutes(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _show(world: Any, args: argparse.Namespace) -> int:
    from drillapp.services import run_clock
    from drillapp.services.measures import measure_all

    snap = world.services.console.snapshot(args.run, log_limit=None)
    measures = {m.item_id: m for m in measure_all(snap.started_at, snap.pauses, snap.items, snap.level,
                                                  snap.ended_at)}
    now = world.services.clock()
    elapsed = run_clock.elapsed_minutes(snap.started_at, snap.pauses, now, snap.ended_at)
    items = [{"id": i.id, "agency": i.agency.value, "phase": i.phase.value if i.phase else None, "text": i.text,
              "target_minutes": i.target_minutes, "state": i.state.value, "done_at": iso(i.done_at),
              "recorded_at": iso(i.recorded_at), "minutes_taken": _minutes(measures[i.id].minutes_taken),
              "late": measures[i.id].late, "report_due": i.report_due.value if i.report_due else None,
              "note": i.note, "reason": i.reason} for i in snap.items]
    log = [{"id": e.id, "at": iso(e.at), "recorded_at": iso(e.recorded_at), "author": e.author,
            "kind": e.kind.value, "branch": e.agency.value if e.agency else None, "text": e.text,
            "corrects": e.corrects_id} for e in snap.log]
    paused = run_clock.paused_now(snap.pauses) is not None and snap.ended_at is None
    if args.json:
        print(json.dumps({"id": snap.run_id, "drill_id": snap.drill_id, "title": snap.drill_title,
                          "kind": snap.drill_kind.value, "level": snap.level, "status": snap.status.value,
                          "paused": paused, "started_at": iso(snap.started_at), "ended_at": iso(snap.ended_at),
                          "elapsed_minutes": _minutes(elapsed), "items": items, "log": log},
                         ensure_ascii=False, indent=1))
        return 0
    state = label(snap.status) + (" · " + _("paused") if paused else "")
    print(f"{snap.run_id}\t{snap.drill_title}\t{state}\t{iso(snap.started_at)}\t"
          + _("{minutes:.0f} min").format(minutes=elapsed))
    for i in items:
        taken = "" if i["minutes_taken"] is None else f"{i['minutes_taken']:.1f}"
        target = "" if i["target_minutes"] is None else str(i["target_minutes"])
        late = "!" if i["late"] else ""
        print(f"{i['id']}\t{label(Agency(i['agency']))}\t{i['state']}\t{target}\t{taken}{late}\t{i['text']}")
    for e in log:
        print(f"{e['at']}\t{e['author']}\t{e['text']}")
    return 0


def _print(world: Any, args: argparse.Namespace) -> int:
    from drillapp.reports import run_pdf
    from drillapp.services.errors import DomainError

    console = world.services.console
    if args.blank:
        drill_id = args.drill
        if drill_id is None:
            if args.run is None:
                raise DomainError(_("Give a run (RUN_ID) or a drill (--drill DRILL_ID) for the blank checklist."))
            drill_id = console.snapshot(args.run, log_limit=1).drill_id
        out = run_pdf.write_blank_checklist(console.blank_checklist(drill_id), args.out)
        print(_("Blank checklist printed to {path}").format(path=out))
        return 0
    if args.run is None:
        raise DomainError(_("Give the run to print (RUN_ID)."))
    out = run_pdf.write_run_record(world.services.review_docs.record(args.run), args.out)
    print(_("Run record printed to {path}").format(path=out))
    return 0


def _plan_id(world: Any, plan: str) -> int:
    from drillapp.services.plan_import import PlanImportService

    service = PlanImportService(world.db, world.actor, world.services.clock, world.services.scope)
    return service.find_plan(plan)


def _runs(world: Any, args: argparse.Namespace) -> int:
    from drillapp.models.enums import DrillKind
    from drillapp.services.errors import NotFoundError

    runs = world.services.runs
    command = args.runs_command
    if command == "start":
        print(runs.start_run(args.drill, confirm_early=True))
    elif command == "unplanned":
        print(runs.start_unplanned(_plan_id(world, args.plan), args.level,
                                   kind=DrillKind.TABLETOP if args.tabletop else DrillKind.LIVE))
    elif command == "show":
        return _show(world, args)
    elif command == "tick":
        snap = world.services.console.snapshot(args.run, log_limit=1)
        if args.item not in {i.id for i in snap.items}:
            raise NotFoundError(_("Item {item} is not on the checklist of run {run}.").format(item=args.item,
                                                                                           run=args.run))
        from drillapp.models import ChecklistEntry

        state = STATES[args.state]
        result = runs.tick(args.item, state, note="" if state is ItemState.SKIPPED else args.note,
                           reason=args.note if state is ItemState.SKIPPED else "", happened_at=_at(args.at),
                           expected_version=runs.version_of(ChecklistEntry, args.item))
        print(_("Item {item}: {state} at {time}").format(item=args.item, state=args.state,
                                                          time=iso(result.happened_at or result.recorded_at)))
    elif command == "log":
        entry = runs.add_log_entry(args.text, drill_run_id=args.run, kind=LogKind(args.kind),
                                   agency=Agency(args.branch) if args.branch else None, happened_at=_at(args.at))
        print(entry)
    elif command == "end":
        runs.end_run(args.run)
        print(_("Run {run} ended.").format(run=args.run))
    elif command == "print":
        return _print(world, args)
    return 0


def _log_verify(world: Any, args: argparse.Namespace) -> int:
    from drillapp.services.errors import DomainError

    if (args.run is None) == (args.incident is None):
        raise DomainError(_("Give a run (RUN_ID) or an incident (--incident ID), one of them."))
    report = world.services.console.verify_log(args.run, incident_id=args.incident)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    elif report.intact:
        print(_("intact") + " — " + report.message())
    if not report.intact and not args.json:
        print(f"drillapp: {report.message()}", file=sys.stderr)
    return 0 if report.intact else 1


def _reviews(world: Any, args: argparse.Namespace) -> int:
    if args.reviews_command == "create":
        print(world.services.reviews.create_from_run(args.run))
        return 0
    from drillapp.reports import aar_pdf

    out = aar_pdf.write_aar(world.services.review_docs.document(args.review), args.out)
    print(_("After-action report printed to {path}").format(path=out))
    return 0


def _actions(world: Any, args: argparse.Namespace) -> int:
    from drillapp.services.action_tracker import ActionFilter

    rows = world.services.tracker.actions(ActionFilter(
        overdue=args.overdue, agency=Agency(args.branch) if args.branch else None,
        status=ActionStatus(args.status) if args.status else None))
    out = [{"id": a.id, "text": a.text, "capability": a.capability.value if a.capability else None,
            "branch": a.agency.value if a.agency else None, "owner": a.owner_name,
            "start_on": a.start_on.isoformat() if a.start_on else None,
            "due_on": a.due_on.isoformat() if a.due_on else None, "status": a.status.value, "overdue": a.overdue,
            "review_id": a.review_id, "finding": a.finding_text, "plan": a.plan_code or None,
            "revision": a.revision_number, "evidence": a.evidence, "verified_by": a.verified_by or None}
           for a in rows]
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        for a in rows:
            due = a.due_on.isoformat() if a.due_on else "-"
            mark = " !" if a.overdue else ""
            print(f"{a.id}\t{due}{mark}\t{label(a.status)}\t{label(a.agency)}\t{a.owner_name}\t{a.text}")
    return 0


def run(world: Any, args: argparse.Namespace) -> int:
    if args.command == "runs":
        return _runs(world, args)
    if args.command == "log":
        return _log_verify(world, args)
    if args.command == "reviews":
        return _reviews(world, args)
    return _actions(world, args)
