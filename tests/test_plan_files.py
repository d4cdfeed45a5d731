"""Plan files (docs/plan-format.md): the shipped plans in plans/, parsing with file/line/field errors, import as
one all-or-nothing operation per file, export back to the same format, and the `plans` commands."""

from __future__ import annotations

import dataclasses
import json
import logging
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from helpers import builders, databases

from drillapp.cli import main
from drillapp.io.plan_files import (
    PlanFile,
    PlanFileError,
    dump_plan_file,
    parse_plan_text,
    plan_file_from_doc,
    read_plan_file,
)
from drillapp.models.enums import (
    Agency,
    MatrixRole,
    PlanStatus,
    ReportKind,
    ResponsePhase,
    Role,
    Scenario,
    SectionKind,
)
from drillapp.paths import bundled_plan_files
from drillapp.services.errors import PermissionDeniedError
from drillapp.services.plan_document import action_order
from drillapp.services.plan_import import APPROVER_LINE, ImportOutcome, PlanImportService
from drillapp.services.plans import LEVEL_COLOURS, LEVEL_NAMES_ZH

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "docs" / "plan-format.schema.json"
PLAN_PATHS = bundled_plan_files()
REQUIRED_SCENARIOS = {
    Scenario.VIOLENT_ATTACK, Scenario.MASS_GATHERING, Scenario.INFECTIOUS_DISEASE, Scenario.MEDICAL_RESCUE,
    Scenario.DANGEROUS_GOODS, Scenario.FIRE_EVACUATION, Scenario.IT_OUTAGE, Scenario.CONTRABAND,
}


@pytest.fixture
def port(services):
    return builders.port_with_branches(services)


@pytest.fixture
def importer(services) -> PlanImportService:
    return PlanImportService(services.db, services.actor, services.clock)


def _write(tmp_path: Path, text: str, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _without_ids(doc) -> dict:
    """A PlanDoc as plain data without database ids (the section tree kept as positions)."""
    data = dataclasses.asdict(doc)
    for key in ("plan_id", "version_id", "row_version"):
        data.pop(key)
    position = {s.id: s.position for s in doc.sections}
    data["sections"] = [
        {**{k: v for k, v in s.items() if k not in ("id", "parent_id")},
         "parent": position.get(s["parent_id"])} for s in data["sections"]
    ]
    # an action's position only orders it among equals (action_order): the list's order is what counts
    data["actions"] = [{k: v for k, v in a.items() if k not in ("id", "position")} for a in data["actions"]]
    return data


# --- the shipped plans -------------------------------------------------------------------------------

def test_the_plans_folder_is_found_as_a_package():
    assert PLAN_PATHS, "no plan files found"
    assert all(p.parent.resolve() == (ROOT / "plans").resolve() for p in PLAN_PATHS)
    assert len(PLAN_PATHS) >= 8


@pytest.fixture(scope="module")
def shipped() -> dict[str, PlanFile]:
    return {p.name: read_plan_file(p) for p in PLAN_PATHS}


def test_the_shipped_plans_cover_the_scenarios_with_unique_codes(shipped):
    assert {p.scenario for p in shipped.values()} >= REQUIRED_SCENARIOS
    codes = [p.code for p in shipped.values()]
    assert len(set(codes)) == len(codes)
    for plan in shipped.values():
        assert plan.title_zh and plan.title_en and plan.owner is not None


@pytest.mark.parametrize("name", [p.name for p in PLAN_PATHS])
def test_each_shipped_plan_is_complete(shipped, name):
    plan = shipped[name]
    assert plan.version.status is PlanStatus.APPROVED and plan.version.approved_at and plan.version.review_due_on
    kinds = {s.kind for s, _depth in plan.walk_sections()}
    assert kinds == set(SectionKind), f"{name}: every part of a plan (总则 … 附则)"
    assert all(s.body for s, _depth in plan.walk_sections())
    assert plan.levels
    for level in plan.levels:
        assert (level.name, level.colour) == (LEVEL_NAMES_ZH[level.level], LEVEL_COLOURS[level.level])
        assert level.trigger
        # each level the plan defines has actions of its own for all four agencies
        assert {a.agency for a in plan.actions if a.level == level.level} == set(Agency), (name, level.level)
    assert all(a.responsible_post and a.text for a in plan.actions)
    assert any(a.target_minutes for a in plan.actions)
    assert {m.agency for m in plan.matrix} == set(Agency)
    assert {m.role for m in plan.matrix} == set(MatrixRole)
    assert {c.agency for c in plan.contacts if c.agency} == set(Agency), "a 24 h duty contact for each agency"
    assert all(c.phone.startswith(("0433-", "110", "119", "120")) for c in plan.contacts)
    assert plan.resources and all(r.location for r in plan.resources)


def test_the_shipped_plans_report_within_30_minutes(shipped):
    for plan in shipped.values():
        if plan.scenario is Scenario.SECURITY_TASK:
            continue  # a planned task: daily reports, no incident report
        initial = [a for a in plan.actions if a.report_due is ReportKind.INITIAL]
        assert initial and all(a.target_minutes is not None and a.target_minutes <= 30 for a in initial), plan.code
        assert any(a.report_due is ReportKind.FINAL for a in plan.actions), plan.code


def test_one_shipped_plan_carries_markup_characters(shipped):
    """Text with <, & and quotes, so every consumer (PDF, UI) proves its escaping on real data."""
    bodies = [s.body for plan in shipped.values() for s, _depth in plan.walk_sections()]
    assert any("<危险品> & “隔离区”" in b for b in bodies)
    assert any('"' in b for b in bodies)


@pytest.mark.parametrize("path", PLAN_PATHS, ids=lambda p: p.name)
def test_each_shipped_plan_matches_the_json_schema(path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)

    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, date | datetime) else value

    jsonschema.validate(plain(yaml.safe_load(path.read_text(encoding="utf-8"))), schema,
                        cls=jsonschema.Draft202012Validator)


