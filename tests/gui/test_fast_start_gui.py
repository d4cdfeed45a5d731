"""The start before the database is open (drillapp/ui/start.py): the cheap look at the SQLite file decides between
the log-in and the first start; the log-in typed before the opening is done waits for it, then logs in."""

from __future__ import annotations

import sqlite3
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialogButtonBox

from drillapp.bootstrap import open_database
from drillapp.services.context import SYSTEM_ACTOR
from drillapp.services.users import UserService
from drillapp.ui import login, start

PASSWORD = "port-office-2026"


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "port.sqlite3"


def test_a_new_file_is_the_first_start_and_an_unreadable_one_is_left_to_the_open(db_file: Path) -> None:
    assert start.peek(db_file) == start.Peek(False, frozenset())
    assert start.peek(db_file.parent / "missing" / "x.sqlite3") is None, "the open says the folder is missing"
    db_file.write_bytes(b"not a database at all, just text" * 10)
    assert start.peek(db_file) is None


def test_the_look_sees_passwords_and_the_command_lines_account(db_file: Path) -> None:
    db = open_database(f"sqlite:///{db_file}")
    try:
        users = UserService(db, SYSTEM_ACTOR)
        users.ensure_local_user("root")
        assert start.peek(db_file) == start.Peek(False, frozenset({"root"}))
        users.create_first_administrator("zhao", PASSWORD)
        assert start.peek(db_file) == start.Peek(True, frozenset({"root"}))
    finally:
        db.dispose()


def test_simple_sqlite_urls_are_looked_at_and_others_opened_first(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(start.DB_ENV, raising=False)
    assert start.sqlite_path(f"sqlite:///{tmp_path}/a.sqlite3") == tmp_path / "a.sqlite3"
    assert start.sqlite_path(str(tmp_path / "b.sqlite3")) == tmp_path / "b.sqlite3"
    assert start.sqlite_path("postgresql://u@host/db") is None
    assert start.sqlite_path("sqlite:///file:x?mode=ro&uri=true") is None
    assert start.sqlite_path("sqlite:///:memory:") is None


def test_enter_before_the_database_is_open_waits_for_it_then_logs_in(qtbot, db_file: Path) -> None:
    db = open_database(f"sqlite:///{db_file}")
    UserService(db, SYSTEM_ACTOR).create_first_administrator("zhao", PASSWORD)
    db.dispose()
    seen = start.peek(db_file)
    assert seen is not None and seen.login_required
    opening = start.Opening(f"sqlite:///{db_file}")
    gate = threading.Event()
    real_run = opening._run
    opening._run = lambda: (gate.wait(10), real_run())  # type: ignore[method-assign]  # hold the opening back
    dialog = login.LoginDialog(start.StartUsers(opening, seen))
    qtbot.addWidget(dialog)
    dialog.username.setText("zhao")
    qtbot.keyClicks(dialog.password, PASSWORD)
    QTimer.singleShot(0, gate.set)  # fires only once the click is waiting (its loop turns): then the open ends
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # the runner waits; the loop turns
    qtbot.waitUntil(lambda: dialog.actor is not None, timeout=20_000)
    assert dialog.actor.username == "zhao" and opening.done() and opening.error is None
    opening.database().dispose()


def test_a_database_that_cannot_be_opened_ends_the_start_with_its_reason(qtbot, db_file: Path, monkeypatch) -> None:
    con = sqlite3.connect(db_file)  # a SQLite file, but from a newer drillapp: the open refuses it
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    con.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    con.execute("CREATE TABLE app_user (id INTEGER PRIMARY KEY, username TEXT, password_hash TEXT)")
    con.commit()
    con.close()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main installs its own: keep pytest's
    told: list[str] = []
    monkeypatch.setattr(start, "start_failed", told.append)
    monkeypatch.setattr(login.FirstRunDialog, "exec", lambda dialog: (start.QTimer.singleShot(
        0, lambda: None), dialog.users.opening.wait(), 0)[2])
    assert start.main(f"sqlite:///{db_file}") == 1
    assert len(told) == 1 and told[0]


def test_an_unattended_start_on_a_database_that_cannot_be_opened_says_so_first(db_file: Path, monkeypatch) -> None:
    db = open_database(f"sqlite:///{db_file}")
    UserService(db, SYSTEM_ACTOR).create_first_administrator("zhao", PASSWORD)
    db.dispose()
    con = sqlite3.connect(db_file)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setenv("DRILLAPP_USER", "zhao")
    monkeypatch.setenv("DRILLAPP_PASSWORD", PASSWORD)
    told: list[str] = []
    monkeypatch.setattr(start, "start_failed", told.append)
    monkeypatch.setattr(login.LoginDialog, "exec", lambda dialog: pytest.fail("no log-in dialog"))
    assert start.main(f"sqlite:///{db_file}") == 1
    assert len(told) == 1 and told[0]
