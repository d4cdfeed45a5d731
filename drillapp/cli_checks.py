"""The command line's arguments checked before anything runs: a value out of range is refused with a
one-line message naming the option (exit 1), never passed on to fail deep inside as an internal error.

Also which commands may create a database: the others refuse a --db path that does not exist, so a
typo never silently makes a new, empty database.
"""

from __future__ import annotations

import argparse
import math
from datetime import date
from pathlib import Path

from drillapp.i18n import _
from drillapp.services.errors import ValidationError

#: --limit: rows a listing prints at most.
MAX_LIMIT = 1_000_000
#: --time-limit: seconds a solve may take at most (a day).
MAX_TIME_LIMIT = 86_400.0
#: --workers: solver threads.
MAX_WORKERS = 64
#: Days a roster print-out may span, and the years its dates may lie in.
MAX_ROSTER_DAYS = 366
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def creates_database(args: argparse.Namespace) -> bool:
    """The commands that make a new database when there is none (the others need one)."""
    return args.command == "demo" or (args.command == "db" and args.db_command == "upgrade")


def check_args(args: argparse.Namespace) -> None:
    """Refuse values no command could use, naming the option."""
    limit = getattr(args, "limit", None)
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(_("--limit must be a whole number from 1 to {max:,}.").format(max=MAX_LIMIT), "limit")
    time_limit = getattr(args, "time_limit", None)
    if time_limit is not None and not (math.isfinite(time_limit) and 0 < time_limit <= MAX_TIME_LIMIT):
        raise ValidationError(_("--time-limit must be a number of seconds above 0 and at most {max:,.0f}.").format(
            max=MAX_TIME_LIMIT), "time_limit")
    workers = getattr(args, "workers", None)
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        raise ValidationError(_("--workers must be from 1 to {max}.").format(max=MAX_WORKERS), "workers")
    version = getattr(args, "version", None)
    if isinstance(version, int) and version < 1:
        raise ValidationError(_("--version must be a version number, 1 or more."), "version")
    at = getattr(args, "at", None)
    if at is not None and not at.strip():
        raise ValidationError(_("--at must be a date and time like 2026-03-02T09:00."), "at")
    start, end = getattr(args, "start", None), getattr(args, "end", None)
    for name, day in (("--from", start), ("--to", end)):
        if isinstance(day, date) and not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationError(_("{option} must be a day between {first} and {last}.").format(
                option=name, first=FIRST_DAY, last=LAST_DAY), name.strip("-"))
    if isinstance(start, date) and isinstance(end, date) and (end - start).days >= MAX_ROSTER_DAYS:
        raise ValidationError(_("Print at most {n} days at a time.").format(n=MAX_ROSTER_DAYS), "to")
    out = getattr(args, "out", None)
    if out is not None and str(out) != "-":
        _check_out(Path(out), may_make_folder=_makes_its_folder(args))


def _makes_its_folder(args: argparse.Namespace) -> bool:
    """The commands that make a missing --out folder (a backup, a plan file); the others refuse it."""
    return args.command == "backup" or (args.command == "plans" and args.plans_command == "export")


def _check_out(out: Path, may_make_folder: bool) -> None:
    if not str(out).strip():
        raise ValidationError(_("--out needs a file name."), "out")
    if out.is_dir():
        raise ValidationError(_("--out {path} is a folder; give a file name.").format(path=out), "out")
    if not may_make_folder and not out.parent.is_dir():
        raise ValidationError(_("--out: the folder {path} does not exist.").format(path=out.parent), "out")
