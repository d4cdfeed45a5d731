"""The team lead edits the list of skills and certificates the way a person does: adds one through the form
(problems shown inline), renames it in place, ticks "certificate required", tries to remove a skill members
hold (refused, the reason shown, still listed) and removes an unused one after confirming; the database is
checked after each step."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton, QWidget
from sqlalchemy import select

from drillapp.models import MemberSkill, Skill
from drillapp.services.audit_view import AuditViewService
from drillapp.ui.team import skills_dialog as dialog_module
from drillapp.ui.team.skills_dialog import AddSkillDialog, SkillsDialog

TRICKY = "朝鲜语 <b>口译</b> & 翻译"


@pytest.fixture
def when_modal():
    """Act on the next modal dialog of a kind once it shows (the call that opens it blocks until it closes).
    A failed check inside the handler closes the dialog and fails the test at its end."""
    failures: list[BaseException] = []
    waiting: list[type] = []
    done = False

    def arm(kind: type, handler: Callable[[QWidget], None]) -> None:
        waiting.append(kind)

        def poll() -> None:
            if done:
                return
            widget = QApplication.activeModalWidget()
            if not (isinstance(widget, kind) and widget.isVisible()):
                QTimer.singleShot(10, poll)
                return
            waiting.remove(kind)
            try:
                handler(widget)
            except BaseException as exc:  # noqa: BLE001 - reported after the dialog is closed
                failures.append(exc)
                widget.reject()

        QTimer.singleShot(0, poll)

    yield arm
    done = True
    if failures:
        raise failures[0]
    assert not waiting, f"expected a {waiting[0].__name__} that never opened"


def _type(qtbot, widget: QWidget, text: str) -> None:
    """Type as a person does: Latin text key by key, Chinese as an input method commits it."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _answer(button: QMessageBox.StandardButton, texts: list[str]) -> Callable[[QWidget], None]:
    def click(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        assert box.textFormat() == Qt.TextFormat.PlainText
        texts.append(box.text())
        box.button(button).click()
    return click


@pytest.fixture
def dialog(qtbot, demo_world) -> SkillsDialog:
    services = demo_world.services
    d = SkillsDialog(services.team, AuditViewService(services.db, services.actor, services.clock))
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def _skill(world, code: str) -> Skill | None:
    with world.db.session() as s:
        return s.scalar(select(Skill).where(Skill.code == code))


def _row(dialog: SkillsDialog, code: str) -> int:
    for i in range(dialog.table.rowCount()):
        if dialog.table.item(i, dialog.CODE).text() == code:
            return i
    raise AssertionError(f"{code} is not in the table")


def _codes(dialog: SkillsDialog, visible_only: bool = False) -> list[str]:
    return [dialog.table.item(i, dialog.CODE).text() for i in range(dialog.table.rowCount())
            if not (visible_only and dialog.table.isRowHidden(i))]


def _focus_table(qtbot, dialog: SkillsDialog) -> None:
    """A shortcut works in the active window only."""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    dialog.table.setFocus()


def _type_into_cell(qtbot, dialog: SkillsDialog, row: int, column: int, text: str) -> None:
    """F2 on the cell, replace what is there, Enter."""
    _focus_table(qtbot, dialog)
    dialog.table.setCurrentCell(row, column)
    qtbot.keyClick(dialog.table, Qt.Key.Key_F2)
    editors = [e for e in dialog.table.findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, "F2 opened an editor"
    editor = editors[0]
    editor.selectAll()
    _type(qtbot, editor, text)
    with qtbot.waitSignal(dialog.table.itemDelegate().closeEditor):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    # the row is saved by a zero-delay timer once control is back in the event loop: run that loop pass now
    QApplication.sendPostedEvents()
    QApplication.processEvents()


def _add_through_form(qtbot, when_modal, dialog: SkillsDialog, code: str, name_zh: str, name_en: str, certificate: bool,
                      errors: list[str]) -> int | None:
    """Insert opens the form; first OK with no Chinese name (refused inline), then a complete entry."""
    def fill(form: QWidget) -> None:
        assert isinstance(form, AddSkillDialog)
        _type(qtbot, form.fields["code"], code)
        _type(qtbot, form.fields["name_en"], name_en)
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
        errors.append(form.error.text())
        assert form.isVisible(), "the form stays open on a problem"
        _type(qtbot, form.fields["name_zh"], name_zh)
        if certificate:
            form.certificate.setChecked(True)
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)

    added: list[int | None] = []
    when_modal(AddSkillDialog, fill)
    _focus_table(qtbot, dialog)
    before = dialog.table.rowCount()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Insert)
    added.append(dialog.current_id())
    assert dialog.table.rowCount() == before + 1
    return added[0]


