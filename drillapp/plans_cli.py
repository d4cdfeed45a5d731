"""`drillapp plans ...`: import and export plan files, list the plans, print a plan version to PDF."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from drillapp.cli_output import print_rows
from drillapp.i18n import _


def add_parser(sub: Any) -> None:
    from drillapp.models.enums import Agency

    plans = sub.add_parser("plans", help="joint contingency plans: import and export plan files, list, print")
    plans_sub = plans.add_subparsers(dest="plans_command", metavar="<import|export|list|print>", required=True)
    imp = plans_sub.add_parser("import", help="import plan files (YAML, docs/plan-format.md); each file all or nothing")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.add_argument("--port", metavar="CODE", default=argparse.SUPPRESS,
                     help="the port to import into (default: the --port before the command, else the default port)")
    exp = plans_sub.add_parser("export", help="write a plan version as a plan file")
    exp.add_argument("plan", metavar="ID", help="the plan's id or code")
    exp.add_argument("--out", required=True, metavar="FILE", help="the file to write (- for standard output)")
    exp.add_argument("--version", type=int, metavar="N", help="the version number (default: the newest)")
    lst = plans_sub.add_parser("list", help="list the plans at their version in force, with a newer draft beside it")
    lst.add_argument("--json", action="store_true", help="print a JSON array of objects")
    lst.add_argument("--search", default="", help="only plans whose code or title contains this text")
    prt = plans_sub.add_parser("print", help="print a plan version (or one agency's checklist) to PDF")
    prt.add_argument("plan", metavar="ID", help="the plan's id or code")
    prt.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    prt.add_argument("--agency", choices=[a.value for a in Agency], help="only this agency's actions")
    prt.add_argument("--level", type=int, choices=[1, 2, 3, 4], help="only the actions at this response level")
    prt.add_argument("--version", type=int, metavar="N", help="the version number (default: the one in force, else the newest)")


def run(world: Any, args: argparse.Namespace) -> int:
    """The `plans` commands; returns the exit status (an import goes on past a bad file, then fails)."""
    from drillapp.services.errors import DomainError
    from drillapp.services.plan_import import PlanImportService

    service = PlanImportService(world.db, world.actor, world.services.clock, world.services.scope)
    if args.plans_command == "import":
        port_id = service.import_port(args.port)
        failed = 0
        for path in args.files:
            try:
                result = service.import_file(path, port_id)
            except DomainError as exc:
                print(f"drillapp: {exc.message}", file=sys.stderr)
                failed += 1
                continue
            print(result.message())
            for line in result.report_lines():
                print(line)
            for warning in result.warnings():
                print("drillapp: " + _("warning: {message}").format(message=warning), file=sys.stderr)
        return 1 if failed else 0
    if args.plans_command == "export":
        plan_id = service.find_plan(args.plan)
        if args.out == "-":
            sys.stdout.write(service.export_text(plan_id, args.version))
        else:
            out = service.export_file(plan_id, args.out, args.version)
            print(_("Plan {plan} written to {path}").format(plan=args.plan, path=out))
    elif args.plans_command == "list":
        from drillapp.services.lists import SOURCES

        keys = ["id"] + [c.key for c in SOURCES["plans"].columns]
        rows = []
        offset, page = 0, 500
        while True:
            batch = world.services.lists.page("plans", args.search, offset, page)
            for row in batch:
                r = dict(zip(keys, row, strict=True))
                rows.append({"id": r["id"], "code": r["code"], "title": r["title_zh"], "title_en": r["title_en"],
                             "scenario": r["scenario"], "status": r["status"], "version": r["version"],
                             "draft": r["draft"], "review_due_on": r["review_due_on"]})
            if len(batch) < page:
                break
            offset += page
        print_rows(rows, args.json)
    elif args.plans_command == "print":
        from drillapp.models.enums import Agency
        from drillapp.reports.plan_pdf import write_plan_pdf

        plan_id = service.find_plan(args.plan)
        out = write_plan_pdf(world.services.plans.print_document(plan_id, args.version), args.out,
                             agency=Agency(args.agency) if args.agency else None, level=args.level)
        print(_("Plan printed to {path}").format(path=out))
    return 0
