"""The command line under careless or hostile input (issue 13, items 11, 13, 14, 15): every mistake is one
line on stderr and exit 1 (never exit 2 "internal error"), nothing silently made or changed, no row
values and no password on the screen, a read-only database still read, a newer one never touched.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import databases
from sqlalchemy.engine import make_url
from test_cli import _cli_user_and_logging, _json  # noqa: F401 - the fixture pins the user and the log

from drillapp.cli import main

pytestmark = pytest.mark.sqlite_only("the command line's own checks, run against a SQLite file")


@pytest.fixture
def db_file(tmp_path) -> Path:
    return tmp_path / "cli.sqlite3"


@pytest.fixture
def cli(capsys, db_file):
    """`drillapp --db <db_file> ARGS...` in-process (db=... for another --db); (exit code, stdout, stderr)."""

    def run(*args: str, db: str | None = None) -> tuple[int, str, str]:
        code = main(["--db", databases.sqlite_url(db_file) if db is None else db, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def demo(cli, db_file, cli_demo_file):
    """The command line on a copy of the demo (as after `drillapp demo`)."""
    shutil.copyfile(cli_demo_file, db_file)
    return cli


def _one_line(result: tuple[int, str, str], *words: str) -> str:
    code, out, err = result
    assert (code, out) == (1, ""), result
    assert err.startswith("drillapp: ") and err.count("\n") == 1, err
    assert "internal error" not in err and "Traceback" not in err
    for word in words:
        assert word in err, err
    return err


# -- item 13: a --db that is not one ------------------------------------------------------------------------


def test_a_db_that_is_a_text_file(cli, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 50, encoding="utf-8")
    _one_line(cli("list", "plans", db=databases.sqlite_url(notes)), "not a drillapp database")
    assert notes.read_text(encoding="utf-8") == "not a database\n" * 50


@pytest.mark.parametrize("spelling", ["url", "path"])
def test_a_db_that_is_a_folder(cli, tmp_path, spelling):
    target = databases.sqlite_url(tmp_path) if spelling == "url" else str(tmp_path)
    _one_line(cli("demo", db=target), "is a folder")


def test_a_db_in_a_missing_folder(cli, tmp_path):
    _one_line(cli("demo", db=databases.sqlite_url(tmp_path / "no" / "such" / "x.sqlite3")), "does not exist")
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(("url", "word"), [("garbage://", "not garbage"), ("mysql://u:pw@localhost/db", "not mysql"),
                                           ("postgresql://::::", "")])
def test_a_db_of_a_kind_drillapp_does_not_use(cli, url, word):
    err = _one_line(cli("list", "plans", db=url))
    assert word in err
    assert "pw" not in err


def test_a_wrong_postgresql_role(cli):
    reason = databases.pg_unreachable_reason()
    if reason:
        pytest.skip(reason)
    url = make_url(databases.PG_URL).set(username="no_such_role_h2", password="secret-pw")
    err = _one_line(cli("list", "plans", db=url.render_as_string(hide_password=False)), "no_such_role_h2")
    assert "secret-pw" not in err


# -- item 13: --out, --limit, dates, a closed pipe, a full disk ---------------------------------------------


@pytest.mark.parametrize("command", [
    ("members", "export"), ("oncall", "print"), ("plans", "print", "QH-YA-08"),
])
def test_out_into_a_missing_folder_or_onto_a_folder(demo, tmp_path, command):
    _one_line(demo(*command, "--out", str(tmp_path / "missing" / "x.pdf")), "does not exist")
    _one_line(demo(*command, "--out", str(tmp_path)), "is a folder")
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("limit", ["99999999999999999999999", "-5", "0"])
def test_a_limit_out_of_range(demo, limit):
    _one_line(demo("list", "plans", "--limit", limit), "--limit")


@pytest.mark.parametrize(("start", "end"), [("0001-01-01", "0001-01-31"), ("2026-03-01", "9999-12-31"),
                                            ("2026-01-01", "2030-01-01")])
def test_a_roster_print_far_out_of_range(demo, tmp_path, start, end):
    out = tmp_path / "r.pdf"
    err = _one_line(demo("oncall", "roster-pdf", "--from", start, "--to", end, "--out", str(out)))
    assert "--from" in err or "--to" in err or "at most" in err
    assert not out.exists()


@pytest.mark.parametrize("at", ["0001-01-01T00:00", "9999-12-31T23:59", "", "  "])
def test_an_at_out_of_range_or_empty(demo, tmp_path, at):
    _one_line(demo("oncall", "print", "--at", at, "--out", str(tmp_path / "c.pdf")), "--at")


def test_a_json_listing_piped_into_head_ends_quietly(demo, db_file, tmp_path):
    env = {**os.environ, "DRILLAPP_HOME": str(tmp_path / "home"), "LANG": "en_US.UTF-8", "LOGNAME": "duty-desk"}
    env.pop("LC_ALL", None)
    child = subprocess.Popen(
        [sys.executable, "-m", "drillapp", "--db", databases.sqlite_url(db_file), "list", "members", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path,
    )
    child.stdout.close()  # the reader is gone before the first line is written (as `| head -0` would be)
    _out, err = child.communicate(timeout=60)

    assert (child.returncode, err.decode()) == (0, "")


def test_a_full_disk_says_so_in_one_line_without_the_rows(demo, tmp_path, monkeypatch):
    from drillapp import db as db_module

    sheet = tmp_path / "members.csv"
    rows = [f"泄露测试员{n:03d},海关,1391234{n:04d},秘密备注{n}" for n in range(300)]
    sheet.write_text("姓名,支部,手机,备注\n" + "\n".join(rows) + "\n", encoding="utf-8")
    pragmas = db_module._sqlite_pragmas

    def no_room_left(dbapi_connection, record):  # the file may not grow: as a full disk behaves
        pragmas(dbapi_connection, record)
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(db_module, "_sqlite_pragmas", no_room_left)
    err = _one_line(demo("members", "import", str(sheet)), "full")

    for secret in ("泄露测试员", "1391234", "秘密备注", "INSERT", "SELECT"):
        assert secret not in err


# -- item 14: values no command can use ---------------------------------------------------------------------


def test_an_empty_db_is_refused(capsys):
    assert main(["--db", "", "list", "plans"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "--db is empty" in err and err.count("\n") == 1


@pytest.mark.parametrize("value", ["-5", "0", "nan", "inf", "-inf", "1e9"])
def test_a_time_limit_that_is_no_time(demo, tmp_path, value):
    _one_line(demo("roster", "solve", "1", f"--time-limit={value}"), "--time-limit")
    _one_line(demo("roster", "bench", str(tmp_path / "x.txt"), f"--time-limit={value}", "--out",
                   str(tmp_path / "s.csv")), "--time-limit")


@pytest.mark.parametrize("value", ["0", "-4", "100000"])
def test_workers_out_of_range(demo, tmp_path, value):
    _one_line(demo("roster", "solve", "1", "--workers", value), "--workers")
    _one_line(demo("roster", "bench", str(tmp_path / "x.txt"), "--workers", value, "--out",
                   str(tmp_path / "s.csv")), "--workers")


def test_version_zero(demo, tmp_path):
    _one_line(demo("plans", "export", "QH-YA-08", "--version", "0", "--out", "-"), "--version")
    _one_line(demo("plans", "print", "QH-YA-08", "--version", "0", "--out", str(tmp_path / "p.pdf")), "--version")


def test_a_db_path_with_a_typo_is_not_silently_made(cli, tmp_path):
    typo = tmp_path / "drilapp.sqlite3"
    for command in (("list", "plans"), ("reminders",), ("users", "list"), ("db", "current")):
        _one_line(cli(*command, db=databases.sqlite_url(typo)), "There is no database at")
    assert not typo.exists()
    assert cli("db", "upgrade", db=str(typo))[0] == 0  # a plain path, and a command that creates
    assert typo.exists()
    assert cli("list", "plans", db=str(typo)) == (0, "", "")


def test_user_names_with_a_line_break_or_only_another_case_are_refused(cli, monkeypatch):
    cli("db", "upgrade")
    monkeypatch.setenv("DRILLAPP_NEW_PASSWORD", "administrator-pass")
    assert cli("users", "add", "zhao", "--role", "administrator")[0] == 0
    monkeypatch.setenv("DRILLAPP_USER", "zhao")  # from now on everyone logs in
    monkeypatch.setenv("DRILLAPP_PASSWORD", "administrator-pass")
    _one_line(cli("users", "add", "ZHAO", "--role", "viewer"), "taken")
    _one_line(cli("users", "add", "li\nadmin", "--role", "viewer"), "control characters")


# -- item 15: a read-only database, a newer one -------------------------------------------------------------


def _read_only(path: Path) -> str:
    return f"sqlite:///file:{path}?mode=ro&uri=true"


def test_a_read_only_database_is_read_and_the_log_in_still_works(demo, db_file, monkeypatch):
    monkeypatch.setenv("DRILLAPP_NEW_PASSWORD", "coordinator-pass")
    assert demo("users", "add", "zhao", "--role", "coordinator")[0] == 0
    monkeypatch.setenv("DRILLAPP_USER", "zhao")
    monkeypatch.setenv("DRILLAPP_PASSWORD", "coordinator-pass")
    before = db_file.read_bytes()

    code, out, err = demo("list", "plans", "--json", db=_read_only(db_file))
    assert (code, err) == (0, "") and len(_json(out)) > 0
    code, out, err = demo("plans", "export", "QH-YA-08", "--out", "-", db=_read_only(db_file))
    assert (code, err) == (0, "") and "QH-YA-08" in out
    _one_line(demo("reminders", db=_read_only(db_file)), "read-only")  # a command that writes says why

    monkeypatch.setenv("DRILLAPP_PASSWORD", "not the password")
    _one_line(demo("list", "plans", db=_read_only(db_file)), "Wrong user name or password")
    assert db_file.read_bytes() == before


def test_a_database_of_a_newer_drillapp_is_not_touched_at_all(cli, db_file):
    assert cli("db", "upgrade")[0] == 0
    conn = sqlite3.connect(db_file, isolation_level=None)
    conn.execute("UPDATE alembic_version SET version_num = '0999'")
    assert conn.execute("PRAGMA journal_mode = DELETE").fetchone() == ("delete",)  # as a newer drillapp might
    conn.close()
    before = db_file.read_bytes()

    for command in (("list", "plans"), ("db", "upgrade"), ("demo",)):
        _one_line(cli(*command), "newer version of drillapp")
    code, out, err = cli("db", "current")

    assert (code, err) == (0, "")
    assert out.startswith("0999 (written by a newer drillapp") and "run drillapp db upgrade" not in out
    assert db_file.read_bytes() == before
    with sqlite3.connect(db_file) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


# -- item 11: secrets ---------------------------------------------------------------------------------------


def test_the_database_repr_and_str_hide_the_password():
    from drillapp.db import Database

    database = Database.open("postgresql://duty:s3cret-pw@db.port.local:5432/drillapp")
    try:
        for shown in (repr(database), str(database), f"{database}", repr([database])):
            assert "s3cret-pw" not in shown and "db.port.local" in shown
    finally:
        database.dispose()


def test_postgresql_asks_for_tls_and_require_can_be_chosen():
    from drillapp.db import postgresql_connect_args

    assert postgresql_connect_args("postgresql+psycopg://u@h/d") == {"sslmode": "prefer"}
    assert postgresql_connect_args("postgresql+psycopg://u@h/d?sslmode=require") == {}


def test_the_tls_choice_reaches_the_server(monkeypatch):
    from drillapp import connection
    from drillapp.db import Database
    from drillapp.services.errors import DomainError

    reason = databases.pg_unreachable_reason()
    if reason:
        pytest.skip(reason)
    monkeypatch.setenv("PGSSLMODE", "disable")  # what libpq would use if drillapp did not ask
    database = Database.open(databases.PG_URL)
    try:
        with database.engine.connect() as conn:
            options = {o.keyword: o.val for o in conn.connection.driver_connection.pgconn.info}
        assert options[b"sslmode"] == b"prefer"
    finally:
        database.dispose()
    required = make_url(databases.PG_URL).update_query_dict({"sslmode": "require"})
    try:
        version = connection.test_connection(required.render_as_string(hide_password=False))
    except DomainError as exc:  # this server offers no TLS: refused, as asked
        assert "SSL" in exc.message
    else:
        assert version.startswith("PostgreSQL")  # a server with TLS: connected, encrypted



def test_an_internal_error_from_a_statement_shows_neither_its_sql_nor_its_values(demo, monkeypatch):
    from sqlalchemy.exc import StatementError

    from drillapp.services.lists import ListService

    def failing(*_args, **_kwargs):
        raise StatementError("(builtins.OverflowError) Python int too large to convert to SQLite INTEGER",
                             "SELECT member.name FROM member WHERE member.mobile = ?", ("13912345678",),
                             OverflowError("Python int too large to convert to SQLite INTEGER"))

    monkeypatch.setattr(ListService, "page", failing)
    code, out, err = demo("list", "members")

    assert (code, out) == (2, "") and err.count("\n") == 1  # a bug: exit 2, the traceback in the log
    assert "Python int too large" in err
    assert "13912345678" not in err and "SELECT" not in err
