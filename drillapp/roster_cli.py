"""`drillapp roster list|solve|publish|print`: the port roster without the window (automation, cron, tests).

`roster bench` (the public benchmark) lives in roster/nrp.py and needs no database.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from drillapp.i18n import _
from drillapp.labels import label, solver_status_label


def add_parsers(roster_sub: Any) -> None:
    lst = roster_sub.add_parser("list", help="list the roster periods of a port")
    lst.add_argument("--json", action="store_true", help="print JSON")
    solve = roster_sub.add_parser("solve", help="solve a draft roster period and save it (prints the result, or why "
                                  "no roster can meet the rules: exit 1)")
    solve.add_argument("period", type=int, metavar="PERIOD_ID")
    solve.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS")
    solve.add_argument("--workers", type=int, default=2, metavar="N")
    solve.add_argument("--from-scratch", action="store_true", help="replace hand edits instead of keeping them")
    solve.add_argument("--isolated", action="store_true", help="search in a process of its own, as the desktop app "
                       "does")
    pub = roster_sub.add_parser("publish", help="publish a solved period (refused while it breaks a hard rule)")
    pub.add_argument("period", type=int, metavar="PERIOD_ID")
    prt = roster_sub.add_parser("print", help="print a period's roster grid (or one member's duties) to PDF")
    prt.add_argument("period", type=int, metavar="PERIOD_ID")
    prt.add_argument("--member", type=int, metavar="ID", help="only this member's duties")
    prt.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")


def run(world: Any, args: argparse.Namespace) -> int:
    roster = world.services.roster
    if args.roster_command == "list":
        port_id = world.services.oncall.default_port_id()
        rows = [{"id": p.id, "name": p.name, "from": p.starts_on.isoformat(), "to": p.ends_on.isoformat(),
                 "pattern": p.pattern.value, "status": p.status.value, "objective": p.objective, "bound": p.bound}
                for p in roster.periods(port_id)]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for p in roster.periods(port_id):
                print(f"{p.id}\t{p.name}\t{p.starts_on} – {p.ends_on}\t{label(p.pattern)}\t{label(p.status)}")
        return 0
    if args.roster_command == "solve":
        from drillapp.models import RosterPeriod

        outcome = roster.solve(args.period, time_limit=args.time_limit, workers=args.workers,
                               keep_manual=not args.from_scratch, isolate=args.isolated,
                               expected_version=roster.version_of(RosterPeriod, args.period))
        sol = outcome.solution
        if outcome.saved:
            print(_("Roster saved: {objective} points off the ideal (none can have fewer than {bound}), {status}, "
                    "{seconds:.1f} s").format(status=solver_status_label(sol.status), objective=sol.objective,
                                              bound=sol.bound, seconds=sol.seconds))
            return 0
        if outcome.shortfalls:
            print(_("No roster meets every requirement:"))
            for f in outcome.shortfalls:
                print(f"- {f.message}")
        else:
            print(_("No roster found within {s} s ({status}); give it more time.").format(
                s=args.time_limit, status=solver_status_label(sol.status)))
        return 1
    if args.roster_command == "publish":
        from drillapp.models import RosterPeriod

        roster.publish(args.period, roster.version_of(RosterPeriod, args.period))
        print(_("Roster {id} published.").format(id=args.period))
        return 0
    # print
    from drillapp.reports.roster_pdf import write_member_duties, write_roster_grid

    period = roster.period(args.period)  # its first and last day, both included
    if args.member is not None:
        out = write_member_duties(world.services.oncall.duties_sheet(
            args.member, period.starts_on, period.ends_on, period.port_id), args.out)
    else:
        out = write_roster_grid(world.services.oncall.roster_sheet(
            period.starts_on, period.ends_on, period.port_id, period.id), args.out)
    print(_("Roster printed to {path}").format(path=out))
    return 0
