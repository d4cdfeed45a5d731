"""The window's side of issue 13: a session whose account is deactivated ends (items 6), an administrator
unlocks an account from Settings → Users (10), the shared database can require TLS (11), and only those
whose role allows them see the audit trail and the backup and restore commands (8)."""

from __future__ import annotations

import pytest
import shiboken6
from helpers import builders
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy.engine import make_url

from drillapp.models import User
from drillapp.models.enums import Role
from drillapp.services import Services
from drillapp.services.context import SYSTEM_ACTOR, Actor
from drillapp.services.data_info import DataInfoService
from drillapp.services.users import MAX_FAILURES, LoginError, UserService
from drillapp.ui import settings
from drillapp.ui.app import AppController, apply_language
from drillapp.ui.db_settings import SharedDatabaseBox
from drillapp.ui.main_window import MainWindow


@pytest.fixture
def controller(qtbot, demo_world):
    ctl = AppController(QApplication.instance(), demo_world)
    yield ctl
    if ctl.window is not None:
        ctl.window.close()
    ctl.watcher.stop()
    ctl.reminders.stop()
    apply_language(QApplication.instance(), "en")


def _select(panel, username: str) -> None:
    row = next(r for r, u in enumerate(panel.rows) if u.username == username)
    panel.table.selectRow(row)


def test_a_deactivated_account_is_told_and_its_window_closes_for_the_log_in(controller, demo_world, qtbot,
                                                                           monkeypatch):
    monkeypatch.setattr(controller.reminders, "start", lambda: None)  # no scheduler: this is about the session
    window = controller.show()  # the controller closes and deletes it (so not handed to qtbot)
    zhao = demo_world.services
    other_admin = builders.actor(zhao, Role.ADMINISTRATOR, "qian")
    zhao.users.create_user("guest", Role.VIEWER, password="guest-pass-1")
    Services(demo_world.db, other_admin, zhao.clock).users.update_user(demo_world.actor.user_id, active=False, expected_version=Services(demo_world.db, other_admin, zhao.clock).users.version_of(User, demo_world.actor.user_id))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: told.append(text))

    window.show_area("settings")
    panel = window.settings_page.users_panel
    _select(panel, "guest")
    panel.active_button.click()  # zhao's next change: refused, the account is gone

    assert len(told) == 1 and "deactivated" in told[0]
    qtbot.waitUntil(lambda: controller.session_ended)
    assert controller.window is None
    assert not shiboken6.isValid(window) or not window.isVisible()  # closed, and deleted once the loop runs
    assert next(u for u in UserService(demo_world.db, SYSTEM_ACTOR).users() if u.username == "guest").active


def test_an_administrator_unlocks_an_account_from_the_users_panel(window, demo_world):
    demo_world.services.users.create_user("li", Role.DUTY_OFFICER, password="duty-officer-1")
    demo_world.services.users.create_user("qian", Role.VIEWER, password="viewer-pass-1")
    system = UserService(demo_world.db, SYSTEM_ACTOR, demo_world.services.clock)
    for n in range(MAX_FAILURES):
        with pytest.raises(LoginError):
            system.authenticate("li", f"wrong-{n}")
    window.show_area("settings")
    panel = window.settings_page.users_panel
    panel.reload()
    _select(panel, "qian")
    assert not panel.unlock_button.isEnabled()  # nothing to lift
    _select(panel, "li")
    assert panel.unlock_button.isEnabled()

    panel.unlock_button.click()

    assert system.authenticate("li", "duty-officer-1").username == "li"
    _select(panel, "li")
    assert not panel.unlock_button.isEnabled()


def test_the_shared_database_can_require_tls(qtbot):
    box = SharedDatabaseBox(DataInfoService.test_connection)
    qtbot.addWidget(box)
    box.host.setText("db.port.local")
    box.database.setText("drillapp")
    box.user.setText("duty")
    assert not box.require_tls.isChecked()
    assert "sslmode" not in make_url(box.url()).query  # prefer: drillapp asks for TLS when the server has it
    box.require_tls.setChecked(True)
    assert make_url(box.url()).query["sslmode"] == "require"
    settings.put(settings.DATABASE_URL, box.url())
    again = SharedDatabaseBox(DataInfoService.test_connection)
    qtbot.addWidget(again)
    assert again.require_tls.isChecked(), "the choice is shown as it was saved"


@pytest.mark.parametrize(("role", "sees_trail", "copies"), [
    (Role.ADMINISTRATOR, True, True), (Role.COORDINATOR, True, False), (Role.TEAM_LEAD, False, False),
    (Role.VIEWER, False, False),
])
def test_only_allowed_roles_see_the_audit_trail_and_the_backup_commands(qtbot, demo_world, role, sees_trail,
                                                                        copies):
    uid = demo_world.services.users.create_user(f"u-{role.value}", role)
    services = Services(demo_world.db, Actor(uid, f"u-{role.value}", role), demo_world.services.clock)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show_area("settings")
    tabs = window.settings_page.tabs
    titles = [tabs.tabText(i) for i in range(tabs.count())]

    assert ("Audit trail" in titles) is sees_trail
    assert window.actions_by_id["backup"].isEnabled() is copies
    assert window.actions_by_id["restore"].isEnabled() is copies


@pytest.mark.sqlite_only("restore replaces the SQLite file: PostgreSQL is restored with pg_restore")
def test_file_restore_refuses_a_damaged_backup_with_the_reason_and_ends_the_session_after_a_good_one(
        window, demo_world, qtbot, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from drillapp.services.backup import BackupService

    good = BackupService(demo_world.db, demo_world.actor).backup(tmp_path / "good.sqlite3")
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
    chosen: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (chosen[-1], ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    informed: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: informed.append(text))
    ended: list[bool] = []
    window.session_over.connect(lambda: ended.append(True))

    chosen.append(str(bad))
    window.restore_database()
    assert len(warned) == 1 and "not a drillapp backup" in warned[0] and "was not changed" in warned[0]
    assert ended == [] and informed == []

    chosen.append(str(good))
    window.restore_database()
    assert len(informed) == 1 and "Log in again" in informed[0]
    assert ended == [True]
