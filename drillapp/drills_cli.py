"""`drillapp drills ...`: the drill programme from the command line, on the current port (--port).

Times given and printed are the port's, ISO with their UTC offset (a time without an offset is read as the
port's wall clock). Each command prints a one-line error and exits 1 on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from drillapp.clock import from_local, iso
from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import DrillKind
from drillapp.services.errors import ValidationError

KINDS = [k.value for k in DrillKind]


def add_parser(sub: Any) -> None:
    drills = sub.add_parser("drills", help="the drill programme: add, list, move, cancel, calendar, coverage, "
                            "proposal, scenario scripts, briefings")
    ds = drills.add_subparsers(dest="drills_command", metavar="<command>", required=True)
    add = ds.add_parser("add", help="schedule a drill (or a series with --rrule); prints the new drill's id")
    add.add_argument("--plan", required=True, metavar="ID", help="the plan's id or code")
    add.add_argument("--kind", required=True, choices=KINDS)
    add.add_argument("--start", dest="start_at", required=True, metavar="ISO-DATETIME",
                     help="e.g. 2027-04-13T09:30+08:00 (without an offset: the port's time)")
    add.add_argument("--level", type=int, choices=[1, 2, 3, 4])
    add.add_argument("--title", help="default: the plan's title and the kind")
    add.add_argument("--duration", type=int, default=None, metavar="MINUTES")
    add.add_argument("--rrule", metavar="RULE", help="repeat by an RFC 5545 rule, e.g. FREQ=MONTHLY;BYDAY=2TU")
    add.add_argument("--count", type=int, metavar="N", help="with --rrule: how many occurrences")
    add.add_argument("--skip-blocked", action="store_true",
                     help="with --rrule: leave out occurrences in the port's blocked periods (else refused)")
    lst = ds.add_parser("list", help="the drills (one per occurrence)")
    lst.add_argument("--from", dest="from_day", type=date.fromisoformat, metavar="DATE")
    lst.add_argument("--to", dest="to_day", type=date.fromisoformat, metavar="DATE")
    lst.add_argument("--json", action="store_true")
    move = ds.add_parser("move", help="move a drill (one occurrence of a series) to another time")
    move.add_argument("id", type=int, metavar="ID")
    move.add_argument("--start", dest="start_at", required=True, metavar="ISO-DATETIME")
    move.add_argument("--reason", default="")
    move.add_argument("--postpone", action="store_true", help="postponed (a later time; give --reason)")
    cancel = ds.add_parser("cancel", help="cancel a drill (one occurrence of a series)")
    cancel.add_argument("id", type=int, metavar="ID")
    cancel.add_argument("--reason", default="")
    ics = ds.add_parser("ics", help="write the programme as an iCalendar file")
    ics.add_argument("--out", required=True, type=Path, metavar="FILE")
    ics.add_argument("--from", dest="from_day", type=date.fromisoformat, metavar="DATE")
    ics.add_argument("--to", dest="to_day", type=date.fromisoformat, metavar="DATE")
    cov = ds.add_parser("coverage", help="plan × level × branch: last exercised, next due, overdue, scheduled")
    cov.add_argument("--json", action="store_true")
    prop = ds.add_parser("propose", help="propose the year's programme (CP-SAT); --accept makes the drills")
    prop.add_argument("--year", type=int, required=True)
    prop.add_argument("--live", type=int, required=True, metavar="N")
    prop.add_argument("--tabletop", type=int, required=True, metavar="N")
    prop.add_argument("--blocked", action="append", default=[], metavar="FROM..TO",
                      help="days kept free besides the port calendar's blocked periods (repeatable)")
    prop.add_argument("--max-per-month", type=int, default=2, metavar="N")
    prop.add_argument("--min-gap-days", type=int, default=7, metavar="N")
    prop.add_argument("--weekdays", default="1-5", metavar="DAYS", help="allowed weekdays, 1 = Monday (default 1-5)")
    prop.add_argument("--time-limit", type=float, default=6.0, metavar="SECONDS")
    prop.add_argument("--json", action="store_true")
    prop.add_argument("--accept", action="store_true", help="make every proposed drill (one operation)")
    msel = ds.add_parser("msel", help="a drill's scenario script (MSEL) as a .csv or .xlsx sheet")
    ms = msel.add_subparsers(dest="msel_command", metavar="<import|export>", required=True)
    for name, text in (("import", "replace the drill's injects with the sheet's (all or nothing)"),
                       ("export", "write the drill's injects to a sheet")):
        p = ms.add_parser(name, help=text)
        p.add_argument("id", type=int, metavar="ID")
        p.add_argument("file", type=Path, metavar="FILE")
    brief = ds.add_parser("briefing", help="print a drill's briefing to PDF")
    brief.add_argument("id", type=int, metavar="ID")
    brief.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    brief.add_argument("--controllers", action="store_true", help="the controllers' copy, with the scenario script")
    prog = ds.add_parser("programme", help="print the year's programme to PDF (A4 landscape)")
    prog.add_argument("--year", type=int, required=True)
    prog.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")


def parse_time(text: str, option: str = "--start") -> datetime:
    """A stored (UTC) time from ISO text: with an offset as given, without one as the port's wall clock."""
    try:
        value = datetime.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise ValidationError(_("{option} must be a date and time like 2027-04-13T09:30+08:00.").format(
            option=option), option.strip("-")) from None
    if not 1900 <= value.year <= 2999:
        raise ValidationError(_("{option} must be a day between {first} and {last}.").format(
            option=option, first="1900-01-01", last="2999-12-31"), option.strip("-"))
    return from_local(value)