def test_add_rename_tick_and_remove_a_skill(qtbot, demo_world, dialog, when_modal) -> None:
    errors: list[str] = []
    _add_through_form(qtbot, when_modal, dialog, "korean_interp", "朝鲜语口译", "Korean interpreting", False, errors)
    assert "Chinese name" in errors[0]
    skill = _skill(demo_world, "korean_interp")
    assert skill is not None and skill.name_zh == "朝鲜语口译" and skill.name_en == "Korean interpreting"
    assert not skill.certificate_required
    row = _row(dialog, "korean_interp")
    assert dialog.current_id() == skill.id, "the new skill is selected"
    assert dialog.table.item(row, dialog.HOLDERS).text() == "0"

    _type_into_cell(qtbot, dialog, row, dialog.NAME_ZH, TRICKY)
    assert _skill(demo_world, "korean_interp").name_zh == TRICKY
    row = _row(dialog, "korean_interp")
    assert dialog.table.item(row, dialog.NAME_ZH).text() == TRICKY, "shown exactly, not as markup"
    _type_into_cell(qtbot, dialog, row, dialog.NAME_EN, "Korean <interp> & liaison")
    assert _skill(demo_world, "korean_interp").name_en == "Korean <interp> & liaison"

    row = _row(dialog, "korean_interp")
    dialog.table.setCurrentCell(row, dialog.CERTIFICATE)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: _skill(demo_world, "korean_interp").certificate_required)
    assert _skill(demo_world, "korean_interp").certificate_required
    assert dialog.table.item(_row(dialog, "korean_interp"), dialog.CERTIFICATE).checkState() == Qt.CheckState.Checked
    assert _skill(demo_world, "korean_interp").name_zh == TRICKY, "ticking keeps the names"
    assert dialog.error.text() == ""

    # An empty Chinese name is refused: the message says so and the stored name is shown again.
    _type_into_cell(qtbot, dialog, _row(dialog, "korean_interp"), dialog.NAME_ZH, " ")
    assert "Chinese name" in dialog.error.text()
    assert dialog.table.item(_row(dialog, "korean_interp"), dialog.NAME_ZH).text() == TRICKY
    assert _skill(demo_world, "korean_interp").name_zh == TRICKY

    # Remove: "No" keeps it; "Yes" takes it off the list and out of the database.
    texts: list[str] = []
    dialog.table.setCurrentCell(_row(dialog, "korean_interp"), dialog.CODE)
    when_modal(QMessageBox, _answer(QMessageBox.StandardButton.No, texts))
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert _skill(demo_world, "korean_interp") is not None and "korean_interp" in _codes(dialog)
    assert "Korean <interp> & liaison" in texts[0], "the question names the skill as written"
    when_modal(QMessageBox, _answer(QMessageBox.StandardButton.Yes, texts))
    _focus_table(qtbot, dialog)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    assert _skill(demo_world, "korean_interp") is None
    assert "korean_interp" not in _codes(dialog)


def test_a_skill_members_hold_cannot_be_removed(qtbot, demo_world, dialog, when_modal) -> None:
    with demo_world.db.session() as s:
        held_id = s.scalar(select(MemberSkill.skill_id).order_by(MemberSkill.id))
        code = s.get(Skill, held_id).code
    row = _row(dialog, code)
    assert int(dialog.table.item(row, dialog.HOLDERS).text()) > 0
    dialog.table.setCurrentCell(row, dialog.CODE)
    texts: list[str] = []
    when_modal(QMessageBox, _answer(QMessageBox.StandardButton.Yes, texts))
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert texts, "asked first"
    assert "Remove it from them first" in dialog.error.text()
    assert code in _codes(dialog) and dialog.current_id() == held_id
    assert _skill(demo_world, code) is not None


