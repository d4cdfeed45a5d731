"""Opening reviews: by id (the Reviews list, the tracker), from a finished run or a stood-down incident (made if it
has none yet);
one editor window per review."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from drillapp.services.audit_view import AuditViewService
from drillapp.services.org import OrgService
from drillapp.services.review_read import ReviewReadService
from drillapp.services.reviews import ReviewService
from drillapp.ui.operations import QueryOp, WriteOp


class ReviewOpener(QObject):
    opened = Signal(object)  # the editor window

    def __init__(self, reviews: ReviewService, docs: ReviewReadService, history: AuditViewService | None,
                 org: OrgService, parent: QWidget,
                 open_plan: Callable[[int, int], object] | None = None) -> None:
        super().__init__(parent)
        self.window = parent
        self.reviews, self.docs, self.history, self.org = reviews, docs, history, org
        self.open_plan = open_plan
        self.editors: dict[int, QWidget] = {}

    def open_review(self, review_id: int) -> QWidget:
        existing = self.editors.get(review_id)
        if existing is not None:
            existing.show()
            existing.raise_()
            existing.activateWindow()
            return existing
        from drillapp.ui.reviews.editor import ReviewEditor

        editor = ReviewEditor(self.reviews, self.docs, self.history, self.org, review_id, self.window,
                              open_plan=self.open_plan)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        editor.closed.connect(self._closed)
        self.editors[review_id] = editor
        editor.show()
        self.opened.emit(editor)
        return editor

    def open_for_run(self, run_id: int) -> None:
        """The review of a finished run: the one it has, or a new one."""
        reviews = self.reviews
        WriteOp(self.window, lambda: reviews.create_from_run(run_id)).success(self.open_review).run()

    def open_for_incident(self, incident_id: int) -> None:
        """The review of a stood-down incident: the one it has (anyone who may read it), or a new one (marked real;
        the roles that start reviews)."""
        reviews = self.reviews

        def opened(review_id: int | None) -> None:
            if review_id is not None:
                self.open_review(review_id)
            else:
                WriteOp(self.window, lambda: reviews.create_from_incident(incident_id)).success(self.open_review).run()

        QueryOp(self.window, lambda: reviews.review_of_incident(incident_id)).success(opened).run()

    def _closed(self, review_id: int) -> None:
        self.editors.pop(review_id, None)
