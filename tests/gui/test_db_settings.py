"""Settings → Shared database: test, use, and what is stored where."""

from __future__ import annotations

import os
from pathlib import Path

import keyring
import pytest
from helpers import databases
from sqlalchemy.engine import make_url

from drillapp.services.data_info import DataInfoService
from drillapp.ui import settings
from drillapp.ui.db_settings import SharedDatabaseBox, startup_url


@pytest.fixture
def memory_keyring():
    from test_connection import MemoryKeyring

    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


def test_use_a_shared_database_keeps_the_password_out_of_the_settings_file(qtbot, memory_keyring) -> None:
    reason = databases.pg_unreachable_reason()
    if reason:
        pytest.skip(reason)
    pg = make_url(databases.PG_URL)
    box = SharedDatabaseBox(DataInfoService.test_connection)
    qtbot.addWidget(box)
    box.host.setText(pg.host)
    box.port.setValue(pg.port or 5432)
    box.database.setText(pg.database)
    box.user.setText(pg.username)
    box.password.setText("not-needed-with-trust-auth")
    box.use_button.click()
    assert "Restart drillapp" in box.status.text()
    stored = settings.get(settings.DATABASE_URL)
    assert make_url(stored).host == pg.host and make_url(stored).password is None
    ini = Path(os.environ["DRILLAPP_HOME"]) / "drillapp.ini"
    assert "not-needed-with-trust-auth" not in ini.read_text(encoding="utf-8")
    assert "not-needed-with-trust-auth" in memory_keyring.store.values()
    assert make_url(startup_url(None)).password == "not-needed-with-trust-auth"
    box.local_button.click()
    assert settings.get(settings.DATABASE_URL) == "" and startup_url(None) is None


def test_a_wrong_server_is_reported_not_stored(qtbot) -> None:
    box = SharedDatabaseBox(DataInfoService.test_connection)
    qtbot.addWidget(box)
    box.host.setText("127.0.0.1")
    box.port.setValue(1)
    box.user.setText("nobody")
    box.use_button.click()
    assert "Could not connect" in box.status.text()
    assert settings.get(settings.DATABASE_URL) == ""
    box.host.setText("")
    box.test_button.click()
    assert "Give the server" in box.status.text()
