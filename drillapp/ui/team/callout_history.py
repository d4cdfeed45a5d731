"""The call-out page's past tests and their trend: a table of every test of the port (its facts, exactly those
of `callouts.describe`, as the row's tooltip) beside the chart of minutes to the required strength and to the
full team per ended test (ui/team/trend_chart.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.models.enums import CalloutStatus
from drillapp.services.callouts import CalloutSummary, describe, minutes_text
from drillapp.ui.lazy_imports import warm_up_charts
from drillapp.ui.team.trend_chart import TrendChart, TrendPoint


class CalloutHistory(QSplitter):
    """"Past tests" and "Trend" side by side; `set_tests` shows the port's tests (newest first)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("calloutHistory")
        self.table.setHorizontalHeaderLabels([
            _("Started"), _("Announced"), _("Arrived / called"), _("To required"), _("To full team"), _("Status")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # each column as wide as its title and cells (equal stretched columns cut "Arrived / called" in the
        # Latin UI font), the status takes what is left
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setMinimumSectionSize(40)
        self.chart = TrendChart(self)
        warm_up_charts()  # the chart's plotting library, loaded in a worker before the tab is first shown

        history_box = QGroupBox(_("Past tests"), self)
        QVBoxLayout(history_box).addWidget(self.table)
        trend_box = QGroupBox(_("Trend"), self)
        QVBoxLayout(trend_box).addWidget(self.chart)
        self.addWidget(history_box)
        self.addWidget(trend_box)
        self.setSizes([500, 500])

    def set_tests(self, history: list[CalloutSummary]) -> None:
        """One row per test; the trend of the ended ones, oldest on the left."""
        ended = [t for t in history if t.status is CalloutStatus.ENDED]
        self.table.setRowCount(len(history))
        for row, t in enumerate(history):
            cells = [to_local(t.started_at).strftime("%Y-%m-%d %H:%M"), _("yes") if t.announced else _("no"),
                     f"{t.arrived} / {t.called}", minutes_text(t.minutes_to_required),
                     minutes_text(t.minutes_to_full_team),
                     _("running") if t.status is CalloutStatus.RUNNING else _("ended")]
            facts = "\n".join(describe(t))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, t.test_id)
                item.setToolTip(facts)
                self.table.setItem(row, col, item)
        self.chart.set_points([TrendPoint(t.started_at, t.minutes_to_required, t.minutes_to_full_team)
                               for t in reversed(ended)])
