"""Call-out (muster) tests, in the Team area: start a test (announced or not, the required strength, whom
to call, optionally as part of a live drill run), record each member's acknowledgement, arrival or
no-show with one key (A, R, N on the current row, which then moves to the next row like a checklist:
`ui/checklist_keys.py`) while a clock runs, see the facts of the test as they happen (exactly those of
`callouts.describe`), end the test after confirming; the history of past tests and the trend.

During a muster no modal dialog interrupts the keys: a key that changes nothing (A on a member who has
already acknowledged) or that another desk overtook is a hint under the table and in the status bar.

The page builds the running test's view and runs the writes; its parts: the start form and whom "on call
now" is (callout_start.py), the live table's columns, keys and hints (callout_muster.py), the past tests and
their trend (callout_history.py).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import CalloutStatus
from drillapp.services.callouts import (
    CalloutMemberRow,
    CalloutService,
    CalloutSummary,
    describe,
    minutes_text,
)
from drillapp.services.errors import DomainError, NotFoundError
from drillapp.services.oncall import OnCallService
from drillapp.ui.checklist_keys import ChecklistKeys
from drillapp.ui.errors import show_error
from drillapp.ui.operations import QueryOp, Watch, WriteOp
from drillapp.ui.team.callout_clock import BigClock
from drillapp.ui.team.callout_history import CalloutHistory
from drillapp.ui.team.callout_muster import (
    ACKNOWLEDGED,
    ARRIVED,
    BRANCH,
    ID,
    MOBILE,
    MUSTER_KEYS,
    NAME,
    PHONE,
    STATUS,
    repeated_hint,
    state_text,
)
from drillapp.ui.team.callout_start import CALL_TEAM, CalloutStartBox, members_on_call


class CalloutPage(QWidget):
    def __init__(self, callouts: CalloutService, oncall: OnCallService, parent: QWidget | None = None, *,
                 port_id: int | None = None) -> None:
        """`port_id`: the port whose call-outs to show whatever the desk's port (an incident's: the incident's);
        None: the desk's port."""
        super().__init__(parent)
        self.setObjectName("calloutPage")
        self.callouts, self.oncall = callouts, oncall
        self.watch = Watch(self, self.refresh)
        self.fixed_port_id = port_id
        self.port_id: int | None = port_id
        self.test: CalloutSummary | None = None
        self.history: list[CalloutSummary] = []
        self.loaded_once = False

        self.start_box = CalloutStartBox(self)
        self.call_choice, self.announced = self.start_box.call_choice, self.start_box.announced
        self.strength, self.run_choice = self.start_box.strength, self.start_box.run_choice
        self.start_button = self.start_box.start_button
        self.start_button.clicked.connect(lambda _c=False: self.start_test())

        self.live_box = QGroupBox(_("Running test"), self)
        self.clock_label = BigClock(self.live_box)  # sized to the box, never clipped
        self.progress = QLabel(_("No test is running. Start one on the left."), self.live_box)
        self.progress.setObjectName("progress")
        self.progress.setWordWrap(True)
        self.table = QTableWidget(0, 8, self.live_box)
        self.table.setObjectName("musterTable")
        self.table.setHorizontalHeaderLabels([_("Name"), _("Branch"), _("Mobile"), _("Phone"), _("Acknowledged"),
                                              _("Arrived"), _("Status"), _("ID")])
        self.table.setColumnHidden(ID, True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.keys = ChecklistKeys(self.table, MUSTER_KEYS)
        self.keys.triggered.connect(self.record_row)
        self.hint = QLabel(self.live_box)
        self.hint.setObjectName("musterHint")
        self.hint.setWordWrap(True)
        self.hint.setProperty("muted", True)
        self.ack_button = QPushButton(_("Acknowledged (A)"), self.live_box)
        self.ack_button.setObjectName("ackButton")
        self.arrive_button = QPushButton(_("Arrived (R)"), self.live_box)
        self.arrive_button.setObjectName("arriveButton")
        self.no_show_button = QPushButton(_("No-show (N)"), self.live_box)
        self.no_show_button.setObjectName("noShowButton")
        self.end_button = QPushButton(_("End test"), self.live_box)
        self.end_button.setObjectName("endTest")
        self.ack_button.clicked.connect(lambda _c=False: self._from_button("ack"))
        self.arrive_button.clicked.connect(lambda _c=False: self._from_button("arrive"))
        self.no_show_button.clicked.connect(lambda _c=False: self._from_button("no_show"))
        self.end_button.clicked.connect(lambda _c=False: self.ask_and_end())
        buttons = QHBoxLayout()
        for b in (self.ack_button, self.arrive_button, self.no_show_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.end_button)
        live = QVBoxLayout(self.live_box)
        top = QHBoxLayout()
        top.addWidget(self.clock_label)
        top.addWidget(self.progress, 1)
        live.addLayout(top)
        live.addWidget(self.table, 1)
        live.addWidget(self.hint)
        live.addLayout(buttons)

        self.past = CalloutHistory(self)
        self.history_table, self.chart = self.past.table, self.past.chart

        upper = QHBoxLayout()
        upper.addWidget(self.start_box)
        upper.addWidget(self.live_box, 1)
        upper_widget = QWidget(self)
        upper_widget.setLayout(upper)
        upper.setContentsMargins(0, 0, 0, 0)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(upper_widget)
        splitter.addWidget(self.past)
        splitter.setSizes([420, 320])
        QVBoxLayout(self).addWidget(splitter)

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self._update_controls()

    # -- loading --------------------------------------------------------------------------------------
    def activate(self) -> None:
        if not self.loaded_once:
            self.refresh()

    def refresh(self) -> None:
        QueryOp(self, self._load, watch=self.watch).success(self._show).run()

    def _load(self) -> tuple[int | None, list[CalloutSummary], list]:
        try:
            port_id = self.fixed_port_id or self.oncall.port_id or self.oncall.default_port_id()
        except NotFoundError:
            return None, [], []
        return port_id, self.callouts.history(port_id), self.oncall.live_drill_runs(port_id)

    def _show(self, loaded: tuple[int | None, list[CalloutSummary], list]) -> None:
        self.loaded_once = True
        self.port_id, self.history, runs = loaded
        self.start_box.set_runs(runs)
        running = next((t for t in self.history if t.status is CalloutStatus.RUNNING), None)
        shown = self.test.test_id if self.test is not None else None
        # a test that just ended stays in view (its final facts) until another starts
        self._set_test(running or next((t for t in self.history if t.test_id == shown), None))
        self.past.set_tests(self.history)

    # -- the running test -----------------------------------------------------------------------------
    def _set_test(self, summary: CalloutSummary | None) -> None:
        self.test = summary
        selected = self.selected_member()
        self.table.setRowCount(0)
        running = summary is not None and summary.status is CalloutStatus.RUNNING
        self.live_box.setTitle(_("Running test") if running or summary is None else _("Last test (ended)"))
        if summary is None:
            self.timer.stop()
            self.clock_label.setText("—")
            self.progress.setText(_("No test is running. Start one on the left."))
            self._update_controls()
            return
        rows = summary.in_call_order()  # a stable order: the keys work down it like a checklist
        self.table.setRowCount(len(rows))
        for row, m in enumerate(rows):
            cells = {NAME: m.name, BRANCH: label(m.agency) if m.agency else "", MOBILE: m.mobile or "—",
                     PHONE: m.phone or "—", ACKNOWLEDGED: minutes_text(m.minutes_to_acknowledge),
                     ARRIVED: minutes_text(m.minutes_to_arrive), STATUS: state_text(m), ID: str(m.member_id)}
            for col, text in cells.items():
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, m.member_id)
                self.table.setItem(row, col, item)
            if m.member_id == selected:
                self.table.selectRow(row)
        if self.table.currentRow() < 0 and rows:
            self.table.selectRow(0)
        self.progress.setText("\n".join(describe(summary)))
        if summary.status is not CalloutStatus.RUNNING:
            self.timer.stop()
        elif not self.timer.isActive():
            self.timer.start()
        self.tick()
        self._update_controls()

    def tick(self) -> None:
        if self.test is None:
            return
        end = self.test.ended_at or self.callouts.clock()
        seconds = max(0, int((end - self.test.started_at).total_seconds()))
        self.clock_label.setText(f"{seconds // 60:02d}:{seconds % 60:02d}")

    def selected_member(self) -> int | None:
        return self.selected_member_at(self.table.currentRow())

    def selected_member_at(self, row: int) -> int | None:
        item = self.table.item(row, 0) if row >= 0 else None
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _update_controls(self) -> None:
        running = self.test is not None and self.test.status is CalloutStatus.RUNNING
        for w in (self.ack_button, self.arrive_button, self.no_show_button, self.end_button):
            w.setEnabled(running)
        self.start_button.setEnabled(not running)

    # -- operations -----------------------------------------------------------------------------------
    def start_test(self) -> None:
        oncall, callouts = self.oncall, self.callouts
        port_id, call_team = self.port_id, self.call_choice.currentData() == CALL_TEAM
        strength, announced = self.strength.value() or None, self.announced.isChecked()
        run_id = self.run_choice.currentData()

        def start() -> int:
            port = port_id if port_id is not None else oncall.port_id or oncall.default_port_id()
            members = None if call_team else members_on_call(oncall, port)
            return callouts.start_test(port, members, required_strength=strength, announced=announced,
                                       drill_run_id=run_id)

        WriteOp(self, start).success(self._started).run(initiator=self)

    def _started(self, test_id: int) -> None:
        self._after_write(test_id)
        self.table.setFocus()

    def _from_button(self, action: str) -> None:
        self.keys.trigger(action)  # a button does what its key does, and moves on too
        self.table.setFocus()

    def record(self, action: str) -> None:
        """Record `action` for the current row (without moving on: the keys and buttons do that)."""
        self.record_row(action, self.table.currentRow())

    def record_row(self, action: str, row: int) -> None:
        member = self.member_row(row)
        if self.test is None or self.test.status is not CalloutStatus.RUNNING or member is None:
            return
        already = repeated_hint(action, member)
        if already:  # nothing to record: say so quietly, never a modal in the middle of a muster
            self.show_hint(already)
            return
        self.show_hint("")
        callouts, test_id, member_id = self.callouts, self.test.test_id, member.member_id
        if action == "ack":
            op = lambda: callouts.acknowledge(test_id, member_id)  # noqa: E731
        elif action == "arrive":
            op = lambda: callouts.arrive(test_id, member_id)  # noqa: E731
        else:
            op = lambda: callouts.no_show(test_id, member_id)  # noqa: E731
        WriteOp(self, op).success(lambda _r: self._recorded(test_id)) \
            .failure(lambda exc: self._not_recorded(test_id, exc)).run(initiator=self)

    def _recorded(self, test_id: int) -> None:
        self._after_write(test_id)  # the selection stays on the row the checklist moved to
        self.table.setFocus()

    def _not_recorded(self, test_id: int, exc: BaseException) -> None:
        """Another desk got there first (already recorded, or the test ended): a hint and the test as it is."""
        if isinstance(exc, DomainError) and not isinstance(exc, NotFoundError):
            self.show_hint(exc.message)
            self._after_write(test_id)
        else:
            show_error(self, exc)

    def show_hint(self, text: str) -> None:
        """A quiet word under the table and in the status bar ("" clears both: the hint is out of date)."""
        previous = self.hint.text()
        self.hint.setText(text)
        window = self.window()
        if not isinstance(window, QMainWindow):
            return
        if text:
            window.statusBar().showMessage(text, 6000)
        elif previous and window.statusBar().currentMessage() == previous:
            window.statusBar().clearMessage()

    def member_row(self, row: int) -> CalloutMemberRow | None:
        member_id = self.selected_member_at(row)
        if self.test is None or member_id is None:
            return None
        return next((m for m in self.test.members if m.member_id == member_id), None)

    def ask_and_end(self) -> None:
        """End the test after asking: those not yet arrived become no-shows, and that cannot be undone."""
        if self.test is None or self.test.status is not CalloutStatus.RUNNING:
            return
        t = self.test
        question = _("End the call-out test now?") + "\n\n" + "\n".join(describe(t))
        if t.pending:
            question += "\n\n" + _("The {n} member(s) still expected will be recorded as no-shows.").format(n=t.pending)
        answer = QMessageBox.question(self, _("End test"), question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.end_test()

    def end_test(self) -> None:
        if self.test is None:
            return
        test_id = self.test.test_id
        WriteOp(self, lambda: self.callouts.end_test(test_id)).success(lambda _r: self._after_write(test_id)) \
            .run(initiator=self)  # the final times stay in view until the next test

    def _after_write(self, test_id: int | None) -> None:
        """Show the test as it now stands, and the history with it (read off the GUI thread)."""
        callouts, port_id = self.callouts, self.port_id

        def read() -> tuple[CalloutSummary | None, list[CalloutSummary] | None]:
            return (callouts.summary(test_id) if test_id is not None else None,
                    callouts.history(port_id) if port_id is not None else None)

        QueryOp(self, read).success(self._show_after_write).run()

    def _show_after_write(self, found: tuple[CalloutSummary | None, list[CalloutSummary] | None]) -> None:
        summary, history = found
        if summary is not None:
            self._set_test(summary)
        if history is not None:
            self.history = history
            self.past.set_tests(history)

    def elapsed(self) -> float | None:
        """Minutes since the running test started (what the live clock shows)."""
        if self.test is None:
            return None
        end: datetime = self.test.ended_at or self.callouts.clock()
        return (end - self.test.started_at).total_seconds() / 60

