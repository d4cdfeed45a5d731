"""The rapid-response team: skills, squads, members, certificates and unavailability.

Member sheets (import/export) are in member_import.py and call-out tests in callouts.py; what the member
editor and the squad board read is built in team_overview.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillapp.i18n import N_, _
from drillapp.models import (
    Branch,
    Member,
    MemberSkill,
    ResponseTeam,
    Skill,
    Squad,
    TeamBranchMinimum,
    Unavailability,
)
from drillapp.models.enums import MemberStatus, SquadKind, UnavailabilityKind
from drillapp.services import team_overview as overview
from drillapp.services import validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError, ValidationError

_MEMBER_FIELDS = {
    "name": 100, "post": 100, "rank": 100, "phone": 50, "mobile": 50, "email": 200, "notes": 100_000,
}
_FIELD_LABELS = {
    "name": N_("Name"), "post": N_("Post"), "rank": N_("Rank"), "phone": N_("Phone"), "mobile": N_("Mobile"),
    "email": N_("E-mail"), "notes": N_("Notes"), "volunteer_date": N_("Volunteer date"),
    "fitness_date": N_("Fitness test date"), "training_date": N_("Training date"),
}




@dataclass(frozen=True)
class SkillEntry:
    """A skill or certificate as the member editor saves it."""

    skill_id: int
    certificate_no: str = ""
    issued_on: date | None = None
    expires_on: date | None = None


@dataclass(frozen=True)
class UnavailabilityEntry:
    """A period of unavailability as the member editor saves it (`id` None: a new one)."""

    kind: UnavailabilityKind
    starts_on: date
    ends_on: date
    note: str = ""
    id: int | None = None


class TeamService(ServiceBase):
    def create_skill(self, code: str, name_zh: str, name_en: str = "", certificate_required: bool = False) -> int:
        with self.write("team.create_skill") as s:
            clean = str(code).strip()
            if clean and s.scalar(select(Skill.id).where(func.lower(Skill.code) == clean.lower())) is not None:
                raise ValidationError(_("A skill with the code {code} is already on the list; choose another code.")
                                      .format(code=clean), "code")
            skill = Skill(
                code=validate.text(code, "code", _("Skill code"), max_len=32),
                name_zh=validate.text(name_zh, "name_zh", _("Chinese name"), max_len=100),
                name_en=validate.text(name_en, "name_en", _("English name"), max_len=100, required=False),
                certificate_required=certificate_required,
            )
            s.add(skill)
            s.flush()
            return skill.id

    def create_team(self, port_id: int, name: str) -> int:
        with self.write("team.create_team") as s:
            team = ResponseTeam(port_id=port_id, name=validate.text(name, "name", _("Team name"), max_len=200))
            s.add(team)
            s.flush()
            return team.id

    def create_squad(self, team_id: int, kind: SquadKind, name: str, min_strength: int = 0) -> int:
        with self.write("team.create_squad") as s:
            validate.get(s, ResponseTeam, team_id, _("Team"))
            if min_strength < 0:
                raise ValidationError(_("The minimum strength cannot be negative."), "min_strength")
            squad = Squad(
                team_id=team_id,
                kind=kind,
                name=validate.text(name, "name", _("Squad name"), max_len=100),
                min_strength=min_strength,
            )
            s.add(squad)
            s.flush()
            return squad.id

    def _member_values(self, values: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in values.items():
            if key in _MEMBER_FIELDS:
                out[key] = validate.text(
                    value, key, _(_FIELD_LABELS[key]), max_len=_MEMBER_FIELDS[key], required=key == "name"
                )
            elif key in ("volunteer_date", "fitness_date", "training_date"):
                if value is not None and not isinstance(value, date):
                    raise ValidationError(_("{field} must be a date.").format(field=_(_FIELD_LABELS[key])), key)
                out[key] = value
            elif key == "status":
                try:
                    out[key] = MemberStatus(value)
                except ValueError as exc:
                    raise ValidationError(_("Unknown member status: {status}").format(status=value), key) from exc
            elif key in ("squad_id", "branch_id"):
                out[key] = value  # checked against the database by _check_links
            else:
                raise ValidationError(_("Unknown member field: {field}").format(field=key), key)
        return out

    @staticmethod
    def _check_links(s: Any, values: dict[str, Any]) -> None:
        if values.get("branch_id") is not None:
            validate.get(s, Branch, values["branch_id"], _("Branch"))
        if values.get("squad_id") is not None:
            validate.get(s, Squad, values["squad_id"], _("Squad"))

    def create_member(self, branch_id: int, name: str, **values: Any) -> int:
        with self.write("team.create_member") as s:
            fields = self._member_values({"name": name, "branch_id": branch_id, **values})
            self._check_links(s, fields)
            member = Member(**fields)
            s.add(member)
            s.flush()
            return member.id

    def update_member(self, member_id: int, expected_version: int, **values: Any) -> int:
        """Change a member's details; returns the new row version."""
        with self.write("team.update_member") as s:
            member = validate.get(s, Member, member_id, _("Member"))
            validate.expect_version(member, expected_version)
            fields = self._member_values(values)
            self._check_links(s, fields)
            for key, value in fields.items():
                setattr(member, key, value)
            _drop_leadership(s, member)
            s.flush()
            return member.row_version

    def assign_squad(self, member_id: int, squad_id: int | None, expected_version: int) -> None:
        self.assign_squads([member_id], squad_id, expected_version={member_id: expected_version})

    def assign_squads(self, member_ids: list[int], squad_id: int | None, *,
                      expected_version: dict[int, int]) -> None:
        """Move members to a squad (None: no squad) in one operation: all of them or none. `expected_version`
        holds each member's row version as shown."""
        with self.write("team.assign_squad") as s:
            if squad_id is not None:
                validate.get(s, Squad, squad_id, _("Squad"))
            for member_id in member_ids:
                member = validate.get(s, Member, member_id, _("Member"))
                if member_id not in expected_version:
                    raise TypeError(f"no expected version for member {member_id}")
                validate.expect_version(member, expected_version[member_id])
                member.squad_id = squad_id
                _drop_leadership(s, member)

    def set_member_skill(
        self, member_id: int, skill_code: str, expires_on: date | None = None, certificate_no: str = "",
        issued_on: date | None = None, *, expected_version: int | None,
    ) -> int:
        """Give a member a skill or change its certificate; `expected_version` is the member's skill row version
        as shown (None when the member did not hold it)."""
        with self.write("team.set_member_skill") as s:
            validate.get(s, Member, member_id, _("Member"))
            skill = s.scalar(select(Skill).where(Skill.code == skill_code))
            if skill is None:
                raise ValidationError(_("Unknown skill: {code}").format(code=skill_code), "skill")
            validate.date_order(issued_on, expires_on, "expires_on")
            entry = s.scalar(
                select(MemberSkill).where(MemberSkill.member_id == member_id, MemberSkill.skill_id == skill.id)
            )
            validate.expect_version_or_absent(entry, expected_version)
            if entry is None:
                entry = MemberSkill(member_id=member_id, skill_id=skill.id)
                s.add(entry)
            entry.expires_on = expires_on
            entry.issued_on = issued_on
            entry.certificate_no = certificate_no
            s.flush()
            return entry.id

    def add_unavailability(
        self, member_id: int, kind: UnavailabilityKind, starts_on: date, ends_on: date, note: str = ""
    ) -> int:
        with self.write("team.add_unavailability") as s:
            validate.get(s, Member, member_id, _("Member"))
            validate.date_order(starts_on, ends_on, "ends_on")
            entry = Unavailability(member_id=member_id, kind=kind, starts_on=starts_on, ends_on=ends_on, note=note)
            s.add(entry)
            s.flush()
            return entry.id

    def active_member_count(self) -> int:
        from sqlalchemy import func

        with self.read() as s:
            return s.scalar(select(func.count()).where(Member.status == MemberStatus.ACTIVE)) or 0

    # -- the member editor ------------------------------------------------------------------------
    def member_detail(self, member_id: int) -> overview.MemberDetail:
        with self.read() as s:
            member = validate.get(s, Member, member_id, _("Member"))
            return overview.member_detail(s, member, self.today())

    def save_member(
        self, member_id: int | None, expected_version: int | None, values: dict[str, Any],
        skills: list[SkillEntry], unavailability: list[UnavailabilityEntry],
    ) -> int:
        """The member editor's Save: details, skills and unavailability replaced whole, in one transaction
        (`member_id` None creates the member). Returns the member's id."""
        with self.write("team.save_member") as s:
            fields = self._member_values(values)
            self._check_links(s, fields)
            if member_id is None:
                if "branch_id" not in fields or "name" not in fields:
                    raise ValidationError(_("Choose the member's branch and enter a name."), "branch_id")
                member = Member(**fields)
                s.add(member)
            else:
                member = validate.get(s, Member, member_id, _("Member"))
                validate.expect_version_or_absent(member, expected_version)
                for key, value in fields.items():
                    setattr(member, key, value)
            self._replace_skills(s, member, skills)
            self._replace_unavailability(s, member, unavailability)
            s.flush()
            _drop_leadership(s, member)
            s.flush()
            return member.id

    @staticmethod
    def _replace_skills(s: Session, member: Member, skills: list[SkillEntry]) -> None:
        seen: set[int] = set()
        for row, entry in enumerate(skills, start=1):
            skill = validate.get(s, Skill, entry.skill_id, _("Skill"))
            if entry.skill_id in seen:
                raise ValidationError(_("Skill row {row}: {skill} is listed twice; keep one row.").format(
                    row=row, skill=overview.skill_name(skill)), "skills")
            seen.add(entry.skill_id)
            if entry.issued_on and entry.expires_on and entry.expires_on < entry.issued_on:
                raise ValidationError(_("Skill row {row}: the expiry date is before the issue date.").format(
                    row=row), "skills")
            validate.text(entry.certificate_no, "skills", _("Certificate no."), max_len=100, required=False)
        held = {e.skill_id: e for e in member.skills}
        for skill_id, existing in held.items():
            if skill_id not in seen:
                member.skills.remove(existing)
                s.delete(existing)  # explicitly, so the audit trail sees it (an orphan is not in session.deleted)
        for entry in skills:
            target = held.get(entry.skill_id)
            if target is None:
                target = MemberSkill(skill_id=entry.skill_id)
                member.skills.append(target)
            target.certificate_no = entry.certificate_no.strip()
            target.issued_on = entry.issued_on
            target.expires_on = entry.expires_on

    @staticmethod
    def _replace_unavailability(s: Session, member: Member, periods: list[UnavailabilityEntry]) -> None:
        for row, entry in enumerate(periods, start=1):
            if entry.ends_on < entry.starts_on:
                raise ValidationError(_("Unavailability row {row}: the end date is before the start date.").format(
                    row=row), "unavailability")
            validate.text(entry.note, "unavailability", _("Note"), max_len=500, required=False)
        kept = {e.id for e in periods if e.id is not None}
        existing = {u.id: u for u in member.unavailability}
        for uid, u in existing.items():
            if uid not in kept:
                member.unavailability.remove(u)
                s.delete(u)
        for entry in periods:
            target = existing.get(entry.id) if entry.id is not None else None
            if target is None:
                target = Unavailability(kind=entry.kind, starts_on=entry.starts_on, ends_on=entry.ends_on)
                member.unavailability.append(target)
            target.kind, target.starts_on, target.ends_on = entry.kind, entry.starts_on, entry.ends_on
            target.note = entry.note.strip()

    def remove_member_skill(self, member_id: int, skill_code: str, *, expected_version: int) -> None:
        with self.write("team.remove_member_skill") as s:
            validate.get(s, Member, member_id, _("Member"))
            entry = s.scalar(select(MemberSkill).join(Skill).where(
                MemberSkill.member_id == member_id, Skill.code == skill_code))
            if entry is None:
                raise ValidationError(_("This member does not hold the skill {code}.").format(code=skill_code), "skill")
            validate.expect_version(entry, expected_version)
            s.delete(entry)

    def update_unavailability(
        self, entry_id: int, kind: UnavailabilityKind, starts_on: date, ends_on: date, note: str = "", *,
        expected_version: int,
    ) -> int:
        with self.write("team.update_unavailability") as s:
            entry = validate.get(s, Unavailability, entry_id, _("Unavailability"))
            validate.expect_version(entry, expected_version)
            validate.date_order(starts_on, ends_on, "ends_on")
            entry.kind, entry.starts_on, entry.ends_on = kind, starts_on, ends_on
            entry.note = validate.text(note, "note", _("Note"), max_len=500, required=False)
            s.flush()
            return entry.row_version

    def remove_unavailability(self, entry_id: int, *, expected_version: int) -> None:
        with self.write("team.remove_unavailability") as s:
            entry = validate.get(s, Unavailability, entry_id, _("Unavailability"))
            validate.expect_version(entry, expected_version)
            s.delete(entry)

    # -- squads and the team ----------------------------------------------------------------------
    def set_squad_leader(self, squad_id: int, member_id: int | None, *, expected_version: int) -> None:
        """Make an active member of the squad its leader (None: no leader); `expected_version` is the squad's."""
        with self.write("team.set_squad_leader") as s:
            squad = validate.get(s, Squad, squad_id, _("Squad"))
            validate.expect_version(squad, expected_version)
            if member_id is not None:
                member = validate.get(s, Member, member_id, _("Member"))
                if member.squad_id != squad_id:
                    raise ValidationError(_("{name} is not in {squad}: move them into the squad first.").format(
                        name=member.name, squad=squad.name), "leader")
                if member.status is not MemberStatus.ACTIVE:
                    raise ValidationError(_("{name} is not active, so cannot lead a squad.").format(
                        name=member.name), "leader")
            squad.leader_id = member_id

    def set_squad_min_strength(self, squad_id: int, min_strength: int, *, expected_version: int) -> None:
        with self.write("team.set_squad_min_strength") as s:
            squad = validate.get(s, Squad, squad_id, _("Squad"))
            validate.expect_version(squad, expected_version)
            squad.min_strength = _minimum(min_strength)

    def set_branch_minimum(self, team_id: int, branch_id: int, min_strength: int, *,
                           expected_version: int | None) -> None:
        """The fewest active members the team needs from one branch; `expected_version` is that minimum's row
        version as shown (None when the branch had none)."""
        with self.write("team.set_branch_minimum") as s:
            team = validate.get(s, ResponseTeam, team_id, _("Team"))
            branch = validate.get(s, Branch, branch_id, _("Branch"))
            if branch.port_id != team.port_id:
                raise ValidationError(_("That branch is not at this team's port."), "branch_id")
            n = _minimum(min_strength)
            row = s.scalar(select(TeamBranchMinimum).where(
                TeamBranchMinimum.team_id == team_id, TeamBranchMinimum.branch_id == branch_id))
            validate.expect_version_or_absent(row, expected_version)
            if row is None:
                s.add(TeamBranchMinimum(team_id=team_id, branch_id=branch_id, min_strength=n))
            else:
                row.min_strength = n

    def team_id(self, port_id: int | None = None) -> int:
        """The team of a port (the current port's when None; with every port in scope, the first team)."""
        port_id = port_id if port_id is not None else self.port_id
        with self.read() as s:
            query = select(ResponseTeam.id).order_by(ResponseTeam.id)
            if port_id is not None:
                query = query.where(ResponseTeam.port_id == port_id)
            found = s.scalars(query).all()
        if not found:
            raise DomainError(_("There is no rapid-response team yet. Load the demo port or create the team first."))
        return found[0]

    def team_overview(self, team_id: int, on: date | None = None) -> overview.TeamOverview:
        with self.read() as s:
            team = validate.get(s, ResponseTeam, team_id, _("Team"))
            return overview.team_overview(s, team, on or self.today())

    def squads(self) -> list[tuple[int, str]]:
        """(id, name) of every squad of the current port's team (of every team with every port in scope)."""
        with self.read() as s:
            query = select(Squad).order_by(Squad.team_id, Squad.id)
            if self.port_id is not None:
                query = query.join(ResponseTeam, ResponseTeam.id == Squad.team_id).where(
                    ResponseTeam.port_id == self.port_id)
            return [(q.id, q.name) for q in s.scalars(query)]

    # -- the editable skill list ------------------------------------------------------------------
    def skills(self) -> list[overview.SkillRow]:
        with self.read() as s:
            return overview.skill_rows(s)

    def rename_skill(self, skill_id: int, name_zh: str, name_en: str = "",
                     certificate_required: bool | None = None, *, expected_version: int) -> None:
        with self.write("team.rename_skill") as s:
            skill = validate.get(s, Skill, skill_id, _("Skill"))
            validate.expect_version(skill, expected_version)
            skill.name_zh = validate.text(name_zh, "name_zh", _("Chinese name"), max_len=100)
            skill.name_en = validate.text(name_en, "name_en", _("English name"), max_len=100, required=False)
            if certificate_required is not None:
                skill.certificate_required = certificate_required

    def remove_skill(self, skill_id: int, expected_version: int) -> None:
        """Take a skill off the list; refused while any member holds it."""
        with self.write("team.remove_skill") as s:
            skill = validate.get(s, Skill, skill_id, _("Skill"))
            validate.expect_version(skill, expected_version)
            holders = s.scalar(select(func.count()).select_from(MemberSkill).where(MemberSkill.skill_id == skill_id))
            if holders:
                raise ValidationError(
                    _("{skill} is held by {count} member(s). Remove it from them first; the skill stays on the "
                      "list until nobody holds it.").format(skill=overview.skill_name(skill), count=holders), "skill")
            s.delete(skill)


def _minimum(value: int) -> int:
    if not isinstance(value, int) or value < 0 or value > 999:
        raise ValidationError(_("A minimum strength must be a whole number from 0 to 999."), "min_strength")
    return value


def _drop_leadership(s: Session, member: Member) -> None:
    """A member who leaves a squad (or the team) no longer leads it."""
    for squad in s.scalars(select(Squad).where(Squad.leader_id == member.id)):
        if squad.id != member.squad_id or member.status is MemberStatus.LEFT:
            squad.leader_id = None
