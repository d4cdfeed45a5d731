"""Log-in, the first start's administrator, password changes and user administration, through the dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from drillapp.models import User
from drillapp.models.enums import Role
from drillapp.services.context import SYSTEM_ACTOR
from drillapp.services.users import LoginError, UserService
from drillapp.ui import login
from drillapp.ui.login import ChangePasswordDialog, FirstRunDialog, LoginDialog
from drillapp.ui.pages.users_panel import ResetPasswordDialog, UserDialog, UsersPanel

PASSWORD = "port-office-2026"


def _ok(dialog: QDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


@pytest.fixture
def users(world) -> UserService:
    return UserService(world.db, SYSTEM_ACTOR)


def test_first_start_creates_the_administrator(qtbot, users) -> None:
    dialog = FirstRunDialog(users)
    qtbot.addWidget(dialog)
    dialog.username.setText("zhao")
    dialog.display_name.setText("赵 <主任>")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.repeat, "something else")
    _ok(dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted and "differ" in dialog.error.text()
    dialog.repeat.setText(PASSWORD)
    _ok(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.role is Role.ADMINISTRATOR
    assert dialog.actor.display_name == "赵 <主任>"
    assert users.login_required()


def test_log_in_wrong_then_right(qtbot, users) -> None:
    users.create_first_administrator("zhao", PASSWORD)
    dialog = LoginDialog(users)
    qtbot.addWidget(dialog)
    dialog.username.setText("zhao")
    qtbot.keyClicks(dialog.password, "not-the-password")
    _ok(dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "Wrong user name or password" in dialog.error.text()
    assert dialog.password.text() == "", "a wrong password is cleared"
    qtbot.keyClicks(dialog.password, PASSWORD)
    _ok(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.actor.username == "zhao"
    again = LoginDialog(users)
    qtbot.addWidget(again)
    assert again.username.text() == "zhao", "the last user name is remembered"


def test_credentials_from_the_environment_skip_the_dialog(users, monkeypatch) -> None:
    users.create_first_administrator("zhao", PASSWORD)
    monkeypatch.setenv("DRILLAPP_USER", "zhao")
    monkeypatch.setenv("DRILLAPP_PASSWORD", PASSWORD)
    assert login.log_in(users).username == "zhao"


def test_change_password_dialog(qtbot, world, users) -> None:
    admin = users.create_first_administrator("zhao", PASSWORD)
    dialog = ChangePasswordDialog(UserService(world.db, admin))
    qtbot.addWidget(dialog)
    dialog.old.setText(PASSWORD)
    dialog.new.setText("short")
    dialog.repeat.setText("short")
    _ok(dialog)
    assert "at least 8" in dialog.error.text()
    dialog.new.setText("a-much-better-one")
    dialog.repeat.setText("a-much-better-one")
    _ok(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert users.authenticate("zhao", "a-much-better-one").username == "zhao"


def test_administrator_adds_edits_resets_and_deactivates_a_user(qtbot, demo_world) -> None:
    services = demo_world.services
    panel = UsersPanel(services.users, services.org)
    qtbot.addWidget(panel)
    add = UserDialog(services.users, services.org)
    qtbot.addWidget(add)
    add.username.setText("li")
    add.display_name.setText("李值班")
    add.role.setCurrentIndex(add.role.findData(Role.DUTY_OFFICER))
    add.branch.setCurrentIndex(2)
    add.password.setText("duty-officer-1")
    _ok(add)
    assert add.result() == QDialog.DialogCode.Accepted
    panel.reload()
    names = [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]
    assert "li" in names
    row = names.index("li")
    assert panel.table.item(row, 2).text() == "Duty officer"
    panel.table.selectRow(row)
    assert panel.reset_button.isEnabled()
    li = panel.selected()
    edit = UserDialog(services.users, services.org, li)
    qtbot.addWidget(edit)
    edit.role.setCurrentIndex(edit.role.findData(Role.TEAM_LEAD))
    _ok(edit)
    reset = ResetPasswordDialog(services.users, li)
    qtbot.addWidget(reset)
    reset.new.setText("new-duty-pass")
    reset.repeat.setText("new-duty-pass")
    _ok(reset)
    assert UserService(demo_world.db, SYSTEM_ACTOR).authenticate("li", "new-duty-pass").role is Role.TEAM_LEAD
    panel.reload()
    panel.table.selectRow(row)
    assert panel.active_button.text() == "Deactivate"
    panel.active_button.click()
    assert panel.table.item(row, 4).text() == "no"


def test_users_tab_only_for_administrators(window, demo_world) -> None:
    window.show_area("settings")
    assert window.settings_page.users_panel is not None


def test_editing_a_user_changed_on_another_workstation(qtbot, demo_world, monkeypatch) -> None:
    """Scenario 6 on an editable record: the second save is stopped with who and when; reload or compare."""
    from drillapp.db import Database
    from drillapp.services import Services
    from drillapp.ui import conflict

    services = demo_world.services
    uid = services.users.create_user("li", Role.VIEWER, "李", password="viewer-pass-1")
    panel = UsersPanel(services.users, services.org)
    qtbot.addWidget(panel)
    row = [r for r in panel.rows if r.id == uid][0]
    other = Database.open(demo_world.db.url)  # the port office's workstation saves first
    try:
        Services(other, services.actor).users.update_user(uid, display_name="李（口岸办改）", expected_version=Services(other, services.actor).users.version_of(User, uid))
    finally:
        other.dispose()

    shown: list[conflict.ConflictDialog] = []
    compared: list[str] = []
    monkeypatch.setattr(conflict.QMessageBox, "information", lambda _p, _title, text: compared.append(text))

    def fake_exec(dialog: conflict.ConflictDialog) -> int:  # the person clicks Compare, reads, then Reload
        shown.append(dialog)
        dialog.compare_button.click()
        dialog.reload_button.click()
        return 0

    monkeypatch.setattr(conflict.ConflictDialog, "exec", fake_exec)
    edit = UserDialog(services.users, services.org, row)
    qtbot.addWidget(edit)
    edit.display_name.setText("李（值班室改）")
    _ok(edit)
    assert len(shown) == 1
    assert "changed by zhao at" in shown[0].text()
    assert compared and "李（口岸办改）" in compared[0], "compare shows what the other desk changed"
    assert edit.result() == QDialog.DialogCode.Rejected, "reload: closed without saving"
    panel.reload()
    assert [r for r in panel.rows if r.id == uid][0].display_name == "李（口岸办改）", "nothing overwritten"


def test_file_menu_changes_the_logged_in_users_password(window, demo_world, monkeypatch) -> None:
    """File → Change password… opens the dialog for whoever is logged in; the change is made through it."""
    system = UserService(demo_world.db, SYSTEM_ACTOR)
    system.create_first_administrator("zhao", PASSWORD)  # the window's user gets a password to change
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    action = window.actions_by_id["change_password"]
    assert action in file_menu.actions() and action.text() == "Change &password…"
    shown: list[ChangePasswordDialog] = []

    def fill_and_ok(dialog: ChangePasswordDialog) -> int:
        shown.append(dialog)
        dialog.old.setText(PASSWORD)
        dialog.new.setText("night-duty-2027")
        dialog.repeat.setText("night-duty-2027")
        _ok(dialog)
        return dialog.result()

    monkeypatch.setattr(ChangePasswordDialog, "exec", fill_and_ok)
    action.trigger()

    assert len(shown) == 1 and shown[0].parent() is window
    assert shown[0].result() == QDialog.DialogCode.Accepted and shown[0].error.text() == ""
    assert system.authenticate("zhao", "night-duty-2027").username == "zhao"
    with pytest.raises(LoginError):
        system.authenticate("zhao", PASSWORD)


def test_the_command_lines_account_is_not_offered_and_is_told_plainly(qtbot, users, monkeypatch) -> None:
    """`drillapp demo` run as root made the password-less account root; then the first start made zhao. The
    log-in does not offer root (this PC's login name), and typing it says why it cannot log in."""
    users.ensure_local_user("root")
    users.create_first_administrator("zhao", PASSWORD)
    monkeypatch.setattr(login, "local_username", lambda: "root")
    dialog = LoginDialog(users)
    qtbot.addWidget(dialog)
    assert dialog.username.text() == ""
    dialog.username.setText("root")
    dialog.password.setText("anything-1")
    _ok(dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "wrong user name or password" in dialog.error.text().lower(), "the same words as any failure"
    from drillapp.services.org import OrgService

    zhao = users.authenticate("zhao", PASSWORD)
    panel = UsersPanel(UserService(users.db, zhao), OrgService(users.db, zhao))
    qtbot.addWidget(panel)
    listed = [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]
    assert listed == ["zhao"], "Settings → Users lists the app's users, not the command line's account"


def test_the_first_start_still_comes_when_only_the_command_line_has_used_the_database(users, monkeypatch) -> None:
    users.ensure_local_user("root")  # `drillapp demo`: nobody has a password yet
    shown: list[QDialog] = []
    monkeypatch.setattr(FirstRunDialog, "exec", lambda dialog: (shown.append(dialog), 0)[1])
    monkeypatch.setattr(LoginDialog, "exec", lambda dialog: pytest.fail("no log-in before the first start"))
    assert login.log_in(users) is None
    assert len(shown) == 1 and shown[0].username.text()  # offers this PC's login name for the administrator
