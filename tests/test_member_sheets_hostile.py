"""Hostile and broken member sheets (issue 13): an XLSX that declares a million rows, sheets over the row limit,
thousands of problems, broken XML, rows cut short, formulas in cells, text in an encoding other than UTF-8."""

from __future__ import annotations

import csv
import logging

import pytest
from helpers import builders, databases
from helpers.hand_made_xlsx import row_xml, write_xlsx
from sqlalchemy import select

from drillapp.cli import main
from drillapp.io import sheet_files
from drillapp.io.csv_cells import neutralise, restore
from drillapp.io.member_sheets import MemberSheetError
from drillapp.models import Member
from drillapp.models.enums import Agency, SquadKind
from drillapp.services.errors import DomainError
from drillapp.services.member_import import MemberImportService

HEADER = ["姓名", "支部", "职务", "手机", "报名日期", "小组", "技能", "备注"]


@pytest.fixture
def world(services):
    port = builders.port_with_branches(services)
    team = builders.team_with_squads(services, port, (SquadKind.MEDICAL, SquadKind.SECURITY))
    services.team.create_skill("first_aid", "急救", "First aid")
    return port, team


@pytest.fixture
def importer(services) -> MemberImportService:
    return MemberImportService(services.db, services.actor, services.clock)


def write_csv(path, rows, header=HEADER, encoding="utf-8"):
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def names(services) -> list[str]:
    with services.db.session() as s:
        return list(s.scalars(select(Member.name).order_by(Member.id)))


# --- item 2: sheets read in streaming mode, bounded ---------------------------------------------------------

def test_an_xlsx_declaring_a_million_rows_and_every_column_reads_its_two_cells(services, world, importer, tmp_path):
    port, _team = world
    path = write_xlsx(tmp_path / "dim.xlsx", [row_xml(1, ["姓名", "支部"]), row_xml(2, ["张三", "海关"])],
                      dimension="A1:XFD1048576")
    assert path.stat().st_size < 5_000

    report = importer.import_file(path, port.port_id)

    assert (report.ok, report.rows, report.created) == (True, 1, 1)
    assert names(services) == ["张三"]


def test_an_xlsx_with_two_cells_a_million_rows_apart_is_refused_without_allocating(world, importer, tmp_path):
    """Today's attack: the declared size and a cell in the last row made openpyxl hand over a million rows of
    16,384 cells each (7.8 GB). Read with the dimension ignored, the gap is counted, not materialised."""
    port, _team = world
    path = write_xlsx(tmp_path / "bomb.xlsx", [row_xml(1, ["姓名", "支部"]), row_xml(1_048_576, ["x"], first_column=16_383)],
                      dimension="A1:XFD1048576")
    assert path.stat().st_size < 5_000

    with pytest.raises(MemberSheetError, match="more than 5,000 rows"):
        importer.check(path, port.port_id)


def test_a_sheet_over_the_row_limit_is_refused_at_once(world, importer, tmp_path):
    port, _team = world
    rows = (row_xml(n, ["队员", "海关"]) for n in range(2, 200_002))
    path = write_xlsx(tmp_path / "many.xlsx", [row_xml(1, ["姓名", "支部"]), *rows])
    assert path.stat().st_size < 2_000_000

    with pytest.raises(MemberSheetError) as caught:
        importer.check(path, port.port_id)

    assert caught.value.message == f"{path}: the sheet has more than 5,000 rows of members; import at most 5,000 " \
                                   "at a time (split the sheet)."


def test_a_csv_over_the_row_limit_is_refused_at_once(world, importer, tmp_path):
    port, _team = world
    path = write_csv(tmp_path / "many.csv", [["队员", "海关"]] * 200_000, ["姓名", "支部"])
    with pytest.raises(MemberSheetError, match="more than 5,000 rows"):
        importer.check(path, port.port_id)


def test_a_cell_far_to_the_right_is_refused_not_read_as_a_column(world, importer, tmp_path):
    port, _team = world
    path = write_xlsx(tmp_path / "wide.xlsx", [row_xml(1, ["姓名", "支部"]), row_xml(2, ["张三", "海关"]),
                                               row_xml(3, ["x"], first_column=16_383)])
    report = importer.check(path, port.port_id)
    assert [str(p) for p in report.problems] == ["row 3: a cell in column XFD, beyond the last column with a header "
                                                 "(B); clear it or give it a header."]


def test_problems_stop_after_fifty_and_say_how_many_more(world, importer, tmp_path):
    port, _team = world
    path = write_csv(tmp_path / "bad.csv", [[f"队员{i}", "税务局"] for i in range(3_047)], ["姓名", "支部"])

    report = importer.check(path, port.port_id)

    assert (report.problem_count, len(report.problems)) == (3_047, 50)
    lines = report.lines()
    assert lines[:2] == ["row 2, 支部: unknown branch: 税务局", "row 3, 支部: unknown branch: 税务局"]
    assert len(lines) == 51 and lines[-1] == "… and 2,997 more."
    assert "3,047 problem(s)" in report.message()


