"""Members in and out of sheets (CSV, XLSX): check, import all or nothing, export.

`check(path, port_id)` reads and validates a sheet against the port (its branches, the team's squads, the
skill list) and writes nothing. `import_file(path, port_id)` ("team.import_members", one transaction) does the
same checks and refuses the whole file, writing nothing, when there is any problem; otherwise it writes every
row.

Who is already there (the rule): a row whose name, branch and mobile are all the same as a member of that
branch (an empty mobile matches an empty mobile) updates that member instead of adding a second one. The
update sets every field whose column is in the sheet (an empty cell clears it, an empty status leaves it);
fields without a column are left alone. Listed skills are added or get the listed expiry; skills not listed
are kept (an import never removes a skill). Two rows of one sheet naming the same person are a problem, and
so is a row matching more than one member already there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillapp.i18n import _
from drillapp.io.member_sheets import (
    ExportRow,
    MemberRow,
    Problem,
    Sheet,
    Vocabulary,
    agency_words,
    parse_members,
    read_sheet,
    write_sheet,
)
from drillapp.labels import label
from drillapp.models import Branch, Member, MemberSkill, Port, ResponseTeam, Skill, Squad
from drillapp.services import audit, validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError

#: How many problems the refusal of an import names (the report has them all).
SHOWN_PROBLEMS = 10


@dataclass(frozen=True)
class ImportReport:
    source: str
    rows: int  # data rows in the sheet
    problems: tuple[Problem, ...]
    created: int = 0  # members added (by an import) or that would be added (by a check)
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]

    def message(self) -> str:
        if self.problems:
            return _("{file}: {count} problem(s) in {rows} row(s); nothing imported.").format(
                file=self.source, count=len(self.problems), rows=self.rows)
        return _("{file}: {rows} row(s): {created} new member(s), {updated} updated.").format(
            file=self.source, rows=self.rows, created=self.created, updated=self.updated)


class MemberImportService(ServiceBase):
    def check(self, path: str | Path, port_id: int) -> ImportReport:
        """Read and check a sheet; nothing is written."""
        sheet = read_sheet(path)
        with self.read() as s:
            report, _plan = _prepare(s, sheet, port_id)
        return report

    def import_file(self, path: str | Path, port_id: int) -> ImportReport:
        """Import a sheet into a port's team: all rows in one transaction, or nothing (DomainError)."""
        sheet = read_sheet(path)
        with self.write("team.import_members") as s:
            report, plan = _prepare(s, sheet, port_id)
            if report.problems:
                shown = "\n".join(report.lines()[:SHOWN_PROBLEMS])
                more = len(report.problems) - SHOWN_PROBLEMS
                if more > 0:
                    shown += "\n" + _("… and {count} more.").format(count=more)
                raise DomainError(report.message() + "\n" + shown)
            skills = {sk.code: sk.id for sk in s.scalars(select(Skill))}
            for row, existing in plan:
                member = existing or Member(name=row.name, branch_id=row.branch_id)
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
            s.flush()
            audit.note(s, "port", port_id, f"member sheet {sheet.source}: {report.created} created, "
                                           f"{report.updated} updated")
            return report

    def export(self, port_id: int, path: str | Path) -> Path:
        """Write the port's members (Chinese headers) to a .csv or .xlsx file that imports back unchanged."""
        with self.read() as s:
            validate.get(s, Port, port_id, _("Port"))
            branches = {b.id: b for b in s.scalars(select(Branch).where(Branch.port_id == port_id))}
            squads = {q.id: q.name for q in s.scalars(select(Squad))}
            names = _skill_names(s)
            members = s.scalars(
                select(Member).where(Member.branch_id.in_(branches)).order_by(Member.branch_id, Member.id)
            ).all()
            rows = [
                ExportRow(
                    name=m.name, branch=branches[m.branch_id].name_zh or label(branches[m.branch_id].agency),
                    post=m.post, rank=m.rank, phone=m.phone, mobile=m.mobile, email=m.email, status=m.status,
                    volunteer_date=m.volunteer_date, fitness_date=m.fitness_date, training_date=m.training_date,
                    squad=squads.get(m.squad_id, "") if m.squad_id else "",
                    skills=[(names[e.skill_id], e.expires_on) for e in m.skills], notes=m.notes,
                )
                for m in members
            ]
        return write_sheet(path, rows)

    def port_id(self, code: str | None = None) -> int:
        from drillapp.services.plan_import import PlanImportService

        return PlanImportService(self.db, self.actor, self.clock).port_id(code)


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


def _prepare(s: Session, sheet: Sheet, port_id: int) -> tuple[ImportReport, list[tuple[MemberRow, Member | None]]]:
    """Check the sheet against the port; the report and, for each good row, the member it updates (or None)."""
    validate.get(s, Port, port_id, _("Port"))
    rows, problems = parse_members(sheet, _vocabulary(s, port_id))
    plan: list[tuple[MemberRow, Member | None]] = []
    branch_ids = {r.branch_id for r in rows}
    existing: dict[tuple[str, int, str], list[Member]] = {}
    if branch_ids:
        for m in s.scalars(select(Member).where(Member.branch_id.in_(branch_ids)).order_by(Member.id)):
            existing.setdefault((m.name, m.branch_id, m.mobile), []).append(m)
    for row in rows:
        matches = existing.get(row.identity, [])
        if len(matches) > 1:
            problems.append(Problem(row.row, "", _(
                "{count} members named {name} with this branch and mobile are already there; correct them "
                "first.").format(count=len(matches), name=row.name)))
            continue
        plan.append((row, matches[0] if matches else None))
    problems.sort(key=lambda p: p.row)
    created = sum(1 for _r, m in plan if m is None)
    report = ImportReport(sheet.source, len(sheet.rows), tuple(problems), created, len(plan) - created)
    return report, plan
