"""The audit viewer in Settings, driven through the real window: filter by user and record type, read an
entry's changes, narrow by time, export what the filter selects as CSV."""

from __future__ import annotations

import csv

import pytest
from helpers import builders
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
)

from drillapp.models import Member, PlanVersion
from drillapp.models.enums import Role
from drillapp.ui.pages.audit_page import AuditPage


@pytest.fixture
def li_renamed_a_member(demo_world):
    """Besides the demo (loaded by zhao), team lead li renames one member and changes their post."""
    member_id, name, *_rest = demo_world.services.lists.page("members")[0]
    li = builders.actor(demo_world.services, Role.TEAM_LEAD, "li")
    builders.services_as(demo_world.services, li).team.update_member(member_id, name="新名字 <&>", post="值班 \"长\"", expected_version=builders.services_as(demo_world.services, li).team.version_of(Member, member_id))
    return member_id, name


def _open_audit_tab(window, qtbot) -> AuditPage:
    window.show_area("settings")
    tabs = window.settings_page.tabs
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == "Audit trail")
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index
    page = window.settings_page.findChild(AuditPage, "auditPage")
    assert page is not None and page.isVisible()
    return page


def _column(table: QTableView, column: int) -> list[str]:
    model = table.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def _pick(combo: QComboBox, data: str) -> None:
    index = combo.findData(data)
    assert index > 0, f"{data} is not offered"
    combo.setCurrentIndex(index)


