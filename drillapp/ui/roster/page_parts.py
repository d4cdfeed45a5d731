"""What the parts of the roster page (the mixins in solving.py, grid_edits.py, period_actions.py) use of one
another: the widgets and state RosterPage builds, and its loading methods, declared for the type checker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QListWidget, QProgressBar, QSpinBox, QTableView, QWidget

from drillapp.services.oncall import OnCallService
from drillapp.services.roster import PeriodInfo, RosterService
from drillapp.services.roster_grid import RosterGrid
from drillapp.ui.operations import LongOp
from drillapp.ui.roster.grid_model import RosterGridModel


class RosterPageParts(QWidget):
    roster: RosterService
    oncall: OnCallService
    port_id: int | None
    grid: RosterGrid | None
    undo_stack: QUndoStack
    runner: LongOp
    model: RosterGridModel
    table: QTableView
    time_limit: QSpinBox
    progress: QProgressBar
    progress_label: QLabel
    problems: QListWidget

    if TYPE_CHECKING:
        def period(self) -> PeriodInfo | None: ...

        def period_id(self) -> int | None: ...

        def reload(self, then_select: QModelIndex | None = None) -> None: ...

        def reload_periods(self, select: int | None = None) -> None: ...

        def _update_state(self) -> None: ...

        def request_swap(self) -> None: ...
