"""Members in and out of sheets (CSV, XLSX): check, import all or nothing, export.

`check(path, port_id)` reads and validates a sheet against the port (its branches, the team's squads, the
skill list) and writes nothing. `import_file(path, port_id)` ("team.import_members", one transaction) does the
same checks and refuses the whole file, writing nothing, when there is any problem; otherwise it writes every
row.

Who is already there (the rule): a row from an exported sheet names its member by id (系统编号); any other
row whose name, branch and mobile are all the same as a member of that branch (an empty mobile matches an
empty mobile) updates that member instead of adding a second one. The update sets every field whose column
is in the sheet (an empty cell clears it, an empty status leaves it); fields without a column are left alone.
Listed skills are added or get the listed expiry; skills not listed are kept (an import never removes a
skill). Two rows of one sheet naming the same person are a problem, and so is a row matching more than one
member already there.

An old sheet must not undo newer edits: a row whose data stamp (数据版本) no longer matches its member was
exported before the member was changed in the app, and if importing it would change anything it is a
conflict (services/member_conflicts.py). The import refuses, writing nothing, until every conflict has a
`Resolution`: keep the app's values (the row is skipped) or take the sheet's. A conflict is found again
inside the import's transaction, so a change made after the check is not overwritten either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drillapp.i18n import _
from drillapp.io.member_sheet_export import ExportRow, write_sheet
from drillapp.io.member_sheets import (
    MemberRow,
    Problem,
    Problems,
    Sheet,
    Vocabulary,
    agency_words,
    parse_members,
    read_sheet,
)
from drillapp.io.storable import printable
from drillapp.labels import label
from drillapp.models import Branch, Member, MemberSkill, Port, ResponseTeam, Skill, Squad
from drillapp.services import audit, validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError
from drillapp.services.member_conflicts import Conflict, Names, Resolution, changes, conflict, data_stamp

#: How many problems (or conflicts) the refusal of an import names (the report has the first MAX_PROBLEMS).
SHOWN_PROBLEMS = 10
#: Resolutions: one for every conflict, or one per sheet row number (rows without one are unresolved).
Resolutions = Resolution | Mapping[int, Resolution] | None


@dataclass(frozen=True)
class ImportReport:
    source: str
    rows: int  # data rows in the sheet
    problems: tuple[Problem, ...]  # the first MAX_PROBLEMS of them
    created: int = 0  # members added (by an import) or that would be added (by a check)
    updated: int = 0  # members changed (or that would be)
    unchanged: int = 0  # rows that match their member already
    kept: int = 0  # conflicting rows left as the app has them (Resolution.KEEP_APP)
    problem_count: int = 0  # all the problems, listed or not
    conflicts: tuple[Conflict, ...] = ()  # rows changed in the app since the sheet was exported
    unresolved: tuple[Conflict, ...] = ()  # those without a resolution: nothing can be imported yet

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total_problems(self) -> int:
        return max(self.problem_count, len(self.problems))

    def lines(self) -> list[str]:
        """One line per problem listed, and how many more there are."""
        out = [str(p) for p in self.problems]
        more = self.total_problems - len(self.problems)
        if more > 0:
            out.append(_("… and {count} more.").format(count=f"{more:,}"))
        return out

    def conflict_lines(self) -> list[str]:
        return [str(c) for c in self.conflicts]

    def message(self) -> str:
        if self.problems:
            return _("{file}: {count} problem(s) in {rows} row(s); nothing imported.").format(
                file=self.source, count=f"{self.total_problems:,}", rows=self.rows)
        if self.unresolved:
            return _("{file}: {count} row(s) were changed in the app since the sheet was exported; nothing "
                     "imported. Choose for each whether to keep the app's values or take the sheet's.").format(
                file=self.source, count=len(self.unresolved))
        text = _("{file}: {rows} row(s): {created} new member(s), {updated} updated, {unchanged} unchanged.").format(
            file=self.source, rows=self.rows, created=self.created, updated=self.updated, unchanged=self.unchanged)
        if self.kept:
            text += " " + _("{kept} kept as in the app.").format(kept=self.kept)
        return text


class ImportConflictError(DomainError):
    """An import refused because rows were changed in the app since the sheet was exported (`conflicts`)."""

    def __init__(self, report: ImportReport) -> None:
        shown = [str(c) for c in report.unresolved[:SHOWN_PROBLEMS]]
        more = len(report.unresolved) - SHOWN_PROBLEMS
        if more > 0:
            shown.append(_("… and {count} more conflicts.").format(count=f"{more:,}"))
        super().__init__("\n".join([report.message(), *shown]))
        self.conflicts = report.unresolved


class MemberImportService(ServiceBase):
    def check(self, path: str | Path, port_id: int, resolutions: Resolutions = None) -> ImportReport:
        """Read and check a sheet; nothing is written."""
        sheet = read_sheet(path)
        with self.read() as s:
            report, _plan = _prepare(s, sheet, port_id, resolutions)
        return report

    def import_file(self, path: str | Path, port_id: int, resolutions: Resolutions = None) -> ImportReport:
        """Import a sheet into a port's team: all rows in one transaction, or nothing (DomainError;
        ImportConflictError while a row changed in the app since the export has no resolution)."""
        sheet = read_sheet(path)
        with self.write("team.import_members") as s:
            report, plan = _prepare(s, sheet, port_id, resolutions)
            if report.problems:
                shown = "\n".join(report.lines()[:SHOWN_PROBLEMS])
                more = report.total_problems - SHOWN_PROBLEMS
                if more > 0:
                    shown += "\n" + _("… and {count} more.").format(count=f"{more:,}")
                raise DomainError(report.message() + "\n" + shown)
            if report.unresolved:
                raise ImportConflictError(report)
            skills = {sk.code: sk.id for sk in s.scalars(select(Skill))}
            for row, existing in plan:
                _write_row(s, row, existing, skills)
            s.flush()
            audit.note(s, "port", port_id, f"member sheet {printable(sheet.source, 300)}: {report.created} created, "
                                           f"{report.updated} updated, {report.kept} kept as in the app")
            return report

    def export(self, port_id: int, path: str | Path) -> Path:
        """Write the port's members (Chinese headers) to a .csv or .xlsx file that imports back unchanged."""
        with self.read() as s:
            validate.get(s, Port, port_id, _("Port"))
            branches = {b.id: b for b in s.scalars(select(Branch).where(Branch.port_id == port_id))}
            squads = {q.id: q.name for q in s.scalars(select(Squad))}
            names = _skill_names(s)
            members = s.scalars(
                select(Member).where(Member.branch_id.in_(branches)).options(selectinload(Member.skills))
                .order_by(Member.branch_id, Member.id)
            ).all()
            rows = [
                ExportRow(
                    name=m.name, branch=_branch_name(branches[m.branch_id]),
                    post=m.post, rank=m.rank, phone=m.phone, mobile=m.mobile, email=m.email, status=m.status,
                    volunteer_date=m.volunteer_date, fitness_date=m.fitness_date, training_date=m.training_date,
                    squad=squads.get(m.squad_id, "") if m.squad_id else "",
                    skills=[(names[e.skill_id], e.expires_on) for e in m.skills], notes=m.notes,
                    member_id=m.id, stamp=data_stamp(m),
                )
                for m in members
            ]
        return write_sheet(path, rows)

    def import_port(self, code: str | None = None) -> int:
        """The port with this code, else the current port, else the first port."""
        from drillapp.services.plan_import import PlanImportService

        return PlanImportService(self.db, self.actor, self.clock, self.scope).import_port(code)


