"""Plan files in and out: `plans import` / `plans export` (the format: docs/plan-format.md).

Import is one operation per file ("plans.import_file": one transaction; a file with any problem writes
nothing). `add_plan_file(session, plan, port_id)` does the work inside a session of an operation already
open, so the demo loads the plans/ folder in its own single transaction with the same code.

What an import does with a file whose plan code already exists (decided here, documented in
docs/plan-format.md):

- the same content as the plan's newest version (all but the version number): nothing is written
  (outcome UNCHANGED);
- otherwise the file becomes the plan's next version (newest number + 1, whatever number the file
  says), with the file's status; an approved one supersedes the approved version before it, and the
  plan's titles, scenario and owner become the file's. Refused, naming the file's line, when the plan
  belongs to another port, when the plan has a version still in draft or review (finish that first),
  or when the file's version is superseded or retired (those are imported only as a new plan).

`approved_by` names a user (user name or display name) to link as the approver; when no user has that
name, the version has no linked approver and the name is kept in its change note as a last line
"批准人：NAME" (plan content is Chinese; the line is never added twice).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from drillapp.i18n import _
from drillapp.io.plan_files import (
    PlanFile,
    PlanFileError,
    export_text,
    plan_file_from_doc,
    read_plan_file,
)
from drillapp.io.storable import printable
from drillapp.models import (
    Branch,
    ContingencyPlan,
    PlanAction,
    PlanContact,
    PlanResource,
    PlanSection,
    PlanVersion,
    Port,
    ResponseLevel,
    ResponsibilityEntry,
    User,
)
from drillapp.models.enums import Agency, PlanStatus
from drillapp.models.plans import new_lineage
from drillapp.services import audit, plan_lineage, validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError, NotFoundError
from drillapp.services.plan_document import PlanDoc, action_order, load_document
from drillapp.services.plan_import_report import ActionCounts

#: The change-note line that keeps an approver the database does not know (see the module docstring).
APPROVER_LINE = "批准人：{name}"
OPEN = (PlanStatus.DRAFT, PlanStatus.IN_REVIEW)
CLOSED = (PlanStatus.SUPERSEDED, PlanStatus.RETIRED)


class ImportOutcome(enum.Enum):
    NEW_PLAN = "new_plan"
    NEW_VERSION = "new_version"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ImportResult:
    source: str
    code: str
    plan_id: int
    version_id: int
    number: int  # the version's number in the database
    file_number: int  # the number the file said
    outcome: ImportOutcome
    #: what the file holds: its actions per level and agency (see services/plan_import_report.py)
    actions: ActionCounts = field(default_factory=ActionCounts)

    @property
    def counts(self) -> Mapping[tuple[int | None, Agency], int]:
        return self.actions.counts

    def report_lines(self) -> list[str]:
        """The actions read per level and agency, as indented lines to print under `message()`."""
        return self.actions.lines()

    def warnings(self) -> list[str]:
        """Levels without an action for an agency that has actions elsewhere: the file may be cut short."""
        return self.actions.warnings(self.source)

    def message(self) -> str:
        if self.outcome is ImportOutcome.NEW_PLAN:
            return _("{file}: imported plan {code} (id {id}), version {number}.").format(
                file=self.source, code=self.code, id=self.plan_id, number=self.number)
        if self.outcome is ImportOutcome.NEW_VERSION:
            return _("{file}: plan {code} (id {id}) was already there; imported as its new version {number} "
                     "(the file says version {file_number}).").format(
                file=self.source, code=self.code, id=self.plan_id, number=self.number, file_number=self.file_number)
        return _("{file}: plan {code} (id {id}) is unchanged (the same as its version {number}); nothing imported."
                 ).format(file=self.source, code=self.code, id=self.plan_id, number=self.number)


class PlanImportService(ServiceBase):
    def import_file(self, path: str | Path, port_id: int) -> ImportResult:
        """Import one plan file into a port: all of it in one transaction, or nothing (PlanFileError)."""
        plan = read_plan_file(path)  # every problem of the file itself is found before anything opens
        return self.import_plan(plan, port_id)

    def import_plan(self, plan: PlanFile, port_id: int) -> ImportResult:
        with self.write("plans.import_file") as s:
            return add_plan_file(s, plan, port_id)

    # -- reading ---------------------------------------------------------------------------------
    def export_text(self, plan_id: int, version_number: int | None = None) -> str:
        """A version of a plan (default: the newest) as plan-file text."""
        with self.read() as s:
            return export_text(load_document(s, _version_id(s, plan_id, version_number)))

    def export_file(self, plan_id: int, out: str | Path, version_number: int | None = None) -> Path:
        text = self.export_text(plan_id, version_number)
        out = Path(out)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise DomainError(_("Cannot write {path}: {error}").format(path=out, error=exc.strerror or exc)) from None
        return out

    def find_plan(self, ref: str) -> int:
        """A plan by its code (within the current port: two ports may use the same code), or by its id
        (digits); NotFoundError naming it otherwise."""
        with self.read() as s:
            query = select(ContingencyPlan.id).where(ContingencyPlan.code == ref.strip()).order_by(ContingencyPlan.id)
            if self.port_id is not None:
                query = query.where(ContingencyPlan.port_id == self.port_id)
            found = s.scalars(query).first()
            if found is None and ref.strip().isdigit():
                found = s.scalar(select(ContingencyPlan.id).where(ContingencyPlan.id == int(ref)))
            if found is None:
                raise NotFoundError(_("There is no plan with the id or code {ref}.").format(ref=ref))
            return found

    def import_port(self, code: str | None = None) -> int:
        """The port with this code, else the current port, else the first port; a clear error if there is
        none."""
        if not code and self.scope.id is not None:
            return self.scope.id
        with self.read() as s:
            if code:
                found = s.scalar(select(Port.id).where(Port.code == code))
                if found is None:
                    known = ", ".join(s.scalars(select(Port.code).order_by(Port.id))) or "-"
                    raise NotFoundError(_("There is no port with the code {code} (ports: {known}).").format(
                        code=code, known=known))
                return found
            first = s.scalar(select(Port.id).order_by(Port.id).limit(1))
            if first is None:
                raise NotFoundError(_("There is no port yet: create one first (or load the demo), then import "
                                      "plans into it."))
            return first


def _version_id(s: Session, plan_id: int, number: int | None) -> int:
    validate.get(s, ContingencyPlan, plan_id, _("Plan"))
    query = select(PlanVersion.id).where(PlanVersion.plan_id == plan_id)
    query = query.where(PlanVersion.number == number) if number is not None else query.order_by(
        PlanVersion.number.desc()).limit(1)
    found = s.scalar(query)
    if found is None:
        raise NotFoundError(_("Plan {id} has no version {number}.").format(id=plan_id, number=number or "-"))
    return found


# --- the work inside an open operation ------------------------------------------------------------

def _approver(s: Session, plan: PlanFile) -> tuple[int | None, PlanFile]:
    """The user the file's approved_by names, and the plan as it will be stored (see the module docstring)."""
    name = plan.version.approved_by
    if not name:
        return None, plan
    user = s.scalars(select(User).where(or_(User.username == name, User.display_name == name))
                     .order_by(User.id)).first()
    if user is not None:
        return user.id, replace(plan, version=replace(plan.version, approved_by=user.display_name or user.username))
    note, line = plan.version.change_note, APPROVER_LINE.format(name=name)
    if line not in note.splitlines():
        note = f"{note}\n{line}" if note else line
    return None, replace(plan, version=replace(plan.version, approved_by="", change_note=note))