def test_the_schema_names_the_same_vocabulary_as_the_code():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    props = schema["properties"]
    values = lambda e: [m.value for m in e]  # noqa: E731
    assert props["scenario"]["enum"] == values(Scenario)
    assert props["version"]["properties"]["status"]["enum"] == values(PlanStatus)
    assert props["actions"]["items"]["properties"]["phase"]["enum"] == values(ResponsePhase)
    assert props["actions"]["items"]["properties"]["agency"]["enum"] == values(Agency)
    assert props["actions"]["items"]["properties"]["report_due"]["enum"] == [*values(ReportKind), None]
    assert schema["$defs"]["section"]["properties"]["kind"]["enum"] == values(SectionKind)
    assert set(props) == {f.name for f in dataclasses.fields(PlanFile)} - {"source", "lines"}


@pytest.mark.parametrize("path", PLAN_PATHS, ids=lambda p: p.name)
def test_each_shipped_plan_survives_dump_and_parse(path):
    plan = read_plan_file(path)
    text = dump_plan_file(plan)
    assert parse_plan_text(text, "again") == plan
    assert dump_plan_file(parse_plan_text(text, "again")) == text  # stable


def test_every_shipped_plan_imports_and_exports_back_the_same(services, port, importer, tmp_path):
    for path in PLAN_PATHS:
        before = databases.row_counts(services.db)
        result = importer.import_file(path, port.port_id)
        assert result.outcome is ImportOutcome.NEW_PLAN
        assert databases.row_counts(services.db)["plan_action"] > before["plan_action"]

        original = read_plan_file(path)
        exported = parse_plan_text(importer.export_text(result.plan_id), "export")
        # the approver "圈河口岸联检党委" is no user here: kept as the change note's last line
        note = f"{original.version.change_note}\n{APPROVER_LINE.format(name=original.version.approved_by)}"
        # the actions come out in the plan's one order (level, phase, target), the file's order among equals
        assert exported == dataclasses.replace(
            original, version=dataclasses.replace(original.version, approved_by="", change_note=note),
            actions=tuple(sorted(original.actions, key=action_order)))
        assert all(a.lineage for a in exported.actions) and all(s.lineage for s, _d in exported.walk_sections())

        # import(export(x)) == x, field by field but for ids: the export imported again as another plan
        doc = services.plans.document(result.version_id)
        again_text = importer.export_text(result.plan_id).replace(f"code: {doc.code}\n", f"code: {doc.code}-RT\n", 1)
        again = importer.import_file(_write(tmp_path, again_text, f"{doc.code}.yaml"), port.port_id)
        assert again.outcome is ImportOutcome.NEW_PLAN
        assert _without_ids(services.plans.document(again.version_id)) == {**_without_ids(doc), "code": f"{doc.code}-RT"}