def test_a_duplicate_code_is_refused_inline(qtbot, demo_world, dialog, when_modal) -> None:
    existing = _codes(dialog)[0]
    seen: list[str] = []

    def fill(form: QWidget) -> None:
        assert isinstance(form, AddSkillDialog)
        _type(qtbot, form.fields["code"], existing.upper())
        _type(qtbot, form.fields["name_zh"], "重复")
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
        seen.append(form.error.text())
        assert form.isVisible() and form.fields["code"].styleSheet()
        form.buttons.button(form.buttons.StandardButton.Cancel).click()

    before = _codes(dialog)
    when_modal(AddSkillDialog, fill)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "already on the list" in seen[0]
    assert _codes(dialog) == before


def test_a_stale_rename_goes_through_the_conflict_dialog(qtbot, demo_world, dialog, monkeypatch) -> None:
    code = _codes(dialog)[0]
    skill = _skill(demo_world, code)
    demo_world.services.team.rename_skill(skill.id, "另一台电脑改的", skill.name_en, expected_version=demo_world.services.team.version_of(Skill, skill.id))
    asked: list[tuple[str, int]] = []
    monkeypatch.setattr(dialog_module, "ask_reload",
                        lambda exc, history, entity, entity_id, parent: (asked.append((entity, entity_id)), True)[1])
    _type_into_cell(qtbot, dialog, _row(dialog, code), dialog.NAME_ZH, "我的修改")
    assert asked == [("skill", skill.id)]
    assert dialog.table.item(_row(dialog, code), dialog.NAME_ZH).text() == "另一台电脑改的"
    assert "Reloaded" in dialog.error.text()
    _type_into_cell(qtbot, dialog, _row(dialog, code), dialog.NAME_ZH, "我的修改")
    assert _skill(demo_world, code).name_zh == "我的修改"


def test_filter_and_escape(qtbot, demo_world, dialog) -> None:
    all_codes = _codes(dialog)
    with demo_world.db.session() as s:
        russian = s.scalar(select(Skill).where(Skill.name_en.ilike("%russian%")))
    _type(qtbot, dialog.filter, "RUSS")
    visible = _codes(dialog, visible_only=True)
    assert russian.code in visible and len(visible) < len(all_codes)
    dialog.filter.clear()
    _type(qtbot, dialog.filter, russian.name_zh)
    assert russian.code in _codes(dialog, visible_only=True)
    _type(qtbot, dialog.filter, "不存在的技能")
    assert _codes(dialog, visible_only=True) == [] and not dialog.remove_button.isEnabled()
    dialog.filter.clear()
    assert _codes(dialog, visible_only=True) == all_codes
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_the_team_area_opens_the_list_and_its_changes_reach_every_screen(window, qtbot, monkeypatch) -> None:
    """A rename in the list is one operation through the runner; its change set (skills) is announced to every
    open screen; the members list, whose read did not look at skills, is not read again for it."""
    from drillapp.ui import operations

    announced: list = []
    operations.bus().did_execute.connect(lambda change_set, _initiator: announced.append(change_set))

    def rename_first(self: SkillsDialog) -> int:
        self.table.item(0, SkillsDialog.NAME_EN).setText("Renamed <&> skill")
        self.save_row(self.skill_id_at(0))
        return 0

    monkeypatch.setattr(SkillsDialog, "exec", rename_first)
    window.show_area("team")
    members = window.page("team").lists[0]
    members.ensure_loaded()
    reloads: list[int] = []
    monkeypatch.setattr(members, "reload", lambda: reloads.append(1))
    members.model.watch.refresh = members.reload
    button = window.findChild(QPushButton, "editSkills")
    assert button is not None and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert any("skill" in c.entities for c in announced)
    assert not reloads, "the members list does not show skills: it knows from its own read, and stays"
