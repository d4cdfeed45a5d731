"""The plan editor: every part of a plan version, undo/redo, and the version's life (review, approval,
new revision, retirement), comparison and printing. An approved version opens read-only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _
from drillapp.labels import label, level_label
from drillapp.models.enums import Agency, MatrixRole, PlanStatus, ReportKind, ResponsePhase
from drillapp.services.audit_view import AuditViewService
from drillapp.services.changes import ChangeSet
from drillapp.services.context import Actor
from drillapp.services.errors import ConflictError
from drillapp.services.permissions import allowed
from drillapp.services.plan_document import (
    ActionDoc,
    ContactDoc,
    LevelDoc,
    MatrixDoc,
    PlanDoc,
    ResourceDoc,
)
from drillapp.services.plan_revisions import DraftContent, PlanRevisionService
from drillapp.services.plans import LEVEL_COLOURS, LEVEL_NAMES_ZH, PlanService
from drillapp.ui import operations
from drillapp.ui.conflict import ask_reload
from drillapp.ui.errors import show_error
from drillapp.ui.formatting import port_today
from drillapp.ui.operations import QueryOp, WriteOp
from drillapp.ui.plans.compare import CompareDialog

if TYPE_CHECKING:
    pass
from drillapp.ui.plans.record_table import ColumnSpec, RecordTable, enum_choices
from drillapp.ui.plans.sections import SectionsEditor


class Snapshot(QUndoCommand):
    """One edit: the draft before and after (immutable, so undo is exact)."""

    def __init__(self, editor: PlanEditor, before: DraftContent, after: DraftContent, text: str) -> None:
        super().__init__(text)
        self.editor, self.before, self.after = editor, before, after

    def redo(self) -> None:
        self.editor.set_content(self.after)

    def undo(self) -> None:
        self.editor.set_content(self.before)


def _levels() -> tuple[tuple[int | None, str], ...]:
    return ((None, level_label(None)),) + tuple((n, level_label(n)) for n in (1, 2, 3, 4))


class PlanEditor(QMainWindow):
    """One plan version, edited as a copy (undo/redo) and saved whole; its life (review, approval, revision,
    retirement) and print-outs. Every write goes through the operation runner."""

    closed = Signal(int)  # the plan id, when the window is closed

    def __init__(self, plans: PlanService, revisions: PlanRevisionService, history: AuditViewService,
                 doc: PlanDoc, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planEditor")
        self.plans, self.revisions, self.history = plans, revisions, history
        self.actor: Actor = plans.actor
        self.doc: PlanDoc | None = None
        self.content: DraftContent | None = None
        self.undo_stack = QUndoStack(self)
        self.resize(1200, 800)

        self.heading = QLabel(self)
        self.heading.setObjectName("pageTitle")
        self.heading.setWordWrap(True)
        self.facts = QLabel(self)
        self.facts.setObjectName("facts")
        self.facts.setProperty("muted", True)
        self.change_note = QLineEdit(self)
        self.change_note.setObjectName("changeNote")
        self.change_note.setPlaceholderText(_("What this revision changes"))
        self.change_note.editingFinished.connect(self._note_edited)
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color: #b00020;")

        self.sections = SectionsEditor(self)
        self.levels = RecordTable([
            ColumnSpec("level", _("Level"), "choice", tuple((n, level_label(n)) for n in (1, 2, 3, 4)), width=90),
            ColumnSpec("name", _("Level name"), width=120),
            ColumnSpec("colour", _("Colour"), width=90),
            ColumnSpec("trigger", _("Trigger"), required=False),
        ], self._new_level, self)
        self.actions_table = RecordTable([
            ColumnSpec("agency", _("Agency"), "choice", enum_choices(Agency, label), width=175),
            ColumnSpec("level", _("Level"), "choice", _levels(), width=100),
            ColumnSpec("phase", _("Phase"), "choice", enum_choices(ResponsePhase, label), width=120),
            ColumnSpec("text", _("Action"), required=True),
            ColumnSpec("responsible_post", _("Responsible post"), width=130),
            ColumnSpec("target_minutes", _("Target (min)"), "int", width=90),
            ColumnSpec("report_due", _("Report due"), "choice", enum_choices(ReportKind, label, True, "—"), width=110),
        ], lambda: ActionDoc(0, Agency.BORDER_INSPECTION, None, ResponsePhase.FIRST_RESPONSE, 0, _("New action"),
                             "", None, None), self)
        self.matrix = RecordTable([
            ColumnSpec("task", _("Task"), required=True),
            ColumnSpec("agency", _("Agency"), "choice", enum_choices(Agency, label), width=160),
            ColumnSpec("role", _("Lead or support"), "choice", enum_choices(MatrixRole, label), width=110),
        ], lambda: MatrixDoc(_("New task"), Agency.PORT_OFFICE, MatrixRole.SUPPORT), self)
        self.contacts = RecordTable([
            ColumnSpec("agency", _("Agency"), "choice", enum_choices(Agency, label, True, "—"), width=150),
            ColumnSpec("name", _("Contact"), required=True),
            ColumnSpec("post", _("Post"), width=140),
            ColumnSpec("phone", _("Phone"), width=130),
            ColumnSpec("mobile", _("Mobile"), width=130),
            ColumnSpec("notes", _("Notes")),
        ], lambda: ContactDoc(None, _("New contact"), "", "", "", "", 0), self)
        self.resources = RecordTable([
            ColumnSpec("name", _("Item"), required=True),
            ColumnSpec("kind", _("Kind"), width=100),
            ColumnSpec("quantity", _("Quantity"), "int", maximum=1_000_000, width=80),
            ColumnSpec("location", _("Location")),
            ColumnSpec("custodian", _("Custodian"), "choice", enum_choices(Agency, label, True, "—"), width=150),
            ColumnSpec("notes", _("Notes")),
        ], lambda: ResourceDoc(_("New resource"), "", None, "", None, "", 0), self)
        parts: list[tuple[QWidget, str, str]] = [
            (self.sections, _("Sections"), "sections"), (self.levels, _("Response levels"), "levels"),
            (self.actions_table, _("Actions"), "actions"), (self.matrix, _("Responsibility matrix"), "matrix"),
            (self.contacts, _("Contacts"), "contacts"), (self.resources, _("Resources"), "resources"),
        ]
        self.tabs = QTabWidget(self)
        for widget, title, field in parts:
            self.tabs.addTab(widget, title)
            widget.edited.connect(lambda value, text, f=field: self.edit(f, value, text))
            if isinstance(widget, RecordTable):
                widget.validity_changed.connect(self._validity)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addWidget(self.heading)
        layout.addWidget(self.facts)
        note_form = QFormLayout()
        note_form.addRow(_("Change note:"), self.change_note)
        layout.addLayout(note_form)
        layout.addWidget(self.problem)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._build_toolbar()
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        operations.listen(self, self._changed_elsewhere)
        self.show_document(doc)

    # -- toolbar ----------------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        bar = QToolBar(_("Plan"), self)
        bar.setObjectName("planToolbar")
        self.addToolBar(bar)
        self.save_action = self._action(bar, "save", _("Save"), self.save, QKeySequence.StandardKey.Save)
        self.undo_action = self.undo_stack.createUndoAction(self, _("Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setObjectName("action_undo")
        self.redo_action = self.undo_stack.createRedoAction(self, _("Redo"))
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.redo_action.setObjectName("action_redo")
        bar.addAction(self.undo_action)
        bar.addAction(self.redo_action)
        bar.addSeparator()
        self.submit_action = self._action(bar, "submit", _("Send for review"), self.submit)
        self.return_action = self._action(bar, "return", _("Back to draft"), self.return_to_draft)
        self.approve_action = self._action(bar, "approve", _("Approve…"), self.approve)
        self.revise_action = self._action(bar, "revise", _("New revision"), self.new_revision)
        self.retire_action = self._action(bar, "retire", _("Retire…"), self.retire)
        bar.addSeparator()
        self.compare_action = self._action(bar, "compare", _("Compare…"), self.compare)
        self.print_action = self._action(bar, "print", _("Print…"), self.print_plan, QKeySequence.StandardKey.Print)
        self.card_action = self._action(bar, "card", _("Action card…"), self.print_card)
        self.export_action = self._action(bar, "export", _("Export PDF…"), self.print_pdf)

    def _action(self, bar: QToolBar, name: str, text: str, slot: Callable[[], None],
                shortcut: QKeySequence.StandardKey | None = None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"action_{name}")
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        bar.addAction(action)
        return action

    # -- loading and showing ----------------------------------------------------------------------
    def load(self, version_id: int, then: Callable[[], object] | None = None) -> None:
        """Read the version again (off the GUI thread) and show it as the database now has it."""
        plans = self.plans

        def shown(doc: PlanDoc) -> None:
            self.show_document(doc)
            if then is not None:
                then()

        QueryOp(self, lambda: plans.document(version_id)).success(shown).run()

    def show_document(self, doc: PlanDoc) -> None:
        self.doc = doc
        self.undo_stack.clear()
        self.set_content(DraftContent.of(doc))
        self.undo_stack.setClean()
        self._update_title()

    def _changed_elsewhere(self, change_set: ChangeSet, initiator: object) -> None:
        """Another desk (or window) changed this version: show it again, unless there are unsaved edits here
        (the save will then meet the conflict, which says who changed it)."""
        if initiator is self or self.doc is None or not change_set.remote:
            return
        if change_set.touches_record("plan_version", self.doc.version_id) and self.undo_stack.isClean():
            self.load(self.doc.version_id)

    @property
    def editable(self) -> bool:
        return self.doc is not None and self.doc.status is PlanStatus.DRAFT and allowed(self.actor.role,
                                                                                         "plans.save_draft")

    def set_content(self, content: DraftContent) -> None:
        self.content = content
        read_only = not self.editable
        self.sections.show_sections(content.sections, read_only)
        self.levels.show_records(content.levels, read_only)
        self.actions_table.show_records(content.actions, read_only)
        self.matrix.show_records(content.matrix, read_only)
        self.contacts.show_records(content.contacts, read_only)
        self.resources.show_records(content.resources, read_only)
        if self.change_note.text() != content.change_note:
            self.change_note.setText(content.change_note)
        self.change_note.setReadOnly(read_only)
        self._update_title()

    @Slot(bool)
    def _clean_changed(self, _clean: bool) -> None:
        self._update_title()

    def _update_title(self) -> None:
        doc = self.doc
        if doc is None:
            return
        dirty = "" if self.undo_stack.isClean() else " *"
        self.setWindowTitle(f"{doc.code} · {doc.title_zh} · {_('Version {n}').format(n=doc.number)}{dirty}")
        self.heading.setText(f"{doc.title_zh}  ({doc.code})")
        approved = ""
        if doc.approved_at and doc.approved_by:
            approved = _("approved by {who} on {date}").format(who=doc.approved_by, date=doc.approved_at.date())
        elif doc.approved_at:
            approved = _("approved on {date}").format(date=doc.approved_at.date())
        self.facts.setText(" · ".join(x for x in (
            _("Version {n}").format(n=doc.number), label(doc.status), approved,
            _("effective {date}").format(date=doc.effective_on) if doc.effective_on else "",
            _("review due {date}").format(date=doc.review_due_on) if doc.review_due_on else "",
        ) if x))
        role = self.actor.role
        status = doc.status
        self.save_action.setEnabled(self.editable and not self.undo_stack.isClean())
        self.submit_action.setEnabled(status is PlanStatus.DRAFT and allowed(role, "plans.submit_for_review"))
        self.return_action.setEnabled(status is PlanStatus.IN_REVIEW and allowed(role, "plans.return_to_draft"))
        self.approve_action.setEnabled(status in (PlanStatus.DRAFT, PlanStatus.IN_REVIEW)
                                       and allowed(role, "plans.approve_version"))
        self.revise_action.setEnabled(status in (PlanStatus.APPROVED, PlanStatus.SUPERSEDED, PlanStatus.RETIRED)
                                      and allowed(role, "plans.new_revision"))
        self.retire_action.setEnabled(status is PlanStatus.APPROVED and allowed(role, "plans.retire"))

    def _validity(self, ok: bool) -> None:
        invalid = any(t.invalid for t in (self.levels, self.actions_table, self.matrix, self.contacts, self.resources))
        self.problem.setText(_("Some cells are not valid (red): correct them before saving.") if invalid else "")
        self.save_action.setEnabled(self.editable and not invalid and not self.undo_stack.isClean())

    # -- editing ----------------------------------------------------------------------------------
    def edit(self, part: str, value: object, text: str) -> None:
        assert self.content is not None
        if not self.editable:
            return
        after = replace(self.content, **{part: value})
        self.undo_stack.push(Snapshot(self, self.content, after, text))

    def _note_edited(self) -> None:
        if self.content is not None and self.editable and self.change_note.text() != self.content.change_note:
            self.edit("change_note", self.change_note.text(), _("Edit change note"))

    def _new_level(self) -> LevelDoc:
        used = {lv.level for lv in (self.content.levels if self.content else ())}
        free = next((n for n in (1, 2, 3, 4) if n not in used), 4)
        return LevelDoc(free, LEVEL_NAMES_ZH[free], LEVEL_COLOURS[free], "")

    # -- the version's life -----------------------------------------------------------------------
    def _run(self, fn: Callable[[], object], then_version: Callable[[object], int] | None = None) -> None:
        """A step in the version's life (one operation), then the version shown again as the database has it
        (`then_version(result)` names another version to show, e.g. a new revision)."""
        assert self.doc is not None
        current = self.doc.version_id
        WriteOp(self, fn).success(
            lambda result: self.load(then_version(result) if then_version else current)).run(initiator=self)

    def save(self, then: Callable[[], object] | None = None) -> None:
        """Save the draft as shown (one operation); `then` runs once it is saved."""
        if self.doc is None or self.content is None or not self.editable:
            return
        doc, content = self.doc, self.content
        revisions = self.revisions

        def saved(_result: object) -> None:
            self.statusBar().showMessage(_("Saved."), 5000)
            self.load(doc.version_id, then)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ConflictError):
                if ask_reload(exc, self.history, "plan_version", doc.version_id, self):
                    self.load(doc.version_id)
                return
            show_error(self, exc)

        WriteOp(self, lambda: revisions.save_draft(doc.version_id, doc.row_version, content)) \
            .success(saved).failure(failed).run(initiator=self)

    def _after_saving(self, step: Callable[[], object]) -> None:
        """Run a step of the version's life on what is saved: save first when there are unsaved edits."""
        if self.undo_stack.isClean():
            step()
        else:
            self.save(then=step)

    def submit(self) -> None:
        if self.doc:
            self._after_saving(lambda: self._run(lambda: self.revisions.submit_for_review(self.doc.version_id)))  # type: ignore[union-attr]

    def return_to_draft(self) -> None:
        if self.doc:
            self._run(lambda: self.revisions.return_to_draft(self.doc.version_id))  # type: ignore[union-attr]

    def approve(self) -> None:
        if self.doc:
            self._after_saving(self._approve_saved)

    def _approve_saved(self) -> None:
        dialog = ApproveDialog(self, self.plans.today())
        if dialog.exec() != QDialog.DialogCode.Accepted or self.doc is None:
            return
        effective, review = dialog.dates()
        version_id = self.doc.version_id
        self._run(lambda: self.plans.approve_version(version_id, effective, review))

    def new_revision(self) -> None:
        if not self.doc:
            return
        plan_id = self.doc.plan_id
        self._run(lambda: self.revisions.new_revision(plan_id), then_version=lambda version_id: int(version_id))  # type: ignore[call-overload]

    def retire(self) -> None:
        if not self.doc:
            return
        answer = QMessageBox.question(
            self, _("Retire plan"), _("Take {title} out of force? It stays readable, and can be revised later.")
            .format(title=self.doc.title_zh))
        if answer == QMessageBox.StandardButton.Yes:
            plan_id = self.doc.plan_id
            self._run(lambda: self.revisions.retire(plan_id))

    def compare(self) -> None:
        if self.doc:
            CompareDialog(self.plans, self.revisions, self.doc, self).exec()

    def _make_pdf(self, path: Path, agency: Agency | None = None, level: int | None = None) -> Callable[[], Path]:
        from drillapp.reports.plan_pdf import build_plan_pdf

        assert self.doc is not None
        db, actor, plan_id, number = self.plans.db, self.actor, self.doc.plan_id, self.doc.number
        return lambda: build_plan_pdf(db, actor, plan_id, path, version_number=number, agency=agency, level=level)

    def _preview(self, agency: Agency | None = None, level: int | None = None) -> None:
        """Make the PDF (off the GUI thread), then show it in the print preview (Print there opens the system
        print dialog)."""
        if self.doc is None:
            return
        from drillapp.ui.plans.print_preview import PlanPrintPreview, temporary_pdf

        title = self.doc.title_zh

        def show(pdf: Path) -> None:
            self.last_preview = PlanPrintPreview(pdf, title, self)
            self.last_preview.exec()

        QueryOp(self, self._make_pdf(temporary_pdf(f"{self.doc.code}.pdf"), agency, level),
                label=_("Preparing the print-out…")).success(show).run()

    def print_plan(self) -> None:
        self._preview()

    def print_card(self) -> None:
        if self.doc is None:
            return
        dialog = CardDialog(self.doc, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._preview(dialog.agency.currentData(), dialog.level.currentData())

    def print_pdf(self) -> None:
        if self.doc is None:
            return
        if not self.undo_stack.isClean():
            QMessageBox.information(self, _("Print"), _("Save your changes first: the print-out shows what is saved."))
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Print to PDF"), str(Path.home() / f"{self.doc.code}-v{self.doc.number}.pdf"), "PDF (*.pdf)")
        if not path:
            return
        QueryOp(self, self._make_pdf(Path(path)), label=_("Writing the PDF…")).success(
            lambda out: self.statusBar().showMessage(_("PDF written to {path}").format(path=out), 8000)).run()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.editable and not self.undo_stack.isClean():
            answer = QMessageBox.question(
                self, _("Unsaved changes"), _("Save the changes to this draft?"),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.Save:
                event.ignore()  # close once the save has gone through (a conflict keeps the window open)
                self.save(then=self._close_clean)
                return
        super().closeEvent(event)
        if self.doc is not None:
            self.closed.emit(self.doc.plan_id)

    def _close_clean(self) -> None:
        self.undo_stack.setClean()
        self.close()


class CardDialog(QDialog):
    """Which action card: an agency and a response level the plan defines."""

    def __init__(self, doc: PlanDoc, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Action card"))
        self.agency = QComboBox(self)
        self.agency.setObjectName("cardAgency")
        for agency in Agency:
            self.agency.addItem(label(agency), agency)
        self.level = QComboBox(self)
        self.level.setObjectName("cardLevel")
        for lv in doc.levels:
            self.level.addItem(f"{level_label(lv.level)} · {lv.name}", lv.level)
        form = QFormLayout(self)
        form.addRow(_("Agency:"), self.agency)
        form.addRow(_("Response level:"), self.level)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class ApproveDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Approve version"))
        today = today or port_today()
        self.effective = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.effective.setObjectName("effective")
        self.effective.setCalendarPopup(True)
        due = today + timedelta(days=365)
        self.review = QDateEdit(QDate(due.year, due.month, due.day), self)
        self.review.setObjectName("review")
        self.review.setCalendarPopup(True)
        form = QFormLayout(self)
        form.addRow(QLabel(_("Approved by the joint committee. The version then cannot be changed."), self))
        form.addRow(_("Effective from:"), self.effective)
        form.addRow(_("Review due:"), self.review)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def dates(self) -> tuple[date, date]:
        return self.effective.date().toPython(), self.review.date().toPython()

