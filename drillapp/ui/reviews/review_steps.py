"""The review editor's steps that fill in a form or ask first: a new finding, accepting or removing one,
pointing it at the plan, "Revise plan", and the corrective actions (add, edit, status). Each is one service
operation through the editor's runner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox

from drillapp.clock import local_today
from drillapp.i18n import _
from drillapp.models.enums import ActionStatus
from drillapp.services.org import BranchRow
from drillapp.services.review_read import ActionDoc, PlanParts
from drillapp.ui.operations import QueryOp
from drillapp.ui.reviews.dialogs import ActionDialog, NewFindingDialog, PlanPartDialog

if TYPE_CHECKING:
    from drillapp.ui.reviews.editor import ReviewEditor


class ReviewSteps(QObject):
    def __init__(self, editor: ReviewEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.last_dialog: QDialog | None = None  # the form open now (tests fill it in)

    # -- findings -------------------------------------------------------------------------------------
    def new_finding(self) -> None:
        editor = self.editor
        if editor.read_only:
            return
        dialog = NewFindingDialog(editor)
        self.last_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        kind, agency, text, root_cause = dialog.values()
        reviews, review_id = editor.reviews, editor.review_id
        editor.tabs.setCurrentWidget(editor.findings)
        editor.write(lambda: reviews.add_finding(review_id, kind, text, root_cause=root_cause, agency=agency),
                     "after_action_review", review_id, editor.select_after_load)

    def _version(self, finding_id: int) -> int | None:
        """The finding's row version as shown (the write refuses it if it changed since)."""
        doc = self.editor.doc
        return next((f.row_version for f in doc.findings if f.id == finding_id), None) if doc else None

    def accept_finding(self, finding_id: int) -> None:
        reviews, version = self.editor.reviews, self._version(finding_id)
        if version is not None:
            self.editor.write(lambda: reviews.accept_finding(finding_id, expected_version=version), "finding",
                              finding_id)

    def remove_finding(self, finding_id: int) -> None:
        editor = self.editor
        finding = next((f for f in editor.doc.findings if f.id == finding_id), None) if editor.doc else None
        if finding is None:
            return
        extra = _(" and its {n} corrective actions").format(n=len(finding.actions)) if finding.actions else ""
        answer = QMessageBox.question(
            editor, _("Remove finding"),
            _("Remove this finding{extra}? This cannot be undone.\n\n{text}").format(extra=extra,
                                                                                     text=finding.text[:300]),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        reviews, version = editor.reviews, finding.row_version
        editor.undo_stack.clear()  # the edits of a removed finding cannot be undone any more
        editor.write(lambda: reviews.remove_finding(finding_id, expected_version=version), "finding", finding_id)

    def point_at_plan(self, finding_id: int) -> None:
        editor = self.editor
        doc = editor.doc
        if doc is None or doc.overview.plan_id is None:
            QMessageBox.information(editor, _("Point at plan"), _("This drill was not run under a plan."))
            return
        docs, plan_id, number = editor.docs, doc.overview.plan_id, doc.overview.plan_version
        QueryOp(editor, lambda: docs.plan_parts(plan_id, number)) \
            .success(lambda plan: self._choose_part(finding_id, plan)).run()

    def _choose_part(self, finding_id: int, plan: PlanParts) -> None:
        dialog = PlanPartDialog(plan, self.editor)
        self.last_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        choice = dialog.choice()
        reviews, version = self.editor.reviews, self._version(finding_id)
        part, part_id = choice if choice is not None else (None, None)
        if version is not None:
            self.editor.write(lambda: reviews.set_finding_target(finding_id, part, part_id, expected_version=version),
                              "finding", finding_id)

    def revise_plan(self, finding_id: int) -> None:
        """A draft revision of the plan (the one open, or a new one) with the finding linked; it opens in the
        plan editor."""
        editor = self.editor
        doc = editor.doc
        plan_id = next((f.plan_id for f in doc.findings if f.id == finding_id), None) if doc else None
        reviews = editor.reviews

        def opened(version_id: int) -> None:
            editor.statusBar().showMessage(_("The finding is linked to the plan's draft revision."), 8000)
            if editor.open_plan is not None and plan_id is not None:
                editor.open_plan(plan_id, version_id)

        version = self._version(finding_id)
        if version is not None:
            editor.write(lambda: reviews.revise_plan(finding_id, expected_version=version), "finding", finding_id,
                         opened)

    def add_amendment(self) -> None:
        """A dated entry on a signed-off review (the signed review itself never changes)."""
        editor = self.editor
        if editor.doc is None or editor.doc.draft:
            return
        text, ok = QInputDialog.getMultiLineText(editor, _("Add amendment"),
                                                 _("What is added to the signed-off review (dated, with your name):"))
        if not ok or not text.strip():
            return
        reviews, review_id = editor.reviews, editor.review_id
        editor.tabs.setCurrentWidget(editor.overview)
        editor.write(lambda: reviews.add_amendment(review_id, text), "after_action_review", review_id)

    # -- corrective actions ---------------------------------------------------------------------------
    def _branches_then(self, then: object) -> None:
        editor = self.editor
        org, port_id = editor.org, editor.doc.port_id if editor.doc else None
        QueryOp(editor, lambda: org.branches(port_id)).success(then).run()  # type: ignore[arg-type]

    def port_today(self):  # noqa: ANN201 - a date
        editor = self.editor
        zone = editor.doc.record.snapshot.port_zone if editor.doc else None
        return local_today(editor.reviews.clock(), zone or None)

    def add_action(self, finding_id: int) -> None:
        self._branches_then(lambda branches: self._action_form(branches, finding_id, None))

    def edit_action(self, action: ActionDoc) -> None:
        self._branches_then(lambda branches: self._action_form(branches, None, action))

    def _action_form(self, branches: list[BranchRow], finding_id: int | None, action: ActionDoc | None) -> None:
        editor = self.editor
        dialog = ActionDialog(branches, self.port_today(), action, editor)
        self.last_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        v = dialog.values()
        reviews = editor.reviews
        if action is None:
            assert finding_id is not None
            editor.write(lambda: reviews.add_corrective_action(
                finding_id, v.text, capability=v.capability, owner_branch_id=v.owner_branch_id,
                owner_name=v.owner_name, start_on=v.start_on, due_on=v.due_on,
                closes_with_revision=v.closes_with_revision), "finding", finding_id)
            return
        editor.write(lambda: reviews.update_corrective_action(
            action.id, expected_version=action.row_version, text=v.text, capability=v.capability,
            owner_branch_id=v.owner_branch_id, owner_name=v.owner_name, start_on=v.start_on, due_on=v.due_on,
            closes_with_revision=v.closes_with_revision), "corrective_action", action.id)

    def set_action_status(self, action: ActionDoc, status: ActionStatus) -> None:
        editor = self.editor
        if status is ActionStatus.CANCELLED and QMessageBox.question(
                editor, _("Cancel corrective action"), _("Cancel this corrective action?\n\n{text}").format(
                    text=action.text[:300]),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            editor.load()
            return
        reviews = editor.reviews
        editor.write(lambda: reviews.set_action_status(action.id, status, action.row_version),
                     "corrective_action", action.id)
