"""A plan's life: draft → in review → approved (by whom, when) → superseded or retired.

An approved version is never edited: `new_revision` copies it to a new draft; the editor saves a draft
whole (`save_draft`, one transaction, optimistic locking on the version); `compare` lists what changed
between two versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from drillapp.i18n import _
from drillapp.models import (
    ContingencyPlan,
    PlanAction,
    PlanContact,
    PlanResource,
    PlanSection,
    PlanVersion,
    ResponseLevel,
    ResponsibilityEntry,
)
from drillapp.models.enums import PlanStatus
from drillapp.services import validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError, ValidationError
from drillapp.services.plan_document import (
    ActionDoc,
    ContactDoc,
    LevelDoc,
    MatrixDoc,
    PlanDoc,
    ResourceDoc,
    SectionDoc,
    load_document,
)

OPEN = (PlanStatus.DRAFT, PlanStatus.IN_REVIEW)


@dataclass(frozen=True)
class DraftContent:
    """What the editor saves: every part of a draft version. Section ids may be temporary (negative) and
    `parent_id` refers to ids within this list."""

    change_note: str
    sections: tuple[SectionDoc, ...]
    levels: tuple[LevelDoc, ...]
    actions: tuple[ActionDoc, ...]
    matrix: tuple[MatrixDoc, ...]
    contacts: tuple[ContactDoc, ...]
    resources: tuple[ResourceDoc, ...]

    @classmethod
    def of(cls, doc: PlanDoc) -> DraftContent:
        return cls(doc.change_note, doc.sections, doc.levels, doc.actions, doc.matrix, doc.contacts, doc.resources)


@dataclass(frozen=True)
class Difference:
    area: str  # untranslated area name (N_ in labels): "sections", "actions", ...
    item: str  # which one
    before: str
    after: str


def _copy_children(session: Any, source: PlanVersion, target: PlanVersion, content: DraftContent | None = None) -> None:
    """Fill `target` with the parts of `content` (or of `source`), sections keeping their tree."""
    if content is None:
        doc_sections = [SectionDoc(x.id, x.kind, x.title, x.body, x.position, x.parent_id) for x in source.sections]
        content = DraftContent(
            target.change_note, tuple(doc_sections),
            tuple(LevelDoc(x.level, x.name, x.colour, x.trigger) for x in source.levels),
            tuple(ActionDoc(x.id, x.agency, x.level, x.phase, x.position, x.text, x.responsible_post,
                            x.target_minutes, x.report_due) for x in source.actions),
            tuple(MatrixDoc(x.task, x.agency, x.role) for x in source.matrix),
            tuple(ContactDoc(x.agency, x.name, x.post, x.phone, x.mobile, x.notes, x.position) for x in source.contacts),
            tuple(ResourceDoc(x.name, x.kind, x.quantity, x.location, x.custodian, x.notes, x.position)
                  for x in source.resources),
        )
    made: dict[int, PlanSection] = {}
    for sec in content.sections:
        row = PlanSection(kind=sec.kind, body=sec.body, position=sec.position,
                          title=validate.text(sec.title, "sections.title", _("Section title"), max_len=300))
        made[sec.id] = row
        target.sections.append(row)
    if any(sec.parent_id is not None and sec.parent_id not in made for sec in content.sections):
        raise ValidationError(_("A section's parent is missing."), "sections")
    session.flush()  # the new sections get their ids; then the tree is linked
    for sec in content.sections:
        if sec.parent_id is not None:
            made[sec.id].parent_id = made[sec.parent_id].id
    levels = {lv.level for lv in content.levels}
    for lv in content.levels:
        validate.level(lv.level, "levels")
        target.levels.append(ResponseLevel(level=lv.level, name=lv.name, colour=lv.colour, trigger=lv.trigger))
    for i, a in enumerate(content.actions):
        if a.level is not None and a.level not in levels:
            raise ValidationError(_("Action {n} is for a response level the plan does not define.").format(n=i + 1),
                                  "actions")
        target.actions.append(PlanAction(
            agency=a.agency, level=a.level, phase=a.phase, position=i,
            text=validate.long_text(a.text, "actions.text", _("Action"), required=True),
            responsible_post=validate.text(a.responsible_post, "actions.responsible_post", _("Responsible post"),
                                           max_len=200, required=False),
            target_minutes=validate.minutes(a.target_minutes, "actions.target_minutes", _("Target time")),
            report_due=a.report_due,
        ))
    seen: set[tuple[str, Any]] = set()
    for m in content.matrix:
        if (m.task, m.agency) in seen:
            raise ValidationError(_("The responsibility matrix names an agency twice for one task."), "matrix")
        seen.add((m.task, m.agency))
        target.matrix.append(ResponsibilityEntry(task=validate.text(m.task, "matrix.task", _("Task"), max_len=300),
                                                 agency=m.agency, role=m.role))
    for i, c in enumerate(content.contacts):
        target.contacts.append(PlanContact(
            agency=c.agency, position=i, name=validate.text(c.name, "contacts.name", _("Contact"), max_len=200),
            post=c.post, phone=c.phone, mobile=c.mobile, notes=c.notes))
    for i, r in enumerate(content.resources):
        target.resources.append(PlanResource(
            position=i, name=validate.text(r.name, "resources.name", _("Item"), max_len=200), kind=r.kind,
            quantity=r.quantity, location=r.location, custodian=r.custodian, notes=r.notes))


class PlanRevisionService(ServiceBase):
    def submit_for_review(self, version_id: int) -> None:
        with self.write("plans.submit_for_review") as s:
            version = validate.get(s, PlanVersion, version_id, _("Plan version"))
            if version.status is not PlanStatus.DRAFT:
                raise DomainError(_("Only a draft can be sent for review."))
            version.status = PlanStatus.IN_REVIEW

    def return_to_draft(self, version_id: int) -> None:
        with self.write("plans.return_to_draft") as s:
            version = validate.get(s, PlanVersion, version_id, _("Plan version"))
            if version.status is not PlanStatus.IN_REVIEW:
                raise DomainError(_("Only a version in review can go back to draft."))
            version.status = PlanStatus.DRAFT

    def new_revision(self, plan_id: int, change_note: str = "") -> int:
        """Copy the newest version to a new draft (number + 1); refused while a draft or review is open."""
        with self.write("plans.new_revision") as s:
            plan = validate.get(s, ContingencyPlan, plan_id, _("Plan"))
            versions = list(s.scalars(select(PlanVersion).where(PlanVersion.plan_id == plan.id)
                                      .order_by(PlanVersion.number)))
            open_ones = [v for v in versions if v.status in OPEN]
            if open_ones:
                raise DomainError(_("Version {n} is still a draft or in review: finish it before a new revision.")
                                  .format(n=open_ones[-1].number))
            base = next((v for v in reversed(versions) if v.status is PlanStatus.APPROVED), versions[-1])
            draft = PlanVersion(plan_id=plan.id, number=versions[-1].number + 1, status=PlanStatus.DRAFT,
                                change_note=validate.long_text(change_note, "change_note", _("Change note")),
                                review_due_on=base.review_due_on)
            s.add(draft)
            s.flush()
            _copy_children(s, base, draft)
            s.flush()
            return draft.id

    def save_draft(self, version_id: int, expected_version: int | None, content: DraftContent) -> int:
        """Replace every part of a draft at once; returns the version's new row version."""
        with self.write("plans.save_draft") as s:
            version = validate.get(s, PlanVersion, version_id, _("Plan version"))
            validate.expect_version(version, expected_version)
            if version.status is not PlanStatus.DRAFT:
                raise DomainError(_("Only a draft can be edited; start a new revision instead."))
            for section in version.sections:  # untie the tree first, so the database's cascade does not
                section.parent_id = None      # delete subsections the session is deleting too
            s.flush()
            for collection in (version.sections, version.levels, version.actions, version.matrix,
                               version.contacts, version.resources):
                collection.clear()
            s.flush()
            version.change_note = validate.long_text(content.change_note, "change_note", _("Change note"))
            flag_modified(version, "change_note")  # the version row itself changes: its row version moves on
            _copy_children(s, version, version, content)
            s.flush()
            return version.row_version

    def retire(self, plan_id: int) -> None:
        """Take a plan out of force: its approved version is retired (it stays readable)."""
        with self.write("plans.retire") as s:
            approved = s.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan_id,
                                                          PlanVersion.status == PlanStatus.APPROVED))
            if approved is None:
                raise DomainError(_("This plan has no approved version to retire."))
            approved.status = PlanStatus.RETIRED

    def compare(self, old_version_id: int, new_version_id: int) -> list[Difference]:
        with self.read() as s:
            return compare_documents(load_document(s, old_version_id), load_document(s, new_version_id))


