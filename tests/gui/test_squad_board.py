"""The team lead's squad board on the demo team: members move by drag and drop and by keyboard, the gaps
follow, a leader is set, minimums are edited in place, the filter narrows the lists and certificates running
out are marked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction, QDropEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from drillapp.models import Member, Squad, TeamBranchMinimum
from drillapp.models.enums import MemberStatus
from drillapp.ui.team.squad_board import SquadBoard


@pytest.fixture
def board(window, qtbot) -> SquadBoard:
    window.show_area("team")
    page = window.page("team")
    board = page.show_tab("Squads")
    assert isinstance(board, SquadBoard)
    window.windowHandle().requestActivate()  # keyboard shortcuts work in the active window only
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.waitUntil(lambda: len(board.columns) == 7)
    return board


def _active_member_of(board: SquadBoard, column: int) -> int:
    squad = board.overview.squads[column - 1]
    member = next(m for m in squad.members if m.status is MemberStatus.ACTIVE)
    return member.id


def _squad_of(world, member_id: int) -> int | None:
    with world.db.session() as s:
        return s.get(Member, member_id).squad_id


def _met_exactly(world, board: SquadBoard, column: int) -> None:
    """Set a squad's minimum to its present strength, so one member fewer is a gap."""
    squad = board.overview.squads[column - 1]
    world.services.team.set_squad_min_strength(squad.id, squad.strength, expected_version=world.services.team.version_of(Squad, squad.id))
    board.refresh()


def test_the_board_shows_six_squads_the_unassigned_and_the_branches(board) -> None:
    assert [c.squad_id for c in board.columns][1:] == [q.id for q in board.overview.squads]
    assert len(board.overview.squads) == 6 and board.columns[0].title == "Unassigned"
    assert board.columns[3].heading.text().startswith("Medical rescue")
    assert board.branches.table.rowCount() == 4
    shown = sum(c.members.count() for c in board.columns)
    assert shown == sum(len(q.members) for q in board.overview.squads) + len(board.overview.unassigned)
    flagged = [c.members.item(r).text() for c in board.columns for r in range(c.members.count())
               if "Expires soon" in c.members.item(r).text()]
    assert flagged, "the demo's first-aid certificates running out next month are marked in words"


