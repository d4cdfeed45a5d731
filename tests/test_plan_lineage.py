"""Stable identities across plan versions (issue 12, item 8): lineage keys kept by revisions, saves, plan files
and the compare view, and a draft saved by updating what changed rather than replacing everything."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest
from helpers import audit_trail, builders, databases

from drillapp.io.plan_files import parse_plan_text
from drillapp.models.enums import Agency, ResponsePhase, SectionKind
from drillapp.paths import bundled_plan_files
from drillapp.services import plan_lineage
from drillapp.services.errors import ValidationError
from drillapp.services.plan_document import ActionDoc, SectionDoc
from drillapp.services.plan_import import ImportOutcome, PlanFileError, PlanImportService
from drillapp.services.plan_revisions import DraftContent

PARTS = ("sections", "actions", "contacts", "resources")


@pytest.fixture
def importer(services) -> PlanImportService:
    return PlanImportService(services.db, services.actor, services.clock)


@pytest.fixture
def shipped(services, importer):
    """A real plan (sections in a tree, actions, contacts, resources), imported approved."""
    port = builders.port_with_branches(services)
    result = importer.import_file(bundled_plan_files()[0], port.port_id)
    return SimpleNamespace(port=port, plan_id=result.plan_id, version_id=result.version_id)


def _lineages(doc, part: str) -> list[str]:
    return [x.lineage for x in getattr(doc, part)]


def _save_entries(services) -> list[dict]:
    return audit_trail.entries(services.db, operation="plans.save_draft")


def test_a_revision_keeps_every_items_lineage(services, shipped) -> None:
    approved = services.plans.document(shipped.version_id)
    draft = services.plans.document(services.revisions.new_revision(shipped.plan_id))

    for part in PARTS:
        keys = _lineages(approved, part)
        assert keys and all(keys), part
        assert len(set(keys)) == len(keys), f"{part}: unique within a version"
        assert _lineages(draft, part) == keys, part
    assert {x.id for x in draft.actions}.isdisjoint({x.id for x in approved.actions}), "new rows, the same identity"


def test_saving_an_unchanged_draft_writes_no_child_row(services, shipped) -> None:
    draft_id = services.revisions.new_revision(shipped.plan_id)
    doc = services.plans.document(draft_id)
    counts = databases.row_counts(services.db)

    new_row_version = services.revisions.save_draft(draft_id, doc.row_version, DraftContent.of(doc))

    entries = _save_entries(services)
    assert [(e["entity"], e["action"]) for e in entries] == [("plan_version", "update")], "only the version row"
    assert new_row_version == doc.row_version + 1
    assert databases.row_counts(services.db)["plan_action"] == counts["plan_action"]
    again = services.plans.document(draft_id)
    assert [(a.id, a.lineage) for a in again.actions] == [(a.id, a.lineage) for a in doc.actions]


def test_editing_one_action_updates_that_row_only(services, shipped) -> None:
    draft_id = services.revisions.new_revision(shipped.plan_id)
    doc = services.plans.document(draft_id)
    target = doc.actions[1]
    edited = replace(target, text=target.text + "（并报告值班室）")
    actions = tuple(edited if a is target else a for a in doc.actions)

    services.revisions.save_draft(draft_id, doc.row_version, replace(DraftContent.of(doc), actions=actions))

    changed = [(e["entity"], e["entity_id"], e["action"]) for e in _save_entries(services)]
    assert sorted(changed) == [("plan_action", target.id, "update"), ("plan_version", draft_id, "update")]
    entry = audit_trail.one(services.db, operation="plans.save_draft", entity="plan_action")
    assert set(entry["after"]) <= {"text", "row_version"}
    saved = services.plans.document(draft_id)
    row = next(a for a in saved.actions if a.id == target.id)
    assert (row.text, row.lineage) == (edited.text, target.lineage), "the same row, the same identity"


def test_removed_items_are_deleted_and_new_ones_inserted_the_rest_untouched(services, shipped) -> None:
    draft_id = services.revisions.new_revision(shipped.plan_id)
    doc = services.plans.document(draft_id)
    gone, *kept = doc.contacts
    added = ActionDoc(0, Agency.CUSTOMS, 2, ResponsePhase.FIRST_RESPONSE, 0, "10分钟内封闭货运通道", "监管科", 10, None)
    content = replace(DraftContent.of(doc), contacts=tuple(kept), actions=(*doc.actions, added))

    services.revisions.save_draft(draft_id, doc.row_version, content)

    changed = sorted((e["entity"], e["action"]) for e in _save_entries(services))
    assert changed == [("plan_action", "insert"), ("plan_contact", "delete"), ("plan_version", "update")]
    saved = services.plans.document(draft_id)
    new = next(a for a in saved.actions if a.text == "10分钟内封闭货运通道")
    assert new.lineage and new.lineage not in _lineages(doc, "actions")
    assert [(c.lineage, c.name) for c in saved.contacts] == [(c.lineage, c.name) for c in kept]
    assert gone.lineage not in _lineages(saved, "contacts")


def test_the_section_tree_is_edited_in_place(services, shipped) -> None:
    draft_id = services.revisions.new_revision(shipped.plan_id)
    doc = services.plans.document(draft_id)
    parent = next(s for s in doc.sections if any(c.parent_id == s.id for c in doc.sections))
    children = [s for s in doc.sections if s.parent_id == parent.id]
    # the parent and its subsections go; a new section with a subsection of its own comes
    others = tuple(s for s in doc.sections if s.id != parent.id and s.parent_id != parent.id)
    new = (SectionDoc(-1, SectionKind.SUPPORT, "通信保障", "卫星电话两部", 90),
           SectionDoc(-2, SectionKind.SUPPORT, "备用电源", "发电机一台", 91, parent_id=-1))

    services.revisions.save_draft(draft_id, doc.row_version, replace(DraftContent.of(doc), sections=others + new))

    saved = services.plans.document(draft_id)
    assert [(s.id, s.lineage) for s in saved.sections if s.title not in ("通信保障", "备用电源")] == [
        (s.id, s.lineage) for s in others]
    top = next(s for s in saved.sections if s.title == "通信保障")
    assert next(s for s in saved.sections if s.title == "备用电源").parent_id == top.id
    deleted = {e["entity_id"] for e in _save_entries(services) if e["action"] == "delete"}
    assert deleted == {parent.id, *(c.id for c in children)}


def test_a_bad_item_writes_nothing(services, shipped) -> None:
    draft_id = services.revisions.new_revision(shipped.plan_id)
    doc = services.plans.document(draft_id)
    counts = databases.row_counts(services.db)
    bad = replace(doc.actions[-1], text=" ")
    content = replace(DraftContent.of(doc), actions=(*doc.actions[:-1], bad), contacts=doc.contacts[1:])

    with pytest.raises(ValidationError, match="must not be empty"):
        services.revisions.save_draft(draft_id, doc.row_version, content)

    assert databases.row_counts(services.db) == counts
    assert services.plans.document(draft_id) == doc


def test_compare_pairs_a_reworded_action_by_its_lineage(services, shipped) -> None:
    draft_id = services.revisions.new_revision(shipped.plan_id)
    doc = services.plans.document(draft_id)
    target = doc.actions[0]
    content = replace(DraftContent.of(doc), actions=(replace(target, text="改写后的行动 <A&B>"), *doc.actions[1:]))
    services.revisions.save_draft(draft_id, doc.row_version, content)

    differences = [d for d in services.revisions.compare(shipped.version_id, draft_id) if d.area == "actions"]

    assert len(differences) == 1, "one changed action, not one removed and one added"
    assert target.text in differences[0].before and "改写后的行动 <A&B>" in differences[0].after


def test_an_exported_plan_imported_again_keeps_its_lineage(services, shipped, importer) -> None:
    text = importer.export_text(shipped.plan_id)
    assert "lineage: " in text
    doc = services.plans.document(shipped.version_id)
    changed = text.replace(doc.actions[0].text, doc.actions[0].text + "（修订）", 1)

    result = importer.import_plan(parse_plan_text(changed, "changed.yaml"), shipped.port.port_id)

    assert result.outcome is ImportOutcome.NEW_VERSION
    again = services.plans.document(result.version_id)
    for part in PARTS:
        assert sorted(_lineages(again, part)) == sorted(_lineages(doc, part)), part


def test_a_file_without_lineage_takes_that_of_the_same_items(services, shipped, importer) -> None:
    """A plan file written by hand (no keys) imported as a new version: its items match the newest version's
    by content, identity, or unambiguous place (services/plan_lineage.py)."""
    text = importer.export_text(shipped.plan_id)
    bare = "\n".join(line for line in text.splitlines() if not line.strip().startswith("lineage:")) + "\n"
    doc = services.plans.document(shipped.version_id)
    first, second = doc.actions[0], doc.actions[1]
    bare = bare.replace(first.text, "全新改写的第一项行动", 1)  # reworded: paired by its place, if unambiguous
    bare = bare.replace(f"responsible_post: {second.responsible_post}\n",
                        "responsible_post: 值班科长\n", 1) if second.responsible_post else bare

    result = importer.import_plan(parse_plan_text(bare, "bare.yaml"), shipped.port.port_id)

    again = services.plans.document(result.version_id)
    by_text = {a.text: a.lineage for a in again.actions}
    assert by_text[second.text] == second.lineage, "the same agency and text: the same action"
    unchanged = [a for a in doc.actions if a.text in by_text and a is not first]
    assert all(by_text[a.text] == a.lineage for a in unchanged)
    assert _lineages(again, "contacts") == _lineages(doc, "contacts")
    assert [s.lineage for s in again.sections] == [s.lineage for s in doc.sections]


@pytest.mark.parametrize(("value", "words"), [
    ("not-a-key", "must be a lineage key"),
    ("twice", "given twice"),
])
def test_a_bad_lineage_in_a_file_is_named_by_line(value, words) -> None:
    key = "0f8e2d1c-4b5a-4c3d-9e8f-7a6b5c4d3e2f"
    first = key if value == "twice" else value
    text = (f"code: T-1\nscenario: other\ntitle_zh: 预案\nversion:\n  number: 1\n  status: draft\n"
            f"levels:\n  - level: 1\n    name: 特别重大\n    colour: '#d32f2f'\n"
            f"actions:\n  - agency: customs\n    level: 1\n    phase: alert\n    text: 甲\n    lineage: {first}\n"
            f"  - agency: customs\n    level: 1\n    phase: alert\n    text: 乙\n    lineage: {key}\n")
    with pytest.raises(PlanFileError) as caught:
        parse_plan_text(text, "x.yaml")
    assert words in caught.value.message
    field, line = ("actions[1].lineage", 21) if value == "twice" else ("actions[0].lineage", 16)
    assert caught.value.message.startswith(f"x.yaml, line {line}, {field}: ")


def test_pairing_rules() -> None:
    def act(agency, text, level=1, phase=ResponsePhase.ALERT, target=None):
        return ActionDoc(0, agency, level, phase, 0, text, "", target, None)

    old = [act(Agency.CUSTOMS, "甲"), act(Agency.CUSTOMS, "乙", target=5), act(Agency.CUSTOMS, "丙", level=2),
           act(Agency.QUARANTINE, "丁"), act(Agency.QUARANTINE, "戊")]
    new = [act(Agency.CUSTOMS, "乙", target=10),  # identity: agency and text
           act(Agency.CUSTOMS, "甲"),  # exact
           act(Agency.CUSTOMS, "丙（改）", level=2),  # the only one left at customs, level II, alert
           act(Agency.QUARANTINE, "己"), act(Agency.QUARANTINE, "庚")]  # two left in one place: not guessed

    assert plan_lineage.pair(old, new, plan_lineage.ACTION) == {0: 1, 1: 0, 2: 2}
