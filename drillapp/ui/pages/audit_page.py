"""The audit viewer: who changed what and when, filtered by user, record type, time and text; the selected
entry's changes in readable lines; the filtered trail exported as CSV (in the background)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDateTime, QModelIndex, Qt, QTime, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from drillapp.audit_labels import RECORDS, record_label, user_label
from drillapp.clock import from_local
from drillapp.i18n import _
from drillapp.services.audit_view import AuditFilter, AuditViewService
from drillapp.services.errors import ValidationError
from drillapp.ui.audit_model import RECORD_COLUMN, AuditTableModel, describe
from drillapp.ui.column_fit import fit_columns
from drillapp.ui.date_field import qt_datetime
from drillapp.ui.errors import show_error
from drillapp.ui.formatting import port_now
from drillapp.ui.operations import QueryOp, WriteOp
from drillapp.ui.widgets import records_view, with_empty_state

FILTER_DELAY_MS = 250
MAX_COLUMN_WIDTH = 320
DATETIME_FORMAT = "yyyy-MM-dd HH:mm"


class AuditPage(QWidget):
    def __init__(self, service: AuditViewService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditPage")
        self.service = service
        self.model = AuditTableModel(service, self)

        # -- filters ----------------------------------------------------------------------------
        self.user = QComboBox(self)
        self.user.setObjectName("auditUser")
        self.user.addItem(_("All users"), None)
        self.user.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.entity = QComboBox(self)
        self.entity.setObjectName("auditEntity")
        self.entity.addItem(_("All records"), None)
        self.entity.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.entity.setMaxVisibleItems(20)

        now = qt_datetime(port_now())
        self.since_on = QCheckBox(_("From:"), self)
        self.since_on.setObjectName("auditSinceEnabled")
        self.since = self._datetime_edit("auditSince", QDateTime(now.date().addDays(-7), QTime(0, 0)))
        self.until_on = QCheckBox(_("To:"), self)
        self.until_on.setObjectName("auditUntilEnabled")
        self.until = self._datetime_edit("auditUntil", QDateTime(now.date(), QTime(23, 59)))

        self.search = QLineEdit(self)
        self.search.setObjectName("auditSearch")
        self.search.setPlaceholderText(_("Search user, operation, record or values…"))
        self.search.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.count.setObjectName("auditCount")
        self.export_button = QPushButton(_("Export CSV…"), self)
        self.export_button.setObjectName("auditExport")
        self.export_button.setToolTip(_("Write the entries that match the filter to a CSV file"))

        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("User:"), self))
        filters.addWidget(self.user)
        filters.addSpacing(8)
        filters.addWidget(QLabel(_("Record:"), self))
        filters.addWidget(self.entity)
        filters.addSpacing(8)
        filters.addWidget(self.since_on)
        filters.addWidget(self.since)
        filters.addSpacing(8)
        filters.addWidget(self.until_on)
        filters.addWidget(self.until)
        filters.addStretch(1)
        second = QHBoxLayout()
        second.addWidget(self.search, 1)
        second.addWidget(self.count)
        second.addSpacing(8)
        second.addWidget(self.export_button)

        # -- table, empty state, detail ------------------------------------------------------------
        self.table = records_view(self, self.model, "auditTable", column_width=130)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.stack, self.empty = with_empty_state(self, self.table, "auditEmpty")

        self.detail = QPlainTextEdit(self)
        self.detail.setObjectName("auditDetail")
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText(_("Select an entry to see what changed."))

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("auditSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.stack)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.status = QLabel(self)
        self.status.setObjectName("auditStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(second)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

        # -- behaviour --------------------------------------------------------------------------
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FILTER_DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.since.dateTimeChanged.connect(lambda _value: self._timer.start() if self.since_on.isChecked() else None)
        self.until.dateTimeChanged.connect(lambda _value: self._timer.start() if self.until_on.isChecked() else None)
        self.since_on.toggled.connect(self._range_toggled)
        self.until_on.toggled.connect(self._range_toggled)
        self.user.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.entity.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.export_button.clicked.connect(self.export)
        self.model.loaded.connect(self._show_state)
        self.model.failed.connect(self._load_failed)
        self.model.modelReset.connect(self.detail.clear)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self._loaded_once = False
        self._fitted = False

    def _datetime_edit(self, name: str, value: QDateTime) -> QDateTimeEdit:
        edit = QDateTimeEdit(value, self)
        edit.setObjectName(name)
        edit.setDisplayFormat(DATETIME_FORMAT)
        edit.setCalendarPopup(True)
        edit.setEnabled(False)
        return edit

    # -- loading ----------------------------------------------------------------------------------
    def ensure_loaded(self) -> None:
        """The trail is read only when the tab is first shown, so opening Settings stays quick."""
        if not self._loaded_once:
            self.reload()

    def reload(self) -> None:
        self._loaded_once = True
        self._load_choices()
        self.model.reload(self.current_filter())

    def apply_filter(self) -> None:
        self._timer.stop()
        self._loaded_once = True
        self.model.reload(self.current_filter())

    def current_filter(self) -> AuditFilter:
        """The filter the widgets show; times are typed in local time and stored as UTC."""
        since = until = None
        if self.since_on.isChecked():
            since = from_local(self._minute(self.since))
        if self.until_on.isChecked():  # up to the end of the chosen minute
            until = from_local(self._minute(self.until) + timedelta(seconds=59, microseconds=999_999))
        return AuditFilter(
            username=self.user.currentData(), entity=self.entity.currentData(), since=since, until=until,
            text=self.search.text().strip(),
        )

    @staticmethod
    def _minute(edit: QDateTimeEdit) -> datetime:
        value: datetime = edit.dateTime().toPython()  # type: ignore[assignment]  # PySide6 types toPython() as object
        return value.replace(second=0, microsecond=0)

    def _range_toggled(self, _checked: bool) -> None:
        self.since.setEnabled(self.since_on.isChecked())
        self.until.setEnabled(self.until_on.isChecked())
        self.apply_filter()

    def _load_choices(self) -> None:
        service = self.service
        QueryOp(self, lambda: (service.usernames(), service.entities())) \
            .success(lambda choices: self._fill_choices(*choices)).run()

    def _fill_choices(self, usernames: list[str], entities: list[str]) -> None:
        """Refill the two lists, keeping what is selected (without reloading the table)."""
        for combo, items in (
            (self.user, [(user_label(name, None), name) for name in usernames]),
            (self.entity, sorted(((record_label(e), e) for e in entities), key=lambda item: item[0].casefold())),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for text, data in items:
                combo.addItem(text.replace("\n", " "), data)
            found = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

    # -- showing ----------------------------------------------------------------------------------
    def _filtered(self) -> bool:
        f = self.model.filter
        return any((f.username, f.entity, f.since, f.until, f.text))

    def _fit_columns(self) -> None:
        self._fitted = True
        fit_columns(self.table, least=50, most=MAX_COLUMN_WIDTH)
        header = self.table.horizontalHeader()
        # the record column is wide enough for every kind of record, not only those on the first page
        widest = max(self.table.fontMetrics().horizontalAdvance(record_label(e)) for e in RECORDS)
        header.resizeSection(RECORD_COLUMN, max(header.sectionSize(RECORD_COLUMN), widest + 16))

    def _show_state(self, rows: int) -> None:
        if rows and not self._fitted:
            self._fit_columns()
        if rows == 0:
            self.empty.setText(
                _("No entries match the filter.") if self._filtered() else _("No changes recorded yet.")
            )
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.table)
        more = "" if self.model.exhausted else "+"
        self.count.setText(_("{rows}{more} entries").format(rows=rows, more=more))

    def _load_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):  # e.g. the range ends before it starts: say so in place
            self.empty.setText(exc.message)
            self.stack.setCurrentWidget(self.empty)
            self.count.setText("")
            return
        show_error(self, exc)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < self.model.rowCount():
            self.detail.setPlainText(describe(self.model.entry(current.row())))
        else:
            self.detail.clear()

    # -- export -----------------------------------------------------------------------------------
    def export(self) -> None:
        """Export what the filter selects (all of it, not just the rows read so far)."""
        suggested = Path.home() / f"audit-trail-{port_now():%Y%m%d-%H%M}.csv"
        path, _selected = QFileDialog.getSaveFileName(
            self, _("Export audit trail"), str(suggested), _("CSV files (*.csv);;All files (*)")
        )
        if not path:
            return
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".csv")
        audit_filter = self.current_filter()
        self.export_button.setEnabled(False)
        self.status.setText(_("Exporting…"))
        service = self.service
        WriteOp(self, lambda: service.export_csv(audit_filter, target), label=_("Exporting…")) \
            .success(lambda count: self._exported(count, target)).failure(self._export_failed).run()

    def _exported(self, count: int, target: Path) -> None:
        self.export_button.setEnabled(True)
        if count == 1:
            self.status.setText(_("Exported 1 entry to {file}").format(file=target))
        else:
            self.status.setText(_("Exported {count} entries to {file}").format(count=count, file=target))

    def _export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(_("The export failed; nothing was written."))
        show_error(self, exc)