def _keyed(items: Any, key: Any, text: Any) -> dict[Any, str]:
    out: dict[Any, str] = {}
    for item in items:
        k = key(item)
        while k in out:  # duplicates stay distinct
            k = (*k, "+") if isinstance(k, tuple) else (k, "+")
        out[k] = text(item)
    return out


def compare_documents(old: PlanDoc, new: PlanDoc) -> list[Difference]:
    """What changed from `old` to `new`, part by part (added, removed or changed items)."""
    from drillapp.labels import label, level_label

    def action_key(a: ActionDoc) -> tuple[Any, ...]:
        return (label(a.agency), level_label(a.level), label(a.phase), a.text)

    parts = [
        ("sections", _keyed(old.sections, lambda x: (x.kind.value, x.title), lambda x: x.body),
         _keyed(new.sections, lambda x: (x.kind.value, x.title), lambda x: x.body)),
        ("levels", _keyed(old.levels, lambda x: level_label(x.level), lambda x: f"{x.name} · {x.trigger}"),
         _keyed(new.levels, lambda x: level_label(x.level), lambda x: f"{x.name} · {x.trigger}")),
        ("actions", _keyed(old.actions, action_key, lambda a: f"{a.responsible_post} {a.target_minutes or ''}".strip()),
         _keyed(new.actions, action_key, lambda a: f"{a.responsible_post} {a.target_minutes or ''}".strip())),
        ("matrix", _keyed(old.matrix, lambda m: (m.task, label(m.agency)), lambda m: label(m.role)),
         _keyed(new.matrix, lambda m: (m.task, label(m.agency)), lambda m: label(m.role))),
        ("contacts", _keyed(old.contacts, lambda c: (label(c.agency), c.name), lambda c: f"{c.post} {c.phone} {c.mobile}"),
         _keyed(new.contacts, lambda c: (label(c.agency), c.name), lambda c: f"{c.post} {c.phone} {c.mobile}")),
        ("resources", _keyed(old.resources, lambda r: r.name, lambda r: f"{r.kind} {r.quantity or ''} {r.location}"),
         _keyed(new.resources, lambda r: r.name, lambda r: f"{r.kind} {r.quantity or ''} {r.location}")),
    ]
    diffs: list[Difference] = []
    for area, before, after in parts:
        for key in list(before) + [k for k in after if k not in before]:
            item = " · ".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
            if key not in after:
                diffs.append(Difference(area, item, before[key], ""))
            elif key not in before:
                diffs.append(Difference(area, item, "", after[key]))
            elif before[key] != after[key]:
                diffs.append(Difference(area, item, before[key], after[key]))
    if old.review_due_on != new.review_due_on:
        diffs.append(Difference("version", _("Review due"), str(old.review_due_on or ""),
                                str(new.review_due_on or "")))
    return diffs
