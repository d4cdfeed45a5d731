"""The hot wash: right after the end of a drill, quick notes by branch — what went well, what to improve —
each becoming a draft finding of the run's review (made on the first note)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import Agency, HotWashKind
from drillapp.services.reviews import HotWashResult, ReviewService
from drillapp.ui.operations import WriteOp


class HotWashDialog(QDialog):
    added = Signal(object)  # HotWashResult

    def __init__(self, reviews: ReviewService, run_id: int, title: str, parent: QWidget | None = None,
                 open_review: Callable[[int], object] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hotWash")
        self.setWindowTitle(_("Hot wash — {title}").format(title=title))
        self.setMinimumSize(620, 480)
        self.reviews, self.run_id = reviews, run_id
        self.review_id: int | None = None
        intro = QLabel(_("Quick notes while it is fresh, branch by branch. Each note becomes a draft finding of "
                         "the review."), self)
        intro.setWordWrap(True)
        self.branch = QComboBox(self)
        self.branch.setObjectName("hotWashBranch")
        self.branch.addItem(_("(all branches)"), None)
        for agency in Agency:
            self.branch.addItem(label(agency), agency)
        self.went_well = QRadioButton(label(HotWashKind.WENT_WELL), self)
        self.went_well.setObjectName("hotWashWentWell")
        self.to_improve = QRadioButton(label(HotWashKind.TO_IMPROVE), self)
        self.to_improve.setObjectName("hotWashToImprove")
        self.went_well.setChecked(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("hotWashText")
        self.text.setPlaceholderText(_("What happened, and what it means (Ctrl+Enter adds the note)"))
        self.text.setTabChangesFocus(True)
        self.add_button = QPushButton(_("Add note (Ctrl+Enter)"), self)
        self.add_button.setObjectName("hotWashAdd")
        self.add_button.clicked.connect(self.add_note)
        self.notes = QListWidget(self)
        self.notes.setObjectName("hotWashNotes")
        self.notes.setWordWrap(True)
        self.close_button = QPushButton(_("Done"), self)
        self.close_button.setObjectName("hotWashDone")
        self.close_button.clicked.connect(self.accept)
        self.review_button = QPushButton(_("Open the review…"), self)
        self.review_button.setObjectName("hotWashOpenReview")
        self.review_button.setToolTip(_("The after-action review of this drill: rate the objectives, accept the "
                                        "draft findings, plan the corrective actions"))
        self.review_button.setVisible(open_review is not None)
        self.review_button.clicked.connect(lambda _c=False: self._open_review(open_review))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.add_note)

        choice = QHBoxLayout()
        choice.addWidget(QLabel(_("Branch"), self))
        choice.addWidget(self.branch)
        choice.addSpacing(20)
        choice.addWidget(self.went_well)
        choice.addWidget(self.to_improve)
        choice.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.review_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(choice)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(QLabel(_("Notes taken"), self))
        layout.addWidget(self.notes, 2)
        layout.addLayout(bottom)
        self.text.setFocus()

    def _open_review(self, open_review: Callable[[int], object] | None) -> None:
        if open_review is not None:
            self.accept()
            open_review(self.run_id)

    def add_note(self) -> None:
        text = self.text.toPlainText().strip()
        if not text:
            return
        kind = HotWashKind.WENT_WELL if self.went_well.isChecked() else HotWashKind.TO_IMPROVE
        agency = self.branch.currentData()
        reviews, run_id = self.reviews, self.run_id
        WriteOp(self, lambda: reviews.add_hot_wash_note(run_id, kind, text, agency)) \
            .success(lambda result: self._added(result, kind, agency, text)).run(initiator=self)

    def _added(self, result: HotWashResult, kind: HotWashKind, agency: Agency | None, text: str) -> None:
        self.review_id = result.review_id
        who = label(agency) if agency is not None else _("(all branches)")
        self.notes.addItem(_("{kind} · {branch}: {text}").format(kind=label(kind), branch=who, text=text))
        self.text.clear()
        self.text.setFocus()
        self.added.emit(result)
