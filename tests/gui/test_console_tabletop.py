"""A short tabletop from the dashboard's next drills: the facilitator advances three injects by keyboard (the
projector window follows, large type, no controls), moves scenario time on, marks one agency's expected action a
gap with a note and another adequate, ends; the review built from the run has the gap as a draft finding."""

from __future__ import annotations

from helpers.console_ui import activate, first_planned, release_modifiers, when_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QInputDialog, QLineEdit, QMessageBox, QSpinBox
from sqlalchemy import select

from drillapp.models import TabletopMark
from drillapp.models.enums import DrillKind, FindingSource, MarkStatus, RunStatus
from drillapp.services.review_read import ReviewReadService
from drillapp.ui.console.tabletop import TabletopConsole

K = Qt.Key
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def test_a_short_tabletop(qtbot, window, demo_world, demo_clock, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    drill_id = first_planned(demo_world.db, DrillKind.TABLETOP, with_injects=3)
    # launched from the dashboard's "next drills"
    window.show_area("dashboard")
    card = window.dashboard.drills.list
    row = next(n for n in range(card.count()) if card.item(n).data(Qt.ItemDataRole.UserRole) == drill_id)
    card.setCurrentRow(row)
    window.dashboard.launch_button.click()
    console = next(iter(window.consoles.consoles.values()))
    assert isinstance(console, TabletopConsole)
    qtbot.waitExposed(console)
    activate(qtbot, console)
    assert console.view is not None and console.view.current is None and console.msel.count() >= 3

    projector = console.projector
    qtbot.keyClick(console, K.Key_F5)
    assert projector.isVisible() and projector.isFullScreen()
    assert projector.findChildren(QAbstractButton) == [], "the projector has no controls"

    for step in range(3):
        activate(qtbot, console)
        qtbot.keyClick(console.expected, K.Key_Right, CTRL)
        release_modifiers(qtbot, console.expected)
        assert console.view.current == step
        message = console.view.steps[step].inject.message
        assert projector.inject.text() == message and message in console.inject_text.text()
    assert console.msel.item(2).text().startswith("▶")

    # "two hours later"
    def two_hours(dialog):
        assert isinstance(dialog, QInputDialog)
        spin = dialog.findChild(QSpinBox)
        spin.setValue(120)
        dialog.accept()

    activate(qtbot, console)
    when_modal(two_hours)
    qtbot.keyClick(console.expected, K.Key_J, CTRL)
    release_modifiers(qtbot, console.expected)
    assert console.view.snapshot.scenario_jump_minutes == 120

    # one agency's expected action is a gap (3, with a note); the next adequate (2)
    step = console.view.current_step
    assert len(step.expected) >= 1
    console.expected.setCurrentCell(0, 1)
    gap_action = step.expected[0][0]

    def say_what_was_missing(dialog):
        text = dialog.findChild(QLineEdit, "itemDialogText")
        qtbot.keyClicks(text, "No one named the liaison <interpreter>")
        qtbot.keyClick(text, K.Key_Return)

    when_modal(say_what_was_missing)
    qtbot.keyClick(console.expected, K.Key_3)
    marked = dict(console.view.current_step.expected)
    assert marked[gap_action].status is MarkStatus.GAP
    assert console.expected.item(0, 2).text() and "liaison" in console.expected.item(0, 3).text()
    if len(step.expected) > 1:
        qtbot.keyClick(console.expected, K.Key_2)
        assert dict(console.view.current_step.expected)[step.expected[1][0]].status is MarkStatus.ADEQUATE

    activate(qtbot, console)
    qtbot.keyClick(console.expected, K.Key_E, CTRL | SHIFT)
    release_modifiers(qtbot, console.expected)
    assert console.view.snapshot.status is RunStatus.ENDED and console.hot_wash is not None
    console.hot_wash.close()

    with demo_world.db.session() as s:
        marks = list(s.scalars(select(TabletopMark).where(TabletopMark.drill_run_id == console.run_id)))
    assert [(m.step, m.status) for m in marks if m.status is MarkStatus.GAP] == [(2, MarkStatus.GAP)]
    # the review made from the run (the core's creation) carries the gap as a draft finding
    review_id = demo_world.services.reviews.create_from_run(console.run_id)
    services = demo_world.services
    doc = ReviewReadService(services.db, services.actor, services.clock, services.scope).document(review_id)
    drafts = [f for f in doc.findings if f.draft and f.source is FindingSource.TABLETOP]
    assert len(drafts) == 1 and gap_action.text in drafts[0].text and "<interpreter>" in drafts[0].text