def test_import_export_round_trip_of_a_plan_made_in_the_app(services, port, importer, tmp_path):
    plan = builders.approved_plan(services, port)
    doc = services.plans.document(plan.version_id)
    text = importer.export_text(plan.plan_id)
    assert "approved_by: admin" in text  # the app's approver is a user: named, and found again on import
    out = tmp_path / "copy.yaml"
    out.write_text(text.replace("code: QH-01\n", "code: QH-01-COPY\n"), encoding="utf-8")

    result = importer.import_file(out, port.port_id)

    assert _without_ids(services.plans.document(result.version_id)) == {**_without_ids(doc), "code": "QH-01-COPY"}


# --- errors: the file, the line and the field, and nothing written ------------------------------------

MINIMAL = """\
code: T-1
scenario: fire_evacuation
title_zh: 测试预案
title_en: Test plan
owner: port_office
version:
  number: 1
  status: draft
sections:
  - kind: general
    title: 总则
    body: 正文
levels:
  - level: 1
    name: 特别重大
    colour: "#d32f2f"
  - level: 2
    name: 重大
    colour: "#f57c00"
matrix:
  - task: 疏散
    agency: border_inspection
    role: lead
actions:
  - agency: border_inspection
    level: 1
    phase: first_response
    text: 疏散旅客
    target_minutes: 5
  - agency: customs
    level: null
    phase: alert
    text: 关闭通道
    target_minutes: 10
contacts:
  - agency: port_office
    name: 赵志刚
    phone: 0433-7561401
resources:
  - name: 灭火器
    quantity: 10
"""

# (what is wrong, the change to MINIMAL (old, new), expected line, expected field, words of the message)
BAD = [
    ("yaml syntax", ("    name: 重大\n", "    name: [重大\n"), 19, "", "not valid YAML"),
    ("bad indentation", ("    title: 总则\n", "   title: 总则\n"), 11, "", "not valid YAML"),
    ("unknown field", ("    target_minutes: 10\n", "    target_minute: 10\n"), 34, "actions[1].target_minute",
     "unknown field"),
    ("unknown top-level field", ("owner: port_office\n", "owner: port_office\nauthor: 张三\n"), 6, "author",
     "unknown field"),
    ("wrong type", ("    target_minutes: 5\n", "    target_minutes: five\n"), 29, "actions[0].target_minutes",
     "whole number"),
    ("negative minutes", ("    target_minutes: 5\n", "    target_minutes: -5\n"), 29, "actions[0].target_minutes",
     "between 0 and 43200"),
    ("bad enum value", ("  - agency: customs\n", "  - agency: police\n"), 30, "actions[1].agency", "police"),
    ("bad scenario", ("scenario: fire_evacuation\n", "scenario: fire\n"), 2, "scenario", "not one of"),
    ("undefined level", ("    level: null\n", "    level: 3\n"), 31, "actions[1].level", "not defined"),
    ("level out of range", ("  - level: 2\n", "  - level: 5\n"), 17, "levels[1].level", "between 1 and 4"),
    ("missing required field", ("title_zh: 测试预案\n", ""), 1, "title_zh", "missing"),
    ("missing action text", ("    text: 疏散旅客\n", ""), 25, "actions[0].text", "missing"),
    ("empty required text", ("    name: 赵志刚\n", "    name: ''\n"), 37, "contacts[0].name", "must not be empty"),
    ("duplicate code in one file", ("title_en: Test plan\n", "title_en: Test plan\ncode: T-2\n"), 5, "code",
     "given twice"),
    ("duplicate level", ("  - level: 2\n", "  - level: 1\n"), 17, "levels[1].level", "defined twice"),
    ("duplicate matrix cell", ("    role: lead\n", "    role: lead\n  - task: 疏散\n    agency: border_inspection\n"
                                                   "    role: support\n"), 24, "matrix[1]", "twice"),
    ("colour not quoted", ('    colour: "#f57c00"\n', "    colour: #f57c00\n"), 19, "levels[1].colour", "quotes"),
    ("phone as a number", ("    phone: 0433-7561401\n", "    phone: 13904331401\n"), 38, "contacts[0].phone",
     "must be text"),
    ("approval on a draft", ("  status: draft\n", "  status: draft\n  approved_by: 张三\n"), 9, "version.approved_by",
     "only an approved"),
    ("approved without a time", ("  status: draft\n", "  status: approved\n"), 8, "version.approved_at",
     "needs the date and time"),
    ("impossible date", ("  status: draft\n", "  status: draft\n  effective_on: 2026-13-01\n"), 9,
     "version.effective_on", "must be a date"),
    ("review before effective", ("  status: draft\n", "  status: draft\n  effective_on: 2026-03-01\n"
                                                      "  review_due_on: 2026-02-01\n"), 10, "version.review_due_on",
     "before effective_on"),
    ("unknown section kind", ("  - kind: general\n", "  - kind: preface\n"), 10, "sections[0].kind", "preface"),
    ("section children not a list", ("    body: 正文\n", "    body: 正文\n    children: 附件\n"), 13,
     "sections[0].children", "must be a list"),
    ("a list where a mapping belongs", ("version:\n  number: 1\n  status: draft\n", "version:\n  - 1\n"), 7,
     "version", "mapping"),
]


