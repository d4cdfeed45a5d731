"""Settings → Shared database: test a PostgreSQL connection and remember it (password in the keyring),
and the start-up side: which database to open, asking for a password the keyring does not hold."""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from drillapp import connection
from drillapp.i18n import _
from drillapp.services.errors import DomainError
from drillapp.services.settings_info import ENV_VAR
from drillapp.ui import settings
from drillapp.ui.operations import QueryOp


class SharedDatabaseBox(QGroupBox):
    """Where several workstations share one PostgreSQL database."""

    switched = Signal(str)  # the URL now remembered ("" for the local database)

    def __init__(self, test_connection: Callable[[str, str | None], str],
                 parent: QWidget | None = None) -> None:
        """`test_connection(url, password)` says which server answered (a service call, run off the GUI
        thread)."""
        super().__init__(_("Shared database (several workstations)"), parent)
        self.test_connection = test_connection
        self.setObjectName("sharedDatabase")
        form = QFormLayout(self)
        self.host = QLineEdit(self)
        self.host.setObjectName("host")
        self.host.setPlaceholderText(_("server name or address"))
        self.port = QSpinBox(self)
        self.port.setObjectName("port")
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("drillapp", self)
        self.database.setObjectName("database")
        self.user = QLineEdit(self)
        self.user.setObjectName("user")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.require_tls = QCheckBox(_("Require an encrypted connection (TLS)"), self)
        self.require_tls.setObjectName("requireTls")
        self.require_tls.setToolTip(_("Without this the connection is encrypted when the server offers it; with "
                                      "it, a server that cannot encrypt is refused."))
        server_row = QHBoxLayout()
        server_row.addWidget(self.host, 1)
        server_row.addWidget(QLabel(_("Port:"), self))
        server_row.addWidget(self.port)
        form.addRow(_("Server:"), server_row)
        form.addRow(_("Database:"), self.database)
        form.addRow(_("User:"), self.user)
        form.addRow(_("Password:"), self.password)
        form.addRow(self.require_tls)
        self.test_button = QPushButton(_("Test connection"), self)
        self.test_button.setObjectName("testConnection")
        self.use_button = QPushButton(_("Use this database"), self)
        self.use_button.setObjectName("useDatabase")
        self.local_button = QPushButton(_("Use the local database"), self)
        self.local_button.setObjectName("useLocal")
        buttons = QHBoxLayout()
        for b in (self.test_button, self.use_button, self.local_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        form.addRow(self.status)
        self.test_button.clicked.connect(self.test)
        self.use_button.clicked.connect(self.use)
        self.local_button.clicked.connect(self.use_local)
        self._show_current()

    def _show_current(self) -> None:
        from sqlalchemy.engine import make_url

        stored = settings.get(settings.DATABASE_URL)
        if stored:
            url = make_url(stored)
            self.host.setText(url.host or "")
            self.port.setValue(url.port or 5432)
            self.database.setText(url.database or "")
            self.user.setText(url.username or "")
            self.require_tls.setChecked(connection.requires_tls(stored))
            self.status.setText(_("In use from the next start: {url}").format(url=url.render_as_string()))
        else:
            self.status.setText(_("This workstation uses its local database."))

    def url(self) -> str:
        return connection.build_url(self.host.text(), self.port.value(), self.database.text(), self.user.text(),
                                    self.require_tls.isChecked())

    def test(self) -> None:
        try:
            url = self.url()
        except DomainError as exc:
            self.status.setText(exc.message)
            return
        self.status.setText(_("Connecting…"))
        password = self.password.text()
        QueryOp(self, lambda: self.test_connection(url, password)) \
            .success(lambda version: self.status.setText(_("Connected: {server}").format(server=version))) \
            .failure(lambda exc: self.status.setText(getattr(exc, "message", str(exc)))).run()

    def use(self) -> None:
        """Test the connection (off the GUI thread), then remember the database for the next start."""
        try:
            url = self.url()
        except DomainError as exc:
            self.status.setText(exc.message)
            return
        password = self.password.text()
        self.status.setText(_("Connecting…"))
        QueryOp(self, lambda: self.test_connection(url, password)) \
            .success(lambda version: self._use(url, password, version)) \
            .failure(lambda exc: self.status.setText(getattr(exc, "message", str(exc)))).run()

    def _use(self, url: str, password: str, version: str) -> None:
        settings.put(settings.DATABASE_URL, url)
        if password:
            stored = connection.store_password(url, password)
            where = (_("The password is kept in the system keyring.") if stored else
                     _("There is no system keyring here, so the password is not stored: you will be asked "
                       "for it at each start."))
        else:
            where = ""
        self.password.clear()
        self.status.setText(_("Connected: {server}. Restart drillapp to work on this database.").format(
            server=version) + " " + where)
        self.switched.emit(url)

    def use_local(self) -> None:
        settings.put(settings.DATABASE_URL, "")
        self.status.setText(_("Restart drillapp to work on the local database again."))
        self.switched.emit("")


def startup_url(db_url: str | None, parent: QWidget | None = None) -> str | None:
    """The database to open: --db, then $DRILLAPP_DB, then the shared one remembered here (its password
    from the keyring, or asked for), else None for the local default."""
    if db_url or os.environ.get(ENV_VAR):
        return db_url
    stored = settings.get(settings.DATABASE_URL)
    if not stored:
        return None
    password = connection.load_password(stored)
    if password is None:
        password, ok = QInputDialog.getText(
            parent, _("Shared database"), _("Password for {url}:").format(url=stored), QLineEdit.EchoMode.Password
        )
        if not ok:
            return None
    return connection.with_password(stored, password)