def test_filter_select_and_export_through_the_real_window(window, qtbot, li_renamed_a_member, tmp_path, monkeypatch):
    member_id, old_name = li_renamed_a_member
    page = _open_audit_tab(window, qtbot)
    table = page.findChild(QTableView, "auditTable")
    users = page.findChild(QComboBox, "auditUser")
    records = page.findChild(QComboBox, "auditEntity")
    detail = page.findChild(QPlainTextEdit, "auditDetail")
    assert table.model().rowCount() > 100, "the demo's entries are listed"
    assert users.itemText(0) == "All users" and records.itemText(0) == "All records"
    assert {users.itemData(i) for i in range(1, users.count())} >= {"zhao", "li"}
    assert records.itemText(records.findData("member")) == "Team member"

    _pick(users, "li")
    assert set(_column(table, 1)) == {"li"}
    _pick(users, "zhao")
    assert set(_column(table, 1)) == {"zhao"}
    _pick(users, "li")
    _pick(records, "member")

    assert _column(table, 1) == ["li"]
    assert _column(table, 2) == ["Changed"] and _column(table, 3) == ["Team member"]
    assert _column(table, 4) == [str(member_id)] and _column(table, 5) == ["Edit a team member"]

    index = table.model().index(0, 1)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    text = detail.toPlainText()
    assert "li" in text.splitlines()[0]
    assert f"Changed Team member #{member_id} · Edit a team member" in text
    assert f"Name: {old_name} → 新名字 <&>" in text.splitlines()
    assert any(line.startswith("Post: ") and line.endswith(" → 值班 \"长\"") for line in text.splitlines())

    target = tmp_path / "exports" / "li-members"  # no suffix typed: .csv is added
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.findChild(QPushButton, "auditExport").click()

    written = target.with_suffix(".csv")
    status = page.findChild(QLabel, "auditStatus").text()
    assert status == f"Exported 1 entry to {written}"
    assert written.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(written, encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    assert header == ["time", "user", "operation", "action", "record", "id", "before", "after"]
    assert [r[1:6] for r in rows] == [["li", "team.update_member", "update", "member", str(member_id)]]
    assert '"name": "新名字 <&>"' in rows[0][7]


def test_time_range_and_search_narrow_the_list_and_say_so(window, qtbot, li_renamed_a_member):
    from drillapp.clock import to_local
    from drillapp.services.audit_view import AuditFilter

    page = _open_audit_tab(window, qtbot)
    # the range is set from the entries' own times, not the wall clock (the demo lives on a still clock)
    times = [to_local(r.at) for r in page.service.page(AuditFilter(), 0, 100_000)]
    first, last = QDateTime(min(times)), QDateTime(max(times))
    table = page.findChild(QTableView, "auditTable")
    empty = page.findChild(QLabel, "auditEmpty")
    since_on = page.findChild(QCheckBox, "auditSinceEnabled")
    since = page.findChild(QDateTimeEdit, "auditSince")
    until_on = page.findChild(QCheckBox, "auditUntilEnabled")
    until = page.findChild(QDateTimeEdit, "auditUntil")
    search = page.findChild(QLineEdit, "auditSearch")
    everything = table.model().rowCount()
    assert not since.isEnabled() and not until.isEnabled()

    after_all = last.addDays(1)
    since.setDateTime(after_all)
    assert table.model().rowCount() == everything, "a range that is not ticked does not filter"
    since_on.click()
    assert since.isEnabled()
    assert table.model().rowCount() == 0
    assert empty.isVisible() and empty.text() == "No entries match the filter."

    until_on.click()
    until.setDateTime(after_all.addSecs(-3600))
    qtbot.waitUntil(lambda: "before its start" in empty.text())
    assert empty.isVisible()

    since.setDateTime(first.addSecs(-3600))
    until.setDateTime(last.addSecs(3600))
    qtbot.waitUntil(lambda: table.isVisible() and table.model().rowCount() == everything)

    qtbot.keyClicks(search, "update_member")
    qtbot.waitUntil(lambda: table.model().rowCount() == 1)
    assert _column(table, 1) == ["li"]
    search.setText("新名字 <&")  # (QTest cannot type Chinese)
    qtbot.waitUntil(lambda: table.model().rowCount() == 1)
    search.setText("新名字 <&> 不在")
    qtbot.waitUntil(lambda: table.model().rowCount() == 0)
    assert empty.text() == "No entries match the filter."
    search.clear()
    qtbot.waitUntil(lambda: table.model().rowCount() == everything)


def test_more_entries_are_read_as_the_table_scrolls(window, qtbot, demo_world):
    from drillapp.ui.paged_model import PAGE

    page = _open_audit_tab(window, qtbot)
    model = page.findChild(QTableView, "auditTable").model()
    total = len(page.service.page(page.model.filter, 0, 100_000))
    assert total > PAGE
    assert model.rowCount() == PAGE and model.canFetchMore()
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == total
    assert page.findChild(QLabel, "auditCount").text() == f"{total} entries"


def test_in_chinese_the_trail_speaks_words_not_ids(qtbot, demo_world):
    """No raw operation ids or field names in the Chinese audit view; row_version is left out; a log-in is
    shown under the account that logged in, the app's own work as 系统."""
    import re
    from datetime import timedelta

    from drillapp import i18n
    from drillapp.models.enums import Scenario
    from drillapp.services.audit_view import AuditViewService
    from drillapp.services.context import SYSTEM_ACTOR
    from drillapp.services.users import UserService
    from drillapp.ui.audit_model import describe

    services = demo_world.services
    _plan, version = services.plans.create_plan(services.scope.id, "ZZ-99", Scenario.SEVERE_WEATHER, "暴雪封关预案")
    services.revisions.submit_for_review(version, expected_version=services.revisions.version_of(PlanVersion, version))
    today = services.clock().date()
    services.plans.approve_version(version, effective_on=today, review_due_on=today + timedelta(days=365), expected_version=services.plans.version_of(PlanVersion, version))
    system = UserService(demo_world.db, SYSTEM_ACTOR, services.clock)
    system.create_first_administrator("zhao", "port-office-2026")
    system.authenticate("zhao", "port-office-2026")

    i18n.set_language("zh_CN")
    page = AuditPage(AuditViewService(demo_world.db, demo_world.actor, services.clock, services.scope))
    qtbot.addWidget(page)
    page.reload()
    model = page.model
    while model.canFetchMore():
        model.fetchMore()
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    raw = re.compile(r"^[a-z_]+\.[a-z_]+$")
    assert rows and not [r for r in rows if raw.match(r[5]) or r[5].isascii()], "operations in words"
    assert not [r for r in rows if r[3].isascii()], "record types in words"
    assert model.headerData(5, Qt.Orientation.Horizontal) == "操作"

    approval = next(r for r in range(model.rowCount()) if model.entry(r).operation == "plans.approve_version")
    assert rows[approval][5] == "批准预案版本" and rows[approval][3] == "预案版本"
    text = describe(model.entry(approval))
    assert "批准预案版本" in text and "\n批准人：（空） → zhao" in text and "\n状态：审核中 → 已批准" in text
    assert "已批准" in text, "the status reads as on screen"
    for raw_word in ("approved_by_id", "row_version", "plans.approve_version", "approved"):
        assert raw_word not in text.replace("已批准", ""), raw_word
    login = next(r for r in range(model.rowCount()) if model.entry(r).operation == "users.authenticate")
    assert rows[login][1] == "zhao" and rows[login][5] == "登录"
    assert "登录成功" in describe(model.entry(login))
    first = next(r for r in range(model.rowCount())
                 if model.entry(r).operation == "users.create_first_administrator")
    assert rows[first][1] == "系统"
