"""The drill designer: one drill as a designed exercise, edited as a copy (undo/redo of every field on a
QUndoStack, as the plan editor does) and saved whole through the runner with the version it showed (a design
changed meanwhile at another desk is a conflict: reload or keep editing). Tabs: the drill itself
(designer_details), objectives tied to the plan's actions, participants picked from the team as it stands on
the day, and the scenario script (MSEL). Postpone (with a reason), cancel and launch act on the saved drill.
Esc or closing asks before dropping unsaved changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any, cast

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from drillapp.clock import from_local, to_local
from drillapp.i18n import _
from drillapp.labels import label, level_label
from drillapp.models.enums import DRILL_TO_COME, DrillStatus
from drillapp.services.audit_view import AuditViewService
from drillapp.services.changes import ChangeSet
from drillapp.services.drill_design import ActionChoice, DesignContent, DrillDesign, PlanOption
from drillapp.services.drill_participants import Candidate, ParticipantService
from drillapp.services.drills import DrillService
from drillapp.services.errors import ConflictError, DomainError
from drillapp.services.msel import MselService
from drillapp.services.org import BranchRow
from drillapp.services.permissions import allowed
from drillapp.ui.conflict import ask_reload
from drillapp.ui.drills.calendar_page import ask_reason
from drillapp.ui.drills.designer_details import DetailsTab, focus_first
from drillapp.ui.drills.designer_dialogs import Snapshot, ask_postpone, new_content
from drillapp.ui.drills.designer_msel import MselTab, export_sheet, import_sheet
from drillapp.ui.drills.designer_objectives import ObjectivesTab
from drillapp.ui.drills.designer_participants import ParticipantsTab
from drillapp.ui.errors import show_error
from drillapp.ui.operations import QueryOp, WriteOp, listen
from drillapp.ui.windows import fit_to_screen


class DrillDesigner(QDialog):
    """A window (not modal) for one drill; `saved(drill_id)` after each save, `closed(key)` when it goes."""

    saved = Signal(int)
    series_requested = Signal(int)  # "Edit series…": the series of the drill shown
    closed = Signal(object)  # the key it was opened under: the drill id, or ("new", n)

    def __init__(self, drills: DrillService, participants: ParticipantService, msel: MselService,
                 branches: list[BranchRow], plans: list[PlanOption], *, history: AuditViewService | None = None,
                 launch: Callable[[int], None] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drillDesigner")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.drills, self.participants_service, self.msel, self.history = drills, participants, msel, history
        self.launch = launch
        self.key: object = None
        self.zone = drills.scope.zone
        self.design: DrillDesign | None = None
        self.content: DesignContent | None = None
        self.plan_actions: tuple[ActionChoice, ...] = ()
        self.branches = branches
        self.undo_stack = QUndoStack(self)
        self._candidates_for: tuple[datetime, int] | None = None
        fit_to_screen(self, 1100, 760)

        self.heading = QLabel(self)
        self.heading.setObjectName("pageTitle")
        self.heading.setWordWrap(True)
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        self.details = DetailsTab(self.zone, self)
        self.details.set_plans(plans)
        self.objectives = ObjectivesTab(self)
        self.people = ParticipantsTab(self)
        self.script = MselTab(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("designerTabs")
        self.tabs.addTab(self.details, _("Drill"))
        self.tabs.addTab(self.objectives, _("Objectives"))
        self.tabs.addTab(self.people, _("Participants"))
        self.tabs.addTab(self.script, _("Scenario script (MSEL)"))
        self.details.edited.connect(self.edit_fields)
        self.objectives.edited.connect(lambda value, text: self.edit_fields({"objectives": value}, text))
        self.people.edited.connect(lambda value, text: self.edit_fields({"participants": value}, text))
        self.script.edited.connect(lambda value, text: self.edit_fields({"injects": value}, text))
        self.script.import_requested.connect(self.import_msel)
        self.script.export_requested.connect(self.export_msel)

        self.undo_button = self._button(_("Undo"), "undoDesign", self.undo_stack.undo)
        self.redo_button = self._button(_("Redo"), "redoDesign", self.undo_stack.redo)
        self.save_button = self._button(_("Save (Ctrl+S)"), "saveDesign", self.save)
        self.postpone_button = self._button(_("Postpone…"), "postponeDrill", self.postpone)
        self.cancel_button = self._button(_("Cancel drill…"), "cancelDrill", self.cancel_drill)
        self.launch_button = self._button(_("Launch drill"), "launchFromDesigner", self.launch_drill)
        self.launch_button.setVisible(launch is not None)
        self.series_button = self._button(_("Edit series…"), "editSeries", self.edit_series)
        self.close_button = self._button(_("Close"), "closeDesigner", self.reject)
        self.bar = bar = QHBoxLayout()  # other parts add their buttons (printing.add_briefing_button)
        for b in (self.undo_button, self.redo_button, self.save_button):
            bar.addWidget(b)
        bar.addStretch(1)
        for b in (self.series_button, self.postpone_button, self.cancel_button, self.launch_button, self.close_button):
            bar.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(bar)
        layout.addWidget(self.problem)
        layout.addWidget(self.tabs, 1)
        redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        for keys, slot in ((QKeySequence.keyBindings(QKeySequence.StandardKey.Undo), self.undo_stack.undo),
                           (redo_keys + [k for k in (QKeySequence("Ctrl+Y"),) if k not in redo_keys],
                            self.undo_stack.redo),
                           (QKeySequence.keyBindings(QKeySequence.StandardKey.Save), self.save)):
            shortcut = QShortcut(self)
            shortcut.setKeys(keys)
            shortcut.activated.connect(slot)
        listen(self, self._changed_elsewhere)
        self.undo_stack.cleanChanged.connect(self._stack_changed)
        self.undo_stack.indexChanged.connect(self._stack_changed)

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- what is shown ----------------------------------------------------------------------------
    @property
    def drill_id(self) -> int | None:
        return self.design.id if self.design is not None else None

    @property
    def editable(self) -> bool:
        may = allowed(self.drills.actor.role, "drills.save_design")
        return may and (self.design is None or self.design.editable)

    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def start_new(self, day: date) -> None:
        self.design = None
        self.plan_actions = ()
        self.undo_stack.clear()
        self.set_content(new_content(day, self.zone))
        self.undo_stack.setClean()
        focus_first(self.details)

    def open_drill(self, drill_id: int) -> None:
        drills = self.drills
        QueryOp(self, lambda: drills.design(drill_id)).success(self.show_design).run()

    def show_design(self, design: DrillDesign) -> None:
        self.design = design
        self.plan_actions = design.actions
        self.undo_stack.clear()
        self.set_content(design.content)
        self.undo_stack.setClean()
        self.problem.setText("")

    def _changed_elsewhere(self, change_set: ChangeSet, initiator: object) -> None:
        """Another desk (or window) changed this drill: show it again, unless there are unsaved edits here (the
        save will then meet the conflict, which says who changed it)."""
        if initiator is self or self.design is None or self.dirty or not shiboken6.isValid(self):
            return
        if change_set.touches_record("drill", self.design.id):
            self.open_drill(self.design.id)

    def set_content(self, content: DesignContent) -> None:
        """Show a content (an edit, an undo, a loaded design) in every tab."""
        old = self.content
        self.content = content
        read_only = not self.editable
        self.details.show_content(content, self.design, not read_only)
        self.objectives.show_objectives(content.objectives, self.plan_actions, content.level, read_only)
        self.people.show_participants(content.participants, read_only)
        self.script.show_injects(content.injects, content.objectives, content.duration_minutes, read_only,
                                 saved=self.design is not None and not self.dirty)
        if old is None or old.plan_id != content.plan_id:
            self._read_actions(content.plan_id)
        if self._candidates_for != (content.start, content.duration_minutes):
            self._read_team(content.start, content.duration_minutes)
        self._update()

    def _read_actions(self, plan_id: int | None) -> None:
        if self.design is not None and plan_id == self.design.content.plan_id:
            self.plan_actions = self.design.actions
            return
        drills = self.drills
        QueryOp(self, lambda: drills.plan_actions(plan_id)).success(lambda a: self._actions_read(plan_id, a)).run()

    def _actions_read(self, plan_id: int | None, actions: tuple[ActionChoice, ...]) -> None:
        if self.content is not None and self.content.plan_id == plan_id:
            self.plan_actions = actions
            self.objectives.show_objectives(self.content.objectives, actions, self.content.level, not self.editable)

    def _read_team(self, start: datetime, duration: int) -> None:
        self._candidates_for = (start, duration)
        service = self.participants_service
        QueryOp(self, lambda: service.candidates(start, duration)).success(self._team_read).run()

    def _team_read(self, candidates: list[Candidate]) -> None:
        self.people.set_team(candidates, self.branches)

    def _stack_changed(self, *_args: object) -> None:
        if shiboken6.isValid(self.undo_stack):  # not while the window is being destroyed
            self._update()

    def _update(self) -> None:
        content = self.content
        if content is None:
            return
        dirty = " *" if self.dirty else ""
        when = to_local(content.start, self.zone)
        title = content.title or _("New drill")
        self.setWindowTitle(f"{title} · {when:%Y-%m-%d %H:%M}{dirty}")
        facts = [label(content.kind), label(content.status)]
        if content.level is not None:
            facts.append(level_label(content.level))
        if self.design is not None and self.design.series_id is not None:
            facts.append(_("one occurrence of a series: saving changes only this one") if not self.design.detached
                         else _("changed by hand: the series leaves it alone"))
        self.heading.setText(f"<b>{title}</b> — {' · '.join(facts)}")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        to_come = self.design is not None and self.design.content.status in DRILL_TO_COME
        self.undo_button.setEnabled(self.undo_stack.canUndo())
        self.redo_button.setEnabled(self.undo_stack.canRedo())
        self.save_button.setEnabled(self.editable and (self.dirty or self.design is None))
        self.postpone_button.setEnabled(to_come and allowed(self.drills.actor.role, "drills.move_drill"))
        self.cancel_button.setEnabled(to_come and allowed(self.drills.actor.role, "drills.cancel_drill"))
        launchable = self.design is not None and self.design.content.status in (DrillStatus.PLANNED,
                                                                                DrillStatus.READY)
        self.launch_button.setEnabled(launchable and not self.dirty)
        self.series_button.setVisible(self.design is not None and self.design.series_id is not None)
        self.series_button.setEnabled(allowed(self.drills.actor.role, "drills.update_series") and not self.dirty)
        self.script.show_injects(content.injects, content.objectives, content.duration_minutes, not self.editable,
                                 saved=self.design is not None and not self.dirty)

    # -- editing ----------------------------------------------------------------------------------
    def edit_fields(self, changes: dict[str, Any], text: str) -> None:
        if self.content is None or not self.editable:
            return
        if "plan_id" in changes:  # the old plan's actions mean nothing for the new one
            changes = {**changes, "objectives": tuple(replace(o, action_ids=()) for o in self.content.objectives)}
        after = replace(self.content, **cast(dict[str, Any], changes))
        if after != self.content:
            self.undo_stack.push(Snapshot(self, self.content, after, text))

    # -- saving -----------------------------------------------------------------------------------
    def save(self, then: Callable[[], object] | None = None) -> None:
        self.details.commit()
        if self.content is None or not self.editable:
            return
        content, design, drills = self.content, self.design, self.drills
        drill_id = design.id if design is not None else None
        version = design.row_version if design is not None else None

        def saved(result: tuple[int, int]) -> None:
            self.problem.setText("")
            new_id = result[0]

            def shown(d: DrillDesign) -> None:
                self.show_design(d)
                self.saved.emit(new_id)
                if then is not None:
                    then()

            QueryOp(self, lambda: drills.design(new_id)).success(shown).run()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ConflictError) and drill_id is not None:
                if ask_reload(exc, self.history, "drill", drill_id, self):
                    self.open_drill(drill_id)
                return
            if isinstance(exc, DomainError):
                self.problem.setText(exc.message)
            show_error(self, exc)

        WriteOp(self, lambda: drills.save_design(drill_id, version, content)).success(saved).failure(failed) \
            .run(initiator=self)

    def _saved_first(self, step: Callable[[], object]) -> None:
        """Run a step on the saved drill: save first when there are unsaved edits."""
        if self.dirty:
            self.save(then=step)
        else:
            step()

    # -- the drill's life -------------------------------------------------------------------------
    def postpone(self) -> None:
        self._saved_first(self._postpone)

    def _postpone(self) -> None:
        design = self.design
        if design is None:
            return
        answer = ask_postpone(self, to_local(design.content.start, self.zone))
        if answer is None:
            return
        local, reason = answer
        new_start = from_local(local, self.zone)
        drills = self.drills
        WriteOp(self, lambda: drills.move_drill(design.id, new_start, reason=reason, postpone=True,
                                                expected_version=design.row_version)) \
            .success(lambda _v: self.open_drill(design.id)).run(initiator=self)

    def cancel_drill(self) -> None:
        design = self.design
        if design is None:
            return
        reason = ask_reason(self, _("Cancel drill"), _("Cancel “{title}”? Say why:").format(title=design.content.title))
        if reason is None:
            return
        drills = self.drills
        self.undo_stack.setClean()  # the cancelled drill is kept as it was saved
        WriteOp(self, lambda: drills.cancel_drill(design.id, reason, expected_version=design.row_version)) \
            .success(lambda _v: self.open_drill(design.id)).run(initiator=self)

    def edit_series(self) -> None:
        if self.design is not None and self.design.series_id is not None and not self.dirty:
            self.series_requested.emit(self.design.series_id)

    def launch_drill(self) -> None:
        if self.design is not None and self.launch is not None and not self.dirty:
            self.launch(self.design.id)

    # -- the scenario script as a sheet (of the saved drill) ---------------------------------------
    def import_msel(self) -> None:
        if self.design is not None and not self.dirty:
            import_sheet(self, self.msel, self.design.id, self._imported)

    def _imported(self) -> None:
        if self.design is not None:
            self.problem.setText("")
            self.open_drill(self.design.id)

    def export_msel(self) -> None:
        if self.design is not None and not self.dirty:
            export_sheet(self, self.msel, self.design.id)

    # -- leaving ----------------------------------------------------------------------------------
    def ask_leave(self) -> bool:
        """True when the window may go: nothing unsaved, or the user discards it (Save saves, then closes)."""
        self.details.commit()
        if not self.dirty or not self.editable:
            return True
        answer = QMessageBox.question(
            self, _("Unsaved changes"), _("Save the changes to this drill before closing?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            self.save(then=self._close_clean)
            return False
        if answer == QMessageBox.StandardButton.Discard:
            self.undo_stack.setClean()
            return True
        return False

    def _close_clean(self) -> None:
        self.undo_stack.setClean()
        self.close()

    def reject(self) -> None:
        """Esc, Close and the window's close box (QDialog routes its close event here; the window stays when
        this does not hide it)."""
        if self.ask_leave():
            self.undo_stack.setClean()
            super().reject()
            self.closed.emit(self.key)
