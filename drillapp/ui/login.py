"""Log-in at start, the first start's administrator, and changing one's password."""

from __future__ import annotations

import os

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from drillapp.bootstrap import local_username
from drillapp.i18n import _
from drillapp.services.context import Actor
from drillapp.services.errors import DomainError
from drillapp.services.users import MIN_PASSWORD, UserService
from drillapp.ui import settings

LAST_USER = settings.Option("login/last_user", "", str)


def _password_field(parent: QWidget, name: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class _Form(QDialog):
    """A small form with an error line and OK/Cancel; subclasses fill in `submit`."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.form = QFormLayout()
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._try_submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.reload_requested = False

    def _try_submit(self) -> None:
        try:
            self.submit()
        except DomainError as exc:
            self.error.setText(exc.message)
            return
        if self.reload_requested:  # a conflict, and the user chose to reload: close without saving
            self.reject()
        else:
            self.accept()

    def submit(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class LoginDialog(_Form):
    def __init__(self, users: UserService, parent: QWidget | None = None) -> None:
        super().__init__(_("Log in to drillapp"), _("Log in with your user name and password."), parent)
        self.users = users
        self.actor: Actor | None = None
        self.username = QLineEdit(settings.get(LAST_USER) or local_username(), self)
        self.username.setObjectName("username")
        self.password = _password_field(self, "password")
        self.form.addRow(_("User name:"), self.username)
        self.form.addRow(_("Password:"), self.password)
        self.password.setFocus()

    def submit(self) -> None:
        try:
            self.actor = self.users.authenticate(self.username.text().strip(), self.password.text())
        finally:
            self.password.clear()
        settings.put(LAST_USER, self.actor.username)


class FirstRunDialog(_Form):
    """The first start: whoever installs the app becomes its administrator."""

    def __init__(self, users: UserService, parent: QWidget | None = None) -> None:
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

    def submit(self) -> None:
        if self.password.text() != self.repeat.text():
            raise DomainError(_("The two passwords differ."))
        self.actor = self.users.create_first_administrator(
            self.username.text().strip(), self.password.text(), self.display_name.text().strip()
        )
        settings.put(LAST_USER, self.actor.username)


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

    def submit(self) -> None:
        if self.new.text() != self.repeat.text():
            raise DomainError(_("The two new passwords differ."))
        self.users.change_password(self.old.text(), self.new.text())


def log_in(users: UserService, parent: QWidget | None = None) -> Actor | None:
    """Who is using the app: from $DRILLAPP_USER/$DRILLAPP_PASSWORD if they are right, else by asking.
    None when the user cancels."""
    if not users.login_required():
        first = FirstRunDialog(users, parent)
        return first.actor if first.exec() == QDialog.DialogCode.Accepted else None
    name, secret = os.environ.get("DRILLAPP_USER"), os.environ.get("DRILLAPP_PASSWORD")
    dialog = LoginDialog(users, parent)
    if name and secret:
        try:
            return users.authenticate(name, secret)
        except DomainError as exc:
            dialog.username.setText(name)
            dialog.error.setText(exc.message)
    return dialog.actor if dialog.exec() == QDialog.DialogCode.Accepted else None