def test_an_xlsx_with_broken_xml_is_a_clear_message(world, importer, tmp_path):
    port, _team = world
    rows = [row_xml(1, ["姓名", "支部"]), row_xml(2, ["张三", "海关"]), '<row r="3"><c r="A3" t="inlineStr"><is><t>李']
    path = write_xlsx(tmp_path / "broken.xlsx", rows, dimension="A1:B3", tail="")

    with pytest.raises(MemberSheetError) as caught:
        importer.check(path, port.port_id)

    assert caught.value.message.startswith(f"{path}: not a valid XLSX workbook")
    assert "\n" not in caught.value.message


def test_an_xlsx_that_unpacks_to_more_than_the_limit_is_refused(world, importer, tmp_path, monkeypatch):
    port, _team = world
    monkeypatch.setattr(sheet_files, "MAX_UNPACKED_BYTES", 100_000)
    rows = (row_xml(n, ["队员" * 20, "海关"]) for n in range(2, 1_000))
    path = write_xlsx(tmp_path / "bomb.xlsx", [row_xml(1, ["姓名", "支部"]), *rows])
    with pytest.raises(MemberSheetError, match="too large when unpacked"):
        importer.check(path, port.port_id)


# --- item 4: a row cut short -------------------------------------------------------------------------------

def test_a_csv_cut_inside_a_row_is_refused_naming_the_row(services, world, importer, tmp_path):
    port, _team = world
    rows = [[f"队员{i}", "海关", "队员", f"1390000000{i}", "2026-03-01", "medical", "急救", "备注"] for i in range(3)]
    path = write_csv(tmp_path / "whole.csv", rows)
    data = path.read_bytes()
    path.write_bytes(data[: data.rindex("队员".encode()) + len("队员".encode())])  # cut in the last row's post

    report = importer.check(path, port.port_id)

    assert [str(p) for p in report.problems] == [
        "row 4: only 3 of the 8 columns; the row is cut short (was the file cut off?)."]
    with pytest.raises(DomainError):
        importer.import_file(path, port.port_id)
    assert names(services) == []


def test_a_csv_cut_inside_quotes_is_refused(world, importer, tmp_path):
    port, _team = world
    path = tmp_path / "quoted.csv"
    path.write_text('姓名,支部,备注\n张三,海关,"第一行\n第二', encoding="utf-8")
    with pytest.raises(MemberSheetError, match="cut off inside a quoted cell"):
        importer.check(path, port.port_id)


# --- item 5: formulas in CSV cells ---------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "written"), [
    ("=HYPERLINK(\"http://x\",\"click\")", "'=HYPERLINK(\"http://x\",\"click\")"),
    ("+86 433 7500001", "'+86 433 7500001"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("'=already quoted", "''=already quoted"), ("plain", "plain"), ("'plain", "'plain"),
    ("", ""), ("a=b", "a=b"),
])
def test_neutralise_and_restore_are_inverse(value, written):
    assert neutralise(value) == written
    assert restore(written) == value


def test_the_members_csv_neutralises_formulas_and_imports_them_back_exactly(services, world, importer, tmp_path):
    port, _team = world
    hostile = {"name": "=HYPERLINK(\"http://evil\",\"张三\")", "post": "+队长", "rank": "-一级", "phone": "@0433",
               "notes": "=cmd|' /C calc'!A0"}
    member_id = builders.member(services, port, hostile.pop("name"), Agency.CUSTOMS, **hostile)
    out = importer.export(port.port_id, tmp_path / "out.csv")

    with out.open(encoding="utf-8-sig", newline="") as handle:
        header, row = list(csv.reader(handle))
    cells = dict(zip(header, row, strict=True))
    assert cells["姓名"] == "'=HYPERLINK(\"http://evil\",\"张三\")"
    assert (cells["职务"], cells["职级"], cells["电话"], cells["备注"]) == ("'+队长", "'-一级", "'@0433",
                                                                     "'=cmd|' /C calc'!A0")
    assert not any(c[:1] in ("=", "+", "-", "@", "\t", "\r") for c in row), "no cell a spreadsheet would run"

    report = importer.import_file(out, port.port_id)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    with services.db.session() as s:
        m = s.get(Member, member_id)
        assert (m.name, m.post, m.rank, m.phone, m.notes) == ("=HYPERLINK(\"http://evil\",\"张三\")", "+队长", "-一级",
                                                               "@0433", "=cmd|' /C calc'!A0")