def _branch_name(branch: Branch) -> str:
    return branch.name_zh or label(branch.agency)


def _write_row(s: Session, row: MemberRow, existing: Member | None, skills: Mapping[str, int]) -> None:
    member = existing or Member(name=row.name, branch_id=row.branch_id)
    if existing is not None and row.member_id is not None:  # found by its id: the sheet may rename or move it
        member.name, member.branch_id = row.name, row.branch_id
    for key, value in row.values.items():
        setattr(member, key, value)
    if existing is None:
        s.add(member)
    s.flush()
    entries = {e.skill_id: e for e in member.skills}
    for code, expiry in row.skills:
        entry = entries.get(skills[code])
        if entry is None:
            entry = MemberSkill(member_id=member.id, skill_id=skills[code])
            s.add(entry)
        if entry.issued_on and expiry and expiry < entry.issued_on:
            entry.issued_on = None  # the sheet does not carry the issue date; its expiry wins
        entry.expires_on = expiry


def _skill_names(s: Session) -> dict[int, str]:
    """How a skill is written in a sheet: its Chinese name, or its code when another skill has that name."""
    skills = s.scalars(select(Skill)).all()
    counts: dict[str, int] = {}
    for sk in skills:
        counts[sk.name_zh.lower()] = counts.get(sk.name_zh.lower(), 0) + 1
    codes = {sk.code.lower() for sk in skills}
    return {sk.id: sk.name_zh if counts[sk.name_zh.lower()] == 1 and sk.name_zh.lower() not in codes
            and sk.name_zh and ":" not in sk.name_zh and ";" not in sk.name_zh else sk.code for sk in skills}


