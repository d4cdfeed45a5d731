"""What a roster solve reads before its search: the period's problem, its saved roster as the starting point, the
hand edits to keep pinned, and the row version to save against.

`PeriodLoader` reads it in a process of its own (the roster search's child, roster/isolated.py): it pickles, and
opens the database itself from its URL, on the port's clock the caller had. Read in the desktop app's own process,
the thousand members turned into objects are Python that the GUI thread waits for while it paints the grid.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from drillapp import clock as port_clock
from drillapp.i18n import _
from drillapp.models import RosterPeriod
from drillapp.models.enums import RosterStatus
from drillapp.roster.isolated import Loaded
from drillapp.services import audit, validate
from drillapp.services.errors import ValidationError
from drillapp.services.roster_problem import build_problem, current_assignment


def require_draft(period: RosterPeriod) -> None:
    if period.status is RosterStatus.PUBLISHED:
        raise ValidationError(_(
            "The roster {name} is published: change it by a swap between members, not by editing."
        ).format(name=period.name), "status")


def read_solve_input(s: Session, period_id: int, expected_version: int, keep_manual: bool) -> Loaded:
    """The solve's input as the period stands; its context is the period's row version read and the cells kept
    pinned (saved as hand edits again)."""
    period = validate.get(s, RosterPeriod, period_id, _("Roster period"))
    validate.expect_version(period, expected_version)
    require_draft(period)
    problem = build_problem(s, period)
    hint, rows = current_assignment(s, period)
    # hand edits stay where the team lead put them: pinned, the solver fills in around them
    fixed: dict[tuple[str, int], str | None] = {
        (str(a.member_id), d): code for (d, code), shift in rows.items() for a in shift.assignments if a.manual
    } if keep_manual else {}
    return Loaded(problem, hint or None, fixed or None, (period.row_version, frozenset(fixed)))


@dataclass(frozen=True)
class PeriodLoader:
    """`read_solve_input` in a fresh process: the database at `url`, the port's clock in `zone`."""

    url: str
    zone: str
    period_id: int
    expected_version: int
    keep_manual: bool

    def __call__(self) -> Loaded:
        from drillapp.db import Database

        port_clock.use_zone(self.zone)
        database = Database.open(self.url)
        try:
            with database.session_factory() as s:
                audit.bind_read_only(s)
                return read_solve_input(s, self.period_id, self.expected_version, self.keep_manual)
        finally:
            database.dispose()
