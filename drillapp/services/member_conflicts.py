"""Telling a stale sheet row from a fresh one: the data stamp an export writes, and what a row would change.

An exported member sheet carries, for each member, the id and a *data stamp*: the member's `row_version` and
a short digest of its skill entries (id and `row_version` of each: adding, removing or editing a skill
changes it, though it leaves the member's own version alone). When the sheet comes back, a row whose stamp
no longer matches was exported before someone changed that member in the app. If importing it would change
anything (`changes`), it is a `Conflict`: the fields where sheet and app differ, for the user to decide
(keep the app's values, or take the sheet's). Rows whose stamp matches are the newer word and just import.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from drillapp.i18n import _
from drillapp.io.member_sheets import COLUMNS, STATUS_WORDS, MemberRow
from drillapp.models import Member


class Resolution(enum.Enum):
    """What to do with a row changed in the app since the sheet was exported."""

    KEEP_APP = "keep_app"  # leave the member as it is in the app (nothing of the row is imported)
    TAKE_SHEET = "take_sheet"  # import the row as it is in the sheet


@dataclass(frozen=True)
class FieldDifference:
    column: str  # the sheet's header
    sheet: str  # the value in the sheet, as a sheet shows it
    app: str  # the value in the app, likewise


@dataclass(frozen=True)
class Conflict:
    row: int
    member_id: int
    name: str  # the member's name in the app
    differences: tuple[FieldDifference, ...]

    def __str__(self) -> str:
        fields = "; ".join(_("{column} sheet “{sheet}”, app “{app}”").format(
            column=d.column, sheet=d.sheet, app=d.app) for d in self.differences)
        return _("row {row}, {name} (id {id}): changed in the app since the sheet was exported: {fields}").format(
            row=self.row, name=self.name, id=self.member_id, fields=fields)


def data_stamp(member: Member) -> str:
    """The stamp of a member's data as an export writes it (see the module docstring)."""
    entries = sorted((e.skill_id, e.id, e.row_version) for e in member.skills)
    digest = hashlib.sha1(repr(entries).encode()).hexdigest()[:6]
    return f"{member.row_version}-{digest}"


@dataclass(frozen=True)
class Names:
    """How ids are shown in a sheet: branch and squad names, skill names by code."""

    branches: Mapping[int, str]
    squads: Mapping[int, str]
    skills: Mapping[str, str]


def changes(row: MemberRow, member: Member) -> list[str]:
    """The fields importing `row` would change on `member` (name and branch only for a row found by its id;
    skills when a listed one is missing or has another expiry: an import never removes a skill)."""
    out = []
    if row.member_id is not None:
        out += [key for key, now in (("name", member.name), ("branch", member.branch_id))
                if (row.name if key == "name" else row.branch_id) != now]
    out += [key for key, value in row.values.items() if getattr(member, key) != value]
    held = {e.skill.code: e.expires_on for e in member.skills}
    if row.has_skills and any(code not in held or held[code] != expiry for code, expiry in row.skills):
        out.append("skills")
    return out


def conflict(row: MemberRow, member: Member, labels: Mapping[str, str], names: Names) -> Conflict | None:
    """The conflict of a row exported before `member` was changed in the app; None if importing it would
    change nothing."""
    keys = sorted(changes(row, member), key=lambda k: _ORDER.get(_COLUMN.get(k) or k, len(_ORDER)))
    if not keys:
        return None
    held = sorted(((e.skill.code, e.expires_on) for e in member.skills), key=lambda x: names.skills.get(x[0], x[0]))
    differences = []
    for key in keys:
        if key == "skills":
            sheet, app = _skills(row.skills, names), _skills(held, names)
        elif key == "branch":
            sheet, app = names.branches.get(row.branch_id, ""), names.branches.get(member.branch_id, "")
        elif key == "name":
            sheet, app = row.name, member.name
        else:
            sheet, app = _shown(key, row.values[key], names), _shown(key, getattr(member, key), names)
        differences.append(FieldDifference(labels.get(_COLUMN.get(key, key), key), sheet, app))
    return Conflict(row.row, member.id, member.name, tuple(differences))


_ORDER = {key: i for i, (key, _zh, _other) in enumerate(COLUMNS)}
_COLUMN = {"squad_id": "squad"}  # a field stored under another name than its column's


def _skills(skills: Any, names: Names) -> str:
    return ";".join(f"{names.skills.get(code, code)}:{expiry.isoformat()}" if expiry else names.skills.get(code, code)
                    for code, expiry in skills)


def _shown(key: str, value: Any, names: Names) -> str:
    if value is None:
        return ""
    if key == "status":
        return STATUS_WORDS[value][0]
    if key == "squad_id":
        return names.squads.get(value, "")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
