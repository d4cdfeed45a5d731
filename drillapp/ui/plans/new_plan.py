"""A new plan: code, titles, scenario, owner branch; it starts as draft version 1 with levels I–IV."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import Scenario
from drillapp.services.org import OrgService
from drillapp.services.plans import PlanService
from drillapp.ui.login import _Form


class NewPlanDialog(_Form):
    def __init__(self, plans: PlanService, org: OrgService, parent: QWidget | None = None) -> None:
        super().__init__(_("New plan"), _("The plan starts as a draft (version 1) with response levels I–IV."),
                         parent)
        self.plans = plans
        self.created: tuple[int, int] | None = None
        self.port = QComboBox(self)
        self.port.setObjectName("port")
        for p in org.ports():
            self.port.addItem(f"{p.name_zh} ({p.code})", p.id)
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
        self._branches = org.branches()
        self.port.currentIndexChanged.connect(lambda _i: self._fill_owner())
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
            if b.port_id == self.port.currentData():
                self.owner.addItem(f"{b.name_zh} · {label(b.agency)}", b.id)

    def submit(self) -> None:
        from drillapp.services.errors import DomainError

        if self.port.currentData() is None:
            raise DomainError(_("Create a port first (or load the demo port)."))
        self.created = self.plans.create_plan(
            self.port.currentData(), self.code.text().strip(), self.scenario.currentData(),
            self.title_zh.text().strip(), self.title_en.text().strip(), owner_branch_id=self.owner.currentData())
