"""Re-importing an old member sheet (issue 13, item 4): the export carries each member's id and data version;
rows changed in the app since the export are listed as conflicts (row, member, the fields that differ) and
nothing is overwritten until each is decided: keep the app's values or take the sheet's."""

from __future__ import annotations

import csv
import logging
from datetime import date

import pytest
from helpers import builders, databases
from sqlalchemy import select

from drillapp.cli import main
from drillapp.models import Member
from drillapp.models.enums import Agency, SquadKind
from drillapp.services.errors import DomainError
from drillapp.services.member_import import ImportConflictError, MemberImportService, Resolution


@pytest.fixture
def world(services):
    port = builders.port_with_branches(services)
    builders.team_with_squads(services, port, (SquadKind.MEDICAL,))
    services.team.create_skill("first_aid", "急救", "First aid")
    zhang = builders.member(services, port, "张伟", Agency.CUSTOMS, post="队员", email="zw@example.cn",
                            notes="会俄语", mobile="13900000001")
    wang = builders.member(services, port, "王芳", Agency.CUSTOMS, post="队员", mobile="13900000002")
    li = builders.member(services, port, "李娜", Agency.QUARANTINE, post="医生", mobile="13900000003")
    services.team.set_member_skill(zhang, "first_aid", expires_on=date(2027, 5, 1), expected_version=builders.member_skill_version(services.team, zhang, "first_aid"))
    return port, {"zhang": zhang, "wang": wang, "li": li}


@pytest.fixture
def importer(services) -> MemberImportService:
    return MemberImportService(services.db, services.actor, services.clock)


def member(services, member_id: int) -> Member:
    with services.db.session() as s:
        m = s.get(Member, member_id)
        _ = [(e.skill.code, e.expires_on) for e in m.skills]
        s.expunge_all()
        return m


