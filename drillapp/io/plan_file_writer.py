"""Writing a plan file: a `PlanFile` back as YAML text, and a stored plan version as a `PlanFile`.
"""

from __future__ import annotations

from datetime import UTC
from enum import Enum
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from drillapp.read_models.plan import PlanDoc

from drillapp.io.plan_file_model import (
    WRITTEN_ZONE,
    ActionFile,
    ContactFile,
    LevelFile,
    MatrixFile,
    PlanFile,
    ResourceFile,
    SectionFile,
    VersionFile,
)

# --- writing --------------------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    """Block style with indented lists; multi-line texts as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True  # the same value twice (an agency) is written twice, never as &anchor / *alias


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_enum(dumper: yaml.SafeDumper, value: Enum) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value.value)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_multi_representer(Enum, _represent_enum)


def _with_lineage(data: dict[str, Any], lineage: str) -> dict[str, Any]:
    if lineage:
        data["lineage"] = lineage
    return data


def _section_data(s: SectionFile) -> dict[str, Any]:
    data: dict[str, Any] = _with_lineage({"kind": s.kind, "title": s.title, "body": s.body}, s.lineage)
    if s.children:
        data["children"] = [_section_data(c) for c in s.children]
    return data


def plan_file_data(plan: PlanFile) -> dict[str, Any]:
    """The plan as plain YAML-ready data, keys in the documented order."""
    v = plan.version
    return {
        "code": plan.code,
        "scenario": plan.scenario,
        "title_zh": plan.title_zh,
        "title_en": plan.title_en,
        "owner": plan.owner,
        "version": {
            "number": v.number, "status": v.status, "approved_by": v.approved_by,
            "approved_at": v.approved_at.replace(tzinfo=UTC).astimezone(WRITTEN_ZONE) if v.approved_at else None,
            "effective_on": v.effective_on, "review_due_on": v.review_due_on, "change_note": v.change_note,
        },
        "sections": [_section_data(s) for s in plan.sections],
        "levels": [{"level": x.level, "name": x.name, "colour": x.colour, "trigger": x.trigger} for x in plan.levels],
        "matrix": [{"task": x.task, "agency": x.agency, "role": x.role} for x in plan.matrix],
        "actions": [
            _with_lineage({"agency": x.agency, "level": x.level, "phase": x.phase, "text": x.text,
                           "responsible_post": x.responsible_post, "target_minutes": x.target_minutes,
                           "report_due": x.report_due}, x.lineage)
            for x in plan.actions
        ],
        "contacts": [
            _with_lineage({"agency": x.agency, "name": x.name, "post": x.post, "phone": x.phone, "mobile": x.mobile,
                           "notes": x.notes}, x.lineage)
            for x in plan.contacts
        ],
        "resources": [
            _with_lineage({"name": x.name, "kind": x.kind, "quantity": x.quantity, "location": x.location,
                           "custodian": x.custodian, "notes": x.notes}, x.lineage)
            for x in plan.resources
        ],
    }


def dump_plan_file(plan: PlanFile) -> str:
    """The plan as plan-file text (UTF-8 when written), with a short header comment."""
    header = f"# {plan.title_zh}" + (f" ({plan.title_en})" if plan.title_en else "") + "\n"
    header += "# drillapp plan file: the format is described in docs/plan-format.md\n"
    body = yaml.dump(plan_file_data(plan), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100_000, indent=2)
    return header + body


def plan_file_from_doc(doc: PlanDoc) -> PlanFile:
    """A stored plan version as a PlanFile (the section tree rebuilt from parent ids, siblings in order)."""
    children: dict[int | None, list[Any]] = {}
    for s in sorted(doc.sections, key=lambda x: (x.position, x.id)):
        children.setdefault(s.parent_id, []).append(s)

    def tree(parent_id: int | None) -> tuple[SectionFile, ...]:
        return tuple(SectionFile(s.kind, s.title.strip(), s.body.strip(), tree(s.id), s.lineage)
                     for s in children.get(parent_id, []))

    return PlanFile(
        code=doc.code.strip(), scenario=doc.scenario, title_zh=doc.title_zh.strip(), title_en=doc.title_en.strip(),
        owner=doc.owner_agency,
        version=VersionFile(doc.number, doc.status, doc.approved_by.strip(), doc.approved_at, doc.effective_on,
                            doc.review_due_on, doc.change_note.strip()),
        sections=tree(None),
        levels=tuple(LevelFile(x.level, x.name.strip(), x.colour.strip(), x.trigger.strip()) for x in doc.levels),
        matrix=tuple(MatrixFile(x.task.strip(), x.agency, x.role) for x in doc.matrix),
        actions=tuple(  # in the plan's one order of actions (the PlanDoc has them so)
            ActionFile(x.agency, x.level, x.phase, x.text.strip(), x.responsible_post.strip(), x.target_minutes,
                       x.report_due, x.lineage)
            for x in doc.actions
        ),
        contacts=tuple(
            ContactFile(x.agency, x.name.strip(), x.post.strip(), x.phone.strip(), x.mobile.strip(), x.notes.strip(),
                        x.lineage)
            for x in sorted(doc.contacts, key=lambda c: c.position)
        ),
        resources=tuple(
            ResourceFile(x.name.strip(), x.kind.strip(), x.quantity, x.location.strip(), x.custodian, x.notes.strip(),
                         x.lineage)
            for x in sorted(doc.resources, key=lambda r: r.position)
        ),
        source=f"{doc.code} v{doc.number}",
    )


def export_text(doc: PlanDoc) -> str:
    """A stored plan version as plan-file text."""
    return dump_plan_file(plan_file_from_doc(doc))