def test_keyboard_moves_the_selected_member_and_the_gap_shows(board, qtbot, demo_world) -> None:
    _met_exactly(demo_world, board, 2)
    source = board.columns[2]
    assert source.strength.property("short") is False and "met" in source.strength.text()
    member = _active_member_of(board, 2)
    board.select_member(member)
    qtbot.keyClick(source.members, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)

    assert _squad_of(demo_world, member) == board.columns[5].squad_id
    assert board.window().area() == "team", "in a member list Ctrl+5 moves the member, not to another area"
    assert board.columns[5].item_of(member) is not None and board.columns[2].item_of(member) is None
    assert board.columns[2].strength.property("short") is True
    assert "short by 1" in board.columns[2].strength.text()
    assert "gap" in board.summary.text()

    qtbot.keyClick(board.columns[5].members, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert _squad_of(demo_world, member) is None and board.columns[0].item_of(member) is not None


def test_the_move_menu_lists_every_column_with_its_shortcut(board) -> None:
    actions = board.move_menu.actions()
    assert [a.text() for a in actions] == [f"{c.title}\tCtrl+{n}" for n, c in enumerate(board.columns)]
    member = _active_member_of(board, 1)
    board.select_member(member)
    actions[4].trigger()
    assert board.columns[4].item_of(member) is not None


def test_drag_and_drop_moves_a_member_and_closes_a_gap(board, demo_world) -> None:
    target = board.columns[4]
    squad = board.overview.squads[3]
    demo_world.services.team.set_squad_min_strength(squad.id, squad.strength + 1, expected_version=demo_world.services.team.version_of(Squad, squad.id))
    board.refresh()
    assert target.strength.property("short") is True
    member = _active_member_of(board, 1)
    source = board.columns[1]
    mime = source.members.mimeData([source.item_of(member)])
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.MoveAction | Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    target.members.dropEvent(drop)

    assert drop.isAccepted() and drop.dropAction() == Qt.DropAction.CopyAction, "the source keeps its items"
    assert _squad_of(demo_world, member) == target.squad_id
    assert target.item_of(member) is not None and board.columns[1].item_of(member) is None
    assert target.strength.property("short") is False and "met" in target.strength.text()


def test_set_a_leader_from_the_button_and_by_ctrl_l(board, qtbot, demo_world) -> None:
    column = board.columns[3]
    members = [m.id for m in board.overview.squads[2].members if m.status is MemberStatus.ACTIVE]
    board.select_member(members[1])
    board.leader_button.click()
    with demo_world.db.session() as s:
        assert s.get(Squad, column.squad_id).leader_id == members[1]
        name = s.get(Member, members[1]).name
    assert column.leader.text() == f"Leader: {name}"
    assert column.item_of(members[1]).text().startswith("★ ")

    board.select_member(members[0])
    qtbot.keyClick(column.members, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    with demo_world.db.session() as s:
        assert s.get(Squad, column.squad_id).leader_id == members[0]
    assert not column.item_of(members[1]).text().startswith("★ ")


def test_minimums_are_edited_in_place(board, demo_world) -> None:
    column = board.columns[1]
    column.minimum.setValue(column.minimum.value() + 50)
    column.minimum.editingFinished.emit()
    with demo_world.db.session() as s:
        assert s.get(Squad, column.squad_id).min_strength == column.minimum.value()
    assert column.strength.property("short") is True

    spin = board.branches.table.cellWidget(0, 2)
    spin.setValue(99)
    spin.editingFinished.emit()
    branch = board.overview.branches[0]
    with demo_world.db.session() as s:
        row = s.scalar(select(TeamBranchMinimum).where(TeamBranchMinimum.branch_id == branch.branch_id))
        assert row.min_strength == 99
    assert board.branches.table.item(0, 3).text().startswith("Short by")
    assert board.branches.table.item(0, 3).background().color().name() == "#f8d7da"


def test_the_filter_narrows_every_list(board, qtbot) -> None:
    someone = board.overview.squads[0].members[0]
    board.filter.setText(someone.name)
    visible = [c.members.item(r) for c in board.columns for r in range(c.members.count())
               if not c.members.item(r).isHidden()]
    assert visible and all(someone.name in i.text() for i in visible)
    board.filter.clear()
    assert all(not c.members.item(r).isHidden() for c in board.columns for r in range(c.members.count()))


def test_a_move_made_on_a_stale_board_is_refused_naming_who_changed_it(board, qtbot, demo_world, monkeypatch) -> None:
    """The board passes the version of each member it shows (issue 12 item 7): when another desk changed the
    member meanwhile, the move is refused with who changed it, and nothing moves."""
    from PySide6.QtWidgets import QMessageBox

    from drillapp.db import Database
    from drillapp.services import Services

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warnings.append(text))
    source = board.columns[2]
    member = _active_member_of(board, 2)
    before = _squad_of(demo_world, member)
    other_desk_db = Database.open(demo_world.db.url)  # another workstation: its own engine, no shared signals
    try:
        other = Services(other_desk_db, demo_world.services.actor, demo_world.services.clock)
        other.team.update_member(member, other.team.version_of(Member, member), mobile="13900000009")
    finally:
        other_desk_db.dispose()
    board.select_member(member)
    qtbot.keyClick(source.members, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert _squad_of(demo_world, member) == before, "nothing moved"
    assert warnings and "changed by" in warnings[-1]


def test_the_team_areas_other_tabs_are_built_when_first_shown(window) -> None:
    """Issue 15: the squad board, the call-out tests and the roster are built on their first showing, not with
    the area (which stalled the GUI thread 100–150 ms at its first showing on the large demo)."""
    from drillapp.ui.pages.lazy_tab import LazyTab

    window.show_area("team")
    page = window.page("team")
    holders = {page.tabs.tabText(i): page.tabs.widget(i) for i in range(page.tabs.count())}
    for title in ("Squads", "Call-out tests", "Roster"):
        assert isinstance(holders[title], LazyTab) and holders[title].widget is None, title
    assert window.team_area.roster_page is None
    board = page.show_tab("Squads")
    assert isinstance(board, SquadBoard) and board.isVisible()
    assert holders["Roster"].widget is None and window.team_area.roster_page is None
    roster = page.show_tab("Roster")
    assert roster is window.team_area.roster_page and roster.isVisible()


def test_ctrl_f_on_the_roster_tab_goes_to_the_roster_filter(window, qtbot) -> None:
    """The main window's Find (Ctrl+F) searches the tab shown, the lazily built roster too; the roster page had a
    Ctrl+F of its own beside it, and Qt, finding two, ran neither ("Ambiguous shortcut overload")."""
    from PySide6.QtGui import QKeySequence

    window.show_area("team")
    roster = window.page("team").show_tab("Roster")
    find = next(a for a in window.findChildren(QAction) if QKeySequence(QKeySequence.StandardKey.Find) in a.shortcuts())
    roster.table.setFocus()
    find.trigger()
    assert roster.filter.hasFocus() or QApplication.focusWidget() is roster.filter
