"""The command line: `drillapp [--db URL] <command>`; with no command it starts the desktop app.

Every command exits 0 on success and non-zero with a one-line error on failure.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from drillapp import __version__, plans_cli, team_cli, users_cli
from drillapp.cli_output import ask, print_rows
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

    plans_cli.add_parser(sub)
    from drillapp import runs_cli

    runs_cli.add_parsers(sub)
    team_cli.add_members_parser(sub)
    _roster_parser(sub)
    team_cli.add_oncall_parser(sub)
    from drillapp import drills_cli

    drills_cli.add_parser(sub)
    from drillapp import incidents_cli

    incidents_cli.add_parser(sub)

    users_cli.add_parser(sub)
    return parser


def _roster_parser(sub: Any) -> None:
    roster = sub.add_parser("roster", help="on-call rosters and the roster engine")
    roster_sub = roster.add_subparsers(dest="roster_command", metavar="<command>", required=True)
    bench = roster_sub.add_parser("bench", help="solve a nurse-rostering benchmark instance with the roster engine; "
                                  "prints objective=N bound=M status=S seconds=T")
    bench.add_argument("instance", type=Path, metavar="INSTANCE.txt")
    bench.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS")
    bench.add_argument("--out", required=True, type=Path, metavar="SOLUTION.csv")
    bench.add_argument("--workers", type=int, default=2, metavar="N", help="solver threads (default: 2)")
    bench.add_argument("--isolated", action="store_true",
                       help="search in a process of its own, as the desktop app does")
    from drillapp import roster_cli

    roster_cli.add_parsers(roster_sub)


def run(args: argparse.Namespace) -> int:
    from drillapp.bootstrap import open_world
    from drillapp.cli_checks import check_args, creates_database

    check_args(args)
    if args.command == "roster" and args.roster_command == "bench":  # needs no database
        from drillapp.roster.nrp import bench_command

        return bench_command(args.instance, args.time_limit, args.out, args.workers, isolated=args.isolated)

    from drillapp.db import check_location, resolve_url

    check_location(resolve_url(args.db), may_create=creates_database(args))
    if args.command == "db" and args.db_command == "current":
        return _db_current(args)
    if args.command == "db" and args.db_command == "upgrade":  # no log-in: the connection is the authority
        from drillapp import db_cli

        return db_cli.db_upgrade(args)

    world = open_world(args.db, args.user, lambda: ask(_("Password: "), "DRILLAPP_PASSWORD"),
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
            print_rows([dict(zip(keys, row, strict=True)) for row in rows], args.json)
        elif args.command == "reminders":
            services.reminders.refresh()
            reminder_rows = [
                {"id": r.id, "kind": r.kind, "due_at": r.due_at, "title": r.heading, "body": r.detail}
                for r in services.reminders.open_for_me(limit=1000)
            ]
            print_rows(reminder_rows, args.json)
        elif args.command == "users":
            users_cli.run(services, args)
        elif args.command == "plans":
            return plans_cli.run(world, args)
        elif args.command == "members":
            return team_cli.run_members(world, args)
        elif args.command == "roster":
            from drillapp import roster_cli

            return roster_cli.run(world, args)
        elif args.command == "oncall":
            return team_cli.run_oncall(world, args)
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
