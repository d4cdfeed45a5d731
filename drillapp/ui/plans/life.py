"""The version's life in the plan editor: which version is shown, and the steps draft → review → approved,
a new revision, discarding a draft, retirement. Each step is one operation through the runner; the editor
then shows the version the step leads to.

The editor opens a plan at its version in force; the version list in its toolbar reaches every other
version (a draft beside it, older ones), each shown read-only unless it is the draft.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QMessageBox, QToolBar

from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import PlanStatus
from drillapp.services.errors import ConflictError
from drillapp.services.permissions import allowed
from drillapp.ui.conflict import ask_reload
from drillapp.ui.errors import show_error
from drillapp.ui.operations import QueryOp, WriteOp
from drillapp.ui.plans import dialogs

if TYPE_CHECKING:
    from drillapp.ui.plans.editor import PlanEditor

OPEN = (PlanStatus.DRAFT, PlanStatus.IN_REVIEW)
CLOSED = (PlanStatus.APPROVED, PlanStatus.SUPERSEDED, PlanStatus.RETIRED)
Versions = list[tuple[int, int, PlanStatus]]  # (version id, number, status), oldest first


class VersionLife(QObject):
    def __init__(self, editor: PlanEditor, bar: QToolBar) -> None:
        super().__init__(editor)
        self.editor = editor
        self.versions: Versions = []
        bar.addWidget(QLabel(_("Version:"), bar))
        self.chooser = QComboBox(bar)
        self.chooser.setObjectName("versionChooser")
        self.chooser.setToolTip(_("Show another version of this plan"))
        bar.addWidget(self.chooser)
        self.chooser.activated.connect(self._chosen)
        bar.addSeparator()
        self.submit_action = editor.add_tool(bar, "submit", _("Send for review"), self.submit)
        self.return_action = editor.add_tool(bar, "return", _("Back to draft"), self.return_to_draft)
        self.approve_action = editor.add_tool(bar, "approve", _("Approve…"), self.approve)
        self.revise_action = editor.add_tool(bar, "revise", _("New revision…"), self.new_revision)
        self.discard_action = editor.add_tool(bar, "discard", _("Discard draft…"), self.discard)
        self.retire_action = editor.add_tool(bar, "retire", _("Retire…"), self.retire)

    # -- showing ----------------------------------------------------------------------------------
    def show_versions(self, versions: Versions) -> None:
        self.versions = list(versions)
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for version_id, number, status in reversed(self.versions):  # newest first
            self.chooser.addItem(_("Version {n}").format(n=number) + f" · {label(status)}", version_id)
        self.select_current()
        self.chooser.blockSignals(False)

    def select_current(self) -> None:
        doc = self.editor.doc
        if doc is not None:
            self.chooser.setCurrentIndex(max(0, self.chooser.findData(doc.version_id)))

    def update(self) -> None:
        """Which steps the version shown allows, for this user (the core checks again)."""
        doc = self.editor.doc
        if doc is None:
            return
        role, status = self.editor.actor.role, doc.status
        open_one = next((n for _v, n, s in self.versions if s in OPEN), None)
        self.submit_action.setEnabled(status is PlanStatus.DRAFT and allowed(role, "plans.submit_for_review"))
        self.return_action.setEnabled(status is PlanStatus.IN_REVIEW and allowed(role, "plans.return_to_draft"))
        may_approve = allowed(role, "plans.approve_version")
        self.approve_action.setEnabled(status is PlanStatus.IN_REVIEW and may_approve)
        self.approve_action.setToolTip(
            _("Send the draft for review first: the committee approves a version in review.")
            if status is PlanStatus.DRAFT and may_approve else _("Approve this version (the joint committee)"))
        self.revise_action.setEnabled(status in CLOSED and open_one is None and allowed(role, "plans.new_revision"))
        self.revise_action.setToolTip(
            _("Version {n} is already being revised: choose it in the version list.").format(n=open_one)
            if open_one is not None else _("Copy this version to a new draft"))
        self.discard_action.setEnabled(status is PlanStatus.DRAFT and len(self.versions) > 1
                                       and allowed(role, "plans.discard_draft"))
        self.retire_action.setEnabled(status is PlanStatus.APPROVED and allowed(role, "plans.retire"))

    def _chosen(self, _index: int) -> None:
        version_id = self.chooser.currentData()
        doc = self.editor.doc
        if doc is None or version_id is None or version_id == doc.version_id:
            return
        if not self.editor.leave_unsaved(lambda: self.editor.load(version_id)):
            self.select_current()  # cancelled: the list shows the version still shown

    # -- steps ------------------------------------------------------------------------------------
    def _run(self, fn: Callable[[], object], then_version: Callable[[object], int] | None = None) -> None:
        """A step in the version's life (one operation), then the version shown again as the database has it
        (`then_version(result)` names another version to show, e.g. a new revision)."""
        editor = self.editor
        assert editor.doc is not None
        current = editor.doc.version_id
        WriteOp(editor, fn).success(
            lambda result: editor.load(then_version(result) if then_version else current)).run(initiator=editor)

    def submit(self) -> None:
        doc = self.editor.doc
        if doc is not None:
            self.editor.after_saving(self._submit_saved)

    def _submit_saved(self) -> None:
        """Send the version shown for review, at the version the editor shows once any edits are saved."""
        doc, revisions = self.editor.doc, self.editor.revisions
        if doc is not None:
            version_id, row_version = doc.version_id, doc.row_version
            self._run(lambda: revisions.submit_for_review(version_id, expected_version=row_version))

    def return_to_draft(self) -> None:
        doc, revisions = self.editor.doc, self.editor.revisions
        if doc is not None:
            version_id, row_version = doc.version_id, doc.row_version
            self._run(lambda: revisions.return_to_draft(version_id, expected_version=row_version))

    def approve(self) -> None:
        doc, plans = self.editor.doc, self.editor.plans
        if doc is None or doc.status is not PlanStatus.IN_REVIEW:
            return
        dialog = dialogs.ApproveDialog(self.editor, plans.today())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        effective, review = dialog.dates()
        version_id, row_version = doc.version_id, doc.row_version
        self._run(lambda: plans.approve_version(version_id, effective, review, expected_version=row_version))

    def new_revision(self) -> None:
        doc, revisions = self.editor.doc, self.editor.revisions
        if doc is None:
            return
        answer = QMessageBox.question(
            self.editor, _("New revision"),
            _("Start a new revision of {title}? Version {n} is copied to a new draft for you to edit and send for "
              "review; version {n} stays as it is until the new one is approved. A draft started by mistake can "
              "be discarded.").format(title=doc.title_zh, n=doc.number))
        if answer == QMessageBox.StandardButton.Yes:
            plan_id = doc.plan_id
            self._run(lambda: revisions.new_revision(plan_id), then_version=lambda version_id: int(version_id))  # type: ignore[call-overload]  # the operation returns the new version's id (an int)

    def discard(self) -> None:
        doc, revisions = self.editor.doc, self.editor.revisions
        if doc is not None and doc.status is PlanStatus.DRAFT:
            QueryOp(self.editor, lambda: revisions.findings_answered_by(doc.version_id)) \
                .success(lambda findings: self._ask_discard(findings)).run()

    def _ask_discard(self, findings: tuple[str, ...]) -> None:
        editor, doc, revisions = self.editor, self.editor.doc, self.editor.revisions
        if doc is None:
            return
        text = _("Discard draft version {n}? Its changes are lost; the version in force stays as it is.").format(
            n=doc.number)
        if findings:  # a draft that answers review findings says so first: they go back to unanswered
            text = "\n".join([_("This draft answers these review findings; they go back to unanswered:"),
                              *(f"• {f}" for f in findings), "", text])
        if QMessageBox.question(editor, _("Discard draft"), text) != QMessageBox.StandardButton.Yes:
            return
        version_id, row_version = doc.version_id, doc.row_version

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ConflictError):
                if ask_reload(exc, editor.history, "plan_version", version_id, editor):
                    editor.load(version_id)
                return
            show_error(editor, exc)

        def discarded(shown: object) -> None:
            editor.undo_stack.clear()  # the draft and its unsaved edits are gone
            editor.load(int(shown))  # type: ignore[call-overload]  # the operation returns the new version's id (an int)

        WriteOp(editor, lambda: revisions.discard_draft(version_id, row_version)) \
            .success(discarded).failure(failed).run(initiator=editor)

    def retire(self) -> None:
        doc, revisions = self.editor.doc, self.editor.revisions
        if doc is None:
            return
        answer = QMessageBox.question(
            self.editor, _("Retire plan"), _("Take {title} out of force? It stays readable, and can be revised later.")
            .format(title=doc.title_zh))
        if answer == QMessageBox.StandardButton.Yes:
            plan_id, row_version = doc.plan_id, doc.row_version  # the approved version shown
            self._run(lambda: revisions.retire(plan_id, expected_version=row_version))

