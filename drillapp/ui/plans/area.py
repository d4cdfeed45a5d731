"""The Plans area's own parts: the plans list's filters, and the list opening plans (Enter, double-click,
"Open plan") and making new ones ("New plan…"), through the main window's PlanOpener."""

from __future__ import annotations

from drillapp.i18n import _
from drillapp.services.context import PortScope
from drillapp.services.org import OrgService
from drillapp.ui.pages.areas import AreaPage
from drillapp.ui.plans.opener import PlanOpener
from drillapp.ui.plans.plan_filters import PlanFilters


def add_plan_views(page: AreaPage, opener: PlanOpener, org: OrgService, scope: PortScope) -> None:
    plans_list = page.lists[0]
    plans_list.add_filters(PlanFilters(plans_list, org.branches(scope.id), page))
    plans_list.activated.connect(opener.open_plan)

    def open_selected() -> None:
        rows = plans_list.table.selectionModel().selectedRows()
        if rows:
            opener.open_plan(plans_list.model.row_id(rows[0].row()))

    page.add_button(_("Open plan"), "openPlan", open_selected)
    page.add_button(_("New plan…"), "newPlan", opener.new_plan)
