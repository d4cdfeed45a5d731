"""The plan editor: every part of a plan version, undo/redo, and (life.py) the version shown and its life
(review, approval, new revision, discarding a draft, retirement), comparison and (printing.py) print-outs.
Only a draft is edited; every other version opens read-only. The actions table keeps the plan's one order
of actions (level, phase, target: services/plan_document.action_order)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, cast

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
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
from drillapp.services.errors import ConflictError, NotFoundError
from drillapp.services.permissions import allowed
from drillapp.services.plan_document import (
    ActionDoc,
    ContactDoc,
    LevelDoc,
    MatrixDoc,
    PlanDoc,
    ResourceDoc,
    action_order,
)
from drillapp.services.plan_revisions import DraftContent, PlanRevisionService
from drillapp.services.plans import LEVEL_COLOURS, LEVEL_NAMES_ZH, PlanService
from drillapp.ui import operations
from drillapp.ui.conflict import ask_reload
from drillapp.ui.errors import show_error
from drillapp.ui.operations import QueryOp, WriteOp
from drillapp.ui.plans.compare import CompareDialog
from drillapp.ui.plans.dialogs import ApproveDialog, CardDialog
from drillapp.ui.plans.life import VersionLife, Versions
from drillapp.ui.plans.printing import PlanPrinting
from drillapp.ui.plans.record_table import ColumnSpec, RecordTable, enum_choices
from drillapp.ui.plans.sections import SectionsEditor
from drillapp.ui.windows import fit_to_screen

__all__ = ["ApproveDialog", "CardDialog", "PlanEditor"]


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
                 doc: PlanDoc, parent: QWidget | None = None, versions: Versions | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planEditor")
        self.plans, self.revisions, self.history = plans, revisions, history
        self.actor: Actor = plans.actor
        self.doc: PlanDoc | None = None
        self.content: DraftContent | None = None
        self.undo_stack = QUndoStack(self)
        fit_to_screen(self, 1200, 800)

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
                             "", None, None), self, sort_key=lambda a: action_order(a)[:3])
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
        parts: list[tuple[Any, str, str]] = [  # each with an `edited` signal
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
        self.show_document(doc, versions)
        if versions is None:
            self._read_versions()

    # -- toolbar ----------------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        bar = QToolBar(_("Plan"), self)
        bar.setObjectName("planToolbar")
        self.addToolBar(bar)
        self.save_action = self.add_tool(bar, "save", _("Save"), self.save, QKeySequence.StandardKey.Save)
        self.undo_action = self.undo_stack.createUndoAction(self, _("Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setObjectName("action_undo")
        self.redo_action = self.undo_stack.createRedoAction(self, _("Redo"))
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.redo_action.setObjectName("action_redo")
        bar.addAction(self.undo_action)
        bar.addAction(self.redo_action)
        bar.addSeparator()
        self.life = VersionLife(self, bar)
        life = self.life
        self.version_chooser = life.chooser
        self.submit_action, self.return_action, self.approve_action = (
            life.submit_action, life.return_action, life.approve_action)
        self.revise_action, self.discard_action, self.retire_action = (
            life.revise_action, life.discard_action, life.retire_action)
        bar.addSeparator()
        self.compare_action = self.add_tool(bar, "compare", _("Compare…"), self.compare)
        self.printing = PlanPrinting(self, bar)
        self.print_action, self.card_action, self.export_action = (
            self.printing.print_action, self.printing.card_action, self.printing.export_action)

    def add_tool(self, bar: QToolBar, name: str, text: str, slot: Callable[[], None],
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
        """Read a version (and the plan's list of versions) off the GUI thread and show it as the database now
        has it."""
        plans = self.plans

        def read() -> tuple[PlanDoc, Versions]:
            doc = plans.document(version_id)
            return doc, plans.versions(doc.plan_id)

        def shown(result: tuple[PlanDoc, Versions]) -> None:
            self.show_document(*result)
            if then is not None:
                then()

        QueryOp(self, read).success(shown).failure(self._load_failed).run()

    def _load_failed(self, exc: BaseException) -> None:
        """The version is gone (a draft discarded on another desk): show the plan's version in force instead."""
        if not isinstance(exc, NotFoundError) or self.doc is None:
            show_error(self, exc)
            return
        plans, plan_id = self.plans, self.doc.plan_id

        def shown(result: tuple[PlanDoc, Versions]) -> None:
            self.show_document(*result)
            self.statusBar().showMessage(_("That version is no longer there: showing the version in force."), 8000)

        def plan_gone(exc: BaseException) -> None:  # the plan itself is gone: nothing left to show
            if not isinstance(exc, NotFoundError):
                show_error(self, exc)
                return
            self.undo_stack.setClean()
            self.close()

        QueryOp(self, lambda: (plans.shown_document(plan_id), plans.versions(plan_id))) \
            .success(shown).failure(plan_gone).run()

    def _read_versions(self) -> None:
        if self.doc is None:
            return
        plans, plan_id = self.plans, self.doc.plan_id
        QueryOp(self, lambda: plans.versions(plan_id)).success(self._versions_read).run()

    def _versions_read(self, versions: Versions) -> None:
        self.life.show_versions(versions)
        self._update_title()

    def show_document(self, doc: PlanDoc, versions: Versions | None = None) -> None:
        self.doc = doc
        self.undo_stack.clear()
        if versions is not None:
            self.life.show_versions(versions)
        else:
            self.life.select_current()
        self.set_content(DraftContent.of(doc))
        self.undo_stack.setClean()
        self._update_title()

    def _changed_elsewhere(self, change_set: ChangeSet, initiator: object) -> None:
        """Another desk (or window) changed this plan: show it again, unless there are unsaved edits here (the
        save will then meet the conflict, which says who changed it)."""
        if initiator is self or self.doc is None or not change_set.remote:
            return
        if not self.undo_stack.isClean():
            return
        if change_set.touches_record("plan_version", self.doc.version_id):
            self.load(self.doc.version_id)
        elif change_set.touches(("plan_version",)):
            self._read_versions()  # perhaps a new revision or a discarded draft of this plan

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
            self.change_note.setCursorPosition(0)  # a long note shows from its start, not its end
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
        self.save_action.setEnabled(self.editable and not self.undo_stack.isClean())
        self.life.update()

    def _validity(self, ok: bool) -> None:
        invalid = any(t.invalid for t in (self.levels, self.actions_table, self.matrix, self.contacts, self.resources))
        self.problem.setText(_("Some cells are not valid (red): correct them before saving.") if invalid else "")
        self.save_action.setEnabled(self.editable and not invalid and not self.undo_stack.isClean())

    # -- editing ----------------------------------------------------------------------------------
    def edit(self, part: str, value: object, text: str) -> None:
        assert self.content is not None
        if not self.editable:
            return
        after = replace(self.content, **cast(dict[str, Any], {part: value}))
        self.undo_stack.push(Snapshot(self, self.content, after, text))

    def _note_edited(self) -> None:
        if self.content is not None and self.editable and self.change_note.text() != self.content.change_note:
            self.edit("change_note", self.change_note.text(), _("Edit change note"))

    def _new_level(self) -> LevelDoc:
        used = {lv.level for lv in (self.content.levels if self.content else ())}
        free = next((n for n in (1, 2, 3, 4) if n not in used), 4)
        return LevelDoc(free, LEVEL_NAMES_ZH[free], LEVEL_COLOURS[free], "")

    # -- saving ---------------------------------------------------------------------------------
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

    def after_saving(self, step: Callable[[], object]) -> None:
        """Run a step of the version's life on what is saved: save first when there are unsaved edits."""
        if self.undo_stack.isClean():
            step()
        else:
            self.save(then=step)

    def leave_unsaved(self, then: Callable[[], object]) -> bool:
        """Before leaving the draft shown (another version, closing): ask about unsaved edits; `then` runs once
        they are saved or discarded. False when the user cancels."""
        if not self.editable or self.undo_stack.isClean():
            then()
            return True
        answer = QMessageBox.question(
            self, _("Unsaved changes"), _("Save the changes to this draft?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save:
            self.save(then=then)  # a conflict keeps the draft shown
        else:
            self.undo_stack.setClean()
            then()
        return True

    def compare(self) -> None:
        if self.doc:
            CompareDialog(self.plans, self.revisions, self.doc, self).exec()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.editable and not self.undo_stack.isClean():
            event.ignore()  # closed once the edits are saved (a conflict keeps the window open) or discarded
            self.leave_unsaved(self._close_clean)
            return
        super().closeEvent(event)
        if self.doc is not None:
            self.closed.emit(self.doc.plan_id)

    def _close_clean(self) -> None:
        self.undo_stack.setClean()
        self.close()
