"""The rapid-response team: skills, squads, members, certificates and unavailability.

Member sheets (import/export) are in member_import.py and call-out tests in callouts.py; the member
editor and the roster engine are still to come.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from drillapp.i18n import N_, _
from drillapp.models import Branch, Member, MemberSkill, ResponseTeam, Skill, Squad, Unavailability
from drillapp.models.enums import MemberStatus, SquadKind, UnavailabilityKind
from drillapp.services import validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import ValidationError

_MEMBER_FIELDS = {
    "name": 100, "post": 100, "rank": 100, "phone": 50, "mobile": 50, "email": 200, "notes": 100_000,
}
_FIELD_LABELS = {
    "name": N_("Name"), "post": N_("Post"), "rank": N_("Rank"), "phone": N_("Phone"), "mobile": N_("Mobile"),
    "email": N_("E-mail"), "notes": N_("Notes"), "volunteer_date": N_("Volunteer date"),
    "fitness_date": N_("Fitness test date"), "training_date": N_("Training date"),
}


class TeamService(ServiceBase):
    def create_skill(self, code: str, name_zh: str, name_en: str = "", certificate_required: bool = False) -> int:
        with self.write("team.create_skill") as s:
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

    def update_member(self, member_id: int, expected_version: int | None = None, **values: Any) -> int:
        """Change a member's details; returns the new row version."""
        with self.write("team.update_member") as s:
            member = validate.get(s, Member, member_id, _("Member"))
            validate.expect_version(member, expected_version)
            fields = self._member_values(values)
            self._check_links(s, fields)
            for key, value in fields.items():
                setattr(member, key, value)
            s.flush()
            return member.row_version

    def assign_squad(self, member_id: int, squad_id: int | None) -> None:
        with self.write("team.assign_squad") as s:
            member = validate.get(s, Member, member_id, _("Member"))
            if squad_id is not None:
                validate.get(s, Squad, squad_id, _("Squad"))
            member.squad_id = squad_id

    def set_member_skill(
        self, member_id: int, skill_code: str, expires_on: date | None = None, certificate_no: str = "",
        issued_on: date | None = None,
    ) -> int:
        with self.write("team.set_member_skill") as s:
            validate.get(s, Member, member_id, _("Member"))
            skill = s.scalar(select(Skill).where(Skill.code == skill_code))
            if skill is None:
                raise ValidationError(_("Unknown skill: {code}").format(code=skill_code), "skill")
            validate.date_order(issued_on, expires_on, "expires_on")
            entry = s.scalar(
                select(MemberSkill).where(MemberSkill.member_id == member_id, MemberSkill.skill_id == skill.id)
            )
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
