"""Settings → Users (administrators): add users, give roles and branches, reset passwords, deactivate."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import Role
from drillapp.services.audit_view import AuditViewService
from drillapp.services.errors import ConflictError, DomainError
from drillapp.services.org import OrgService
from drillapp.services.users import UserRow, UserService
from drillapp.ui.conflict import ask_reload
from drillapp.ui.errors import show_error
from drillapp.ui.login import _Form, _password_field
from drillapp.ui.operations import WriteOp


class UserDialog(_Form):
    """Add a user (with a first password), or edit one's name, role and branch."""

    def __init__(self, users: UserService, org: OrgService, row: UserRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Add user") if row is None else _("Edit user"),
                         _("The role decides what the user may do; some rights are limited to their own branch."),
                         parent)
        self.users, self.row = users, row
        self.username = QLineEdit(row.username if row else "", self)
        self.username.setObjectName("username")
        self.username.setEnabled(row is None)
        self.display_name = QLineEdit(row.display_name if row else "", self)
        self.display_name.setObjectName("displayName")
        self.role = QComboBox(self)
        self.role.setObjectName("role")
        for role in Role:
            self.role.addItem(label(role), role)
        self.role.setCurrentIndex(self.role.findData(row.role if row else Role.VIEWER))
        self.branch = QComboBox(self)
        self.branch.setObjectName("branch")
        self.branch.addItem(_("(no branch)"), None)
        for b in org.branches():
            self.branch.addItem(f"{b.name_zh} · {label(b.agency)}", b.id)
        self.branch.setCurrentIndex(max(0, self.branch.findData(row.branch_id if row else None)))
        self.port = QComboBox(self)
        self.port.setObjectName("port")
        self.port.addItem(_("(every port)"), None)
        for p in org.ports():
            self.port.addItem(f"{p.code} · {p.name_zh}", p.id)
        self.port.setCurrentIndex(max(0, self.port.findData(row.port_id if row else None)))
        self.port.setToolTip(_("A user limited to one port sees and changes only that port"))
        self.form.addRow(_("User name:"), self.username)
        self.form.addRow(_("Name:"), self.display_name)
        self.form.addRow(_("Role:"), self.role)
        self.form.addRow(_("Branch:"), self.branch)
        self.form.addRow(_("Works on:"), self.port)
        self.password = _password_field(self, "password")
        if row is None:
            self.form.addRow(_("First password:"), self.password)

    def operation(self) -> Callable[[], object]:
        users, role, branch, port = self.users, self.role.currentData(), self.branch.currentData(), \
            self.port.currentData()
        if self.row is None:
            name, display, password = self.username.text().strip(), self.display_name.text().strip(), \
                self.password.text()

            def create() -> int:
                user_id = users.create_user(name, role, display, branch, password=password)
                if port is not None:
                    version = next(u.row_version for u in users.users() if u.id == user_id)
                    users.update_user(user_id, version, port_id=port)
                return user_id

            return create
        row = self.row
        display = self.display_name.text().strip() or row.username
        return lambda: users.update_user(row.id, row.row_version, display_name=display, role=role,
                                         branch_id=branch, port_id=port)

    def conflict(self, exc: ConflictError) -> bool:
        """Changed on another workstation since the list was read: reload (the change is made again on fresh
        data), or keep the dialog open."""
        assert self.row is not None
        history = AuditViewService(self.users.db, self.users.actor, self.users.clock)
        if ask_reload(exc, history, "app_user", self.row.id, self):
            self.reload_requested = True
            return True
        return False


