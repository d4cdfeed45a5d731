"""The review's findings: strengths and areas for improvement (drafts from the hot wash or a tabletop shown
as such, to accept or remove), the selected one's text, root cause, branch and what part of the plan it
points at, and (actions_panel.py) its corrective actions. The panel asks; the editor writes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFocusEvent, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import Agency, FindingKind, PlanStatus
from drillapp.services.review_read import FindingDoc
from drillapp.ui.reviews.actions_panel import ActionsPanel
from drillapp.ui.windows import fit_rows, read_only_rows, refit_when_resized


class KeptText(QPlainTextEdit):
    """A text kept when the focus leaves it (one edit, undoable)."""

    left = Signal()
    #: what was last shown as stored (None: nothing yet); the field holds someone's typing when it differs
    shown: str | None = None

    def show_text(self, text: str, same_record: bool = True) -> None:
        """Show what is stored, unless the person is writing in it now (a reload after another edit's write
        must not take what they are typing). Having the focus is not writing: the field that has it when the
        window opens, before the record was read, shows the record (else leaving it would store it empty)."""
        typing = self.shown is not None and self.toPlainText() != self.shown
        if same_record and typing and self.hasFocus() and not self.isReadOnly():
            return
        self.shown = text
        if self.toPlainText() != text:
            self.setPlainText(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.left.emit()


def finding_state(f: FindingDoc) -> str:
    if f.draft:
        return _("Draft ({source})").format(source=label(f.source))
    if f.revision is not None:
        return _("Answered by version {n} ({status})").format(n=f.revision.number, status=label(f.revision.status))
    return ""


class FindingsPanel(QWidget):
    new_wanted = Signal()
    edit_wanted = Signal(int, str, object)  # finding id, field, value
    accept_wanted = Signal(int)
    remove_wanted = Signal(int)
    target_wanted = Signal(int)
    revise_wanted = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.findings: tuple[FindingDoc, ...] = ()
        self.read_only = False
        self._shown_id: int | None = None  # the finding the detail shows
        self.may_revise = True  # the user's role may open a plan revision
        self.table = QTableWidget(0, 4, self)
        fit, stretch = QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch
        read_only_rows(self.table, "findingsTable", [_("Kind"), _("Finding"), _("Branch"), _("State")],
                       [fit, stretch, fit, fit])
        refit_when_resized(self.table, lambda: fit_rows(self.table, skip=(0, 2, 3), max_height=160))
        self.table.currentCellChanged.connect(lambda row, *_a: self._show_detail(row))
        self.table.installEventFilter(self)  # Delete removes the selected finding (asks)
        self.empty = QLabel(_("No findings yet. Add a strength or an area for improvement (Ctrl+N); the hot "
                              "wash's notes come here as drafts."), self)
        self.empty.setObjectName("findingsEmpty")
        self.empty.setWordWrap(True)

        self.new_button = self._button(_("New finding… (Ctrl+N)"), "newFinding", self.new_wanted.emit)
        self.accept_button = self._button(_("Accept draft"), "acceptFinding", lambda: self._ask(self.accept_wanted))
        self.remove_button = self._button(_("Remove… (Del)"), "removeFinding", lambda: self._ask(self.remove_wanted))
        self.target_button = self._button(_("Point at plan…"), "findingTarget", lambda: self._ask(self.target_wanted))
        self.revise_button = self._button(_("Revise plan"), "revisePlan", lambda: self._ask(self.revise_wanted))

        self.kind = QComboBox(self)
        self.kind.setObjectName("findingKind")
        for kind in FindingKind:
            self.kind.addItem(label(kind), kind)
        self.kind.activated.connect(lambda _i: self._edit("kind", self.kind.currentData()))
        self.agency = QComboBox(self)
        self.agency.setObjectName("findingAgency")
        self.agency.addItem(_("(all branches)"), None)
        for agency in Agency:
            self.agency.addItem(label(agency), agency)
        self.agency.activated.connect(lambda _i: self._edit("agency", self.agency.currentData()))
        self.objective = QComboBox(self)
        self.objective.setObjectName("findingObjective")
        self.objective.activated.connect(lambda _i: self._edit("objective_id", self.objective.currentData()))
        self.text = KeptText(self)
        self.text.setObjectName("findingText")
        self.text.setTabChangesFocus(True)
        self.text.left.connect(lambda: self._edit_text("text", self.text))
        self.root_cause = KeptText(self)
        self.root_cause.setObjectName("findingRootCause")
        self.root_cause.setTabChangesFocus(True)
        self.root_cause.setMaximumHeight(140)
        self.root_cause.setPlaceholderText(_("Why it happened (for an area for improvement)"))
        self.root_cause.left.connect(lambda: self._edit_text("root_cause", self.root_cause))
        self.target = QLabel(self)
        self.target.setObjectName("findingTargetLabel")
        self.target.setWordWrap(True)
        self.target.setTextFormat(Qt.TextFormat.PlainText)
        self.action_panel = ActionsPanel(self)

        buttons = QHBoxLayout()
        for b in (self.new_button, self.accept_button, self.remove_button, self.target_button, self.revise_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.empty)
        left_layout.addWidget(self.table, 1)
        detail = QWidget(self)
        form = QFormLayout(detail)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(_("Kind"), self.kind)
        form.addRow(_("Branch"), self.agency)
        form.addRow(_("Objective"), self.objective)
        form.addRow(_("Finding"), self.text)
        form.addRow(_("Root cause"), self.root_cause)
        form.addRow(_("Points at"), self.target)
        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.setObjectName("findingsSplitter")
        top.addWidget(left)
        top.addWidget(detail)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        # the corrective actions below, the whole width: their text is the longest
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(self.action_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([500, 260])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.table and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Delete and self.remove_button.isEnabled():
            self._ask(self.remove_wanted)
            return True
        return super().eventFilter(watched, event)

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(lambda _c=False: slot())
        return button

    # -- showing --------------------------------------------------------------------------------------
    def show_findings(self, findings: tuple[FindingDoc, ...], read_only: bool,
                      objectives: tuple[tuple[int, str], ...] = ()) -> None:
        """`objectives`: (id, text) of the drill's objectives, which a finding may be about."""
        current = self.current()
        self.objective.clear()
        self.objective.addItem(_("(no objective)"), None)
        for n, (objective_id, text) in enumerate(objectives, start=1):
            self.objective.addItem(f"{n}. {text}", objective_id)
        self.findings, self.read_only = findings, read_only
        self.table.setRowCount(len(findings))
        for r, f in enumerate(findings):
            cells = [label(f.kind), f.text, label(f.agency) if f.agency else _("(all branches)"), finding_state(f)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if f.draft:
                    font = QFont(item.font())
                    font.setItalic(True)
                    item.setFont(font)
                    item.setForeground(QBrush(QColor("#7a5c00")))
                self.table.setItem(r, c, item)
        self.empty.setVisible(not findings)
        self.table.setVisible(bool(findings))
        self.new_button.setEnabled(not read_only)
        row = next((r for r, f in enumerate(findings) if current and f.id == current.id), 0)
        if findings:
            self.table.setCurrentCell(row, 1)
        self._show_detail(self.table.currentRow() if findings else -1)
        fit_rows(self.table, skip=(0, 2, 3), max_height=160)

    def select(self, finding_id: int) -> None:
        row = next((r for r, f in enumerate(self.findings) if f.id == finding_id), -1)
        if row >= 0:
            self.table.setCurrentCell(row, 1)

    def current(self) -> FindingDoc | None:
        row = self.table.currentRow()
        return self.findings[row] if 0 <= row < len(self.findings) else None

    def _show_detail(self, row: int) -> None:
        f = self.findings[row] if 0 <= row < len(self.findings) else None
        editable = f is not None and not self.read_only
        for w in (self.kind, self.agency, self.objective):
            w.setEnabled(editable)
        for t in (self.text, self.root_cause):
            t.setReadOnly(not editable)
        same = f is not None and f.id == self._shown_id
        self._shown_id = f.id if f is not None else None
        self.text.show_text(f.text if f else "", same)
        self.root_cause.show_text(f.root_cause if f else "", same)
        if f is not None:
            self.kind.setCurrentIndex(self.kind.findData(f.kind))
            self.agency.setCurrentIndex(max(0, self.agency.findData(f.agency)) if f.agency else 0)
            self.objective.setCurrentIndex(max(0, self.objective.findData(f.objective_id)) if f.objective_id else 0)
        self.target.setText(self._target_text(f))
        improvement = f is not None and f.kind is FindingKind.IMPROVEMENT
        self.accept_button.setEnabled(editable and f is not None and f.draft)
        self.remove_button.setEnabled(editable)
        self.target_button.setEnabled(editable and improvement)
        open_revision = f is not None and f.revision is not None and f.revision.status in (
            PlanStatus.DRAFT, PlanStatus.IN_REVIEW)
        # the link to a revision may still be made after sign-off (closing the loop into the plan)
        self.revise_button.setEnabled(self.may_revise and improvement and f is not None and f.plan_id is not None
                                      and not f.draft and (f.revision is None or open_revision))
        self.action_panel.show_actions(f, improvement and f is not None and not f.draft)

    @staticmethod
    def _target_text(f: FindingDoc | None) -> str:
        if f is None:
            return ""
        parts = []
        if f.target is not None:
            parts.append(f"{label(f.target.part)}: {f.target.label}")
        if f.revision is not None:
            parts.append(_("answered by plan version {n} ({status})").format(
                n=f.revision.number, status=label(f.revision.status)))
        return " · ".join(parts) or _("(no part of a plan)")

    # -- asking ---------------------------------------------------------------------------------------
    def _ask(self, signal: Any) -> None:
        f = self.current()
        if f is not None:
            signal.emit(f.id)

    def _edit(self, field: str, value: object) -> None:
        f = self.current()
        if f is None or self.read_only or getattr(f, field) == value:
            return
        self.edit_wanted.emit(f.id, field, value)

    def _edit_text(self, field: str, edit: QPlainTextEdit) -> None:
        f = self.current()
        if f is None or self.read_only or edit.isReadOnly():
            return
        text = edit.toPlainText()
        if text != getattr(f, field):
            self.edit_wanted.emit(f.id, field, text)