def read_csv(path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def write_csv(path, rows) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_the_export_carries_id_and_version(services, world, importer, tmp_path):
    port, ids = world
    header, *rows = read_csv(importer.export(port.port_id, tmp_path / "t0.csv"))
    assert header[-2:] == ["系统编号", "数据版本"]
    assert [r[-2] for r in rows] == [str(ids["zhang"]), str(ids["wang"]), str(ids["li"])]
    assert all(r[-1] for r in rows)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_old_sheet_does_not_undo_newer_edits(services, world, importer, tmp_path, suffix):
    port, ids = world
    sheet = importer.export(port.port_id, tmp_path / f"t0{suffix}")
    services.team.update_member(ids["zhang"], post="副队长", email="zhangwei@example.cn", notes="会俄语、朝鲜语", expected_version=services.team.version_of(Member, ids["zhang"]))

    report = importer.check(sheet, port.port_id)

    assert report.ok and (report.rows, report.created) == (3, 0)
    [conflict] = report.conflicts
    assert (conflict.row, conflict.member_id, conflict.name) == (2, ids["zhang"], "张伟")
    assert [(d.column, d.sheet, d.app) for d in conflict.differences] == [
        ("职务", "队员", "副队长"), ("邮箱", "zw@example.cn", "zhangwei@example.cn"), ("备注", "会俄语", "会俄语、朝鲜语")]
    assert str(conflict) == ("row 2, 张伟 (id {id}): changed in the app since the sheet was exported: "
                             "职务 sheet “队员”, app “副队长”; 邮箱 sheet “zw@example.cn”, app “zhangwei@example.cn”; "
                             "备注 sheet “会俄语”, app “会俄语、朝鲜语”").format(id=ids["zhang"])

    with pytest.raises(ImportConflictError) as refused:
        importer.import_file(sheet, port.port_id)
    assert refused.value.conflicts == report.conflicts and "row 2" in refused.value.message
    assert member(services, ids["zhang"]).post == "副队长", "nothing overwritten"

    kept = importer.import_file(sheet, port.port_id, Resolution.KEEP_APP)
    assert (kept.kept, kept.updated, kept.unchanged) == (1, 0, 2)
    m = member(services, ids["zhang"])
    assert (m.post, m.email, m.notes) == ("副队长", "zhangwei@example.cn", "会俄语、朝鲜语")

    taken = importer.import_file(sheet, port.port_id, Resolution.TAKE_SHEET)
    assert (taken.kept, taken.updated) == (0, 1)
    m = member(services, ids["zhang"])
    assert (m.post, m.email, m.notes) == ("队员", "zw@example.cn", "会俄语")


def test_each_conflicting_row_is_decided_on_its_own(services, world, importer, tmp_path):
    port, ids = world
    sheet = importer.export(port.port_id, tmp_path / "t0.csv")
    services.team.update_member(ids["zhang"], post="副队长", expected_version=services.team.version_of(Member, ids["zhang"]))
    services.team.update_member(ids["li"], post="主任医师", expected_version=services.team.version_of(Member, ids["li"]))

    report = importer.check(sheet, port.port_id)
    assert [c.row for c in report.conflicts] == [2, 4]
    with pytest.raises(ImportConflictError, match="row 4"):
        importer.import_file(sheet, port.port_id, {2: Resolution.KEEP_APP})

    done = importer.import_file(sheet, port.port_id, {2: Resolution.KEEP_APP, 4: Resolution.TAKE_SHEET})

    assert (done.kept, done.updated) == (1, 1)
    assert (member(services, ids["zhang"]).post, member(services, ids["li"]).post) == ("副队长", "医生")


def test_a_skill_changed_in_the_app_is_a_conflict_too(services, world, importer, tmp_path):
    port, ids = world
    sheet = importer.export(port.port_id, tmp_path / "t0.csv")
    services.team.set_member_skill(ids["zhang"], "first_aid", expires_on=date(2029, 1, 31), expected_version=builders.member_skill_version(services.team, ids["zhang"], "first_aid"))

    [conflict] = importer.check(sheet, port.port_id).conflicts

    assert [(d.column, d.sheet, d.app) for d in conflict.differences] == [
        ("技能", "急救:2027-05-01", "急救:2029-01-31")]
    importer.import_file(sheet, port.port_id, Resolution.KEEP_APP)
    assert [(e.skill.code, e.expires_on) for e in member(services, ids["zhang"]).skills] == [
        ("first_aid", date(2029, 1, 31))]


def test_edits_made_in_the_sheet_alone_import_without_asking(services, world, importer, tmp_path):
    port, ids = world
    header, *rows = read_csv(importer.export(port.port_id, tmp_path / "t0.csv"))
    rows[0][header.index("职务")] = "小组长"
    rows[1][header.index("姓名")] = "王芳芳"  # a rename: the id says who it is
    write_csv(tmp_path / "edited.csv", [header, *rows])

    report = importer.import_file(tmp_path / "edited.csv", port.port_id)

    assert (report.conflicts, report.created, report.updated, report.unchanged) == ((), 0, 2, 1)
    assert member(services, ids["zhang"]).post == "小组长"
    assert member(services, ids["wang"]).name == "王芳芳"
    with services.db.session() as s:
        assert len(s.scalars(select(Member)).all()) == 3


def test_the_same_value_changed_on_both_sides_is_no_conflict(services, world, importer, tmp_path):
    port, ids = world
    header, *rows = read_csv(importer.export(port.port_id, tmp_path / "t0.csv"))
    services.team.update_member(ids["wang"], post="小组长", expected_version=services.team.version_of(Member, ids["wang"]))
    rows[1][header.index("职务")] = "小组长"
    write_csv(tmp_path / "edited.csv", [header, *rows])

    report = importer.import_file(tmp_path / "edited.csv", port.port_id)

    assert (report.conflicts, report.unchanged) == ((), 3)


def test_ids_that_do_not_fit_are_problems(services, world, importer, tmp_path):
    port, ids = world
    header, *rows = read_csv(importer.export(port.port_id, tmp_path / "t0.csv"))
    rows.append(rows[2][:])  # row 5: the same member as row 4
    rows[0][-2] = "99999"
    rows[1][-1] = ""
    write_csv(tmp_path / "odd.csv", [header, *rows])

    report = importer.check(tmp_path / "odd.csv", port.port_id)

    assert [str(p) for p in report.problems] == [
        "row 2, 系统编号: there is no member 99999 in this port's team (deleted since the sheet was exported?); "
        "clear 系统编号 and 数据版本 to add the row as a new member.",
        "row 3, 数据版本: 系统编号 and 数据版本 come from an export and go together: keep both or clear both.",
        "row 5, 系统编号: the same member as row 4.",
    ]
    with pytest.raises(DomainError):
        importer.import_file(tmp_path / "odd.csv", port.port_id)


# --- the command line ------------------------------------------------------------------------------------

@pytest.fixture
def cli(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("LOGNAME", "duty-desk")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    url = databases.sqlite_url(tmp_path / "cli.sqlite3")

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    yield run
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def test_cli_lists_conflicts_and_needs_a_choice(cli, tmp_path):
    assert cli("demo")[0] == 0
    sheet = tmp_path / "t0.xlsx"
    assert cli("members", "export", "--out", str(sheet), "--port", "QUANHE")[0] == 0
    code, out, _err = cli("list", "members", "--json", "--limit", "1")
    import json

    first = json.loads(out)[0]
    edited = tmp_path / "edited.csv"
    header, *rows = read_csv(_as_csv(sheet, tmp_path / "t0.csv"))
    row = next(r for r in rows if r[header.index("系统编号")] == str(first["id"]))
    row[header.index("职务")] = "新职务"
    write_csv(edited, [header, *rows])
    # a colleague changes the same member in the app after the export
    assert cli("members", "import", str(edited), "--port", "QUANHE")[0] == 0

    code, out, err = cli("members", "import", str(sheet), "--port", "QUANHE")
    assert code == 1
    assert "changed in the app since the sheet was exported" in out and "职务 sheet" in out
    assert "--keep-app" in err and "--take-sheet" in err and "nothing imported" in err

    code, out, err = cli("members", "import", str(sheet), "--port", "QUANHE", "--check")
    assert code == 1 and "changed in the app" in out

    code, out, err = cli("members", "import", str(sheet), "--port", "QUANHE", "--keep-app")
    assert (code, err) == (0, "") and "1 kept as in the app" in out
    code, out, err = cli("members", "import", str(sheet), "--port", "QUANHE", "--take-sheet")
    assert (code, err) == (0, "") and "1 updated" in out
    with pytest.raises(SystemExit) as refused:
        cli("members", "import", str(sheet), "--keep-app", "--take-sheet")
    assert refused.value.code == 2


def _as_csv(xlsx, out):
    import openpyxl

    book = openpyxl.load_workbook(xlsx, read_only=True)
    rows = [["" if v is None else str(v) for v in r] for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    write_csv(out, rows)
    return out