class ResetPasswordDialog(_Form):
    def __init__(self, users: UserService, row: UserRow, parent: QWidget | None = None) -> None:
        super().__init__(_("Reset password"), _("Set a new password for {user}; a lock-out is lifted too.").format(
            user=row.username), parent)
        self.users, self.row = users, row
        self.new = _password_field(self, "newPassword")
        self.repeat = _password_field(self, "repeat")
        self.form.addRow(_("New password:"), self.new)
        self.form.addRow(_("Repeat new password:"), self.repeat)

    def operation(self) -> Callable[[], None]:
        if self.new.text() != self.repeat.text():
            raise DomainError(_("The two new passwords differ."))
        users, user_id, password = self.users, self.row.id, self.new.text()
        return lambda: users.reset_password(user_id, password)


class UsersPanel(QWidget):
    COLUMNS = ("username", "name", "role", "branch", "active", "password", "locked")

    def __init__(self, users: UserService, org: OrgService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersPanel")
        self.users, self.org = users, org
        self.rows: list[UserRow] = []
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("usersTable")
        self.table.setHorizontalHeaderLabels([
            _("User name"), _("Name"), _("Role"), _("Branch"), _("Enabled"), _("Password set"), _("Locked until"),
        ])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_button = QPushButton(_("Add user…"), self)
        self.add_button.setObjectName("addUser")
        self.edit_button = QPushButton(_("Edit…"), self)
        self.edit_button.setObjectName("editUser")
        self.reset_button = QPushButton(_("Reset password…"), self)
        self.reset_button.setObjectName("resetPassword")
        self.active_button = QPushButton(_("Deactivate"), self)
        self.active_button.setObjectName("toggleActive")
        self.unlock_button = QPushButton(_("Unlock"), self)
        self.unlock_button.setObjectName("unlockUser")
        self.unlock_button.setToolTip(_("Lift the lock-out after failed log-ins now, without waiting"))
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.reset_button, self.active_button, self.unlock_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.add_button.clicked.connect(lambda: self._dialog(UserDialog(self.users, self.org, None, self)))
        self.edit_button.clicked.connect(lambda: self._with_selected(
            lambda r: self._dialog(UserDialog(self.users, self.org, r, self))))
        self.reset_button.clicked.connect(lambda: self._with_selected(
            lambda r: self._dialog(ResetPasswordDialog(self.users, r, self))))
        self.active_button.clicked.connect(lambda: self._with_selected(self._toggle_active))
        self.unlock_button.clicked.connect(lambda: self._with_selected(self._unlock))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.reload()

    def reload(self) -> None:
        self.rows = self.users.users()
        branches = {b.id: b.name_zh for b in self.org.branches()}
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            values = [row.username, row.display_name, label(row.role), branches.get(row.branch_id, "") if row.branch_id is not None else "",
                      _("yes") if row.active else _("no"), _("yes") if row.has_password else _("no"),
                      to_local(row.locked_until).strftime("%Y-%m-%d %H:%M") if row.locked_until else ""]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                self.table.setItem(r, c, item)
        self._update_buttons()

    def selected(self) -> UserRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        row = self.selected()
        for b in (self.edit_button, self.reset_button, self.active_button):
            b.setEnabled(row is not None)
        self.active_button.setText(_("Activate") if row is not None and not row.active else _("Deactivate"))
        self.unlock_button.setEnabled(row is not None and row.locked_until is not None)

    def _with_selected(self, action) -> None:  # noqa: ANN001
        row = self.selected()
        if row is not None:
            action(row)

    def _dialog(self, dialog: QDialog) -> None:
        dialog.exec()
        self.reload()  # saved, cancelled, or told to reload after a conflict: show what the database holds

    def _unlock(self, row: UserRow) -> None:
        users = self.users
        WriteOp(self, lambda: users.unlock(row.id)).success(lambda _r: self.reload()).failure(self._refused) \
            .run(initiator=self)

    def _toggle_active(self, row: UserRow) -> None:
        users = self.users
        WriteOp(self, lambda: users.update_user(row.id, row.row_version, active=not row.active)) \
            .success(lambda _r: self.reload()).failure(self._refused).run(initiator=self)

    def _refused(self, exc: BaseException) -> None:
        show_error(self, exc)
        self.reload()
