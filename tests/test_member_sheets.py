"""Member sheets (CSV, XLSX): checked whole before anything is written, imported all or nothing, exported to
a sheet that imports back unchanged; and the `members` commands."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from helpers import builders, databases
from sqlalchemy import func, select

from drillapp.cli import main
from drillapp.models import Member, MemberSkill, Skill
from drillapp.models.enums import Agency, MemberStatus, SquadKind
from drillapp.services.errors import DomainError
from drillapp.services.member_import import MemberImportService

HEADER = ["姓名", "支部", "职务", "手机", "报名日期", "小组", "技能", "备注"]


@pytest.fixture
def world(services):
    port = builders.port_with_branches(services)
    team = builders.team_with_squads(services, port, (SquadKind.MEDICAL, SquadKind.SECURITY))
    services.team.create_skill("first_aid", "急救", "First aid")
    services.team.create_skill("russian", "俄语", "Russian")
    return port, team


@pytest.fixture
def importer(services) -> MemberImportService:
    return MemberImportService(services.db, services.actor, services.clock)


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def volunteers(count: int = 14) -> list[list[str]]:
    branches = ["边检", "海关", "检验检疫", "口岸办"]
    return [[f"队员{i:02d}", branches[i % 4], "队员", f"1390000{i:04d}", "2026-03-01", "medical", "急救:2027-05-01", ""]
            for i in range(1, count + 1)]


def members(services) -> list[Member]:
    with services.db.session() as s:
        found = s.scalars(select(Member).order_by(Member.id)).all()
        for m in found:
            _ = [e.skill.code for e in m.skills]
        s.expunge_all()
        return list(found)


def test_fourteen_volunteers_two_bad_rows_nothing_written_then_fixed(services, world, importer, tmp_path):
    port, _team = world
    rows = volunteers()
    rows[3][4] = "2026-13-01"  # sheet row 5
    rows[7][1] = "税务局"  # sheet row 9
    path = write_csv(tmp_path / "new.csv", rows)
    before = databases.row_counts(services.db)

    report = importer.check(path, port.port_id)

    assert [str(p) for p in report.problems] == [
        "row 5, 报名日期: not a date: 2026-13-01",
        "row 9, 支部: unknown branch: 税务局",
    ]
    with pytest.raises(DomainError) as refused:
        importer.import_file(path, port.port_id)
    assert "row 5, 报名日期" in refused.value.message and "row 9, 支部" in refused.value.message
    assert databases.row_counts(services.db) == before

    rows[3][4], rows[7][1] = "2026/03/01", "海关"
    write_csv(path, rows)
    report = importer.import_file(path, port.port_id)

    assert (report.ok, report.created, report.updated) == (True, 14, 0)
    found = members(services)
    assert len(found) == 14
    assert found[3].volunteer_date == date(2026, 3, 1)
    assert found[7].branch_id == port.branches[Agency.CUSTOMS]
    assert all(m.squad_id == _team.squads[SquadKind.MEDICAL] for m in found)
    assert [(e.skill.code, e.expires_on) for e in found[0].skills] == [("first_aid", date(2027, 5, 1))]


def test_import_again_updates_instead_of_duplicating(services, world, importer, tmp_path):
    port, _team = world
    rows = volunteers(3)
    path = write_csv(tmp_path / "a.csv", rows)
    importer.import_file(path, port.port_id)
    rows[0][2] = "副队长"
    rows[0][6] = "急救:2028-01-01;russian"
    report = importer.import_file(write_csv(path, rows), port.port_id)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    found = members(services)
    assert len(found) == 3 and found[0].post == "副队长"
    assert sorted((e.skill.code, e.expires_on) for e in found[0].skills) == [
        ("first_aid", date(2028, 1, 1)), ("russian", None)]


def test_every_kind_of_problem_is_listed(services, world, importer, tmp_path):
    port, _team = world
    header = ["name", "branch", "mobile", "status", "skills", "squad", "fitness_date"]
    rows = [
        ["", "海关", "", "", "", "", ""],
        ["李雷", "customs", "139", "", "潜水", "", ""],
        ["韩梅梅", "border_inspection", "138", "busy", "急救:soon", "no such squad", "tomorrow"],
        ["王芳", "海关", "137", "", "", "", ""],
        ["王芳", "Customs", "137", "", "", "", ""],
    ]
    report = importer.check(write_csv(tmp_path / "p.csv", rows, header), port.port_id)

    assert [str(p) for p in report.problems] == [
        "row 2, name: the name is missing.",
        "row 3, skills: unknown skill: 潜水",
        "row 4, status: unknown status: busy",
        "row 4, fitness_date: not a date: tomorrow",
        "row 4, squad: unknown squad: no such squad",
        "row 4, skills: not a date: soon",
        "row 6, name: the same person as row 5 (same name, branch and mobile).",
    ]


def test_missing_and_unknown_columns(world, importer, tmp_path):
    port, _team = world
    report = importer.check(write_csv(tmp_path / "c.csv", [["张三", "x"]], ["姓名", "年龄"]), port.port_id)
    assert [str(p) for p in report.problems] == [
        "row 1, 年龄: unknown column (known: 姓名, 支部, 职务, 职级, 电话, 手机, 邮箱, 状态, 报名日期, 体能测试日期, "
        "培训日期, 分队, 技能, 备注, 系统编号, 数据版本).",
        "row 1: the column 支部 is missing.",
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings(services, world, importer, tmp_path, encoding):
    port, _team = world
    path = write_csv(tmp_path / "e.csv", [["张伟", "边防检查站", "班长", "13900000000", "", "", "俄语", "会朝鲜语"]],
                     encoding=encoding)
    importer.import_file(path, port.port_id)
    [m] = members(services)
    assert (m.name, m.post, m.notes, m.branch_id) == ("张伟", "班长", "会朝鲜语", port.branches[Agency.BORDER_INSPECTION])


def test_xlsx_with_date_cells_and_number_cells(services, world, importer, tmp_path):
    port, _team = world
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Branch", "Mobile", "Volunteer date", "Training_date", "Skills"])
    sheet.append(["赵六", "口岸办", 13912345678, datetime(2026, 2, 3), "2026/01/05", "first_aid:2027-05-01"])
    book.create_sheet("other").append(["ignored"])
    book.save(tmp_path / "m.xlsx")

    report = importer.import_file(tmp_path / "m.xlsx", port.port_id)

    assert report.created == 1
    [m] = members(services)
    assert (m.mobile, m.volunteer_date, m.training_date) == ("13912345678", date(2026, 2, 3), date(2026, 1, 5))
    assert [(e.skill.code, e.expires_on) for e in m.skills] == [("first_aid", date(2027, 5, 1))]


NASTY = '<b>注意</b> & "引号" \'单引号\' =1+1, 逗号;分号\n第二行 ' + "长" * 10_000
#: Values a spreadsheet would run as formulas: a CSV export neutralises them, the import restores them.
FORMULA_LIKE = {"post": "=HYPERLINK(\"http://x\",\"医生\")", "phone": "+86 433 7500001", "rank": "-一级警长",
                "email": "@a&b@example.cn"}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_keeps_everything(services, world, importer, tmp_path, suffix):
    port, team = world
    services.team.create_member(
        port.branches[Agency.QUARANTINE], "孙<七>&", **FORMULA_LIKE,
        mobile="013900000001", status=MemberStatus.ON_LEAVE,
        volunteer_date=date(2025, 1, 2), fitness_date=date(2025, 6, 7), training_date=date(2025, 8, 9),
        squad_id=team.squads[SquadKind.SECURITY], notes=NASTY)
    member_id = builders.member(services, port, "周八", Agency.CUSTOMS)
    services.team.set_member_skill(member_id, "first_aid", expires_on=date(2027, 5, 1), expected_version=builders.member_skill_version(services.team, member_id, "first_aid"))
    services.team.set_member_skill(member_id, "russian", expected_version=builders.member_skill_version(services.team, member_id, "russian"))
    before = members(services)

    out = importer.export(port.port_id, tmp_path / f"out{suffix}")
    if suffix == ".csv":  # the raw cells: formulas neutralised with a leading quote (an XLSX cell is typed text)
        with out.open(encoding="utf-8-sig", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        cells = next(dict(zip(header, r, strict=True)) for r in rows if r[0] == "孙<七>&")
        assert [cells[h] for h in ("职务", "电话", "职级", "邮箱")] == ["'" + v for v in FORMULA_LIKE.values()]
    report = importer.import_file(out, port.port_id)

    assert (report.ok, report.created, report.updated, report.unchanged) == (True, 0, 0, 2)
    after = members(services)
    fields = ["name", "branch_id", "post", "rank", "phone", "mobile", "email", "status", "volunteer_date",
              "fitness_date", "training_date", "squad_id", "notes"]
    assert [[getattr(m, f) for f in fields] for m in after] == [[getattr(m, f) for f in fields] for m in before]
    assert after[0].notes == NASTY
    assert {key: getattr(after[0], key) for key in FORMULA_LIKE} == FORMULA_LIKE, "the import restores them"
    assert [(e.skill.code, e.expires_on) for e in after[1].skills] == [
        ("first_aid", date(2027, 5, 1)), ("russian", None)]

    # and into an empty port of another database state: the same sheet creates them
    with services.db.session() as s:
        assert s.scalar(select(func.count()).select_from(MemberSkill)) == 2
        assert s.scalar(select(func.count()).select_from(Skill)) == 2


def test_export_has_chinese_headers_and_bom(services, world, importer, tmp_path):
    port, _team = world
    builders.member(services, port, "张伟")
    out = importer.export(port.port_id, tmp_path / "m.csv")
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[0] == \
        "姓名,支部,职务,职级,电话,手机,邮箱,状态,报名日期,体能测试日期,培训日期,分队,技能,备注,系统编号,数据版本"


def test_unreadable_files_are_refused(world, importer, tmp_path):
    port, _team = world
    with pytest.raises(DomainError, match="does not exist"):
        importer.check(tmp_path / "none.csv", port.port_id)
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    with pytest.raises(DomainError, match="not a valid XLSX"):
        importer.check(tmp_path / "bad.xlsx", port.port_id)
    (tmp_path / "m.txt").write_text("x")
    with pytest.raises(DomainError, match=".csv or .xlsx"):
        importer.check(tmp_path / "m.txt", port.port_id)


# --- the command line ------------------------------------------------------------------------------------


@pytest.fixture
def cli(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("LOGNAME", "duty-desk")
    url = databases.sqlite_url(tmp_path / "cli.sqlite3")

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_cli_members_import_check_and_export(cli, tmp_path):
    import logging

    handlers = list(logging.getLogger().handlers)
    try:
        assert cli("demo")[0] == 0
        rows = volunteers(3)
        rows[1][4] = "2026-13-01"
        path = write_csv(tmp_path / "in.csv", rows)

        code, out, err = cli("members", "import", str(path), "--port", "QUANHE", "--check")
        assert (code, out) == (1, "row 3, 报名日期: not a date: 2026-13-01\n")
        assert "nothing imported" in err
        code, out, _err = cli("members", "import", str(path), "--port", "QUANHE")
        assert (code, out) == (1, "row 3, 报名日期: not a date: 2026-13-01\n")

        rows[1][4] = "2026-12-01"
        write_csv(path, rows)
        code, out, _err = cli("members", "import", str(path), "--port", "QUANHE", "--check")
        assert code == 0 and "3 new member(s)" in out
        code, out, _err = cli("members", "import", str(path), "--port", "QUANHE")
        assert code == 0 and "3 new member(s), 0 updated" in out

        code, out, _err = cli("members", "export", "--out", str(tmp_path / "all.xlsx"), "--port", "QUANHE")
        assert code == 0 and "all.xlsx" in out
        code, out, _err = cli("members", "import", str(tmp_path / "all.xlsx"), "--port", "QUANHE")
        assert code == 0 and "0 new member(s)" in out

        code, _out, err = cli("members", "import", str(path), "--port", "NOPE")
        assert code == 1 and "NOPE" in err
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
            handler.close()
