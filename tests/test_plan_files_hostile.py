"""Hostile and broken plan files (issue 13): alias bombs, huge and deeply nested files, text that cannot be
stored, impossible dates, truncated files; each refused with one clear line naming the file, line and field,
nothing written, the other files of a multi-file import still imported; and a plan that imports also prints."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
import yaml
from helpers import builders, databases
from helpers.printing import print_plan as build_plan_pdf
from pypdf import PdfReader

from drillapp.cli import main
from drillapp.io import plan_file_reader, plan_files  # the limits are read where the reading is
from drillapp.io.plan_files import PlanFileError, parse_plan_text
from drillapp.models.enums import Agency
from drillapp.services.plan_import import PlanImportService


def plan_data(**changes) -> dict:
    """A small valid plan as data (dumped to YAML by `plan_text`)."""
    data = {
        "code": "H-1", "scenario": "fire_evacuation", "title_zh": "测试预案", "title_en": "Test plan",
        "owner": "port_office", "version": {"number": 1, "status": "draft"},
        "sections": [{"kind": "general", "title": "总则", "body": "正文"}],
        "levels": [{"level": n, "name": f"{n}级", "colour": "#d32f2f"} for n in (1, 2, 3)],
        "actions": [{"agency": a, "level": n, "phase": "alert", "text": f"{a} {n}"}
                    for n in (1, 2, 3) for a in ("border_inspection", "customs")],
        "contacts": [{"name": "赵志刚", "phone": "0433-7561401"}],
        "resources": [{"name": "灭火器", "quantity": 10}],
    }
    data.update(changes)
    return data


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True  # a list of equal items is written out, not as an anchor and aliases


def dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**9)


def plan_text(**changes) -> str:
    return dump(plan_data(**changes))


@pytest.fixture
def port(services):
    return builders.port_with_branches(services)


@pytest.fixture
def importer(services) -> PlanImportService:
    return PlanImportService(services.db, services.actor, services.clock)


def _refused(text: str, source: str = "bad.yaml") -> PlanFileError:
    with pytest.raises(PlanFileError) as caught:
        parse_plan_text(text, source)
    message = caught.value.message
    assert "\n" not in message, "one line"
    assert message.startswith(f"{source}"), message
    return caught.value


# --- resource exhaustion ----------------------------------------------------------------------------------

def alias_bomb(levels: int, fan_out: int) -> str:
    """Sections that repeat the level below `fan_out` times by YAML aliases (a few hundred bytes)."""
    lines = ["code: BOMB", "scenario: fire_evacuation", "title_zh: 炸弹", "version: {number: 1, status: draft}",
             "sections:", "  - &s0 {kind: general, title: 节}"]
    for n in range(1, levels):
        children = ", ".join([f"*s{n - 1}"] * fan_out)
        lines.append(f"  - &s{n} {{kind: general, title: 节, children: [{children}]}}")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_before_anything_is_expanded(services, port, importer, tmp_path):
    text = alias_bomb(5, 12)
    assert len(text.encode()) < 2_000
    path = tmp_path / "bomb.yaml"
    path.write_text(text, encoding="utf-8")
    before = databases.row_counts(services.db)

    with pytest.raises(PlanFileError) as caught:
        importer.import_file(path, port.port_id)

    error = caught.value
    assert (error.line, error.field) == (6, ""), error.message
    assert "anchors" in error.message and "aliases" in error.message
    assert databases.row_counts(services.db) == before


def test_an_alias_bomb_with_a_fan_out_of_25_is_refused_at_once():
    error = _refused(alias_bomb(6, 25))
    assert error.line == 6


def test_an_alias_alone_is_refused_too():
    text = plan_text().replace("title_zh: 测试预案", "title_zh: &t 测试预案\ntitle_en: *t").replace(
        "title_en: Test plan\n", "", 1)
    error = _refused(text)
    assert error.line == 3 and "anchors" in error.message


def test_deeply_nested_yaml_is_one_line_not_a_recursion_error():
    text = plan_text() + "matrix: " + "[" * 5000 + "]" * 5000 + "\n"
    error = _refused(text)
    assert "nested" in error.message and error.line is not None


def test_a_million_tiny_values_are_refused_while_reading():
    text = plan_text() + "matrix: [" + ",".join(["1"] * 990_000) + "]\n"
    assert len(text) < plan_files.MAX_FILE_BYTES
    error = _refused(text)
    assert error.line == len(plan_text().splitlines()) + 1 and "more than 60,000 values" in error.message


def test_a_big_number_is_a_clear_message():
    text = plan_text().replace("number: 1", "number: 1" + "0" * 5000, 1)
    error = _refused(text)
    assert error.field == "version.number" and "whole number" in error.message


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(plan_file_reader, "MAX_FILE_BYTES", 10_000)
    path = tmp_path / "big.yaml"
    path.write_text(plan_text() + "# " + "x" * 10_000 + "\n", encoding="utf-8")
    with pytest.raises(PlanFileError) as caught:
        plan_files.read_plan_file(path)
    assert caught.value.line is None
    assert caught.value.message == f"{path}: the file is too large ({path.stat().st_size:,} bytes; a plan file " \
                                   "has at most 10,000 bytes)."


def _section(n: int, depth: int = 0) -> dict:
    return {"kind": "general", "title": f"节{n}", "children": [_section(n, depth - 1)] if depth else []}


@pytest.mark.parametrize(("part", "limit_name", "limit", "item"), [
    ("sections", "MAX_SECTIONS", 500, {"kind": "general", "title": "节"}),
    ("actions", "MAX_ACTIONS", 1000, {"agency": "customs", "level": 1, "phase": "alert", "text": "措施"}),
    ("contacts", "MAX_CONTACTS", 300, {"name": "值班员"}),
    ("resources", "MAX_RESOURCES", 300, {"name": "担架"}),
])
def test_counts_are_capped_naming_the_limit_and_the_first_item_over_it(part, limit_name, limit, item):
    assert getattr(plan_files, limit_name) == limit
    over = [item] * (limit + 1)
    text = plan_text(**{part: over})
    error = _refused(text)
    assert error.field == f"{part}[{limit}]"
    assert f"at most {limit:,}" in error.message
    assert re.search(rf"line {error.line}, {re.escape(part)}\[{limit}\]", error.message)


def test_nested_sections_count_towards_the_cap(monkeypatch):
    monkeypatch.setattr(plan_file_reader, "MAX_SECTIONS", 10)
    sections = [{"kind": "general", "title": "章", "children": [{"kind": "general", "title": "节"}] * 5}] * 2
    error = _refused(plan_text(sections=sections))
    assert error.field == "sections[1].children[3]" and "at most 10 sections" in error.message


def test_section_depth_is_capped():
    error = _refused(plan_text(sections=[_section(1, depth=6)]))
    assert error.field == "sections[0]" + ".children[0]" * 6 and "6 deep" in error.message


@pytest.mark.parametrize(("path", "where"), [
    ("actions", lambda d, v: d["actions"][1].update(text=v)),
    ("sections", lambda d, v: d["sections"][0].update(body=v)),
    ("contacts", lambda d, v: d["contacts"][0].update(notes=v)),
    ("levels", lambda d, v: d["levels"][2].update(trigger=v)),
    ("version", lambda d, v: d["version"].update(change_note=v)),
], ids=["action", "section body", "contact notes", "level trigger", "change note"])
def test_long_texts_are_capped(path, where):
    data = plan_data()
    where(data, "长" * (plan_files.MAX_LONG_TEXT + 1))
    error = _refused(dump(data))
    assert error.field.startswith(path)
    assert "too long" in error.message and f"at most {plan_files.MAX_LONG_TEXT}" in error.message


# --- text and dates that cannot be stored -----------------------------------------------------------------

@pytest.mark.parametrize(("escape", "words"), [("\\ud800", "U+D800"), ("\\0", "U+0000")])
def test_text_that_cannot_be_stored_is_refused_by_name(escape, words):
    text = plan_text().replace("text: customs 2", f'text: "海关{escape}措施"')
    error = _refused(text)
    assert error.field == "actions[3].text" and words in error.message
    assert error.message.encode("utf-8"), "the message itself can be printed"


@pytest.mark.parametrize("stamp", ["0001-01-01 00:00:00+08:00", "9999-12-31 23:00:00-05:00",
                                   "'9999-12-31T23:00:00-05:00'", "0001-01-01 00:00:00"])
def test_an_approval_in_year_1_or_9999_is_a_clear_message(stamp):
    text = plan_text().replace("  status: draft\n", f"  status: approved\n  approved_at: {stamp}\n")
    error = _refused(text)
    assert error.field == "version.approved_at" and "between 1900-01-01 and 2199-12-31" in error.message


def test_an_effective_date_in_year_1_is_refused():
    text = plan_text().replace("  status: draft\n", "  status: draft\n  effective_on: 0001-01-01\n")
    assert _refused(text).field == "version.effective_on"


# --- the command line: one bad file does not stop the others ----------------------------------------------

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


def test_cli_a_bad_file_among_good_ones(cli, tmp_path):
    assert cli("demo")[0] == 0
    files = []
    for name, text in [
        ("good1.yaml", plan_text(code="H-GOOD-1")),
        ("surrogate.yaml", plan_text(code="H-BAD-1").replace("text: customs 2", 'text: "\\ud800"')),
        ("deep.yaml", plan_text(code="H-BAD-2") + "matrix: " + "[" * 5000 + "]" * 5000 + "\n"),
        ("year1.yaml", plan_text(code="H-BAD-3").replace(
            "  status: draft\n", "  status: approved\n  approved_at: 0001-01-01 00:00:00+08:00\n")),
        ("bomb.yaml", alias_bomb(5, 12)),
        ("good2.yaml", plan_text(code="H-GOOD-2")),
    ]:
        files.append(tmp_path / name)
        files[-1].write_text(text, encoding="utf-8")

    code, out, err = cli("plans", "import", *map(str, files), "--port", "QUANHE")

    assert code == 1
    errors = err.splitlines()
    assert len(errors) == 4 and all(line.startswith("drillapp: ") for line in errors), err
    assert "internal error" not in err
    assert [Path(line.split(",")[0].removeprefix("drillapp: ")).name for line in errors] == [
        "surrogate.yaml", "deep.yaml", "year1.yaml", "bomb.yaml"]
    assert "imported plan H-GOOD-1" in out and "imported plan H-GOOD-2" in out
    code, out, _err = cli("plans", "list", "--search", "H-GOOD")
    assert code == 0 and sorted(line.split("\t")[1] for line in out.splitlines()) == ["H-GOOD-1", "H-GOOD-2"]
    for code_word in ("H-BAD", "BOMB"):
        assert cli("plans", "list", "--search", code_word)[1] == "", "nothing of a bad file"


# --- a truncated file: the report counts the actions per level and agency ------------------------------

def test_the_report_counts_actions_and_warns_where_a_level_has_none(services, port, importer, tmp_path):
    data = plan_data()
    data["actions"] = [a for a in data["actions"] if not (a["level"] == 3 and a["agency"] == "customs")]
    data["actions"].append({"agency": "quarantine", "level": None, "phase": "alert", "text": "检疫"})
    path = tmp_path / "cut.yaml"
    path.write_text(dump(data), encoding="utf-8")

    result = importer.import_file(path, port.port_id)

    counts = result.counts
    assert counts[(1, Agency.CUSTOMS)] == 1 and counts[(3, Agency.CUSTOMS)] == 0
    assert counts[(None, Agency.QUARANTINE)] == 1 and counts[(2, Agency.BORDER_INSPECTION)] == 1
    assert result.warnings() == [f"{path}: level III has no action for customs (the file may be cut short)."]
    report = result.report_lines()
    assert report[0] == "  actions read (border_inspection / customs / quarantine / port_office):"
    assert report[1:5] == ["    level I: 1 / 1 / 0 / 0", "    level II: 1 / 1 / 0 / 0", "    level III: 1 / 0 / 0 / 0",
                           "    all levels: 0 / 0 / 1 / 0"]


def test_cli_prints_the_report_of_a_cut_file(cli, tmp_path):
    assert cli("demo")[0] == 0
    text = plan_text(code="H-CUT")
    cut = text[: text.index("- agency: customs\n  level: 3")]
    assert parse_plan_text(cut).code == "H-CUT", "still valid YAML"
    path = tmp_path / "cut.yaml"
    path.write_text(cut, encoding="utf-8")

    code, out, err = cli("plans", "import", str(path), "--port", "QUANHE")

    assert code == 0
    assert "imported plan H-CUT" in out and "level III: 1 / 0 / 0 / 0" in out
    assert "level III has no action for customs" in err and "warning" in err


def test_a_complete_plan_has_no_warnings(services, port, importer, tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(plan_text(), encoding="utf-8")
    assert importer.import_file(path, port.port_id).warnings() == []


# --- what imports also prints -------------------------------------------------------------------------------

LONG_ACTION = "".join("甲乙丙丁戊己庚辛壬癸"[i % 10] + ("，" if i % 7 == 6 else "") for i in range(60_000))
LONG_NOTES = "子丑寅卯辰巳午未申酉戌亥" * 5_000
LONG_TRIGGER = "金木水火土" * 8_000
LONG_WORD = "Q" * 60_000


def _only(text: str, alphabet: str) -> str:
    keep = set(alphabet)
    return "".join(ch for ch in text if ch in keep)


def test_a_plan_with_very_long_texts_imports_and_prints_in_full(services, port, importer, tmp_path):
    data = plan_data(code="H-LONG")
    data["actions"][1]["text"] = LONG_ACTION
    data["actions"][2]["text"] = LONG_WORD
    data["contacts"][0]["notes"] = LONG_NOTES
    data["levels"][0]["trigger"] = LONG_TRIGGER
    data["sections"][0]["body"] = LONG_NOTES
    path = tmp_path / "long.yaml"
    path.write_text(dump(data), encoding="utf-8")
    result = importer.import_file(path, port.port_id)

    out = build_plan_pdf(services.db, services.actor, result.plan_id, tmp_path / "long.pdf")
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert _only(LONG_ACTION, "甲乙丙丁戊己庚辛壬癸") in _only(text, "甲乙丙丁戊己庚辛壬癸")
    assert _only(text, "子丑寅卯辰巳午未申酉戌亥") == LONG_NOTES * 2, "section body and contact notes"
    assert LONG_TRIGGER in _only(text, "金木水火土")
    assert text.count("Q") >= len(LONG_WORD)

    card = build_plan_pdf(services.db, services.actor, result.plan_id, tmp_path / "card.pdf", agency="customs",
                          level=1)
    card_text = "".join(page.extract_text() for page in PdfReader(card).pages)
    assert _only(LONG_ACTION, "甲乙丙丁戊己庚辛壬癸") in _only(card_text, "甲乙丙丁戊己庚辛壬癸")
