"""Log-in at start, the first start's administrator, and changing one's password.

Light on purpose: the log-in (or first-start) dialog is the first window and appears before SQLAlchemy and the
models are imported (drillapp/ui/start.py; tests/test_fast_start.py guards it). The dialogs are handed a
`UserService`, or at start-up a stand-in with the same methods that waits for the database being opened.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QDialog, QLineEdit, QWidget

from drillapp.i18n import _
from drillapp.logsetup import local_username
from drillapp.services.errors import DomainError
from drillapp.services.password_policy import MIN_PASSWORD
from drillapp.ui import settings
from drillapp.ui.form_dialog import FormDialog, password_field

if TYPE_CHECKING:
    from drillapp.services.context import Actor
    from drillapp.services.users import UserService

LAST_USER = settings.Option("login/last_user", "", str)


class LogInUsers(Protocol):
    """What the log-in and first-start dialogs ask of the accounts: a UserService, or at start-up
    drillapp.ui.start.StartUsers (answers from a look at the file; the log-in waits for the database)."""

    def login_required(self) -> bool: ...

    def is_command_line_account(self, username: str) -> bool: ...

    def authenticate(self, username: str, password: str) -> Actor: ...

    def create_first_administrator(self, username: str, password: str, display_name: str = "") -> Actor: ...


_Form = FormDialog
_password_field = password_field


class LoginDialog(_Form):
    def __init__(self, users: LogInUsers, parent: QWidget | None = None) -> None:
        super().__init__(_("Log in to drillapp"), _("Log in with your user name and password."), parent)
        self.users = users
        self.actor: Actor | None = None
        name = settings.get(LAST_USER)
        if not name:  # the login name of this PC, unless it is the command line's account (it cannot log in)
            name = local_username()
            if users.is_command_line_account(name):
                name = ""
        self.username = QLineEdit(name, self)
        self.username.setObjectName("username")
        self.password = _password_field(self, "password")
        self.form.addRow(_("User name:"), self.username)
        self.form.addRow(_("Password:"), self.password)
        (self.password if name else self.username).setFocus()

    def operation(self) -> Callable[[], Actor]:
        users, name, secret = self.users, self.username.text().strip(), self.password.text()
        self.password.clear()
        return lambda: users.authenticate(name, secret)

    def on_result(self, actor: Actor) -> None:
        self.actor = actor
        settings.put(LAST_USER, actor.username)


class FirstRunDialog(_Form):
    """The first start: whoever installs the app becomes its administrator."""

    def __init__(self, users: LogInUsers, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Welcome to drillapp"),
            _("This is the first start. Create the administrator account: it can add the other users "
              "and give them their roles."),
            parent,
        )
        self.users = users
        self.actor: Actor | None = None
        self.username = QLineEdit(local_username(), self)
        self.username.setObjectName("username")
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("displayName")
        self.password = _password_field(self, "password")
        self.repeat = _password_field(self, "repeat")
        self.password.setPlaceholderText(_("at least {n} characters").format(n=MIN_PASSWORD))
        self.form.addRow(_("User name:"), self.username)
        self.form.addRow(_("Name:"), self.display_name)
        self.form.addRow(_("Password:"), self.password)
        self.form.addRow(_("Repeat password:"), self.repeat)

    def operation(self) -> Callable[[], Actor]:
        if self.password.text() != self.repeat.text():
            raise DomainError(_("The two passwords differ."))
        users, name, secret = self.users, self.username.text().strip(), self.password.text()
        display = self.display_name.text().strip()
        return lambda: users.create_first_administrator(name, secret, display)

    def on_result(self, actor: Actor) -> None:
        self.actor = actor
        settings.put(LAST_USER, actor.username)


class ChangePasswordDialog(_Form):
    def __init__(self, users: UserService, parent: QWidget | None = None) -> None:
        super().__init__(_("Change password"), _("Your new password needs at least {n} characters.").format(
            n=MIN_PASSWORD), parent)
        self.users = users
        self.old = _password_field(self, "oldPassword")
        self.new = _password_field(self, "newPassword")
        self.repeat = _password_field(self, "repeat")
        self.form.addRow(_("Current password:"), self.old)
        self.form.addRow(_("New password:"), self.new)
        self.form.addRow(_("Repeat new password:"), self.repeat)

    def operation(self) -> Callable[[], None]:
        if self.new.text() != self.repeat.text():
            raise DomainError(_("The two new passwords differ."))
        users, old, new = self.users, self.old.text(), self.new.text()
        return lambda: users.change_password(old, new)


def log_in(users: LogInUsers, parent: QWidget | None = None) -> Actor | None:
    """Who is using the app: from $DRILLAPP_USER/$DRILLAPP_PASSWORD if they are right, else by asking.
    None when the user cancels."""
    if not users.login_required():
        first = FirstRunDialog(users, parent)
        return first.actor if first.exec() == QDialog.DialogCode.Accepted else None
    name, secret = os.environ.get("DRILLAPP_USER"), os.environ.get("DRILLAPP_PASSWORD")
    dialog = LoginDialog(users, parent)
    if name and secret:
        from drillapp.ui.operations import WriteOp

        try:
            return WriteOp(parent, lambda: users.authenticate(name, secret)).wait()
        except DomainError as exc:
            dialog.username.setText(name)
            dialog.error.setText(exc.message)
    return dialog.actor if dialog.exec() == QDialog.DialogCode.Accepted else None