@pytest.mark.parametrize(("change", "line", "field", "words"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_an_invalid_file_is_refused_naming_file_line_and_field(services, port, importer, tmp_path, change, line,
                                                               field, words):
    old, new = change
    assert old in MINIMAL
    path = _write(tmp_path, MINIMAL.replace(old, new, 1))
    before = databases.row_counts(services.db)

    with pytest.raises(PlanFileError) as caught:
        importer.import_file(path, port.port_id)

    error = caught.value
    assert (error.path, error.line, error.field) == (str(path), line, field), error.message
    assert words in error.message
    prefix = f"{path}, line {line}, {field}: " if field else f"{path}, line {line}: "
    assert error.message.startswith(prefix)
    assert databases.row_counts(services.db) == before, "nothing written"


def test_the_minimal_file_is_valid(services, port, importer, tmp_path):
    result = importer.import_file(_write(tmp_path, MINIMAL), port.port_id)
    doc = services.plans.document(result.version_id)
    # in the plan's order: the action for every level before the one for level I
    assert (doc.code, doc.status, doc.number, [a.level for a in doc.actions]) == ("T-1", PlanStatus.DRAFT, 1, [None, 1])


@pytest.mark.parametrize(("content", "line", "words"), [
    (b"", None, "empty"),
    (b"# only a comment\n", None, "empty"),
    ("code: T-1\ntitle_zh: 测试\n".encode("gbk"), 2, "not UTF-8"),
    (b"- code: T-1\n", 1, "mapping"),
    (b"code: T-1\n---\ncode: T-2\n", 2, "not valid YAML"),
])
def test_files_that_are_not_plans_at_all(services, port, importer, tmp_path, content, line, words):
    path = tmp_path / "odd.yaml"
    path.write_bytes(content)
    before = databases.row_counts(services.db)

    with pytest.raises(PlanFileError) as caught:
        importer.import_file(path, port.port_id)

    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert words in caught.value.message
    assert databases.row_counts(services.db) == before


def test_a_missing_file(importer, port, tmp_path):
    with pytest.raises(PlanFileError, match="does not exist") as caught:
        importer.import_file(tmp_path / "nowhere.yaml", port.port_id)
    assert caught.value.line is None


def test_a_failure_late_in_the_import_leaves_nothing(services, port, importer, tmp_path, monkeypatch):
    """The whole version is flushed before the audit note: a failure there must roll all of it back."""
    from drillapp.services import plan_import

    def fail(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(plan_import.audit, "note", fail)
    before = databases.row_counts(services.db)

    with pytest.raises(OSError):
        importer.import_file(PLAN_PATHS[0], port.port_id)

    assert databases.row_counts(services.db) == before


# --- importing a plan that is already there ------------------------------------------------------------

def test_the_same_file_twice_is_unchanged_and_writes_nothing(services, port, importer):
    first = importer.import_file(PLAN_PATHS[0], port.port_id)
    before = databases.row_counts(services.db)

    again = importer.import_file(PLAN_PATHS[0], port.port_id)

    assert again.outcome is ImportOutcome.UNCHANGED
    assert (again.plan_id, again.version_id, again.number) == (first.plan_id, first.version_id, first.number)
    assert "unchanged" in again.message()
    assert databases.row_counts(services.db) == before


def test_a_changed_file_becomes_the_next_version_and_supersedes_the_approved_one(services, port, importer, tmp_path):
    first = importer.import_file(PLAN_PATHS[0], port.port_id)
    text = PLAN_PATHS[0].read_text(encoding="utf-8")
    changed = text.replace("target_minutes: 5\n", "target_minutes: 4\n", 1).replace(
        "title_en: ", "title_en: Revised ", 1)
    assert changed != text

    second = importer.import_file(_write(tmp_path, changed), port.port_id)

    assert second.outcome is ImportOutcome.NEW_VERSION and second.plan_id == first.plan_id
    assert second.number == first.number + 1 and second.file_number == first.number
    assert "new version" in second.message()
    old, new = services.plans.document(first.version_id), services.plans.document(second.version_id)
    assert (old.status, new.status) == (PlanStatus.SUPERSEDED, PlanStatus.APPROVED)
    assert new.title_en.startswith("Revised ")
    assert [a.target_minutes for a in old.actions] != [a.target_minutes for a in new.actions]
    assert len(new.actions) == len(old.actions)


def test_an_approver_who_is_a_user_is_linked(services, port, importer, tmp_path):
    services.users.create_user("zhao", Role.COORDINATOR, display_name="赵志刚")
    text = PLAN_PATHS[0].read_text(encoding="utf-8").replace("approved_by: 圈河口岸联检党委", "approved_by: zhao")

    result = importer.import_file(_write(tmp_path, text), port.port_id)

    doc = services.plans.document(result.version_id)
    assert doc.approved_by == "赵志刚" and APPROVER_LINE.format(name="zhao") not in doc.change_note
    assert importer.import_file(_write(tmp_path, text), port.port_id).outcome is ImportOutcome.UNCHANGED


def test_imports_refused_for_a_plan_already_there(services, port, importer, tmp_path):
    draft = _write(tmp_path, MINIMAL, "draft.yaml")
    first = importer.import_file(draft, port.port_id)
    before = databases.row_counts(services.db)

    changed = _write(tmp_path, MINIMAL.replace("text: 疏散旅客", "text: 疏散全部旅客"), "changed.yaml")
    with pytest.raises(PlanFileError, match="still in draft or review") as caught:
        importer.import_file(changed, port.port_id)
    assert (caught.value.line, caught.value.field) == (1, "code")
    assert databases.row_counts(services.db) == before

    # plan codes are unique per port: another port imports the same file as a plan of its own
    other_port = builders.port_with_branches(services, "SH", "沙坨子口岸")
    result = importer.import_file(changed, other_port.port_id)
    assert result.outcome.name == "NEW_PLAN" and result.plan_id != first.plan_id


def test_a_superseded_file_is_not_a_new_version(services, port, importer, tmp_path):
    importer.import_file(PLAN_PATHS[0], port.port_id)
    text = PLAN_PATHS[0].read_text(encoding="utf-8").replace("status: approved", "status: superseded").replace(
        "target_minutes: 5\n", "target_minutes: 6\n", 1)
    before = databases.row_counts(services.db)

    with pytest.raises(PlanFileError, match="only be imported as a new plan") as caught:
        importer.import_file(_write(tmp_path, text), port.port_id)

    assert caught.value.field == "version.status" and caught.value.line == 10
    assert databases.row_counts(services.db) == before


def test_the_owner_needs_a_branch_at_the_port(services, importer, tmp_path):
    bare_port = services.org.create_port("BARE", "新口岸")
    before = databases.row_counts(services.db)

    with pytest.raises(PlanFileError, match="no port_office branch") as caught:
        importer.import_file(_write(tmp_path, MINIMAL), bare_port)

    assert (caught.value.line, caught.value.field) == (5, "owner")
    assert databases.row_counts(services.db) == before


def test_only_administrators_and_coordinators_import(services, port, tmp_path):
    viewer = builders.actor(services, Role.VIEWER)
    before = databases.row_counts(services.db)

    with pytest.raises(PermissionDeniedError):
        PlanImportService(services.db, viewer, services.clock).import_file(PLAN_PATHS[0], port.port_id)

    assert databases.row_counts(services.db) == before


def test_the_import_is_audited(services, port, importer):
    from helpers import audit_trail

    result = importer.import_file(PLAN_PATHS[0], port.port_id)

    entries = audit_trail.entries(services.db, operation="plans.import_file")
    assert {e["username"] for e in entries} == {"admin"}
    assert len([e for e in entries if e["entity"] == "plan_action"]) == len(read_plan_file(PLAN_PATHS[0]).actions)
    notes = [e for e in entries if e["action"] == "note"]
    assert len(notes) == 1 and PLAN_PATHS[0].name in notes[0]["after"]["note"] and notes[0]["entity_id"] == result.version_id


def test_export_of_a_version_by_number(services, port, importer, tmp_path):
    first = importer.import_file(PLAN_PATHS[0], port.port_id)
    changed = PLAN_PATHS[0].read_text(encoding="utf-8").replace("target_minutes: 5\n", "target_minutes: 4\n", 1)
    importer.import_file(_write(tmp_path, changed), port.port_id)

    old = parse_plan_text(importer.export_text(first.plan_id, version_number=first.number), "old")
    new = parse_plan_text(importer.export_text(first.plan_id), "new")

    assert (old.version.status, new.version.status) == (PlanStatus.SUPERSEDED, PlanStatus.APPROVED)
    assert new.version.number == old.version.number + 1
    assert old == plan_file_from_doc(services.plans.document(first.version_id))


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


def test_cli_import_needs_a_port(cli):
    assert cli("db", "upgrade")[0] == 0  # a database, but no port in it
    code, out, err = cli("plans", "import", str(PLAN_PATHS[0]))

    assert (code, out) == (1, "")
    assert err.startswith("drillapp: ") and err.count("\n") == 1 and "no port" in err


def test_cli_import_list_export(cli, tmp_path):
    assert cli("demo")[0] == 0
    bad = _write(tmp_path, MINIMAL.replace("  - agency: customs\n", "  - agency: police\n"), "bad.yaml")
    new = _write(tmp_path, MINIMAL.replace("code: T-1", "code: T-NEW"), "new.yaml")

    code, out, err = cli("plans", "import", str(PLAN_PATHS[0]), str(bad), str(new), "--port", "QUANHE")

    assert code == 1, "one file failed"
    assert err.splitlines() == [
        f"drillapp: {bad}, line 30, actions[1].agency: “police” is not one of: "
        "border_inspection, customs, quarantine, port_office.",
        f"drillapp: warning: {new}: level II has no action for border_inspection (the file may be cut short).",
    ]
    lines = [line for line in out.splitlines() if not line.startswith(" ")]  # without the actions read
    assert len(lines) == 2
    assert "new version" in lines[0]  # the demo has this plan with other dates
    assert "imported plan T-NEW" in lines[1]

    code, out, err = cli("plans", "list", "--json")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert len(rows) == len(PLAN_PATHS) + 1
    for row in rows:
        assert set(row) == {"id", "code", "title", "title_en", "scenario", "status", "version", "draft",
                            "review_due_on"}
        assert row["draft"] is None, "no plan has a newer draft here"
        assert isinstance(row["id"], int) and isinstance(row["version"], int) and row["title"]
        assert row["status"] in {s.value for s in PlanStatus} and row["scenario"] in {s.value for s in Scenario}
    first = next(r for r in rows if r["code"] == read_plan_file(PLAN_PATHS[0]).code)
    assert (first["status"], first["version"]) == ("approved", read_plan_file(PLAN_PATHS[0]).version.number + 1)
    assert next(r for r in rows if r["code"] == "T-NEW")["status"] == "draft"

    code, out, _err = cli("plans", "list", "--search", "T-NEW")
    assert code == 0 and len(out.splitlines()) == 1 and "\tT-NEW\t测试预案\t" in out

    out_file = tmp_path / "out" / "export.yaml"
    code, out, err = cli("plans", "export", first["code"], "--out", str(out_file))
    assert (code, err) == (0, "") and str(out_file) in out
    assert read_plan_file(out_file).version.number == first["version"]
    code, out, _err = cli("plans", "export", str(first["id"]), "--out", "-", "--version", "1")
    assert code == 0 and parse_plan_text(out).version.status is PlanStatus.SUPERSEDED

    code, out, err = cli("plans", "export", "NO-SUCH", "--out", str(out_file))
    assert (code, out) == (1, "") and err.count("\n") == 1 and "NO-SUCH" in err
    code, out, err = cli("plans", "export", first["code"], "--out", str(out_file), "--version", "9")
    assert (code, out) == (1, "") and err.count("\n") == 1 and "no version 9" in err


def test_cli_import_into_a_named_port_that_is_not_there(cli):
    cli("demo")
    code, out, err = cli("plans", "import", str(PLAN_PATHS[0]), "--port", "NOWHERE")
    assert (code, out) == (1, "") and err.count("\n") == 1 and "NOWHERE" in err and "QUANHE" in err


def test_cli_print(cli, tmp_path):
    pytest.importorskip("drillapp.reports.plan_pdf")
    cli("demo")
    out_file = tmp_path / "plan.pdf"

    code, out, err = cli("plans", "print", "QH-YA-01", "--out", str(out_file), "--agency", "customs", "--level", "2")

    assert (code, err) == (0, ""), err
    assert out_file.read_bytes().startswith(b"%PDF")
