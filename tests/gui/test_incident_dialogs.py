"""The incident console's dialogs keep what was typed: the level change (Ctrl+E), a task (Ctrl+T), the hand-over
(Ctrl+H) and the stand-down (Ctrl+Shift+D) ask before Esc or the window's close button throw it away, as the
activation does; with nothing typed they close at once."""

from __future__ import annotations

from helpers.console_ui import activate, release_modifiers, when_modal
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from drillapp.models.enums import IncidentStatus, LogKind

K = Qt.Key
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
YES, NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
#: (what, key, modifiers, the field typed in, the dialog's object name)
DIALOGS = (
    ("level", K.Key_E, CTRL, "reason", "incidentLevelDialog"),
    ("task", K.Key_T, CTRL, "text", "incidentTaskDialog"),
    ("hand-over", K.Key_H, CTRL, "to_officer", "incidentHandoverDialog"),
    ("stand-down", K.Key_D, CTRL | SHIFT, "summary", "incidentStandDownDialog"),
)


def _ime(widget, text: str) -> None:
    """Chinese typed through the input method (QTest's key clicks take Latin-1 only): its commit string."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_the_console_dialogs_ask_before_esc_loses_what_was_typed(qtbot, window, demo_world, monkeypatch):
    incidents = demo_world.services.incidents
    plan = incidents.activatable_plans("QH-YA-05")[0]
    incident_id = incidents.open_incident(None, "危化品泄漏", plan_id=plan.plan_id, level=3)
    window.incident_desk.open_incident(incident_id)
    console = window.incident_desk.consoles[incident_id]
    qtbot.waitExposed(console)
    before = incidents.snapshot(incident_id)

    answers: list[QMessageBox.StandardButton] = []
    asked: list[tuple[str, str]] = []

    def question(_parent, title, text, *a, **k):
        asked.append((title, text))
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)

    def press(key, mods, act) -> None:
        seen: list[str] = []

        def checked(dialog) -> None:
            try:
                act(dialog)
            finally:
                if dialog.isVisible():  # a failed check must not leave the test waiting on the dialog
                    seen.append("left open")
                    dialog.done(0)

        activate(qtbot, console)
        when_modal(checked)
        qtbot.keyClick(console.checklist, key, mods)
        release_modifiers(qtbot, console.checklist)
        assert not seen, "the dialog did not close"

    for what, key, mods, field, name in DIALOGS:
        # nothing typed: Esc closes at once, nothing asked
        opened: list[str] = []

        def untouched(dialog, opened=opened) -> None:
            opened.append(dialog.objectName())
            qtbot.keyClick(dialog, K.Key_Escape)

        press(key, mods, untouched)
        assert opened == [name] and not asked, (what, asked)

        # something typed: Esc asks (No keeps the dialog and the text), so does the close button; Yes closes
        kept: list[bool] = []

        def typed(dialog, field=field, kept=kept) -> None:
            _ime(getattr(dialog, field), "写了一半")
            answers[:] = [NO]
            qtbot.keyClick(dialog, K.Key_Escape)
            kept.append(dialog.isVisible() and "写了一半" in (getattr(dialog, field).text() if field != "summary"
                                                             else dialog.summary.toPlainText()))
            answers[:] = [NO]
            dialog.close()
            kept.append(dialog.isVisible())
            answers[:] = [YES]
            qtbot.keyClick(dialog, K.Key_Escape)
            kept.append(not dialog.isVisible())

        press(key, mods, typed)
        assert kept == [True, True, True], (what, kept)
        assert len(asked) == 3 and all("What you typed is lost." in text for _t, text in asked), (what, asked)
        asked.clear()

    # nothing was written: the level, the tasks, the log and the status are as they were
    after = incidents.snapshot(incident_id)
    assert (after.level, after.status, len(after.tasks)) == (before.level, IncidentStatus.ACTIVE, 0)
    assert [e.id for e in after.log] == [e.id for e in before.log]
    assert not any(e.kind is LogKind.HANDOVER for e in after.log)
    console.close()
