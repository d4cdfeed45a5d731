"""`drillapp members ...` (import and export member sheets) and `drillapp oncall ...` (the call-out list, the
roster grid and a member's duties as PDFs)."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from drillapp.i18n import _


def add_members_parser(sub: Any) -> None:
    members = sub.add_parser("members", help="team members: import and export sheets (CSV, XLSX)")
    members_sub = members.add_subparsers(dest="members_command", metavar="<import|export>", required=True)
    imp = members_sub.add_parser("import", help="import members from a .csv or .xlsx sheet; all or nothing")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--port", metavar="CODE", default=argparse.SUPPRESS,
                     help="the port to import into (default: the --port before the command, else the default port)")
    imp.add_argument("--check", action="store_true", help="only check the sheet and list its problems")
    choice = imp.add_mutually_exclusive_group()
    choice.add_argument("--keep-app", action="store_true",
                        help="for rows changed in the app since the sheet was exported: keep the app's values")
    choice.add_argument("--take-sheet", action="store_true",
                        help="for rows changed in the app since the sheet was exported: take the sheet's values")
    exp = members_sub.add_parser("export", help="write the members of a port to a .csv or .xlsx sheet")
    exp.add_argument("--out", required=True, type=Path, metavar="FILE")
    exp.add_argument("--port", metavar="CODE", default=argparse.SUPPRESS,
                     help="the port (default: the --port before the command, else the default port)")


def run_members(world: Any, args: argparse.Namespace) -> int:
    """The `members` commands; an import or check with problems prints one line per problem and exits 1, and
    so does one with rows changed in the app since the sheet was exported, unless --keep-app or --take-sheet
    says what to do with them."""
    from drillapp.services.member_import import MemberImportService, Resolution

    service = MemberImportService(world.db, world.actor, world.services.clock, world.services.scope)
    port_id = service.import_port(args.port)
    if args.members_command == "export":
        out = service.export(port_id, args.out)
        print(_("Members written to {path}").format(path=out))
        return 0
    resolution = Resolution.KEEP_APP if args.keep_app else Resolution.TAKE_SHEET if args.take_sheet else None
    report = service.check(args.file, port_id, resolution)
    if report.problems:
        for line in report.lines():
            print(line)
        print(f"drillapp: {report.message()}", file=sys.stderr)
        return 1
    if report.unresolved:
        for line in report.conflict_lines():
            print(line)
        print("drillapp: " + _("{message} (Run again with --keep-app or --take-sheet.)").format(
            message=report.message()), file=sys.stderr)
        return 1
    if not args.check:
        report = service.import_file(args.file, port_id, resolution)
    print(report.message())
    return 0


def add_oncall_parser(sub: Any) -> None:
    oncall = sub.add_parser("oncall", help="who is on call: print the call-out list, the roster grid, a member's duties")
    oc_sub = oncall.add_subparsers(dest="oncall_command", metavar="<print|roster-pdf>", required=True)
    prt = oc_sub.add_parser("print", help="print the call-out list of the current and next shift to PDF")
    prt.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    prt.add_argument("--at", metavar="ISO", help="the moment (local time, e.g. 2026-03-02T09:00; default: now)")
    grid = oc_sub.add_parser("roster-pdf", help="print the published roster of a period (or one member's duties)")
    grid.add_argument("--from", dest="start", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD")
    grid.add_argument("--to", dest="end", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD",
                      help="the last day, included")
    grid.add_argument("--member", type=int, metavar="ID", help="only this member's duties")
    grid.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")


def run_oncall(world: Any, args: argparse.Namespace) -> int:
    from drillapp.clock import from_local
    from drillapp.reports import roster_pdf
    from drillapp.services.errors import ValidationError

    service = world.services.oncall
    if args.oncall_command == "print":
        from drillapp.cli_checks import FIRST_DAY, LAST_DAY

        try:
            local = datetime.fromisoformat(args.at) if args.at is not None else None
            if local is not None and not FIRST_DAY <= local.date() <= LAST_DAY:
                raise ValueError(args.at)
            at = from_local(local) if local is not None else None
        except (ValueError, OverflowError):
            raise ValidationError(_("--at must be a date and time like 2026-03-02T09:00.") + " " + _(
                "{option} must be a day between {first} and {last}.").format(
                option="--at", first=FIRST_DAY, last=LAST_DAY), "at") from None
        out = roster_pdf.write_callout_list(service.callout_list(at), args.out)
        print(_("Call-out list printed to {path}").format(path=out))
        return 0
    if args.end < args.start:
        raise ValidationError(_("--to must not be before --from."), "to")
    if args.member is not None:  # --from and --to: the first and last day, both included
        out = roster_pdf.write_member_duties(service.duties_sheet(args.member, args.start, args.end), args.out)
    else:
        out = roster_pdf.write_roster_grid(service.roster_sheet(args.start, args.end), args.out)
    print(_("Roster printed to {path}").format(path=out))
    return 0