def _range(text: str) -> tuple[date, date]:
    first, sep, last = text.partition("..")
    try:
        if not sep:
            raise ValueError(text)
        return date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
    except ValueError:
        raise ValidationError(_("--blocked must be FROM..TO, e.g. 2027-02-10..2027-02-16."), "blocked") from None


def _weekdays(text: str) -> frozenset[int]:
    out: set[int] = set()
    try:
        for part in text.replace(" ", "").split(","):
            a, sep, b = part.partition("-")
            lo, hi = int(a), int(b) if sep else int(a)
            if not 1 <= lo <= hi <= 7:
                raise ValueError(part)
            out |= set(range(lo - 1, hi))
    except ValueError:
        raise ValidationError(_("--weekdays must be days 1-7 (1 = Monday), e.g. 1-5 or 1,3,5."), "weekdays") from None
    return frozenset(out)


def _print(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for r in rows:
        print("\t".join("" if v is None else str(v) for v in r.values()))


def run(world: Any, args: argparse.Namespace) -> int:
    sv = world.services
    command = args.drills_command
    if command == "add":
        return _add(world, args)
    if command == "list":
        first = args.from_day or date(1900, 1, 1)
        last = args.to_day or date(2999, 12, 30)
        if last < first:
            raise ValidationError(_("--to must not be before --from."), "to")
        sv.port_calendar.require_port()
        rows = [{"id": d.id, "title": d.title, "kind": d.kind.value, "plan_id": d.plan_id, "level": d.level,
                 "start": iso(d.start), "end": iso(d.end), "status": d.status.value, "series_id": d.series_id,
                 "location": d.location} for d in sv.drills.drills_between(first, last)]
        _print(rows, args.json)
        return 0
    if command == "move":
        from drillapp.models import Drill

        # the command line shows nothing first: the version it passes is the one it reads a moment before
        sv.drills.move_drill(args.id, parse_time(args.start_at), reason=args.reason, postpone=args.postpone,
                             expected_version=sv.drills.version_of(Drill, args.id))
        print(_("Drill {id} moved to {time}.").format(id=args.id, time=iso(parse_time(args.start_at))))
        return 0
    if command == "cancel":
        from drillapp.models import Drill

        sv.drills.cancel_drill(args.id, args.reason, expected_version=sv.drills.version_of(Drill, args.id))
        print(_("Drill {id} cancelled.").format(id=args.id))
        return 0
    if command == "ics":
        out = sv.drill_calendar.write_ics(args.out, args.from_day, args.to_day)
        print(_("Calendar written to {path}").format(path=out))
        return 0
    if command == "coverage":
        matrix = sv.coverage.matrix()
        rows = [{"plan_id": c.plan_id, "plan_code": c.plan_code, "level": c.level, "branch": c.agency.value,
                 "last_exercised": c.last_exercised.isoformat() if c.last_exercised else None,
                 "by_incident": c.by_incident, "due": c.due.isoformat(), "overdue": c.overdue,
                 "due_soon": c.due_soon, "scheduled": list(c.scheduled)} for c in matrix.cells]
        _print(rows, args.json)
        return 0
    if command == "propose":
        return _propose(world, args)
    if command == "msel":
        if args.msel_command == "export":
            out = sv.msel.export_file(args.id, args.file)
            print(_("Scenario script written to {path}").format(path=out))
            return 0
        report = sv.msel.check(args.id, args.file)
        if report.problems:
            for line in report.lines():
                print(line)
            print(f"drillapp: {report.message()}", file=sys.stderr)
            return 1
        print(sv.msel.import_file(args.id, args.file).message())
        return 0
    if command == "briefing":
        from drillapp.reports.drill_pdf import write_briefing

        out = write_briefing(sv.drill_calendar.briefing(args.id), args.out, sv.clock(), controllers=args.controllers)
        print(_("Briefing printed to {path}").format(path=out))
        return 0
    from drillapp.reports.drill_pdf import write_year_programme

    if not 1900 <= args.year <= 2999:
        raise ValidationError(_("The year must be between 1900 and 2999."), "year")
    out = write_year_programme(sv.drill_calendar.year_programme(args.year), args.out, sv.clock())
    print(_("Programme printed to {path}").format(path=out))
    return 0


def _add(world: Any, args: argparse.Namespace) -> int:
    from drillapp.services.drill_series import Decision, SeriesSpec
    from drillapp.services.plan_import import PlanImportService
    from drillapp.services.programme import DURATION

    sv = world.services
    port_id = sv.port_calendar.require_port()
    plan_id = PlanImportService(world.db, world.actor, sv.clock, sv.scope).find_plan(args.plan)
    kind = DrillKind(args.kind)
    start = parse_time(args.start_at)
    duration = args.duration if args.duration is not None else DURATION[kind]
    title = args.title
    if title is None:
        plan = sv.plans.current_document(plan_id)
        title = f"{plan.title_zh}（{label(kind)}）"
    if args.rrule is None:
        if args.count is not None or args.skip_blocked:
            raise ValidationError(_("--count and --skip-blocked go with --rrule."), "count")
        drill_id = sv.drills.schedule_drill(port_id, title, kind, start, plan_id=plan_id, level=args.level,
                                            duration_minutes=duration)
        print(drill_id)
        return 0
    from drillapp.clock import to_local

    spec = SeriesSpec(title, kind, args.rrule, to_local(start), duration, plan_id=plan_id, level=args.level,
                      count=args.count)
    decisions = {}
    if args.skip_blocked:
        decisions = {o.local_start: Decision(skip=True) for o in sv.series.preview(spec).conflicts}
    _series, drill_ids = sv.series.create_series(spec, decisions)
    print(drill_ids[0])
    return 0


def _propose(world: Any, args: argparse.Namespace) -> int:
    from drillapp.services.programme import Acceptance, ProgrammeRequest

    sv = world.services
    request = ProgrammeRequest(args.year, args.live, args.tabletop, tuple(_range(b) for b in args.blocked),
                               args.max_per_month, _weekdays(args.weekdays), args.min_gap_days, args.time_limit)
    proposal = sv.programme.propose(request)
    rows = [{"start": iso(d.start), "kind": d.kind.value, "plan_id": d.plan_id, "plan_code": d.plan_code,
             "level": d.level, "branches": [a.value for a in d.branches], "cells": len(d.cells), "reason": d.reason}
            for d in proposal.drills]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for r in rows:
            print(f"{r['start']}\t{r['kind']}\t{r['plan_code']}\t{r['level']}\t{r['reason']}")
    for note in proposal.notes:
        print(f"drillapp: {note}", file=sys.stderr)
    print("drillapp: " + _("{covered} of {due} due cells covered; {uncovered} left uncovered ({seconds:.1f} s).").format(
        covered=proposal.covered_cells, due=proposal.due_cells, uncovered=len(proposal.uncovered),
        seconds=proposal.seconds), file=sys.stderr)
    for cell in proposal.uncovered:
        print(f"drillapp: uncovered {cell.plan_code} L{cell.level} {cell.agency.value} due {cell.due}: {cell.why}",
              file=sys.stderr)
    if args.accept and proposal.drills:
        ids = sv.programme.accept([Acceptance(d) for d in proposal.drills])
        print(_("Accepted: drills {ids}").format(ids=", ".join(str(i) for i in ids)))
    return 0
