"""Filters of the plan list: scenario, status, review due, owner branch."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import PlanStatus, Scenario
from drillapp.services.org import BranchRow
from drillapp.ui.list_page import ListPage


class PlanFilters(QWidget):
    def __init__(self, plans: ListPage, branches: list[BranchRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planFilters")
        self.plans = plans
        self.scenario = self._combo("scenario", _("All scenarios"), [(s, label(s)) for s in Scenario])
        self.status = self._combo("status", _("All statuses"), [(s, label(s)) for s in PlanStatus])
        self.review = self._combo("review", _("Any review date"),
                                  [("overdue", _("Review overdue")), ("soon", _("Review due within 60 days"))])
        self.branch = self._combo("branch", _("All branches"),
                                  [(b.id, f"{b.name_zh} · {label(b.agency)}") for b in branches])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_("Show:"), self))
        for combo in (self.scenario, self.status, self.review, self.branch):
            layout.addWidget(combo)
        layout.addStretch(1)

    def _combo(self, name: str, everything: str, choices: list[tuple[Any, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.addItem(everything, None)
        for value, text in choices:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(lambda _i: self.apply())
        return combo

    def apply(self) -> None:
        self.plans.model.filters = {
            "scenario": self.scenario.currentData(), "status": self.status.currentData(),
            "review": self.review.currentData(), "branch": self.branch.currentData(),
        }
        self.plans.reload()
