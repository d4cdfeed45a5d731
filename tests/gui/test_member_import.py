"""Scenario 2: the team lead imports the 14 volunteers the branches sent; two bad rows are listed first."""

from __future__ import annotations

import csv

from PySide6.QtWidgets import QDialog
from sqlalchemy import func, select

from drillapp.models import Member
from drillapp.services.member_import import MemberImportService
from drillapp.ui.team.member_import import MemberImportDialog


def _sheet(path, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([["姓名", "支部", "手机", "报名日期", "小组", "技能"], *rows])
    return path


def test_two_bad_rows_are_listed_then_the_fixed_sheet_imports(qtbot, demo_world, tmp_path) -> None:
    service = MemberImportService(demo_world.db, demo_world.actor)
    port_id = service.import_port("QUANHE")
    branches = ["边检", "海关", "检验检疫", "口岸办"]
    rows = [[f"新队员{i:02d}", branches[i % 4], f"1380000{i:04d}", "2026-03-01", "医疗救护组", "急救:2027-05-01"]
            for i in range(1, 15)]
    rows[3][3] = "2026-13-01"
    rows[7][1] = "税务局"
    with demo_world.db.session() as s:
        before = s.scalar(select(func.count()).select_from(Member))

    dialog = MemberImportDialog(service, port_id)
    qtbot.addWidget(dialog)
    dialog.check(_sheet(tmp_path / "volunteers.csv", rows))
    assert dialog.problems.rowCount() == 2
    assert [dialog.problems.item(r, 0).text() for r in range(2)] == ["5", "9"]
    assert not dialog.import_button.isEnabled(), "a sheet with problems cannot be imported"

    rows[3][3], rows[7][1] = "2026-03-01", "海关"
    dialog.check(_sheet(tmp_path / "volunteers.csv", rows))
    assert dialog.problems.rowCount() == 0 and dialog.import_button.isEnabled()
    dialog.import_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.imported is not None and dialog.imported.created == 14
    with demo_world.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Member)) == before + 14


def test_rows_changed_in_the_app_since_the_export_are_listed_to_choose(qtbot, world, tmp_path) -> None:
    """Issue 13: an old sheet does not undo newer edits; the dialog lists each conflict with a choice."""
    from drillapp.models.enums import Agency
    from drillapp.services.member_import import Resolution

    services = world.services
    port_id = services.org.create_port("QH", "圈河口岸", "Quanhe Port")
    branch = services.org.create_branch(port_id, Agency.CUSTOMS, "海关")
    zhang = services.team.create_member(branch, "张伟", post="队员", email="zw@example.cn")
    wang = services.team.create_member(branch, "王芳", post="队员")
    li = services.team.create_member(branch, "李娜", post="队员")
    service = MemberImportService(world.db, world.actor)
    sheet = service.export(port_id, tmp_path / "t0.xlsx")
    services.team.update_member(zhang, post="副队长", email="zhangwei@example.cn", expected_version=services.team.version_of(Member, zhang))
    services.team.update_member(wang, post="小组长", expected_version=services.team.version_of(Member, wang))

    dialog = MemberImportDialog(service, port_id)
    qtbot.addWidget(dialog)
    dialog.check(sheet)

    assert dialog.problems.rowCount() == 0
    table = dialog.conflicts
    assert table.isVisibleTo(dialog) and table.rowCount() == 2
    assert [table.item(r, 0).text() for r in range(2)] == ["2", "3"]
    assert [table.item(r, 1).text() for r in range(2)] == ["张伟", "王芳"]
    assert table.horizontalHeaderItem(2).text() == "What differs (sheet → app)"
    assert table.item(0, 2).text() == "职务: 队员 → 副队长\n邮箱: zw@example.cn → zhangwei@example.cn"
    assert not dialog.import_button.isEnabled(), "each conflict needs a choice first"

    dialog.choice(0).setCurrentIndex(dialog.choice(0).findData(Resolution.KEEP_APP.value))
    assert not dialog.import_button.isEnabled()
    dialog.choice(1).setCurrentIndex(dialog.choice(1).findData(Resolution.TAKE_SHEET.value))
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (dialog.imported.kept, dialog.imported.updated, dialog.imported.unchanged) == (1, 1, 1)
    with world.db.session() as s:
        posts = {m.id: (m.post, m.email) for m in s.scalars(select(Member))}
    assert posts[zhang] == ("副队长", "zhangwei@example.cn"), "kept as in the app"
    assert posts[wang][0] == "队员", "taken from the sheet"
    assert posts[li][0] == "队员"
