"""The console's small questions: why an item is skipped, a note on an item, the time something happened
(back-timing a tick from a paper checklist or a phoned-in report)."""

from __future__ import annotations

from datetime import time
from typing import cast

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _


class ItemDialog(QDialog):
    """One text (a reason, a note) about a checklist item, and optionally the time it happened."""

    def __init__(self, parent: QWidget | None, title: str, item_text: str, prompt: str, *,
                 with_time: bool = False, time_only: bool = False, now_local: QTime | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        what = QLabel(item_text, self)
        what.setWordWrap(True)
        what.setObjectName("itemText")
        self.text = QLineEdit(self)
        self.text.setObjectName("itemDialogText")
        self.happened = QCheckBox(_("It happened earlier, at"), self)
        self.happened.setObjectName("itemDialogBackTimed")
        self.when = QTimeEdit(self)
        self.when.setObjectName("itemDialogWhen")
        self.when.setDisplayFormat("HH:mm")
        if now_local is not None:
            self.when.setTime(now_local)
        self.when.setEnabled(time_only)
        self.happened.toggled.connect(self.when.setEnabled)
        form = QFormLayout()
        if not time_only:
            form.addRow(prompt, self.text)
        if with_time or time_only:
            if time_only:
                form.addRow(_("It happened at"), self.when)
                self.happened.setChecked(True)
                self.happened.hide()
            else:
                form.addRow(self.happened, self.when)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addLayout(form)
        layout.addWidget(buttons)
        (self.when if time_only else self.text).setFocus()

    def value(self) -> str:
        return self.text.text().strip()

    def happened_at(self) -> time | None:
        return cast(time, self.when.time().toPython()) if self.happened.isChecked() else None


def ask_end(parent: QWidget | None, open_items: int) -> bool:
    """Ending closes the checklist and the log: asked first."""
    from PySide6.QtWidgets import QMessageBox

    question = _("End the drill now? Its checklist and log close; {n} items are still open.").format(
        n=open_items) if open_items else _("End the drill now? Its checklist and log close.")
    answer = QMessageBox.question(parent, _("End drill"), question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                  QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Yes
