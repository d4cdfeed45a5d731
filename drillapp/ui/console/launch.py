"""Launching and reopening runs: a planned drill (asking first when it is well before its time), an unplanned
one from a plan and a level, and the runs still going when the app starts again (shown exactly as they were;
the clock counts from the real start). One console window per run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.labels import label, level_label
from drillapp.models.enums import DrillKind
from drillapp.services.lists import ListService
from drillapp.services.reviews import ReviewService
from drillapp.services.run_console import RunConsoleService
from drillapp.services.run_view import RunSnapshot
from drillapp.services.runs import EarlyStartError, RunService
from drillapp.ui.errors import show_error
from drillapp.ui.operations import QueryOp, WriteOp


class ConsoleOpener(QObject):
    """Starts runs and keeps their console windows (one per run)."""

    opened = Signal(object)  # the console window

    def __init__(self, runs: RunService, console: RunConsoleService, reviews: ReviewService,
                 parent: QWidget, muster: Callable[[int, QWidget, int], QWidget] | None = None,
                 review: Callable[[int], object] | None = None) -> None:
        super().__init__(parent)
        self.window = parent
        self.runs, self.console, self.reviews = runs, console, reviews
        self.muster = muster  # (run id, console, the drill's port) -> the call-out panel linked to the run
        self.review = review  # run id -> its review opens (after the end)
        self.consoles: dict[int, QWidget] = {}

    # -- opening ----------------------------------------------------------------------------------
    def open_run(self, run_id: int) -> None:
        existing = self.consoles.get(run_id)
        if existing is not None:
            existing.show()
            existing.raise_()
            existing.activateWindow()
            return
        console = self.console
        QueryOp(self.window, lambda: console.snapshot(run_id, log_limit=1)).success(self._show).run()

    def _show(self, snap: RunSnapshot) -> None:
        if snap.run_id in self.consoles:
            return
        if snap.tabletop:
            from drillapp.ui.console.tabletop import TabletopConsole

            window: QWidget = TabletopConsole(self.runs, self.console, self.reviews, snap.run_id, self.window)
        else:
            from drillapp.ui.console.window import RunConsole

            muster = self.muster
            window = RunConsole(self.runs, self.console, self.reviews, snap.run_id, self.window)
            if muster is not None:
                window.muster = lambda run_id, w=window, port=snap.port_id: muster(run_id, w, port)
        window.open_review = self.review  # type: ignore[attr-defined]  # both console windows declare it
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        window.closed.connect(self._closed)  # type: ignore[attr-defined]  # the console window declares `closed`; QWidget's stub does not
        self.consoles[snap.run_id] = window
        window.showMaximized()
        self.opened.emit(window)

    def _closed(self, run_id: int) -> None:
        self.consoles.pop(run_id, None)

    def reopen_running(self) -> None:
        """The runs still going (after a restart, a crash): their consoles, as they were."""
        console = self.console
        QueryOp(self.window, console.running).success(self._open_all).run()

    def _open_all(self, runs: list[Any]) -> None:
        for r in runs:
            self.open_run(r.run_id)

    # -- launching --------------------------------------------------------------------------------
    def launch(self, drill_id: int) -> None:
        """Launch a planned drill, or reopen its console when it is running already."""
        console = self.console

        def decide(running: list) -> None:
            same = next((r for r in running if r.drill_id == drill_id), None)
            if same is not None:
                self.open_run(same.run_id)
            else:
                self._start(drill_id, confirm_early=False)

        QueryOp(self.window, console.running).success(decide).run()

    def _start(self, drill_id: int, confirm_early: bool) -> None:
        runs = self.runs
        WriteOp(self.window, lambda: runs.start_run(drill_id, confirm_early=confirm_early)) \
            .success(self.open_run).failure(lambda exc: self._start_failed(exc, drill_id)).run()

    def _start_failed(self, exc: BaseException, drill_id: int) -> None:
        if not isinstance(exc, EarlyStartError):
            show_error(self.window, exc)
            return
        when = to_local(exc.scheduled_start).strftime("%Y-%m-%d %H:%M")
        answer = QMessageBox.question(
            self.window, _("Start drill early"),
            _("This drill is scheduled for {when}, {minutes} minutes from now. Start it now anyway?").format(
                when=when, minutes=exc.minutes_early),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self._start(drill_id, confirm_early=True)

    def launch_unplanned(self, lists: ListService) -> None:
        """An unplanned drill from a plan and a level, now."""
        dialog = UnplannedDialog(lists, self.window)
        if not dialog.exec():
            return
        plan_id, level, kind, title = dialog.choice()
        runs = self.runs
        WriteOp(self.window, lambda: runs.start_unplanned(plan_id, level, kind=kind, title=title)) \
            .success(self.open_run).run()


class UnplannedDialog(QDialog):
    def __init__(self, lists: ListService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unplannedDrill")
        self.setWindowTitle(_("Unplanned drill"))
        self.setMinimumWidth(520)
        self.plan = QComboBox(self)
        self.plan.setObjectName("unplannedPlan")
        for row in lists.page("plans", limit=1000):
            self.plan.addItem(f"{row[1]}  {row[2]}", row[0])
        self.level = QComboBox(self)
        self.level.setObjectName("unplannedLevel")
        self.level.addItem(level_label(None), None)
        for level in (1, 2, 3, 4):
            self.level.addItem(level_label(level), level)
        self.kind = QComboBox(self)
        self.kind.setObjectName("unplannedKind")
        for kind in (DrillKind.LIVE, DrillKind.TABLETOP):
            self.kind.addItem(label(kind), kind)
        self.title = QLineEdit(self)
        self.title.setObjectName("unplannedTitle")
        self.title.setPlaceholderText(_("(optional) named after the plan"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Start now"))
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.plan.count() > 0)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("Plan"), self.plan)
        form.addRow(_("Response level"), self.level)
        form.addRow(_("Type"), self.kind)
        form.addRow(_("Title"), self.title)
        form.addRow(buttons)

    def choice(self) -> tuple[int, int | None, DrillKind, str]:
        return self.plan.currentData(), self.level.currentData(), self.kind.currentData(), self.title.text().strip()
