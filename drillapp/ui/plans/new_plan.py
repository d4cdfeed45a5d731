"""A new plan: code, titles, scenario, owner branch; it starts as draft version 1 with levels I–IV."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import Scenario
from drillapp.services.context import PortScope
from drillapp.services.errors import DomainError
from drillapp.services.org import BranchRow
from drillapp.services.plans import PlanService
from drillapp.ui.form_dialog import FormDialog


class NewPlanDialog(FormDialog):
    """A plan of the current port (its code unique within the port)."""

    def __init__(self, plans: PlanService, branches: list[BranchRow], scope: PortScope,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("New plan"), _("The plan starts as a draft (version 1) with response levels I–IV."),
                         parent)
        self.plans = plans
        self.scope = scope
        self.created: tuple[int, int] | None = None
        self.port = QLabel(f"{scope.name} ({scope.code})" if scope.id is not None else
                           _("Choose a port first (the port selector in the status bar)."), self)
        self.port.setObjectName("port")
        self.code = QLineEdit(self)
        self.code.setObjectName("code")
        self.title_zh = QLineEdit(self)
        self.title_zh.setObjectName("titleZh")
        self.title_en = QLineEdit(self)
        self.title_en.setObjectName("titleEn")
        self.scenario = QComboBox(self)
        self.scenario.setObjectName("scenario")
        for s in Scenario:
            self.scenario.addItem(label(s), s)
        self.owner = QComboBox(self)
        self.owner.setObjectName("owner")
        self.owner.addItem(_("(no branch)"), None)
        self._branches = branches
        self._fill_owner()
        self.form.addRow(_("Port:"), self.port)
        self.form.addRow(_("Code:"), self.code)
        self.form.addRow(_("Chinese title:"), self.title_zh)
        self.form.addRow(_("English title:"), self.title_en)
        self.form.addRow(_("Scenario:"), self.scenario)
        self.form.addRow(_("Owner branch:"), self.owner)

    def _fill_owner(self) -> None:
        self.owner.clear()
        self.owner.addItem(_("(no branch)"), None)
        for b in self._branches:
            if b.port_id == self.scope.id:
                self.owner.addItem(f"{b.name_zh} · {label(b.agency)}", b.id)

    def operation(self) -> Callable[[], tuple[int, int]]:
        if self.scope.id is None:
            raise DomainError(_("Choose a port first (the port selector in the status bar)."))
        plans, port_id = self.plans, self.scope.id
        code, scenario = self.code.text().strip(), self.scenario.currentData()
        title_zh, title_en, owner = self.title_zh.text().strip(), self.title_en.text().strip(), self.owner.currentData()
        return lambda: plans.create_plan(port_id, code, scenario, title_zh, title_en, owner_branch_id=owner)

    def on_result(self, created: tuple[int, int]) -> None:
        self.created = created
