"""Who is on call, as plain data: the services fill it (services/oncall.py), print-outs and screens read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from drillapp.labels import label
from drillapp.models.enums import Agency, ShiftKind, SquadKind


def shift_kind_label(kind: ShiftKind) -> str:
    """The shift's name in the app's vocabulary (labels.py)."""
    return label(kind)


@dataclass(frozen=True)
class OnCallMember:
    member_id: int
    name: str
    agency: Agency
    branch: str  # the branch's name in the current language
    squad: str  # "" when in no squad
    squad_kind: SquadKind | None
    leader: bool  # leads their squad
    phone: str
    mobile: str
    skills: tuple[str, ...]  # skills valid on the day, in the current language
    duty: str = ""  # the assignment's duty note, if any


@dataclass(frozen=True)
class ShiftOnCall:
    shift_id: int
    port_id: int
    kind: ShiftKind
    starts_at: datetime
    ends_at: datetime
    published: bool
    members: tuple[OnCallMember, ...]


@dataclass(frozen=True)
class MemberDuty:
    shift_id: int
    kind: ShiftKind
    starts_at: datetime
    ends_at: datetime
    duty: str


@dataclass(frozen=True)
class MemberDuties:
    member: OnCallMember
    start: datetime
    end: datetime
    duties: tuple[MemberDuty, ...]


@dataclass(frozen=True)
class LiveRun:
    """A drill run still going, that a call-out test can be part of."""

    run_id: int
    title: str
    started_at: datetime
