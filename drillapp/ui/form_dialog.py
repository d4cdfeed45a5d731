"""A small form dialog whose OK runs one operation through the runner: the form's own checks first (a message
under the form), then the service operation off the GUI thread; a DomainError comes back as the message under
the form and the dialog stays open, so nothing typed is lost. A form that says so (`ask_before_closing`) asks
before Esc, Cancel or the window's close button throw away what was typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from drillapp.services.errors import ConflictError, DomainError


def password_field(parent: QWidget, name: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class FormDialog(QDialog):
    """Subclasses fill the form and implement `operation()`: check the fields (raise DomainError to say what is
    wrong) and return the service call to run; `on_result(result)` receives its result before the dialog
    closes. `conflict(exc)` may handle a ConflictError (return True when handled; `reload_requested` closes the
    dialog without saving). `ask_before_closing(question)` with `typed()` makes Esc ask first when something
    was typed."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.form = QFormLayout()
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._try_submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.reload_requested = False
        self.discard_question: str | None = None

    def ask_before_closing(self, question: str) -> None:
        """Esc, Cancel and the window's close button ask `question` (yes closes) when `typed()` says something
        was typed; with nothing typed the dialog closes at once."""
        self.discard_question = question

    def typed(self) -> bool:
        """Whether the form holds typed text that closing would lose (the forms that ask say what counts)."""
        return False

    def operation(self) -> Callable[[], Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def on_result(self, result: Any) -> None:
        """The operation's result, on the GUI thread, before the dialog closes."""

    def conflict(self, exc: ConflictError) -> bool:
        return False

    def _try_submit(self) -> None:
        self.error.setText("")
        try:
            op = self.operation()
        except DomainError as exc:
            self.error.setText(exc.message)
            return
        self.buttons.setEnabled(False)
        # imported here: the log-in dialog is on screen before the runner is needed
        from drillapp.ui.operations import WriteOp

        WriteOp(self, op).success(self._succeeded).failure(self._failed).run(initiator=self)

    def _succeeded(self, result: Any) -> None:
        self.buttons.setEnabled(True)
        self.on_result(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ConflictError) and self.conflict(exc):
            if self.reload_requested:  # the user chose to reload: close without saving (and without asking)
                super().reject()
            return
        if isinstance(exc, DomainError):
            self.error.setText(exc.message)
            return
        from drillapp.ui.errors import show_error

        show_error(self, exc)

    def reject(self) -> None:
        """Esc, Cancel or the window's close button (QDialog's closeEvent comes here): asks first when the form
        asks before closing and something was typed."""
        if self.discard_question and self.typed() and self.isVisible():
            answer = QMessageBox.question(self, self.windowTitle(), self.discard_question,
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                          QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()