def add_plan_file(s: Session, plan: PlanFile, port_id: int) -> ImportResult:
    """Add a parsed plan file to a port inside the caller's operation (see the module docstring)."""
    port = validate.get(s, Port, port_id, _("Port"))
    owner_branch_id = None
    if plan.owner is not None:
        owner_branch_id = s.scalar(select(Branch.id).where(Branch.port_id == port.id, Branch.agency == plan.owner))
        if owner_branch_id is None:
            raise plan.error("owner", _("port {port} has no {agency} branch to own this plan.").format(
                port=port.code, agency=plan.owner.value))
    approver_id, stored = _approver(s, plan)
    counts = ActionCounts.of(plan.actions, (lv.level for lv in plan.levels))
    existing = s.scalar(select(ContingencyPlan).where(ContingencyPlan.port_id == port.id,
                                                      ContingencyPlan.code == plan.code))  # codes are per port
    previous: PlanDoc | None = None  # the plan's newest version, whose items' lineage an import keeps
    if existing is None:
        target = ContingencyPlan(port_id=port.id, code=plan.code, scenario=plan.scenario, title_zh=plan.title_zh,
                                 title_en=plan.title_en, owner_branch_id=owner_branch_id)
        s.add(target)
        number, outcome = plan.version.number, ImportOutcome.NEW_PLAN
    else:
        target = existing
        versions = list(s.scalars(select(PlanVersion).where(PlanVersion.plan_id == target.id)
                                  .order_by(PlanVersion.number)))
        newest = versions[-1] if versions else None
        if newest is not None:
            previous = load_document(s, newest.id)
            current = plan_file_from_doc(previous)
            as_stored = replace(stored, version=replace(stored.version, number=newest.number),
                                actions=tuple(sorted(stored.actions, key=action_order)))
            if current == as_stored:
                return ImportResult(plan.source, plan.code, target.id, newest.id, newest.number,
                                    plan.version.number, ImportOutcome.UNCHANGED, counts)
        open_ones = [v for v in versions if v.status in OPEN]
        if open_ones:
            raise plan.error("code", _("plan {code} has version {number} still in draft or review: approve or "
                                       "finish it before importing a new version.").format(
                code=plan.code, number=open_ones[-1].number))
        if plan.version.status in CLOSED:
            raise plan.error("version.status", _("plan {code} already exists: a {status} version can only be "
                                                 "imported as a new plan.").format(
                code=plan.code, status=plan.version.status.value))
        if plan.version.status is PlanStatus.APPROVED:
            for old in versions:
                if old.status is PlanStatus.APPROVED:
                    old.status = PlanStatus.SUPERSEDED
        for key, value in (("scenario", plan.scenario), ("title_zh", plan.title_zh), ("title_en", plan.title_en),
                           ("owner_branch_id", owner_branch_id)):
            if getattr(target, key) != value:
                setattr(target, key, value)
        number, outcome = (newest.number + 1 if newest else plan.version.number), ImportOutcome.NEW_VERSION

    v = stored.version
    lineage = _lineages(stored, previous)
    # Built as a draft, the status and approval set last: an approved version is frozen once flushed
    # (services/plans.py), and the section tree needs its parents' ids first.
    version = PlanVersion(number=number, status=PlanStatus.DRAFT, effective_on=v.effective_on,
                          review_due_on=v.review_due_on, change_note=v.change_note)
    target.versions.append(version)
    made: list[tuple[PlanSection, PlanSection | None]] = []
    parents: list[PlanSection] = []
    for position, (section, depth) in enumerate(stored.walk_sections()):
        row = PlanSection(kind=section.kind, position=position, title=section.title, body=section.body,
                          lineage=lineage["sections"][position])
        del parents[depth:]
        made.append((row, parents[-1] if parents else None))
        parents.append(row)
        version.sections.append(row)
    for lv in stored.levels:
        version.levels.append(ResponseLevel(level=lv.level, name=lv.name, colour=lv.colour, trigger=lv.trigger))
    for m in stored.matrix:
        version.matrix.append(ResponsibilityEntry(task=m.task, agency=m.agency, role=m.role))
    for position, a in enumerate(stored.actions):
        version.actions.append(PlanAction(
            agency=a.agency, level=a.level, phase=a.phase, position=position, text=a.text,
            responsible_post=a.responsible_post, target_minutes=a.target_minutes, report_due=a.report_due,
            lineage=lineage["actions"][position]))
    for position, c in enumerate(stored.contacts):
        version.contacts.append(PlanContact(agency=c.agency, position=position, name=c.name, post=c.post,
                                            phone=c.phone, mobile=c.mobile, notes=c.notes,
                                            lineage=lineage["contacts"][position]))
    for position, r in enumerate(stored.resources):
        version.resources.append(PlanResource(position=position, name=r.name, kind=r.kind, quantity=r.quantity,
                                              location=r.location, custodian=r.custodian, notes=r.notes,
                                              lineage=lineage["resources"][position]))
    s.flush()
    for row, parent in made:
        if parent is not None:
            row.parent_id = parent.id
    s.flush()
    if v.status is not PlanStatus.DRAFT:
        version.status = v.status
        version.approved_by_id = approver_id
        version.approved_at = v.approved_at
        s.flush()
    audit.note(s, "plan_version", version.id, f"plan file {printable(plan.source, 300)}: {plan.code} version {number}"
               f" ({outcome.value}, file version {plan.version.number})")
    return ImportResult(plan.source, plan.code, target.id, version.id, number, plan.version.number, outcome, counts)


def _lineages(plan: PlanFile, previous: PlanDoc | None) -> dict[str, list[str]]:
    """Each item's lineage key: the file's own, else that of the same item of the plan's newest version (see
    services/plan_lineage.py), else a new one."""
    old: dict[str, tuple[object, ...]] = {"sections": (), "actions": (), "contacts": (), "resources": ()}
    if previous is not None:
        old = {"sections": previous.sections, "actions": previous.actions, "contacts": previous.contacts,
               "resources": previous.resources}
    new = {"sections": tuple(section for section, _depth in plan.walk_sections()), "actions": plan.actions,
           "contacts": plan.contacts, "resources": plan.resources}
    rules = {"sections": plan_lineage.SECTION, "actions": plan_lineage.ACTION, "contacts": plan_lineage.CONTACT,
             "resources": plan_lineage.RESOURCE}
    return {part: plan_lineage.inherit(old[part], new[part], rules[part], new_lineage) for part in new}


__all__ = ["ImportOutcome", "ImportResult", "PlanFileError", "PlanImportService", "add_plan_file"]
