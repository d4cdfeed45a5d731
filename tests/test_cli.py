"""The command line, run in-process (and once as `python -m drillapp`) against a temporary SQLite file."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import databases
from helpers.audit_tamper import as_owner_without_triggers

from drillapp import schema
from drillapp.cli import main
from drillapp.db import Database
from drillapp.models.enums import Role
from drillapp.paths import bundled_plan_files
from drillapp.services.context import SYSTEM_ACTOR
from drillapp.services.org import UserService

#: The demo imports every plan file of plans/.
DEMO_PLANS = len(bundled_plan_files())


@pytest.fixture(autouse=True)
def _cli_user_and_logging(monkeypatch: pytest.MonkeyPatch):
    """The CLI acts as the login user and adds a log file handler to the root logger; pin the one and
    take the other away again, so no test leaks an open log file into the next."""
    monkeypatch.setenv("LOGNAME", "duty-desk")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.fixture
def db_file(tmp_path) -> Path:
    return tmp_path / "cli.sqlite3"


@pytest.fixture
def cli(capsys, db_file):
    """Run `drillapp --db <db_file> ARGS...`; returns (exit code, stdout, stderr)."""

    def run(*args: str, db: str | None = None) -> tuple[int, str, str]:
        code = main(["--db", db or databases.sqlite_url(db_file), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _json(out: str) -> list[dict]:
    rows = json.loads(out)
    assert isinstance(rows, list)
    return rows


def test_demo_then_demo_again(cli):
    assert cli("demo") == (0, "Demo port created.\n", "")

    code, out, err = cli("demo")

    assert (code, err) == (0, "")
    assert "already there" in out


def test_db_current_and_upgrade(cli, db_file):
    code, out, err = cli("db", "current")  # no database there: said, and none is made
    assert (code, out) == (1, "") and "There is no database at" in err and err.count("\n") == 1
    assert not db_file.exists()
    sqlite3.connect(db_file).close()  # an empty SQLite file: no schema yet
    assert cli("db", "current") == (
        0, f"- (needs upgrade to schema {schema.HEAD_REVISION}: run drillapp db upgrade)\n", ""
    )

    code, out, _err = cli("db", "upgrade")
    assert code == 0
    assert out.startswith(f"Database at schema {schema.HEAD_REVISION}: sqlite:///")

    assert cli("db", "current") == (0, f"{schema.HEAD_REVISION} (up to date; newest schema {schema.HEAD_REVISION})\n", "")


def test_audit_verify_says_intact_or_names_the_broken_entry(cli, db_file):
    cli("db", "upgrade")  # a new database (commands other than demo and db upgrade do not create one)
    cli("users", "list")  # the first user, an administrator

    code, out, err = cli("audit", "verify")
    assert (code, err) == (0, "") and out.startswith("Audit trail intact: ")
    code, out, _err = cli("audit", "verify", "--json")
    report = json.loads(out)
    assert code == 0 and report["intact"] is True and len(report["head_hash"]) == 64

    database = Database.open(databases.sqlite_url(db_file))
    try:
        as_owner_without_triggers(database, "UPDATE audit_entry SET operation = 'x' WHERE id = 1")
    finally:
        database.dispose()

    code, out, err = cli("audit", "verify")
    assert (code, out) == (1, "")
    assert err.startswith("drillapp: Audit trail broken at entry 1:") and err.count("\n") == 1
    code, out, _err = cli("audit", "verify", "--expect", report["head_hash"], "--json")
    assert code == 1 and json.loads(out)["broken_entry"] == 1


def test_list_plans_as_json(cli):
    cli("demo")

    code, out, err = cli("list", "plans", "--json")

    assert (code, err) == (0, "")
    plans = _json(out)
    assert len(plans) == DEMO_PLANS
    for plan in plans:
        assert isinstance(plan["id"], int)
        assert plan["title_zh"] and plan["status"] == "approved"
    assert len({p["id"] for p in plans}) == DEMO_PLANS


def test_list_members_with_a_search(cli):
    cli("demo")
    members = _json(cli("list", "members", "--json", "--limit", "1000")[1])
    assert 55 <= len(members) <= 65
    surname = members[0]["name"][0]

    code, out, err = cli("list", "members", "--search", surname)

    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert 1 <= len(lines) < len(members)
    assert all(surname in line for line in lines)
    assert {int(line.split("\t")[0]) for line in lines} == {m["id"] for m in members if surname in m["name"]}


def test_backup_then_restore_brings_the_data_back_and_keeps_the_replaced_database(cli, db_file, tmp_path):
    cli("db", "upgrade")
    backup = tmp_path / "backups" / "before-demo.sqlite3"
    code, out, _err = cli("backup", "--out", str(backup))
    assert (code, out) == (0, f"Backup written to {backup}\n")
    cli("demo")
    assert len(_json(cli("list", "plans", "--json")[1])) == DEMO_PLANS

    code, out, err = cli("restore", str(backup))

    assert (code, err) == (0, "")
    assert out.startswith(f"Restored from {backup}; the previous database was saved as ")
    assert _json(cli("list", "plans", "--json")[1]) == []
    [saved] = db_file.parent.glob(f"{db_file.name}.before-restore-*")
    with sqlite3.connect(saved) as conn:
        assert conn.execute("SELECT count(*) FROM contingency_plan").fetchone() == (DEMO_PLANS,)
    audit = _json(cli("list", "audit", "--json", "--search", "data.restore")[1])
    assert [a["operation"] for a in audit] == ["data.restore"]


def test_restore_by_an_administrator_the_backup_does_not_know(cli, db_file, tmp_path, monkeypatch):
    """A backup made before this administrator's account existed must still restore cleanly."""
    cli("db", "upgrade")  # the first user (duty-desk) is the administrator
    backup = tmp_path / "early.sqlite3"
    cli("backup", "--out", str(backup))
    database = Database.open(databases.sqlite_url(db_file))
    try:
        UserService(database, SYSTEM_ACTOR).create_user("night-shift", Role.ADMINISTRATOR)
    finally:
        database.dispose()
    monkeypatch.setenv("LOGNAME", "night-shift")

    code, out, err = cli("restore", str(backup))

    assert (code, err) == (0, "")
    assert out.startswith("Restored from")


