"""The Reviews area's review parts: the reviews list opens the editor (Enter, double-click, "Open review"),
and the corrective-action tracker and the trends are tabs of their own."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from drillapp.i18n import _
from drillapp.services.action_tracker import ActionTrackerService
from drillapp.services.reviews import ReviewService
from drillapp.services.trends import TrendService
from drillapp.ui.pages.areas import AreaPage
from drillapp.ui.pages.lazy_tab import LazyTab
from drillapp.ui.reviews.opener import ReviewOpener
from drillapp.ui.reviews.tracker import ActionTracker


def add_review_views(page: AreaPage, tracker: ActionTrackerService, reviews: ReviewService,
                     opener: ReviewOpener, trends: TrendService | None = None) -> ActionTracker:
    reviews_list = page.lists[0]
    reviews_list.activated.connect(opener.open_review)

    view = ActionTracker(tracker, reviews, page, history=opener.history)

    def open_selected() -> None:
        """The review selected in the list, or on the tracker's tab the selected action's review."""
        if page.tabs.currentWidget() is view:
            action = view.current()
            if action is not None:
                opener.open_review(action.review_id)
            return
        rows = reviews_list.table.selectionModel().selectedRows()
        if rows:
            opener.open_review(reviews_list.model.row_id(rows[0].row()))

    page.add_button(_("Open review"), "openReview", open_selected)
    view.open_review.connect(opener.open_review)
    page.add_tab(view, _("Corrective actions"))
    if trends is not None:
        service = trends

        def trends_view(parent: QWidget) -> QWidget:
            from drillapp.ui.reviews.trends import (
                TrendsView,  # pyqtgraph: imported when the tab is first shown
            )

            return TrendsView(service, parent)

        page.add_tab(LazyTab(trends_view, page), _("Trends"))
    return view