def test_the_roster_benchmark_solution_csv_is_neutralised(tmp_path):
    from drillapp.roster.nrp import read_solution, write_solution
    from drillapp.roster.problem import Person, Problem, ShiftType

    problem = Problem(days=1, shift_types=[ShiftType("=D", 480)], people=[Person("=cmd|x", "=cmd|x")], cover=[])
    path = tmp_path / "solution.csv"
    write_solution(path, problem, {("=cmd|x", 0): "=D"})
    assert path.read_text(encoding="utf-8").splitlines()[1] == "'=cmd|x,0,'=D"
    assert read_solution(path) == {("=cmd|x", 0): "=D"}


# --- item 6: encodings -----------------------------------------------------------------------------------------

TRADITIONAL = ["張偉", "陳靜", "劉洋", "黃婷", "趙敏", "吳強"]
SIMPLIFIED = ["张伟", "陈静", "刘洋", "黄婷", "赵敏", "吴强"]


@pytest.mark.parametrize(("encoding", "people"), [("cp950", TRADITIONAL), ("big5", TRADITIONAL),
                                                  ("gbk", SIMPLIFIED), ("gb18030", SIMPLIFIED)])
def test_big5_and_gbk_under_english_headers_are_read_as_written(services, world, importer, tmp_path, encoding,
                                                                people):
    port, _team = world
    path = write_csv(tmp_path / "e.csv", [[n, "customs", f"1390000000{i}"] for i, n in enumerate(people)],
                     ["name", "branch", "mobile"], encoding=encoding)

    report = importer.import_file(path, port.port_id)

    assert report.created == len(people)
    assert names(services) == people


@pytest.mark.parametrize(("data", "words"), [
    ("name,branch\nMüller,customs\nJosé Ñúñez,customs\n".encode("cp1252"), "tried UTF-8, GB18030, Big5"),
    ("name,branch\n山田太郎,customs\n佐藤花子,customs\n".encode("shift_jis"), "tried UTF-8, GB18030, Big5"),
    ("name,branch\n李明,customs\n".encode("gbk"), "could be GB18030 or Big5"),
])
def test_text_that_reads_as_garbage_is_refused(services, world, importer, tmp_path, data, words):
    port, _team = world
    path = tmp_path / "odd.csv"
    path.write_bytes(data)

    with pytest.raises(MemberSheetError) as caught:
        importer.import_file(path, port.port_id)

    assert words in caught.value.message and "UTF-8" in caught.value.message
    assert "save the sheet as" in caught.value.message
    assert names(services) == []


def test_nul_in_a_cell_is_a_problem_naming_row_and_column(world, importer, tmp_path):
    port, _team = world
    path = write_csv(tmp_path / "nul.csv", [["张三", "海关", "队\x00员", "", "", "", "", ""]])
    report = importer.check(path, port.port_id)
    assert [str(p) for p in report.problems] == [
        "row 2, 职务: contains a character that cannot be stored (U+0000); remove it."]


# --- the command line ---------------------------------------------------------------------------------------

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


def test_cli_broken_and_huge_sheets_give_one_line(cli, tmp_path):
    assert cli("demo")[0] == 0
    broken = write_xlsx(tmp_path / "broken.xlsx", [row_xml(1, ["姓名", "支部"]), '<row r="2"><c r="A2"'],
                        dimension="A1:B2", tail="")
    dim = write_xlsx(tmp_path / "dim.xlsx", [row_xml(1, ["姓名", "支部"]), row_xml(2, ["新人", "海关"])],
                     dimension="A1:XFD1048576")
    bad = write_csv(tmp_path / "bad.csv", [[f"队员{i}", "税务局"] for i in range(3_047)], ["姓名", "支部"])

    code, out, err = cli("members", "import", str(broken), "--check")
    assert (code, out) == (1, "") and err.count("\n") == 1 and "not a valid XLSX" in err
    code, out, err = cli("members", "import", str(dim), "--check")
    assert code == 0 and "1 new member(s)" in out
    code, out, err = cli("members", "import", str(bad), "--check")
    assert code == 1 and len(out.splitlines()) == 51 and out.splitlines()[-1] == "… and 2,997 more."


# --- a database failure never shows the rows' values ----------------------------------------------------------

@pytest.mark.sqlite_only("fills the disk with SQLite's max_page_count")
def test_a_full_disk_during_an_import_names_no_member(services, world, importer, tmp_path):
    from sqlalchemy import event

    port, _team = world
    rows = [[f"秘密队员{i}", "海关", "队员", f"1391234{i:04d}", "", "", "", "备注" * 500] for i in range(200)]
    path = write_csv(tmp_path / "big.csv", rows)
    engine = services.db.engine
    engine.dispose()

    def full(dbapi_connection, _record) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")

    event.listen(engine, "connect", full)
    try:
        with pytest.raises(Exception) as failed:
            importer.import_file(path, port.port_id)
    finally:
        event.remove(engine, "connect", full)
        engine.dispose()

    text = str(failed.value)
    assert "full" in text
    assert "秘密队员" not in text and "1391234" not in text, text[:300]
    assert names(services) == []