def test_restore_of_a_file_that_is_not_a_database_fails_with_one_line(cli, tmp_path):
    cli("demo")
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("这不是数据库\n" * 200, encoding="utf-8")

    code, out, err = cli("restore", str(not_a_backup))

    assert (code, out) == (1, "")
    assert err.startswith("drillapp: ") and err.count("\n") == 1
    assert "is not a drillapp backup" in err
    assert len(_json(cli("list", "plans", "--json")[1])) == DEMO_PLANS  # the live database is untouched


def test_restore_of_a_missing_file_fails_with_one_line(cli, tmp_path):
    cli("db", "upgrade")
    code, _out, err = cli("restore", str(tmp_path / "nowhere.sqlite3"))

    assert code == 1
    assert err.count("\n") == 1 and "does not exist" in err


def test_backup_of_postgresql_says_to_use_pg_dump(cli, pg_empty):
    code, out, err = cli("backup", "--out", "x.sqlite3", db=databases.PG_URL)

    assert (code, out) == (1, "")
    assert err.startswith("drillapp: ") and err.count("\n") == 1
    assert "pg_dump" in err


def test_reminders_as_json(cli):
    cli("demo")

    code, out, err = cli("reminders", "--json")

    assert (code, err) == (0, "")
    rows = _json(out)
    assert {"plan_review", "certificate_expiry"} <= {r["kind"] for r in rows}
    for row in rows:
        assert set(row) == {"id", "kind", "due_at", "title", "body"}
        assert row["title"]
    again = _json(cli("reminders", "--json")[1])
    assert sorted(r["id"] for r in again) == sorted(r["id"] for r in rows)


def test_version_and_usage_errors(cli, capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(["--version"])
    assert excinfo.value.code == 0
    assert capsys.readouterr().out.startswith("drillapp ")

    with pytest.raises(SystemExit) as excinfo:
        main(["list", "nonsense"])
    assert excinfo.value.code == 2


def test_module_entry_point(db_file, tmp_path):
    env = {**os.environ, "DRILLAPP_HOME": str(tmp_path / "home"), "LANG": "en_US.UTF-8"}
    env.pop("LC_ALL", None)

    sqlite3.connect(db_file).close()
    result = subprocess.run(
        [sys.executable, "-m", "drillapp", "--db", databases.sqlite_url(db_file), "db", "current"],
        capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path,
    )

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"- (needs upgrade to schema {schema.HEAD_REVISION}: run drillapp db upgrade)\n"


def test_commands_log_in_once_passwords_exist(cli, monkeypatch) -> None:
    assert cli("demo")[0] == 0  # a new database: acts as the local user, the administrator
    monkeypatch.setenv("DRILLAPP_NEW_PASSWORD", "coordinator-pass")
    code, out, err = cli("users", "add", "zhao", "--role", "coordinator", "--display-name", "赵")
    assert (code, err) == (0, ""), err
    # zhao now has a password, so from here on every command logs in
    monkeypatch.delenv("DRILLAPP_PASSWORD", raising=False)
    code, _out, err = cli("list", "plans")
    assert code == 1 and "No password given" in err  # no terminal to ask in, no DRILLAPP_PASSWORD
    monkeypatch.setenv("DRILLAPP_PASSWORD", "coordinator-pass")
    code, out, err = cli("--user", "zhao", "list", "plans", "--json")
    assert code == 0 and len(_json(out)) == DEMO_PLANS
    code, _out, err = cli("--user", "zhao", "users", "add", "li", "--role", "viewer")
    assert code == 1 and "not allowed" in err, "only an administrator adds users"
    monkeypatch.setenv("DRILLAPP_PASSWORD", "wrong")
    code, _out, err = cli("--user", "zhao", "list", "plans")
    assert code == 1 and err.count("\n") == 1 and "Wrong user name or password" in err
