"""The team lead edits a member in the editor: details, a certificate, a period of leave; problems are shown
inline, a stale save goes through the conflict dialog, Esc asks before discarding, and what is saved is in
the database."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from helpers import builders
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from drillapp.models import Member, MemberSkill, Skill, Unavailability
from drillapp.models.enums import MemberStatus, UnavailabilityKind
from drillapp.ui.team import member_editor as editor_module
from drillapp.ui.team.member_editor import MemberEditor

LONG_NOTE = "备注 <b>&amp; 夜班 & <script> " + "长" * 3000


@pytest.fixture(autouse=True)
def _discard_on_close(monkeypatch: pytest.MonkeyPatch) -> None:
    """A dirty editor left open at the end of a test is closed without a real question box."""
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Discard)


def _first_member(world) -> int:
    with world.db.session() as s:
        return s.scalar(select(Member.id).order_by(Member.id))


def _editor(window, qtbot, member_id):
    editor = window.member_editor(member_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def _free_skill(world, member_id) -> tuple[int, str]:
    with world.db.session() as s:
        held = set(s.scalars(select(MemberSkill.skill_id).where(MemberSkill.member_id == member_id)))
        skill = next(k for k in s.scalars(select(Skill).order_by(Skill.id)) if k.id not in held)
        return skill.id, skill.code


def test_edit_details_add_a_certificate_and_leave_then_save_with_ctrl_s(window, qtbot, demo_world) -> None:
    mid = _first_member(demo_world)
    editor = _editor(window, qtbot, mid)
    assert not editor.is_dirty()
    editor.fields["post"].setText("安保组 <副组长> & 联络")
    editor.fields["mobile"].setText("13912345678")
    editor.status.setCurrentIndex(editor.status.findData(MemberStatus.ON_LEAVE.value))
    editor.notes.setPlainText(LONG_NOTE)
    editor.dates["fitness_date"].set_value(date(2026, 2, 1))
    skill_id, _code = _free_skill(demo_world, mid)
    rows_before = editor.skills.table.rowCount()
    editor.skills.add_button.click()
    row = rows_before
    combo = editor.skills.table.cellWidget(row, editor.skills.SKILL)
    combo.setCurrentIndex(combo.findData(skill_id))
    soon = (demo_world.services.clock().date() + timedelta(days=10)).isoformat()
    editor.skills.table.item(row, editor.skills.CERTIFICATE).setText("证 No.<42>")
    editor.skills.table.item(row, editor.skills.ISSUED).setText("2024-01-15")
    editor.skills.table.item(row, editor.skills.EXPIRES).setText(soon)
    assert editor.skills.row_state(row) == "Expires soon"
    assert "within 30 days" in editor.skills.table.item(row, editor.skills.CERTIFICATE).toolTip()
    editor.unavailability.add_button.click()
    urow = editor.unavailability.table.rowCount() - 1
    kind = editor.unavailability.table.cellWidget(urow, editor.unavailability.KIND)
    kind.setCurrentIndex(kind.findData(UnavailabilityKind.COURSE))
    editor.unavailability.table.item(urow, editor.unavailability.FROM).setText("2026-05-04")
    editor.unavailability.table.item(urow, editor.unavailability.TO).setText("2026-05-08")
    editor.unavailability.table.item(urow, editor.unavailability.NOTE).setText("反恐培训班 <第3期>")
    assert editor.is_dirty()

    editor.windowHandle().requestActivate()  # a shortcut works in the active window only
    qtbot.waitUntil(editor.isActiveWindow, timeout=3000)
    editor.fields["name"].setFocus()
    qtbot.keyClick(editor.fields["name"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert editor.error.text() == "" and not editor.isVisible(), "saved and closed"
    with demo_world.db.session() as s:
        member = s.get(Member, mid)
        assert (member.post, member.mobile, member.status) == ("安保组 <副组长> & 联络", "13912345678",
                                                               MemberStatus.ON_LEAVE)
        assert member.notes == LONG_NOTE and member.fitness_date == date(2026, 2, 1)
        cert = s.scalar(select(MemberSkill).where(MemberSkill.member_id == mid, MemberSkill.skill_id == skill_id))
        assert (cert.certificate_no, cert.issued_on, cert.expires_on.isoformat()) == ("证 No.<42>", date(2024, 1, 15),
                                                                                     soon)
        course = s.scalar(select(Unavailability).where(Unavailability.member_id == mid,
                                                       Unavailability.kind == UnavailabilityKind.COURSE))
        assert (course.starts_on, course.ends_on, course.note) == (date(2026, 5, 4), date(2026, 5, 8),
                                                                   "反恐培训班 <第3期>")

    again = _editor(window, qtbot, mid)
    assert again.notes.toPlainText() == LONG_NOTE and again.fields["post"].text() == "安保组 <副组长> & 联络"


def test_a_bad_date_and_an_empty_name_are_shown_inline_and_nothing_is_saved(window, qtbot, demo_world) -> None:
    mid = _first_member(demo_world)
    with demo_world.db.session() as s:
        version = s.get(Member, mid).row_version
    editor = _editor(window, qtbot, mid)
    editor.unavailability.add_button.click()
    row = editor.unavailability.table.rowCount() - 1
    editor.unavailability.table.item(row, editor.unavailability.FROM).setText("2026-13-01")
    editor.save_button.click()
    assert "2026-13-01" in editor.error.text() and "YYYY-MM-DD" in editor.error.text()
    assert "border" in editor.unavailability.table.styleSheet() and editor.isVisible()

    editor.unavailability.remove_button.click()
    editor.fields["name"].setText("   ")
    editor.save_button.click()
    assert "Name must not be empty" in editor.error.text()
    assert "border" in editor.fields["name"].styleSheet()
    assert "border" not in editor.unavailability.table.styleSheet()
    with demo_world.db.session() as s:
        assert s.get(Member, mid).row_version == version


def test_expired_certificates_are_highlighted_with_a_tooltip(window, qtbot, demo_world) -> None:
    mid = _first_member(demo_world)
    today = demo_world.services.clock().date()
    demo_world.services.team.set_member_skill(mid, "russian", expires_on=today, expected_version=builders.member_skill_version(demo_world.services.team, mid, "russian"))
    editor = _editor(window, qtbot, mid)
    combos = [editor.skills.table.cellWidget(r, 0) for r in range(editor.skills.table.rowCount())]
    assert not [c.currentText() for c in combos if re.search(r"\([a-z_]+\)$", c.currentText())], \
        "skills show by name, not as name (code)"
    row = next(r for r, c in enumerate(combos)
               if c.itemData(c.currentIndex(), Qt.ItemDataRole.ToolTipRole) == "Code: russian")
    assert editor.skills.row_state(row) == "Expired"
    assert "no longer counts" in editor.skills.table.item(row, editor.skills.EXPIRES).toolTip()
    assert editor.skills.table.item(row, editor.skills.EXPIRES).background().color().name() == "#f8d7da"


def test_escape_asks_before_discarding_changes(window, qtbot, demo_world, monkeypatch) -> None:
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, title, *_a, **_k: (asked.append(title), answers.pop(0))[1])
    editor = _editor(window, qtbot, _first_member(demo_world))
    editor.fields["rank"].setText("二级警长")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert asked == ["Discard changes?"] and editor.isVisible(), "Cancel keeps the editor open"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()
    fresh = _editor(window, qtbot, _first_member(demo_world))
    qtbot.keyClick(fresh, Qt.Key.Key_Escape)
    assert len(asked) == 2 and not fresh.isVisible(), "no question when nothing changed"


def test_a_stale_save_goes_through_the_conflict_dialog_and_reloads(window, qtbot, demo_world, monkeypatch) -> None:
    mid = _first_member(demo_world)
    editor = _editor(window, qtbot, mid)
    demo_world.services.team.update_member(mid, post="另一台电脑改的", expected_version=demo_world.services.team.version_of(Member, mid))
    asked: list[tuple[str, int]] = []
    monkeypatch.setattr(editor_module, "ask_reload",
                        lambda exc, history, entity, entity_id, parent: (asked.append((entity, entity_id)), True)[1])
    editor.fields["post"].setText("我的修改")
    editor.save_button.click()
    assert asked == [("member", mid)] and editor.isVisible()
    assert editor.fields["post"].text() == "另一台电脑改的", "reloaded the other desk's change"
    editor.fields["post"].setText("我的修改")
    editor.save_button.click()
    with demo_world.db.session() as s:
        assert s.get(Member, mid).post == "我的修改"


@pytest.mark.parametrize("how", ["list", "button"])
def test_the_editor_opens_from_the_members_list_and_new_member(window, qtbot, demo_world, monkeypatch, how) -> None:
    opened: list[MemberEditor] = []

    def fake_exec(self: MemberEditor) -> int:
        opened.append(self)
        if self.member_id is None:
            self.fields["name"].setText("新队员 金<哲>")
            self.save_button.click()
        return 0

    monkeypatch.setattr(MemberEditor, "exec", fake_exec)
    window.show_area("team")
    page = window.page("team")
    members = page.lists[0]
    qtbot.waitUntil(lambda: members.model.rowCount() > 0)
    if how == "list":
        members.table.setCurrentIndex(members.model.index(0, 0))
        qtbot.keyClick(members.table, Qt.Key.Key_Return)
        assert opened and opened[0].member_id == members.model.row_id(0)
        assert opened[0].fields["name"].text() == members.model.index(0, 0).data()
    else:
        page.findChild(type(page.buttons.itemAt(1).widget()), "newMember").click()
        assert opened and opened[0].windowTitle() == "New member"
        with demo_world.db.session() as s:
            assert s.scalar(select(Member).where(Member.name == "新队员 金<哲>")) is not None
