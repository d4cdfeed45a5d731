"""Reviews → Corrective actions: every corrective action of the current port across the reviews, filtered by
text, status, branch and overdue, soonest due first; overdue ones stand out. The status moves through an
operation (keys: I in progress, D done, O reopen; cancelling asks); Enter opens the action's review."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
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
from drillapp.labels import label
from drillapp.models.enums import ActionStatus, Agency
from drillapp.services.action_tracker import ActionFilter, ActionTrackerService, TrackedAction
from drillapp.services.audit_view import AuditViewService
from drillapp.services.errors import ConflictError
from drillapp.services.permissions import allowed
from drillapp.services.reviews import ReviewService
from drillapp.ui.conflict import ask_reload
from drillapp.ui.errors import show_error
from drillapp.ui.operations import QueryOp, Watch, WriteOp
from drillapp.ui.reviews.actions_panel import OVERDUE_BACKGROUND, OVERDUE_TEXT

STATUS_KEYS = {Qt.Key.Key_I: ActionStatus.IN_PROGRESS, Qt.Key.Key_D: ActionStatus.DONE,
               Qt.Key.Key_O: ActionStatus.OPEN}
OPEN_ONLY = "open"
# the table's columns: start, due, the action's text, branch, owner, status, review, plan, verified
DUE_COLUMN, TEXT_COLUMN, REVIEW_COLUMN = 1, 2, 6


class TrackerTable(QTableWidget):
    status_key = Signal(object)  # ActionStatus
    open_key = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        status = STATUS_KEYS.get(Qt.Key(event.key()))
        if status is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.status_key.emit(status)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_key.emit()
            return
        super().keyPressEvent(event)


class ActionTracker(QWidget):
    open_review = Signal(int)  # the review id

    def __init__(self, tracker: ActionTrackerService, reviews: ReviewService, parent: QWidget | None = None,
                 history: AuditViewService | None = None) -> None:
        super().__init__(parent)
        self.history = history  # for "Compare…" when an action was changed at another desk
        self.setObjectName("actionTracker")
        self.tracker, self.reviews = tracker, reviews
        self.rows: list[TrackedAction] = []
        self.watch = Watch(self, self.refresh, skip_own=True)
        self.search = QLineEdit(self)
        self.search.setObjectName("trackerSearch")
        self.search.setPlaceholderText(_("Search actions, owners, findings…"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox(self)
        self.status.setObjectName("trackerStatus")
        self.status.addItem(_("All statuses"), None)
        self.status.addItem(_("Open or in progress"), OPEN_ONLY)
        for s in ActionStatus:
            self.status.addItem(label(s), s)
        self.agency = QComboBox(self)
        self.agency.setObjectName("trackerAgency")
        self.agency.addItem(_("All branches"), None)
        for a in Agency:
            self.agency.addItem(label(a), a)
        self.plan = QComboBox(self)
        self.plan.setObjectName("trackerPlan")
        self.plan.addItem(_("All plans"), None)
        self.plans: dict[int, str] = {}  # the plans the actions seen so far belong to
        self.due = QComboBox(self)
        self.due.setObjectName("trackerDue")
        self.due.addItem(_("Any due date"), None)
        for days in (7, 30, 90):
            self.due.addItem(_("Due within {n} days").format(n=days), days)
        self.overdue = QCheckBox(_("Overdue only"), self)
        self.overdue.setObjectName("trackerOverdue")
        self.count = QLabel(self)
        self.count.setObjectName("trackerCount")
        self.table = TrackerTable(0, 9, self)
        self.table.setObjectName("trackerTable")
        self.table.setHorizontalHeaderLabels([_("Start"), _("Due"), _("Corrective action"), _("Branch"),
                                              _("Owner"), _("Status"), _("Review"), _("Plan"), _("Verified")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TEXT_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(REVIEW_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.status_key.connect(self.set_status)
        self.table.open_key.connect(self._open)
        self.table.doubleClicked.connect(lambda _i: self._open())
        self.set_to = QComboBox(self)
        self.set_to.setObjectName("trackerSetStatus")
        self.set_to.setToolTip(_("Set the selected action's status (keys: I in progress, D done, O reopen)"))
        for s in ActionStatus:
            self.set_to.addItem(label(s), s)
        self.set_to.activated.connect(lambda _i: self.set_status(self.set_to.currentData()))
        self.table.currentCellChanged.connect(lambda *_a: self._selected())
        self.empty = QLabel(_("No corrective actions match. They come from the areas for improvement of the "
                              "reviews."), self)
        self.empty.setObjectName("trackerEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        for box in (self.status, self.agency, self.plan, self.due):
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.overdue.toggled.connect(lambda _c: self.refresh())

        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        bar.addWidget(self.status)
        bar.addWidget(self.agency)
        bar.addWidget(self.plan)
        bar.addWidget(self.due)
        bar.addWidget(self.overdue)
        bar.addStretch(1)
        bar.addWidget(self.count)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(_("Set status"), self))
        bottom.addWidget(self.set_to)
        self.verify_button = QPushButton(_("Verify…"), self)
        self.verify_button.setObjectName("trackerVerify")
        self.verify_button.setToolTip(_("Record the evidence of completion and that you verified it: the action "
                                        "is done"))
        self.verify_button.clicked.connect(lambda _c=False: self.verify())
        bottom.addWidget(self.verify_button)
        bottom.addStretch(1)
        hint = QLabel(_("Enter opens the review · I in progress · D done · O reopen"), self)
        hint.setProperty("muted", True)
        bottom.addWidget(hint)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self._loaded = False

    # -- reading --------------------------------------------------------------------------------------
    def current_filter(self) -> ActionFilter:
        status = self.status.currentData()
        days = self.due.currentData()
        return ActionFilter(agency=self.agency.currentData(), search=self.search.text(),
                            status=status if isinstance(status, ActionStatus) else None,
                            open_only=status == OPEN_ONLY, overdue=self.overdue.isChecked(),
                            plan_id=self.plan.currentData(),
                            due_before=self.tracker.today() + timedelta(days=days) if days else None)

    def activate(self) -> None:
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:
        self._loaded = True
        tracker, f = self.tracker, self.current_filter()
        QueryOp(self, lambda: tracker.actions(f), watch=self.watch).success(self.show_rows).run()

    def show_rows(self, rows: list[TrackedAction]) -> None:
        selected = self.current()
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, a in enumerate(rows):
            due = a.due_on.isoformat() if a.due_on else "—"
            cells = [a.start_on.isoformat() if a.start_on else "—",
                     _("{date} (overdue)").format(date=due) if a.overdue else due, a.text,
                     label(a.agency) if a.agency else "—", a.owner_name or "—", label(a.status), a.review_title,
                     a.plan_code or "—",
                     f"{a.verified_by} {a.verified_at:%Y-%m-%d}" if a.verified_at else ""]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(a.finding_text if c == REVIEW_COLUMN else text)
                if a.overdue:
                    item.setBackground(QBrush(QColor(OVERDUE_BACKGROUND)))
                    item.setForeground(QBrush(QColor(OVERDUE_TEXT)))
                    if c == DUE_COLUMN:
                        font = QFont(item.font())
                        font.setBold(True)
                        item.setFont(font)
                self.table.setItem(r, c, item)
        self._know_plans(rows)
        overdue = sum(1 for a in rows if a.overdue)
        self.count.setText(_("{n} actions, {overdue} overdue").format(n=len(rows), overdue=overdue))
        self.empty.setVisible(not rows)
        self.table.setVisible(bool(rows))
        row = next((i for i, a in enumerate(rows) if selected and a.id == selected.id), 0)
        if rows:
            self.table.setCurrentCell(row, TEXT_COLUMN)
        self._selected()

    def _know_plans(self, rows: list[TrackedAction]) -> None:
        new = {a.plan_id: a.plan_code for a in rows if a.plan_id is not None and a.plan_id not in self.plans}
        if not new:
            return
        self.plans.update(new)
        chosen = self.plan.currentData()
        self.plan.blockSignals(True)
        self.plan.clear()
        self.plan.addItem(_("All plans"), None)
        for plan_id, code in sorted(self.plans.items(), key=lambda p: p[1]):
            self.plan.addItem(code, plan_id)
        self.plan.setCurrentIndex(max(0, self.plan.findData(chosen)))
        self.plan.blockSignals(False)

    def current(self) -> TrackedAction | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _selected(self) -> None:
        a = self.current()
        self.set_to.setEnabled(a is not None)
        self.verify_button.setEnabled(a is not None and a.status is not ActionStatus.CANCELLED and a.verified_at is None
                                      and allowed(self.reviews.actor.role, "reviews.verify_action"))
        if a is not None:
            self.set_to.setCurrentIndex(self.set_to.findData(a.status))

    def _open(self) -> None:
        a = self.current()
        if a is not None:
            self.open_review.emit(a.review_id)

    # -- writing --------------------------------------------------------------------------------------
    def set_status(self, status: ActionStatus) -> None:
        a = self.current()
        if a is None or status is a.status:
            self._selected()
            return
        if status is ActionStatus.CANCELLED and QMessageBox.question(
                self, _("Cancel corrective action"), _("Cancel this corrective action?\n\n{text}").format(
                    text=a.text[:300]),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            self._selected()
            return
        reviews = self.reviews
        WriteOp(self, lambda: reviews.set_action_status(a.id, status, a.row_version)) \
            .success(lambda _r: self.refresh()).failure(self._failed).run(initiator=self)

    def verify(self) -> None:
        a = self.current()
        if a is None:
            return
        evidence, ok = QInputDialog.getMultiLineText(
            self, _("Verify corrective action"), _("Evidence of completion for:\n{text}").format(text=a.text[:300]))
        if not ok or not evidence.strip():
            return
        reviews = self.reviews
        WriteOp(self, lambda: reviews.verify_action(a.id, evidence, a.row_version)) \
            .success(lambda _r: self.refresh()).failure(self._failed).run(initiator=self)

    def _failed(self, exc: BaseException) -> None:
        """A refusal is said; an action someone else changed meanwhile asks (reload or compare), as editors do."""
        action = self.current()
        if isinstance(exc, ConflictError) and action is not None:
            ask_reload(exc, self.history, "corrective_action", action.id, self)
        else:
            show_error(self, exc)
        self.refresh()