def _vocabulary(s: Session, port_id: int) -> Vocabulary:
    branches: dict[str, int] = {}
    for b in s.scalars(select(Branch).where(Branch.port_id == port_id)):
        for word in agency_words(b.agency, b.name_zh, b.name_en):
            branches[word] = b.id
    squads: dict[str, int] = {}
    team_id = s.scalar(select(ResponseTeam.id).where(ResponseTeam.port_id == port_id))
    if team_id is not None:
        for q in s.scalars(select(Squad).where(Squad.team_id == team_id)):
            squads.setdefault(q.kind.value, q.id)
            squads[q.name.strip().lower()] = q.id
    skills: dict[str, str] = {}
    by_name: dict[str, set[str]] = {}
    for sk in s.scalars(select(Skill)):
        for name in (sk.name_zh, sk.name_en):
            if name.strip():
                by_name.setdefault(name.strip().lower(), set()).add(sk.code)
    skills.update({name: next(iter(codes)) for name, codes in by_name.items() if len(codes) == 1})
    skills.update({sk.code.lower(): sk.code for sk in s.scalars(select(Skill))})  # a code always wins
    return Vocabulary(branches, squads, skills)


def _prepare(s: Session, sheet: Sheet, port_id: int, resolutions: Resolutions = None,
             ) -> tuple[ImportReport, list[tuple[MemberRow, Member | None]]]:
    """Check the sheet against the port: the report, and the rows to write with the member each updates
    (None: a new member). Unchanged rows and rows kept as in the app are left out."""
    validate.get(s, Port, port_id, _("Port"))
    parsed = parse_members(sheet, _vocabulary(s, port_id))
    problems = parsed.problems
    branches = {b.id: b for b in s.scalars(select(Branch).where(Branch.port_id == port_id))}
    loaded = selectinload(Member.skills).selectinload(MemberSkill.skill)
    by_id = {m.id: m for m in s.scalars(
        select(Member).where(Member.id.in_({r.member_id for r in parsed.members if r.member_id is not None}),
                             Member.branch_id.in_(branches)).options(loaded))}
    existing: dict[tuple[str, int, str], list[Member]] = {}
    for m in s.scalars(select(Member).where(Member.branch_id.in_({r.branch_id for r in parsed.members}))
                       .options(loaded).order_by(Member.id)):
        existing.setdefault((m.name, m.branch_id, m.mobile), []).append(m)
    names = Names({i: _branch_name(b) for i, b in branches.items()},
                  {q.id: q.name for q in s.scalars(select(Squad))}, _skill_names_by_code(s))
    plan: list[tuple[MemberRow, Member | None]] = []
    counts = {"created": 0, "updated": 0, "unchanged": 0, "kept": 0}
    conflicts: list[Conflict] = []
    unresolved: list[Conflict] = []
    targets: dict[int, int] = {}  # member id -> the row that updates it
    for row in parsed.members:
        member = _match(row, by_id, existing, parsed.labels, problems)
        if member is False:
            continue
        if member is not None:
            if member.id in targets:
                problems.add(Problem(row.row, parsed.labels["name"], _("the same member as row {other}.").format(
                    other=targets[member.id])))
                continue
            targets[member.id] = row.row
            stale = conflict(row, member, parsed.labels, names) if (
                row.member_id is not None and row.stamp != data_stamp(member)) else None
            if stale is not None:
                conflicts.append(stale)
                choice = _resolution(resolutions, row.row)
                if choice is None:
                    unresolved.append(stale)
                    continue
                if choice is Resolution.KEEP_APP:
                    counts["kept"] += 1
                    continue
            elif not changes(row, member):
                counts["unchanged"] += 1
                continue
        counts["created" if member is None else "updated"] += 1
        plan.append((row, member))
    report = ImportReport(sheet.source, len(sheet.rows), problems.kept(), problem_count=problems.count,
                          conflicts=tuple(conflicts), unresolved=tuple(unresolved), **counts)
    return report, plan


def _match(row: MemberRow, by_id: Mapping[int, Member], existing: Mapping[tuple[str, int, str], list[Member]],
           labels: Mapping[str, str], problems: Problems) -> Member | None | Literal[False]:
    """The member a row updates: by its id, or by name, branch and mobile; None for a new member; False
    (with a problem added) when the row names no single member."""
    if row.member_id is not None:
        member = by_id.get(row.member_id)
        if member is None:
            problems.add(Problem(row.row, labels["member_id"], _(
                "there is no member {id} in this port's team (deleted since the sheet was exported?); clear "
                "系统编号 and 数据版本 to add the row as a new member.").format(id=row.member_id)))
            return False
        return member
    matches = existing.get(row.identity, [])
    if len(matches) > 1:
        problems.add(Problem(row.row, "", _(
            "{count} members named {name} with this branch and mobile are already there; correct them "
            "first.").format(count=len(matches), name=row.name)))
        return False
    return matches[0] if matches else None


def _resolution(resolutions: Resolutions, row: int) -> Resolution | None:
    if resolutions is None or isinstance(resolutions, Resolution):
        return resolutions
    return resolutions.get(row)


def _skill_names_by_code(s: Session) -> dict[str, str]:
    by_id = _skill_names(s)
    return {sk.code: by_id[sk.id] for sk in s.scalars(select(Skill))}
