"""The command line: `drillapp [--db URL] <command>`; with no command it starts the desktop app.

Every command exits 0 on success and non-zero with a one-line error on failure.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from drillapp import __version__
from drillapp.i18n import _, set_language

log = logging.getLogger("drillapp.cli")


def _add_global_options(parser: argparse.ArgumentParser, quick: bool = False) -> None:
    """The options before the command. `quick`: for `_desktop_args`, where --version must not act at once (it
    may be a command's own option further on, e.g. `plans export ... --version 0`)."""
    parser.add_argument("--db", metavar="URL", help="SQLAlchemy database URL (default: $DRILLAPP_DB or the SQLite file in your data folder)")
    parser.add_argument("--lang", choices=["system", "en", "zh_CN"], default=None,
                        help="language of messages (for the desktop app: this run only, over Settings)")
    parser.add_argument("--user", metavar="NAME", help="log in as NAME (default: $DRILLAPP_USER or your login name); "
                        "the password comes from $DRILLAPP_PASSWORD or is asked for")
    parser.add_argument("--port", metavar="CODE", help="the port to work on (default: $DRILLAPP_PORT or the "
                        "database's default port, the first one created); times given and printed are its own")
    if quick:
        parser.add_argument("--version", action="store_true")
    else:
        parser.add_argument("--version", action="version", version=f"drillapp {__version__}")
    parser.add_argument("--demo", action="store_true", help="with no command: load the demo port first if it is not there")
    parser.add_argument("--portable", action="store_true", help="keep the database, settings, logs and backups in "
                        "a data folder beside the executable (installed app only; a portable.txt there does the same)")


class _Undecided(Exception):
    """The quick look at the arguments cannot tell: the full parser decides (and words any error)."""


class _GlobalOptions(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # noqa: ARG002 - argparse's signature
        raise _Undecided


def _desktop_args(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The options of a desktop start (no command), read without building the commands' parsers, which import
    the database layer: the first window comes sooner (drillapp/ui/start.py). None: not clearly a desktop start
    (a command, --help, a mistake), so the full parser decides."""
    parser = _GlobalOptions(prog="drillapp", add_help=False)
    _add_global_options(parser, quick=True)
    try:
        args, rest = parser.parse_known_args(argv)
    except _Undecided:
        return None
    if rest or args.version:
        return None
    del args.version
    args.command = None
    return args


def build_parser() -> argparse.ArgumentParser:
    from drillapp.models.enums import Role

    parser = argparse.ArgumentParser(prog="drillapp", description="Joint contingency plans, drills and the rapid-response team of a border port.")
    _add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="<command>")

    demo = sub.add_parser("demo", help="create the demo port (four branches, ~60 members, plans, a year of drills)")
    demo.add_argument("--large", action="store_true", help="add 1,000 members, 200 plans, 5,000 drills and 100,000 log entries (benchmark)")

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", metavar="<upgrade|current>", required=True)
    from drillapp import db_cli

    db_cli.add_db_upgrade_arguments(db_sub.add_parser(
        "upgrade", help="upgrade the database to this version's schema, put back the audit trail's triggers and "
        "grant the app role its rights"))
    db_sub.add_parser("current", help="print the database's schema revision")

    backup = sub.add_parser("backup", help="copy the SQLite database to a file (safe while the app runs)")
    backup.add_argument("--out", required=True, type=Path, metavar="FILE")

    restore = sub.add_parser("restore", help="replace the SQLite database with a backup (the current one is kept beside it)")
    restore.add_argument("file", type=Path, metavar="FILE")

    lst = sub.add_parser("list", help="list records: plans, drills, members, incidents, reviews, actions, log, audit")
    from drillapp.services.lists import SOURCES

    lst.add_argument("source", choices=sorted(SOURCES))
    lst.add_argument("--search", default="", help="only rows containing this text")
    lst.add_argument("--limit", type=int, default=100)
    lst.add_argument("--json", action="store_true", help="print a JSON array of objects")

    db_cli.add_audit_parser(sub)

    rem = sub.add_parser("reminders", help="generate the reminders the data calls for and list the open ones")
    rem.add_argument("--json", action="store_true")

    _plans_parser(sub)
    from drillapp import runs_cli

    runs_cli.add_parsers(sub)
    _members_parser(sub)
    _roster_parser(sub)
    _oncall_parser(sub)
    from drillapp import drills_cli

    drills_cli.add_parser(sub)
    from drillapp import incidents_cli

    incidents_cli.add_parser(sub)

    users = sub.add_parser("users", help="user accounts (administrator)")
    users_sub = users.add_subparsers(dest="users_command", metavar="<list|add|reset-password|unlock>", required=True)
    users_list = users_sub.add_parser("list", help="list the users")
    users_list.add_argument("--json", action="store_true")
    users_add = users_sub.add_parser("add", help="add a user; the password comes from $DRILLAPP_NEW_PASSWORD or is asked for")
    users_add.add_argument("name")
    users_add.add_argument("--role", required=True, choices=[r.value for r in Role])
    users_add.add_argument("--display-name", default="")
    users_reset = users_sub.add_parser("reset-password", help="set a new password for a user (lifts a lock-out)")
    users_reset.add_argument("name")
    users_unlock = users_sub.add_parser("unlock", help="lift a user's lock-out after failed log-ins, at once")
    users_unlock.add_argument("name")
    return parser


def _plans_parser(sub: Any) -> None:
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


def _members_parser(sub: Any) -> None:
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


def _oncall_parser(sub: Any) -> None:
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


def _oncall(world: Any, args: argparse.Namespace) -> int:
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


def _roster_parser(sub: Any) -> None:
    roster = sub.add_parser("roster", help="on-call rosters and the roster engine")
    roster_sub = roster.add_subparsers(dest="roster_command", metavar="<command>", required=True)
    bench = roster_sub.add_parser("bench", help="solve a nurse-rostering benchmark instance with the roster engine; "
                                  "prints objective=N bound=M status=S seconds=T")
    bench.add_argument("instance", type=Path, metavar="INSTANCE.txt")
    bench.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS")
    bench.add_argument("--out", required=True, type=Path, metavar="SOLUTION.csv")
    bench.add_argument("--workers", type=int, default=2, metavar="N", help="solver threads (default: 2)")
    from drillapp import roster_cli

    roster_cli.add_parsers(roster_sub)


def _members(world: Any, args: argparse.Namespace) -> int:
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


def _ask(prompt: str, env: str) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        from drillapp.services.errors import DomainError

        raise DomainError(_("No password given: set {env} or run in a terminal to be asked.").format(env=env))
    import getpass

    return getpass.getpass(prompt)


def _plain(value: Any) -> Any:
    """A value for printing: enums by value, stored (UTC) times as the port's time with its offset
    (2027-04-30T09:30:00+08:00), dates as they are."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        from drillapp.clock import iso

        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _print_rows(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        import json

        print(json.dumps([{k: _plain(v) for k, v in r.items()} for r in rows], ensure_ascii=False, indent=1))
        return
    for r in rows:
        print("\t".join("" if v is None else str(_plain(v)) for v in r.values()))


def run(args: argparse.Namespace) -> int:
    from drillapp.bootstrap import open_world
    from drillapp.cli_checks import check_args, creates_database

    check_args(args)
    if args.command == "roster" and args.roster_command == "bench":  # needs no database
        from drillapp.roster.nrp import bench_command

        return bench_command(args.instance, args.time_limit, args.out, args.workers)

    from drillapp.db import check_location, resolve_url

    check_location(resolve_url(args.db), may_create=creates_database(args))
    if args.command == "db" and args.db_command == "current":
        return _db_current(args)
    if args.command == "db" and args.db_command == "upgrade":  # no log-in: the connection is the authority
        from drillapp import db_cli

        return db_cli.db_upgrade(args)

    world = open_world(args.db, args.user, lambda: _ask(_("Password: "), "DRILLAPP_PASSWORD"),
                       port=args.port if args.command != "demo" else None)
    try:
        services = world.services
        if args.command == "demo":
            from drillapp.demo import LARGE, DemoService

            created = DemoService(world.db, world.actor).load_demo(LARGE if args.large else None)
            print(_("Demo port created.") if created else _("The demo port is already there; nothing changed."))
        elif args.command == "backup":
            from drillapp.services.backup import BackupService

            out = BackupService(world.db, world.actor).backup(args.out)
            print(_("Backup written to {path}").format(path=out))
        elif args.command == "restore":
            from drillapp.services.backup import BackupService

            safety = BackupService(world.db, world.actor).restore(args.file)
            print(_("Restored from {path}; the previous database was saved as {safety}").format(path=args.file, safety=safety))
        elif args.command == "list":
            from drillapp.services.lists import SOURCES

            keys = ["id"] + [c.key for c in SOURCES[args.source].columns]
            rows = services.lists.page(args.source, args.search, 0, args.limit)
            _print_rows([dict(zip(keys, row, strict=True)) for row in rows], args.json)
        elif args.command == "reminders":
            services.reminders.refresh()
            reminder_rows = [
                {"id": r.id, "kind": r.kind, "due_at": r.due_at, "title": r.heading, "body": r.detail}
                for r in services.reminders.open_for_me(limit=1000)
            ]
            _print_rows(reminder_rows, args.json)
        elif args.command == "users":
            _users(services, args)
        elif args.command == "plans":
            return _plans(world, args)
        elif args.command == "members":
            return _members(world, args)
        elif args.command == "roster":
            from drillapp import roster_cli

            return roster_cli.run(world, args)
        elif args.command == "oncall":
            return _oncall(world, args)
        elif args.command == "drills":
            from drillapp import drills_cli

            return drills_cli.run(world, args)
        elif args.command == "audit":
            from drillapp import db_cli

            return db_cli.audit_verify(world, args)
        elif args.command == "incidents":
            from drillapp import incidents_cli

            return incidents_cli.run(world, args)
        elif args.command in ("runs", "log", "reviews", "actions"):
            from drillapp import runs_cli

            return runs_cli.run(world, args)
    finally:
        world.db.dispose()
    return 0


def _db_current(args: argparse.Namespace) -> int:
    """The schema revision, and what to do about it (never an upgrade this version would refuse)."""
    from drillapp import schema
    from drillapp.db import Database

    database = Database.open(args.db)
    try:
        revision = schema.current_revision(database.engine)
    finally:
        database.dispose()
    if revision == schema.HEAD_REVISION:
        template = _("{revision} (up to date; newest schema {head})")
    elif revision is None or schema.is_known(revision):
        template = _("{revision} (needs upgrade to schema {head}: run drillapp db upgrade)")
    else:
        template = _("{revision} (written by a newer drillapp: this version knows schemas up to {head} and will "
                     "not touch it; install the newer drillapp)")
    print(template.format(revision=revision or "-", head=schema.HEAD_REVISION))
    return 0


def _users(services: Any, args: argparse.Namespace) -> None:
    users = services.users
    if args.users_command == "list":
        rows = [{"id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role,
                 "branch_id": u.branch_id, "active": u.active, "has_password": u.has_password}
                for u in users.users(include_local=True)]
        _print_rows(rows, args.json)
    elif args.users_command == "add":
        password = _ask(_("New password: "), "DRILLAPP_NEW_PASSWORD")
        from drillapp.models.enums import Role

        users.create_user(args.name, Role(args.role), args.display_name, password=password)
        print(_("User {name} added.").format(name=args.name))
    elif args.users_command == "reset-password":
        user = users.find(args.name)
        users.reset_password(user.id, _ask(_("New password: "), "DRILLAPP_NEW_PASSWORD"))
        print(_("Password of {name} reset.").format(name=args.name))
    elif args.users_command == "unlock":
        users.unlock(users.find(args.name).id)
        print(_("{name} can log in again.").format(name=args.name))


def _plans(world: Any, args: argparse.Namespace) -> int:
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
        _print_rows(rows, args.json)
    elif args.plans_command == "print":
        from drillapp.models.enums import Agency
        from drillapp.reports.plan_pdf import write_plan_pdf

        plan_id = service.find_plan(args.plan)
        out = write_plan_pdf(world.services.plans.print_document(plan_id, args.version), args.out,
                             agency=Agency(args.agency) if args.agency else None, level=args.level)
        print(_("Plan printed to {path}").format(path=out))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _desktop_args(argv)
    if args is None:
        args = build_parser().parse_args(argv)
    set_language(args.lang or "system")
    from drillapp import portable
    from drillapp.errors import DomainError

    try:
        portable.apply(args.portable)
    except DomainError as exc:
        print(f"drillapp: {exc.message}", file=sys.stderr)
        if args.command is None:  # the desktop app: a windowed start has no console to print to
            from drillapp.ui.start import start_failed

            start_failed(exc.message)
        return 1
    if args.db is not None and not args.db.strip():
        print("drillapp: " + _("--db is empty: give a database file or URL, or leave the option out."),
              file=sys.stderr)
        return 1
    if args.command is None:
        from drillapp.ui.start import main as gui_main

        return gui_main(db_url=args.db, load_demo=args.demo, language=args.lang)
    from sqlalchemy.exc import DBAPIError, StatementError

    from drillapp.bootstrap import log_file, setup_logging
    from drillapp.services.db_errors import first_line, user_error
    from drillapp.services.errors import DomainError

    setup_logging()
    try:
        return run(args)
    except BrokenPipeError:  # the reader went away (`drillapp list ... | head`): end quietly
        _silence_stdout()
        return 0
    except DomainError as exc:
        print(f"drillapp: {exc.message}", file=sys.stderr)
        return 1
    except DBAPIError as exc:  # the statement and its values go to the log only, never to the screen
        log.warning("command failed on the database", exc_info=True)
        known = user_error(exc)
        message = known.message if known is not None else _("the database refused the work: {reason} (details "
                                                               "in {path})").format(reason=first_line(exc),
                                                                                    path=log_file())
        print(f"drillapp: {message}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: one line here, the traceback in the log
        log.exception("command failed")
        # a statement's error carries its SQL and values: only the driver's own first line is shown
        shown = first_line(exc) if isinstance(exc, StatementError) else str(exc)
        print("drillapp: " + _("internal error: {error} (details in {path})").format(
            error=f"{exc.__class__.__name__}: {shown}", path=log_file()), file=sys.stderr)
        return 2


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at the null device so Python's exit flush does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture): nothing to flush
        pass


if __name__ == "__main__":
    sys.exit(main())
