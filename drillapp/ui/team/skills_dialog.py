"""The editable list of skills and certificates (first aid, Russian, driving class ...), for the team lead.

The names and "certificate required" are edited in place; each change is saved at once, row by row, through
`TeamService.rename_skill` with the row version read, so a change made meanwhile on another desk goes through
the conflict dialog. "Add…" (Insert) opens a small form; "Remove" (Delete) asks first, and the service refuses
while members hold the skill. Every cell is a plain-text item, so `<`, `&` and Chinese show as typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _
from drillapp.services.audit_view import AuditViewService
from drillapp.services.errors import ConflictError, DomainError, ValidationError
from drillapp.services.team import TeamService
from drillapp.services.team_overview import SkillRow
from drillapp.ui.conflict import ask_reload
from drillapp.ui.operations import WriteOp
from drillapp.ui.widgets import item_at

_INVALID = "border: 2px solid #b00020;"
_ERROR_STYLE = "color: #b00020;"
_ID = Qt.ItemDataRole.UserRole


def confirm_removal(parent: QWidget, text: str) -> bool:
    """Yes/No, No by default; plain text, so a name with `<` or `&` shows as written."""
    box = QMessageBox(QMessageBox.Icon.Question, _("Remove skill?"), text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setObjectName("confirmRemoveSkill")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    try:
        return box.exec() == QMessageBox.StandardButton.Yes
    finally:
        box.deleteLater()


class AddSkillDialog(QDialog):
    """Code, names and "certificate required" of a new skill; a problem is shown inline and the form stays."""

    def __init__(self, team: TeamService, taken_codes: set[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addSkillDialog")
        self.setWindowTitle(_("Add a skill"))
        self.setMinimumWidth(440)
        self.team, self.taken_codes = team, {c.casefold() for c in taken_codes}
        self.skill_id: int | None = None
        self.fields: dict[str, QLineEdit] = {}
        for key in ("code", "name_zh", "name_en"):
            edit = QLineEdit(self)
            edit.setObjectName(key)
            self.fields[key] = edit
        self.fields["code"].setMaxLength(32)
        self.fields["code"].setPlaceholderText(_("e.g. korean"))
        self.fields["name_zh"].setMaxLength(100)
        self.fields["name_en"].setMaxLength(100)
        self.certificate = QCheckBox(_("A certificate with an expiry date is required"), self)
        self.certificate.setObjectName("certificate_required")
        form = QFormLayout()
        form.addRow(_("Code:"), self.fields["code"])
        form.addRow(_("Chinese name:"), self.fields["name_zh"])
        form.addRow(_("English name:"), self.fields["name_en"])
        form.addRow("", self.certificate)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet(_ERROR_STYLE)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.fields["code"].setFocus()

    def submit(self) -> None:
        """Create the skill (one operation); the form closes once it is created."""
        code = self.fields["code"].text().strip()
        if code.casefold() in self.taken_codes:
            self._show_error(_("A skill with the code {code} is already on the list; choose another code.").format(
                code=code), "code")
            return
        team = self.team
        name_zh, name_en = self.fields["name_zh"].text(), self.fields["name_en"].text()
        certificate = self.certificate.isChecked()
        WriteOp(self, lambda: team.create_skill(code, name_zh, name_en, certificate)) \
            .success(self._created).failure(self._failed).run(initiator=self)

    def _created(self, skill_id: int) -> None:
        self.skill_id = skill_id
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, DomainError):
            from drillapp.ui.errors import show_error

            show_error(self, exc)
            return
        self._show_error(exc.message, exc.field if isinstance(exc, ValidationError) else None)

    def _show_error(self, message: str, field: str | None) -> None:
        self.error.setText(message)
        for key, widget in self.fields.items():
            widget.setStyleSheet(_INVALID if key == field else "")
        if field in self.fields:
            self.fields[field].setFocus()


class SkillsDialog(QDialog):
    """The list of skills and certificates: edit in place, add, remove, filter."""

    CODE, NAME_ZH, NAME_EN, CERTIFICATE, HOLDERS = range(5)

    def __init__(self, team: TeamService, history: AuditViewService | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("skillsDialog")
        self.setWindowTitle(_("Skills and certificates"))
        self.resize(820, 520)
        self.team, self.history = team, history
        self.rows: dict[int, SkillRow] = {}
        self._loading = False

        self.filter = QLineEdit(self)
        self.filter.setObjectName("filter")
        self.filter.setPlaceholderText(_("Filter by code or name"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.apply_filter)

        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("skills")
        self.table.setHorizontalHeaderLabels(
            [_("Code"), _("Chinese name"), _("English name"), _("Certificate required"), _("Members holding it")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column, mode in ((self.CODE, QHeaderView.ResizeMode.ResizeToContents),
                             (self.NAME_ZH, QHeaderView.ResizeMode.Stretch),
                             (self.NAME_EN, QHeaderView.ResizeMode.Stretch),
                             (self.CERTIFICATE, QHeaderView.ResizeMode.ResizeToContents),
                             (self.HOLDERS, QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)
        self.table.itemChanged.connect(self._item_changed)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet(_ERROR_STYLE)
        hint = QLabel(_("Double-click a name to change it; tick the box when the skill needs a certificate. "
                        "Changes are saved at once."), self)
        hint.setWordWrap(True)

        self.add_button = QPushButton(_("Add…"), self)
        self.add_button.setObjectName("addSkill")
        self.add_button.setToolTip(_("Add a skill (Insert)"))
        self.add_button.clicked.connect(lambda _checked=False: self.add())
        self.remove_button = QPushButton(_("Remove"), self)
        self.remove_button.setObjectName("removeSkill")
        self.remove_button.setToolTip(_("Remove the selected skill (Delete)"))
        self.remove_button.clicked.connect(lambda _checked=False: self.remove())
        self.close_button = QPushButton(_("Close"), self)
        self.close_button.setObjectName("close")
        self.close_button.setToolTip(_("Close (Esc)"))
        self.close_button.clicked.connect(self.reject)
        for button in (self.add_button, self.remove_button, self.close_button):
            button.setAutoDefault(False)  # Enter in the filter or a cell must not press a button
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        top = QHBoxLayout()
        top.addWidget(QLabel(_("Filter:"), self))
        top.addWidget(self.filter, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        QShortcut(QKeySequence(Qt.Key.Key_Insert), self).activated.connect(self.add)
        # Delete on the table only: in the filter box or a cell being edited it deletes text as usual.
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table)
        delete.activated.connect(self.remove)
        delete.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.reload()
        self.table.setFocus()

    # -- reading ----------------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        """Fill the table from the database, keeping (or moving to) the selected skill and the column."""
        keep = select_id if select_id is not None else self.current_id()
        column = max(self.table.currentColumn(), 0)
        rows = self.team.skills()
        self.rows = {r.id: r for r in rows}
        self._loading = True
        try:
            self.table.setRowCount(len(rows))
            for i, row in enumerate(rows):
                self._fill(i, row)
        finally:
            self._loading = False
        self.apply_filter()
        row_index = self.row_of(keep) if keep is not None else None
        if row_index is not None:
            self.table.setCurrentCell(row_index, column)
        self._update_buttons()

    def _fill(self, i: int, row: SkillRow) -> None:
        code = QTableWidgetItem(row.code)
        code.setData(_ID, row.id)
        code.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        code.setToolTip(_("The code is how imports and the roster refer to the skill; it cannot be changed."))
        name_zh, name_en = QTableWidgetItem(row.name_zh), QTableWidgetItem(row.name_en)
        editable = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
        name_zh.setFlags(editable)
        name_en.setFlags(editable)
        certificate = QTableWidgetItem()
        certificate.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
        certificate.setCheckState(Qt.CheckState.Checked if row.certificate_required else Qt.CheckState.Unchecked)
        certificate.setToolTip(_("Members need a valid certificate; the roster stops counting the skill from its "
                                 "expiry date."))
        holders = QTableWidgetItem(str(row.holders))
        holders.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        holders.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for column, item in ((self.CODE, code), (self.NAME_ZH, name_zh), (self.NAME_EN, name_en),
                             (self.CERTIFICATE, certificate), (self.HOLDERS, holders)):
            self.table.setItem(i, column, item)

    def skill_id_at(self, row_index: int) -> int:
        return int(item_at(self.table, row_index, self.CODE).data(_ID))

    def row_of(self, skill_id: int) -> int | None:
        for i in range(self.table.rowCount()):
            if self.skill_id_at(i) == skill_id:
                return i
        return None

    def current_id(self) -> int | None:
        row_index = self.table.currentRow()
        if row_index < 0 or self.table.isRowHidden(row_index) or not self.table.selectionModel().hasSelection():
            return None
        return self.skill_id_at(row_index)

    def apply_filter(self) -> None:
        """Show only the skills whose code or names contain the filter text (any case)."""
        needle = self.filter.text().strip().casefold()
        for i in range(self.table.rowCount()):
            texts = (item_at(self.table, i, c).text() for c in (self.CODE, self.NAME_ZH, self.NAME_EN))
            self.table.setRowHidden(i, bool(needle) and not any(needle in t.casefold() for t in texts))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.current_id() is not None)

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")

    # -- editing in place -------------------------------------------------------------------------
    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() not in (self.NAME_ZH, self.NAME_EN, self.CERTIFICATE):
            return
        # Saved once control is back in the event loop: the save refills the table, which must not happen
        # while the cell editor or the check box is still inside the item it is changing.
        skill_id = self.skill_id_at(item.row())
        QTimer.singleShot(0, self, lambda: self.save_row(skill_id))

    def save_row(self, skill_id: int) -> None:
        """Save one skill's names and tick box as the table shows them (one operation). On a problem the row
        shows the stored values again and the message says what to do."""
        row_index, stored = self.row_of(skill_id), self.rows.get(skill_id)
        if row_index is None or stored is None:
            return
        name_zh = item_at(self.table, row_index, self.NAME_ZH).text()
        name_en = item_at(self.table, row_index, self.NAME_EN).text()
        certificate = item_at(self.table, row_index, self.CERTIFICATE).checkState() == Qt.CheckState.Checked
        if (name_zh, name_en, certificate) == (stored.name_zh, stored.name_en, stored.certificate_required):
            return
        self.show_error(None)
        team, version = self.team, stored.row_version

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ConflictError):
                reload = ask_reload(exc, self.history, "skill", skill_id, self)
                self.reload(skill_id)
                self.show_error(_("Reloaded the other change; make your change again.") if reload else exc.message)
            elif isinstance(exc, DomainError):
                self.reload(skill_id)
                self.show_error(exc.message)
            else:
                from drillapp.ui.errors import show_error

                self.reload(skill_id)
                show_error(self, exc)

        WriteOp(self, lambda: team.rename_skill(skill_id, name_zh, name_en, certificate, expected_version=version)) \
            .success(lambda _r: self.reload(skill_id)).failure(failed).run(initiator=self)

    # -- adding and removing ----------------------------------------------------------------------
    def add_dialog(self) -> AddSkillDialog:
        return AddSkillDialog(self.team, {r.code for r in self.rows.values()}, self)

    def add(self) -> int | None:
        """Insert or "Add…": the form for a new skill; returns its id when one was added."""
        form = self.add_dialog()
        try:
            form.exec()
            skill_id = form.skill_id
        finally:
            form.deleteLater()
        if skill_id is None:
            return None
        self.show_error(None)
        if self.filter.text():
            self.filter.clear()  # so the new skill is not hidden by the filter
        self.reload(skill_id)
        return skill_id

    def remove(self) -> None:
        """Delete or "Remove": asks first; the service refuses while members hold the skill."""
        skill_id = self.current_id()
        if skill_id is None:
            return
        row = self.rows[skill_id]
        if not confirm_removal(self, _("Remove {code} ({name}) from the list of skills?").format(
                code=row.code, name=row.name)):
            return
        self.show_error(None)
        row_index = self.table.currentRow()
        team, version = self.team, row.row_version

        def removed(_result: object) -> None:
            self.reload()
            if self.table.rowCount():
                self.table.setCurrentCell(min(row_index, self.table.rowCount() - 1), self.NAME_ZH)
            self._update_buttons()

        def failed(exc: BaseException) -> None:
            self.reload(skill_id)
            if isinstance(exc, DomainError):
                self.show_error(exc.message)
            else:
                from drillapp.ui.errors import show_error

                show_error(self, exc)

        WriteOp(self, lambda: team.remove_skill(skill_id, expected_version=version)) \
            .success(removed).failure(failed).run(initiator=self)
