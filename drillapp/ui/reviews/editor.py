"""The review editor: one after-action review in a window of its own — the overview and summary, the
objectives rated P/S/M/U, the findings with their corrective actions — signed off by the coordinator (then
read-only, but for the corrective actions, which keep moving) and printed as the AAR/IP (Ctrl+P).

Every write goes through the runner, one operation each; text and rating edits can be undone (Ctrl+Z) and
redone (Ctrl+Shift+Z). A record someone else changed meanwhile asks, as in the plan editor, whether to reload.
The form-filling steps are in review_steps.py."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QToolBar, QVBoxLayout, QWidget

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import Rating
from drillapp.services.audit_view import AuditViewService
from drillapp.services.errors import ConflictError
from drillapp.services.org import OrgService
from drillapp.services.permissions import allowed
from drillapp.services.review_read import ReviewDoc, ReviewReadService
from drillapp.services.reviews import ReviewService
from drillapp.ui.conflict import ask_reload
from drillapp.ui.errors import show_error
from drillapp.ui.operations import QueryOp, Watch, WriteOp
from drillapp.ui.reviews.findings import FindingsPanel
from drillapp.ui.reviews.objectives import ObjectivesPanel
from drillapp.ui.reviews.overview import OverviewPanel
from drillapp.ui.reviews.printing import AarPrinting
from drillapp.ui.reviews.review_steps import ReviewSteps
from drillapp.ui.reviews.undo import ValueEdit
from drillapp.ui.windows import fit_to_screen

#: the band over a real incident's review (where a drill's has none: the drill is the ordinary case)
REAL_BAND = "真实事件  REAL INCIDENT"


class ReviewEditor(QMainWindow):
    closed = Signal(int)  # the review id

    def __init__(self, reviews: ReviewService, docs: ReviewReadService, history: AuditViewService | None,
                 org: OrgService, review_id: int, parent: QWidget | None = None,
                 open_plan: Callable[[int, int], object] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewEditor")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.reviews, self.docs, self.history, self.org = reviews, docs, history, org
        self.review_id = review_id
        self.open_plan = open_plan
        self.doc: ReviewDoc | None = None
        self._select: int | None = None  # the finding to select once the review is read again
        self.undo_stack = QUndoStack(self)
        self.watch = Watch(self, self.load, skip_own=True)
        fit_to_screen(self, 1200, 820)

        self.heading = QLabel(self)
        self.heading.setObjectName("pageTitle")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.facts = QLabel(self)
        self.facts.setObjectName("reviewFacts")
        self.facts.setProperty("muted", True)
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.banner = QLabel(self)
        self.banner.setObjectName("signedOffBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #e8f0fe; color: #1a3d7c; padding: 6px; border-radius: 3px;")
        self.banner.hide()
        self.real_band = QLabel(REAL_BAND, self)  # a real incident's review: never taken for a drill's
        self.real_band.setObjectName("realBand")
        self.real_band.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.real_band.setStyleSheet("background: #c62828; color: #ffffff; font-weight: bold; padding: 6px; "
                                     "border-radius: 3px;")
        self.real_band.setToolTip(_("The review of a real incident, not of a drill"))
        self.real_band.hide()
        self.overview = OverviewPanel(self)
        self.objectives = ObjectivesPanel(self)
        self.findings = FindingsPanel(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("reviewTabs")
        self.tabs.addTab(self.overview, _("Overview"))
        self.tabs.addTab(self.objectives, _("Objectives"))
        self.tabs.addTab(self.findings, _("Findings"))
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addWidget(self.real_band)
        layout.addWidget(self.heading)
        layout.addWidget(self.facts)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.steps = ReviewSteps(self)
        bar = QToolBar(_("Review"), self)
        bar.setObjectName("reviewToolbar")
        bar.setMovable(False)
        self.addToolBar(bar)
        self.undo_action = self.undo_stack.createUndoAction(self, _("Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, _("Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            bar.addAction(action)
        bar.addSeparator()
        self.sign_off_action = self.add_tool(bar, "signOff", _("Sign off…"), self.sign_off)
        self.amend_action = self.add_tool(bar, "amend", _("Add amendment…"), self.steps.add_amendment)
        self.printing = AarPrinting(self, bar)
        self.add_tool(bar, "reload", _("Reload"), self.load, QKeySequence(QKeySequence.StandardKey.Refresh))
        for i in range(3):
            self.add_tool(None, f"tab{i}", "", partial(self.tabs.setCurrentIndex, i), QKeySequence(f"Ctrl+{i + 1}"))

        role = reviews.actor.role
        self.findings.may_revise = allowed(role, "reviews.revise_plan")
        panel = self.findings.action_panel
        panel.may_add = allowed(role, "reviews.add_corrective_action")
        panel.may_edit = allowed(role, "reviews.update_corrective_action")
        # a branch's own people may move their branch's actions (the service checks which branch)
        panel.may_set_status = allowed(role, "reviews.set_action_status")
        self.objectives.rating_wanted.connect(self.rate)
        self.overview.summary_wanted.connect(self.set_summary)
        self.findings.edit_wanted.connect(self.edit_finding)
        self.findings.new_wanted.connect(self.steps.new_finding)
        self.findings.accept_wanted.connect(self.steps.accept_finding)
        self.findings.remove_wanted.connect(self.steps.remove_finding)
        self.findings.target_wanted.connect(self.steps.point_at_plan)
        self.findings.revise_wanted.connect(self.steps.revise_plan)
        self.findings.action_panel.add_wanted.connect(self.steps.add_action)
        self.findings.action_panel.edit_wanted.connect(self.steps.edit_action)
        self.findings.action_panel.status_wanted.connect(self.steps.set_action_status)
        self.add_tool(None, "newFindingKey", "", self.steps.new_finding, QKeySequence(QKeySequence.StandardKey.New))
        self.setWindowTitle(_("Review"))
        self.load()

    def add_tool(self, bar: QToolBar | None, name: str, text: str, slot: Callable[[], object],
                 shortcut: QKeySequence | None = None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(shortcut)
            if text:
                action.setToolTip(f"{text} ({shortcut.toString(QKeySequence.SequenceFormat.NativeText)})")
        action.triggered.connect(lambda _c=False: slot())
        self.addAction(action)
        if bar is not None:
            bar.addAction(action)
        return action

    # -- reading --------------------------------------------------------------------------------------
    def load(self) -> None:
        docs, review_id = self.docs, self.review_id
        QueryOp(self, lambda: docs.document(review_id), watch=self.watch).success(self.show_doc).run()

    @property
    def read_only(self) -> bool:
        return self.doc is None or not self.doc.draft

    def show_doc(self, doc: ReviewDoc) -> None:
        self.doc = doc
        role = self.reviews.actor.role
        self.setWindowTitle(_("Review: {title}").format(title=doc.title) + (" · REAL" if doc.real else ""))
        self.heading.setText(doc.title)
        o = doc.overview
        zone = doc.record.snapshot.port_zone
        self.facts.setText(" · ".join(x for x in (
            o.drill_title, f"{o.plan_code} {o.plan_title}".strip(),
            (_("alarm {date} (port time, {zone})") if doc.real else _("run {date} (port time, {zone})")).format(
                date=to_local(o.started_at, zone or None).strftime("%Y-%m-%d %H:%M"), zone=zone),
            label(doc.status),
        ) if x))
        if not doc.draft:
            when = doc.signed_off_at.strftime("%Y-%m-%d") if doc.signed_off_at else ""
            self.banner.setText(_("Signed off by {who} on {date}: the review and its drill's record are read-only. "
                                  "The corrective actions keep moving to closure.").format(who=doc.signed_off_by or "—",
                                                                                          date=when))
            self.undo_stack.clear()
        self.banner.setVisible(not doc.draft)
        self.real_band.setVisible(doc.real)
        self.tabs.setTabVisible(self.tabs.indexOf(self.objectives), not doc.real)  # no exercise objectives
        self.overview.show_doc(doc)
        self.objectives.show_ratings(doc.ratings, self.read_only or not allowed(role, "reviews.rate_objective"))
        self.findings.show_findings(doc.findings, self.read_only or not allowed(role, "reviews.update_finding"),
                                    tuple((r.objective_id, r.text) for r in doc.ratings if r.objective_id is not None))
        if self._select is not None:
            self.findings.select(self._select)
            self._select = None
        self.sign_off_action.setEnabled(doc.draft and allowed(role, "reviews.sign_off"))
        self.amend_action.setEnabled(not doc.draft and allowed(role, "reviews.add_amendment"))
        self.undo_action.setEnabled(doc.draft and self.undo_stack.canUndo())
        self.redo_action.setEnabled(doc.draft and self.undo_stack.canRedo())

    def select_after_load(self, finding_id: int) -> None:
        self._select = finding_id

    # -- writing --------------------------------------------------------------------------------------
    def write(self, fn: Callable[[], Any], entity: str, entity_id: int,
              done: Callable[[Any], object] | None = None) -> None:
        """Run a service write; reload what it changed, or say what stopped it (a conflict asks to reload)."""

        def written(result: Any) -> None:
            if done is not None:
                done(result)
            self.load()

        WriteOp(self, fn).success(written).failure(lambda exc: self.failed(exc, entity, entity_id)) \
            .run(initiator=self)

    def failed(self, exc: BaseException, entity: str, entity_id: int) -> None:
        if isinstance(exc, ConflictError):
            reload = ask_reload(exc, self.history, entity, entity_id, self)
            # the edits before were made on what is no longer there; cleared once the command being pushed
            # (a refused edit fails inside its push when operations run inline) is on the stack
            QTimer.singleShot(0, self.undo_stack.clear)
            if reload:
                self.load()  # Cancel keeps what was typed on screen (to copy); F5 reloads
            return
        show_error(self, exc)
        self.load()

    def rate(self, objective_id: int, rating: Rating, observations: str) -> None:
        """A rating (with its observations), undoable: undoing the first one takes the rating back."""
        doc = self.doc
        if doc is None or self.read_only:
            return
        before = next((r for r in doc.ratings if r.objective_id == objective_id), None)
        reviews, review_id = self.reviews, self.review_id

        def store(value: tuple[Rating | None, str]) -> None:
            current = next((r for r in self.doc.ratings if r.objective_id == objective_id), None) if self.doc else None
            version = current.row_version if current is not None else None
            new_rating = value[0]
            if new_rating is None:
                if version is not None:  # (else it is not rated: nothing to take back)
                    self.write(lambda: reviews.clear_rating(review_id, objective_id, expected_version=version),
                               "objective_rating", objective_id)
                return
            self.write(lambda: reviews.rate_objective(review_id, objective_id, new_rating, value[1],
                                                      expected_version=version), "objective_rating", objective_id)

        self.undo_stack.push(ValueEdit(_("Rate objective"), store,
                                       (before.rating if before else None, before.observations if before else ""),
                                       (rating, observations)))

    def set_summary(self, text: str) -> None:
        doc = self.doc
        if doc is None or self.read_only:
            return
        reviews, review_id = self.reviews, self.review_id

        def store(value: str) -> None:
            if self.doc is None:
                return
            version = self.doc.row_version
            self.write(lambda: reviews.update_review(review_id, summary=value, expected_version=version),
                       "after_action_review", review_id)

        self.undo_stack.push(ValueEdit(_("Edit summary"), store, doc.summary, text))

    def edit_finding(self, finding_id: int, field: str, value: object) -> None:
        doc = self.doc
        finding = next((f for f in doc.findings if f.id == finding_id), None) if doc else None
        if finding is None or self.read_only:
            return
        reviews = self.reviews

        def store(new: object) -> None:
            current = next((f for f in self.doc.findings if f.id == finding_id), None) if self.doc else None
            if current is None:  # removed meanwhile: nothing to change
                return
            version = current.row_version
            changes: dict[str, Any] = {field: new}
            self.write(lambda: reviews.update_finding(finding_id, expected_version=version, **changes),
                       "finding", finding_id)

        self.undo_stack.push(ValueEdit(_("Edit finding"), store, getattr(finding, field), value))

    def sign_off(self) -> None:
        doc = self.doc
        if doc is None or not doc.draft:
            return
        answer = QMessageBox.question(
            self, _("Sign off the review"),
            _("Sign off \"{title}\"? Afterwards the review and its drill's record are read-only; only the corrective "
              "actions keep moving, and changes are added as amendments.").format(title=doc.title),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        reviews, review_id, version = self.reviews, self.review_id, doc.row_version
        self.write(lambda: reviews.sign_off(review_id, version), "after_action_review", review_id,
                   lambda _r: self.statusBar().showMessage(_("Signed off."), 8000))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        focus = self.focusWidget()
        if focus is not None:
            focus.clearFocus()  # a text being written is kept (its focus-out stores it)
        super().closeEvent(event)
        self.closed.emit(self.review_id)
