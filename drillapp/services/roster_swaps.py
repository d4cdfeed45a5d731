"""Swaps after a roster is out: member A hands a shift to member B, who takes it outright or hands one of
theirs back. A swap is requested, then approved (checked against the hard rules, then applied) or
rejected; each step is an audited write. Part of RosterService (services/roster.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from drillapp.i18n import _
from drillapp.models import Member, OnCallShift, RosterPeriod, ShiftAssignment, ShiftSwap
from drillapp.models.enums import ShiftKind, SwapStatus
from drillapp.roster import check
from drillapp.services import validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import ValidationError
from drillapp.services.roster_problem import build_problem, current_assignment


@dataclass(frozen=True)
class SwapInfo:
    id: int
    period_id: int
    shift_a_id: int
    shift_a_start: datetime
    shift_a_kind: ShiftKind
    member_a_id: int
    member_a_name: str
    shift_b_id: int | None
    shift_b_start: datetime | None
    member_b_id: int
    member_b_name: str
    status: SwapStatus
    requested_at: datetime
    decided_at: datetime | None
    reason: str
    row_version: int = 1


def _on(s, shift_id: int, member_id: int) -> ShiftAssignment | None:  # noqa: ANN001
    return s.scalar(select(ShiftAssignment).where(ShiftAssignment.shift_id == shift_id,
                                                  ShiftAssignment.member_id == member_id))


class SwapOps(ServiceBase):
    """Mixed into RosterService (which supplies write/read/actor/clock)."""

    def request_swap(self, period_id: int, shift_a_id: int, member_a_id: int, member_b_id: int,
                     shift_b_id: int | None = None, reason: str = "") -> int:
        with self.write("roster.request_swap") as s:
            period = validate.get(s, RosterPeriod, period_id, _("Roster period"))
            a = validate.get(s, Member, member_a_id, _("Member"))
            b = validate.get(s, Member, member_b_id, _("Member"))
            if a.id == b.id:
                raise ValidationError(_("A member cannot swap with themselves: choose another member."), "member_b")
            shifts = [validate.get(s, OnCallShift, i, _("Shift")) for i in (shift_a_id, shift_b_id) if i is not None]
            if any(x.period_id != period.id for x in shifts):
                raise ValidationError(_("Both shifts must belong to the roster period {name}.").format(name=period.name))
            if _on(s, shift_a_id, a.id) is None:
                raise ValidationError(_("{name} is not on the shift to be handed over.").format(name=a.name), "shift_a")
            if _on(s, shift_a_id, b.id) is not None:
                raise ValidationError(_("{name} is already on that shift.").format(name=b.name), "member_b")
            if shift_b_id is not None:
                if shift_b_id == shift_a_id:
                    raise ValidationError(_("Choose a different shift to take in return."), "shift_b")
                if _on(s, shift_b_id, b.id) is None:
                    raise ValidationError(_("{name} is not on the shift offered in return.").format(name=b.name),
                                          "shift_b")
                if _on(s, shift_b_id, a.id) is not None:
                    raise ValidationError(_("{name} is already on that shift.").format(name=a.name), "shift_b")
            swap = ShiftSwap(period_id=period.id, shift_a_id=shift_a_id, member_a_id=a.id, shift_b_id=shift_b_id,
                             member_b_id=b.id, status=SwapStatus.REQUESTED,
                             requested_by_id=self.actor.user_id, requested_at=self.clock(),
                             reason=validate.long_text(reason, "reason", _("Reason")))
            s.add(swap)
            s.flush()
            return swap.id

    def approve_swap(self, swap_id: int, *, expected_version: int) -> None:
        """Apply a requested swap (at `expected_version`, as shown); refused, naming the rules, if it would break
        a hard rule the roster kept before."""
        with self.write("roster.approve_swap") as s:
            swap = self._open_swap(s, swap_id)
            validate.expect_version(swap, expected_version)
            period = validate.get(s, RosterPeriod, swap.period_id, _("Roster period"))
            problem = build_problem(s, period)
            before = {(v.rule, v.person, v.day) for v in check.violations(problem, current_assignment(s, period)[0])}
            row_a = _on(s, swap.shift_a_id, swap.member_a_id)
            row_b = _on(s, swap.shift_b_id, swap.member_b_id) if swap.shift_b_id is not None else None
            if row_a is None or (swap.shift_b_id is not None and row_b is None):
                raise ValidationError(_("The roster changed since the swap was asked for: reject it and ask again."))
            taken = _on(s, swap.shift_a_id, swap.member_b_id) or (
                _on(s, swap.shift_b_id, swap.member_a_id) if swap.shift_b_id is not None else None)
            if taken is not None:
                raise ValidationError(_("The roster changed since the swap was asked for: reject it and ask again."))
            row_a.member_id = swap.member_b_id
            if row_b is not None:
                row_b.member_id = swap.member_a_id
            s.flush()
            s.expire_all()
            after = check.violations(problem, current_assignment(s, period)[0])
            new = [v for v in after if (v.rule, v.person, v.day) not in before]
            if new:
                listed = "\n".join(f"- {v.message}" for v in new[:10])
                raise ValidationError(_("The swap would break these rules, so it was not made:\n{list}").format(
                    list=listed))
            swap = validate.get(s, ShiftSwap, swap_id, _("Swap"))
            swap.status, swap.decided_by_id, swap.decided_at = (
                SwapStatus.APPROVED, self.actor.user_id, self.clock())

    def reject_swap(self, swap_id: int, reason: str = "", *, expected_version: int) -> None:
        with self.write("roster.reject_swap") as s:
            swap = self._open_swap(s, swap_id)
            validate.expect_version(swap, expected_version)
            swap.status, swap.decided_by_id, swap.decided_at = (
                SwapStatus.REJECTED, self.actor.user_id, self.clock())
            if reason.strip():
                swap.reason = validate.long_text(
                    (swap.reason + "\n" if swap.reason else "") + _("Rejected: {reason}").format(reason=reason.strip()),
                    "reason", _("Reason"))

    @staticmethod
    def _open_swap(s, swap_id: int) -> ShiftSwap:  # noqa: ANN001
        swap = validate.get(s, ShiftSwap, swap_id, _("Swap"))
        if swap.status is not SwapStatus.REQUESTED:
            raise ValidationError(_("This swap has already been decided."), "status")
        return swap

    def swaps(self, period_id: int) -> list[SwapInfo]:
        with self.read() as s:
            rows = list(s.scalars(select(ShiftSwap).where(ShiftSwap.period_id == period_id)
                                  .order_by(ShiftSwap.requested_at.desc(), ShiftSwap.id.desc())))
            out = []
            for w in rows:
                a = validate.get(s, OnCallShift, w.shift_a_id, _("Shift"))
                b = s.get(OnCallShift, w.shift_b_id) if w.shift_b_id else None
                member_a = validate.get(s, Member, w.member_a_id, _("Member"))
                member_b = validate.get(s, Member, w.member_b_id, _("Member"))
                out.append(SwapInfo(
                    w.id, w.period_id, w.shift_a_id, a.starts_at, a.kind, w.member_a_id, member_a.name,
                    w.shift_b_id, b.starts_at if b else None, w.member_b_id, member_b.name,
                    w.status, w.requested_at, w.decided_at, w.reason, w.row_version))
            return out

