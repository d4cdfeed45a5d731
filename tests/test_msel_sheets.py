"""The scenario script (MSEL) in sheets: exported and imported back unchanged (CSV and XLSX, formulas
neutralised), Chinese or English headers, GB18030 CSV, and bad rows listed by row and column with nothing
written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers import builders, databases

from drillapp.models.enums import DrillKind, DrillScope, InjectDelivery
from drillapp.services.drill_design import DesignContent, InjectDoc, ObjectiveDoc
from drillapp.services.msel import MselImportError


@pytest.fixture
def world(services, clock):
    port = builders.port_with_branches(services)
    sv = builders.on_port(services, port)
    content = DesignContent(
        "桌面推演", DrillKind.TABLETOP, DrillScope.COMPREHENSIVE, None, None, clock.now + timedelta(days=5), 120,
        objectives=(ObjectiveDoc(-1, "协同"), ObjectiveDoc(-2, "报告")),
        injects=(InjectDoc(1, 0, "=HYPERLINK(\"http://x\",\"点\")", "导调组", "边检", InjectDelivery.PHONE, "核实", "09:00",
                           -2),
                 InjectDoc(2, 30, "第二名可疑人员 <货运> & 旅检", "市应急办", "口岸办", InjectDelivery.RADIO, "", "", None)))
    drill_id, _v = sv.drills.save_design(None, None, content)
    return {"sv": sv, "drill": drill_id}


def _injects(sv, drill_id):
    design = sv.drills.design(drill_id)
    keys = {o.key: i for i, o in enumerate(design.content.objectives, start=1)}
    return [(i.number, i.offset_minutes, i.scenario_time, i.sender, i.recipient, i.delivery, i.message,
             i.expected_action, keys.get(i.objective_key)) for i in design.content.injects]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_gives_back_the_same_injects(world, tmp_path, suffix):
    sv, drill = world["sv"], world["drill"]
    before = _injects(sv, drill)
    path = sv.msel.export_file(drill, tmp_path / f"msel{suffix}")
    if suffix == ".csv":
        assert "'=HYPERLINK" in path.read_text(encoding="utf-8-sig")

    report = sv.msel.import_file(drill, path)

    assert report.imported == 2
    assert _injects(sv, drill) == before


def test_english_headers_in_any_order_and_gb18030(world, tmp_path):
    sv, drill = world["sv"], world["drill"]
    path = tmp_path / "msel.csv"
    path.write_bytes("message,offset,to,from,delivery,objective\n大厅发生斗殴,15,边检,导调组,对讲机,1\n"
                     "旅客晕倒,5,检验检疫,旅客,in person,\n".encode("gb18030"))

    sv.msel.import_file(drill, path)

    assert _injects(sv, drill) == [
        (1, 5, "", "旅客", "检验检疫", InjectDelivery.IN_PERSON, "旅客晕倒", "", None),
        (2, 15, "", "导调组", "边检", InjectDelivery.RADIO, "大厅发生斗殴", "", 1)]


def test_a_sheet_with_bad_rows_is_refused_whole_naming_row_and_column(world, tmp_path):
    sv, drill = world["sv"], world["drill"]
    path = tmp_path / "bad.csv"
    path.write_text("序号,时间（分钟）,内容,方式,对应目标\n1,10,好的一行,电话,\n2,121,太晚,电话,\n3,abc,不是数字,信鸽,\n"
                    "4,20,,电话,3\n1,30,重复的号,电话,\n", encoding="utf-8")
    before = databases.row_counts(sv.db)

    report = sv.msel.check(drill, path)
    with pytest.raises(MselImportError) as excinfo:
        sv.msel.import_file(drill, path)

    assert databases.row_counts(sv.db) == before
    lines = report.lines()
    assert lines == [
        "row 3, 时间（分钟）: minute 121 is after the drill's end (it lasts 120 minutes).",
        "row 4, 时间（分钟）: not a number of minutes: abc",
        "row 4, 方式: unknown delivery: 信鸽 (phone, radio, paper, in person)",
        "row 5, 内容: the message is missing.",
        "row 5, 对应目标: no objective 3: the drill has 2.",
        "row 6, 序号: the same number as row 2.",
    ]
    assert "6 problem(s)" in excinfo.value.message and "nothing imported" in excinfo.value.message


def test_a_sheet_without_the_required_columns(world, tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("序号,备注\n1,x\n", encoding="utf-8")
    lines = world["sv"].msel.check(world["drill"], path).lines()
    assert lines[0].startswith("row 1, 备注: unknown column")
    assert "row 1: the column 时间（分钟） is missing." in lines and "row 1: the column 内容 is missing." in lines
