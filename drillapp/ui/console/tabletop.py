"""The tabletop's facilitator console: the MSEL in order, the current inject, and for it the expected actions
of each agency to mark discussed (1), adequate (2) or a gap (3, with a note; Enter: a note) — the evaluator's
record whose gaps become draft findings of the review. Ctrl+Right advances to the next inject, Ctrl+J moves
scenario time on ("two hours later"), F5 shows the projector window (full screen on the second screen),
Ctrl+Shift+E ends (asks), then the hot wash."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QColor, QFont, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import MarkStatus
from drillapp.services.reviews import ReviewService
from drillapp.services.run_console import RunConsoleService, TabletopView
from drillapp.services.run_view import build_view
from drillapp.services.runs import RunService
from drillapp.ui.console.checklist import KeepColourDelegate
from drillapp.ui.console.dialogs import ItemDialog, ask_end
from drillapp.ui.console.header import ClockHeader
from drillapp.ui.console.projector import TABLETOP_BANNER, ProjectorWindow
from drillapp.ui.console.side_panels import _title
from drillapp.ui.console.window import run_subtitle
from drillapp.ui.errors import show_error
from drillapp.ui.operations import QueryOp, Watch, WriteOp
from drillapp.ui.windows import refit_when_resized

MARK_KEYS = {Qt.Key.Key_1: MarkStatus.DISCUSSED, Qt.Key.Key_2: MarkStatus.ADEQUATE, Qt.Key.Key_3: MarkStatus.GAP}
MARK_COLOURS = {MarkStatus.DISCUSSED: "#dde7f3", MarkStatus.ADEQUATE: "#d7ecd9", MarkStatus.GAP: "#f6c9c4"}
BRANCH, ACTION, MARK, NOTE = range(4)


class ExpectedTable(QTableWidget):
    """The current inject's expected actions; 1 / 2 / 3 mark the current one, Enter writes a note."""

    key_mark = Signal(int, object)  # row, MarkStatus or None (a note)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("expectedActions")
        self.setHorizontalHeaderLabels([_("Branch"), _("Expected action"), _("Mark"), _("Note")])
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setItemDelegate(KeepColourDelegate(self))
        header = self.horizontalHeader()
        header.setSectionResizeMode(ACTION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(BRANCH, QHeaderView.ResizeMode.ResizeToContents)  # a branch on one line
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        # as wide as the widest mark, marked or not yet (the column does not jump at the first mark)
        self.setColumnWidth(MARK, max(self.fontMetrics().horizontalAdvance(label(status)) for status in MarkStatus)
                            + 24)
        self.verticalHeader().setMinimumSectionSize(int(self.fontMetrics().height() * 1.6))
        refit_when_resized(self, self.resizeRowsToContents)  # the wrapping follows the columns' widths

    def keyPressEvent(self, event) -> None:  # noqa: ANN001, N802
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        key = Qt.Key(event.key())
        if not mods and self.currentRow() >= 0 and (key in MARK_KEYS or key in (Qt.Key.Key_Return,
                                                                                 Qt.Key.Key_Enter)):
            self.key_mark.emit(self.currentRow(), MARK_KEYS.get(key))
            return
        super().keyPressEvent(event)


class TabletopConsole(QWidget):
    closed = Signal(int)
    ended = Signal(int)

    def __init__(self, runs: RunService, console: RunConsoleService, reviews: ReviewService, run_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setObjectName("tabletopConsole")
        self.runs, self.console, self.reviews, self.run_id = runs, console, reviews, run_id
        self.view: TabletopView | None = None
        self.hot_wash: QWidget | None = None
        #: opens the run's review (its editor) once the drill has ended; set by the opener
        self.open_review: Callable[[int], object] | None = None
        self.projector = ProjectorWindow(self)
        self.watch = Watch(self, self.reload, skip_own=True)
        self._shown_once = False

        self.header = ClockHeader(self, banner=TABLETOP_BANNER)
        self.msel = QListWidget(self)
        self.msel.setObjectName("mselList")
        self.msel.setWordWrap(True)
        self.msel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        msel_font = self.msel.font()
        msel_font.setPointSizeF(msel_font.pointSizeF() * 1.15)
        self.msel.setFont(msel_font)
        self.msel.setSpacing(3)
        self.inject_box = QFrame(self)
        self.inject_box.setObjectName("currentInject")
        self.inject_box.setStyleSheet("#currentInject { background: #fff3c4; border: 2px solid #e0a800;"
                                      " border-radius: 6px; }")
        self.inject_heading = QLabel("", self.inject_box)
        self.inject_heading.setObjectName("currentInjectHeading")
        bold = QFont(self.inject_heading.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.2)
        self.inject_heading.setFont(bold)
        self.inject_text = QLabel("", self.inject_box)
        self.inject_text.setObjectName("currentInjectText")
        self.inject_text.setWordWrap(True)
        self.inject_text.setTextFormat(Qt.TextFormat.PlainText)
        box = QVBoxLayout(self.inject_box)
        box.addWidget(self.inject_heading)
        box.addWidget(self.inject_text)
        self.expected = ExpectedTable(self)
        self.expected.key_mark.connect(self.mark_row)
        self.next_button = self._button(_("Next inject (Ctrl+Right)"), "nextInject", self.advance)
        self.jump_button = self._button(_("Scenario time… (Ctrl+J)"), "scenarioJump", self.jump)
        self.projector_button = self._button(_("Projector (F5)"), "showProjector", self.show_projector)
        self.end_button = self._button(_("End… (Ctrl+Shift+E)"), "endButton", self.end_run)
        # the marks' own words (as the Mark column shows them), so the keys and the table never disagree
        self.keys_help = QLabel(" · ".join([*(f"{n} {label(status)}" for n, status in (
            (1, MarkStatus.DISCUSSED), (2, MarkStatus.ADEQUATE), (3, MarkStatus.GAP))), _("Enter note")]), self)
        self.keys_help.setObjectName("tabletopKeysHelp")
        self.keys_help.setProperty("muted", True)
        self._build_layout()
        for name, keys, slot in (("next", "Ctrl+Right", self.advance), ("jump", "Ctrl+J", self.jump),
                                 ("projector", "F5", self.show_projector), ("end", "Ctrl+Shift+E", self.end_run)):
            action = QAction(self)
            action.setObjectName(f"tabletop_{name}")
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            self.addAction(action)
        self.reload()

    def _button(self, text: str, name: str, slot) -> QPushButton:  # noqa: ANN001
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda _c=False: slot())
        return button

    def _build_layout(self) -> None:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(_title(_("Scenario events (MSEL)"), left))
        left_layout.addWidget(self.msel, 1)
        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.inject_box)
        centre_layout.addWidget(_title(_("Expected actions"), centre))
        centre_layout.addWidget(self.expected, 1)
        centre_layout.addWidget(self.keys_help)
        body = QSplitter(Qt.Orientation.Horizontal, self)
        body.addWidget(left)
        body.addWidget(centre)
        body.setSizes([420, 1100])
        bar = QHBoxLayout()
        for button in (self.next_button, self.jump_button, self.projector_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.end_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(body, 1)
        layout.addLayout(bar)

    # -- reading ----------------------------------------------------------------------------------
    def reload(self) -> None:
        console, run_id = self.console, self.run_id
        QueryOp(self, lambda: console.tabletop(run_id), watch=self.watch).success(self._loaded).run()

    def _loaded(self, view: TabletopView) -> None:
        self.view = view
        snap = view.snapshot
        self.setWindowTitle(f"{TABLETOP_BANNER} — {snap.drill_title}")
        run_view = build_view(snap, self.console.clock())
        self.header.set_view(run_view, run_subtitle(snap))
        # no stopwatch race: the big clock is the scenario's
        self.header.elapsed.setText(view.scenario_time or "—")
        self.header.scenario.setText(_("Scenario time") if view.scenario_time else "")
        self.header.counts.setText(_("Inject {n} of {total}").format(
            n=view.current + 1, total=len(view.steps)) if view.current is not None else "")
        self.msel.clear()
        for step in view.steps:
            info = step.inject
            mark = "▶ " if step.index == view.current else ("✓ " if view.current is not None
                                                           and step.index < view.current else "   ")
            when = f"{info.scenario_time}  " if info.scenario_time else f"T+{info.offset_minutes}  "
            self.msel.addItem(f"{mark}{info.number}.  {when}{info.message}")
            if step.index == view.current:
                item = self.msel.item(self.msel.count() - 1)
                font = item.font()
                font.setBold(True)
                item.setFont(font)
                self.msel.setCurrentRow(self.msel.count() - 1)
        self._show_current(view)
        ended = snap.ended_at is not None
        for button in (self.next_button, self.jump_button, self.end_button):
            button.setEnabled(not ended)
        self.next_button.setEnabled(not ended and (view.current is None or view.current + 1 < len(view.steps)))
        self.projector.set_view(view)

    def _show_current(self, view: TabletopView) -> None:
        step = view.current_step
        row = max(0, self.expected.currentRow())
        self.expected.setRowCount(0)
        if step is None:
            self.inject_heading.setText(_("Not started: Ctrl+Right brings the first inject."))
            self.inject_text.setText(view.narrative)
            return
        info = step.inject
        heading = _("Inject {n} of {total}").format(n=info.number, total=len(view.steps))
        if view.scenario_time:
            heading += " · " + _("Scenario time {time}").format(time=view.scenario_time)
        self.inject_heading.setText(heading)
        lines = [info.message]
        if info.sender or info.recipient:
            lines.append(_("From {sender} to {recipient}").format(sender=info.sender or "—",
                                                                  recipient=info.recipient or "—"))
        self.inject_text.setText("\n".join(lines))
        self.expected.setRowCount(len(step.expected))
        for n, (action, mark) in enumerate(step.expected):
            values = (label(action.agency) if action.agency else _("(all branches)"), action.text,
                      label(mark.status) if mark else "", mark.note if mark else "")
            for col, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if mark is not None:
                    cell.setBackground(QColor(MARK_COLOURS[mark.status]))
                self.expected.setItem(n, col, cell)
        self.expected.resizeRowsToContents()
        if step.expected:
            self.expected.setCurrentCell(min(row, len(step.expected) - 1), ACTION)

    # -- acting -----------------------------------------------------------------------------------
    def mark_row(self, row: int, status: MarkStatus | None) -> None:
        view = self.view
        step = view.current_step if view is not None else None
        if step is None or not 0 <= row < len(step.expected):
            return
        action, mark = step.expected[row]
        note = mark.note if mark else ""
        if status is None or status is MarkStatus.GAP:
            title = _("Gap") if status is MarkStatus.GAP else _("Note")
            dialog = ItemDialog(self, title, action.text, _("What was missing, or said") if status else _("Note"))
            dialog.text.setText(note)
            if not dialog.exec():
                return
            note = dialog.value()
        status = status or (mark.status if mark else MarkStatus.DISCUSSED)
        runs, run_id, index, key = self.runs, self.run_id, step.index, action.key
        WriteOp(self, lambda: runs.tabletop_mark(run_id, index, key, status, note)) \
            .success(lambda _r: self._after_mark(row)).failure(self._failed).run(initiator=self)

    def _after_mark(self, row: int) -> None:
        self.reload()
        self.expected.setCurrentCell(min(row + 1, self.expected.rowCount() - 1), ACTION)

    def advance(self) -> None:
        runs, run_id = self.runs, self.run_id
        WriteOp(self, lambda: runs.tabletop_advance(run_id)).success(lambda _r: self._advanced()) \
            .failure(self._failed).run(initiator=self)

    def _advanced(self) -> None:
        self.expected.setCurrentCell(-1, -1)
        self.reload()
        if self.expected.rowCount():
            self.expected.setCurrentCell(0, ACTION)
        self.expected.setFocus()

    def jump(self) -> None:
        minutes, ok = QInputDialog.getInt(self, _("Scenario time"), _("Move scenario time on by (minutes):"),
                                          120, 1, 7 * 24 * 60, 15)
        if not ok:
            return
        runs, run_id = self.runs, self.run_id
        WriteOp(self, lambda: runs.tabletop_jump(run_id, minutes)).success(lambda _r: self.reload()) \
            .failure(self._failed).run(initiator=self)

    def show_projector(self) -> None:
        if self.view is not None:
            self.projector.set_view(self.view)
        self.projector.show_on()

    def end_run(self) -> None:
        if self.view is None or self.view.snapshot.ended_at is not None or not ask_end(self, 0):
            return
        runs, run_id = self.runs, self.run_id
        WriteOp(self, lambda: runs.end_run(run_id)).success(lambda _r: self._ended()) \
            .failure(self._failed).run(initiator=self)

    def _ended(self) -> None:
        self.reload()
        self.ended.emit(self.run_id)
        from drillapp.ui.console.hot_wash import HotWashDialog

        if self.hot_wash is None:
            self.hot_wash = HotWashDialog(self.reviews, self.run_id, self.view.snapshot.drill_title if self.view
                                          else "", self, open_review=self.open_review)
        self.hot_wash.show()

    def _failed(self, exc: BaseException) -> None:
        self.reload()
        show_error(self, exc)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.activateWindow()
            self.expected.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.projector.close()
        self.closed.emit(self.run_id)
        super().closeEvent(event)
