"""The operations: every change a user can make is a named method here, run as one transaction, checked
against the permission table and recorded in the audit trail. The UI and the CLI call only these.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from drillapp.clock import Clock, utcnow

if TYPE_CHECKING:
    from drillapp.db import Database
    from drillapp.services.action_tracker import ActionTrackerService
    from drillapp.services.audit_seal import AuditSealService
    from drillapp.services.callouts import CalloutService
    from drillapp.services.context import Actor, PortScope
    from drillapp.services.coverage import CoverageService
    from drillapp.services.dashboard import DashboardService
    from drillapp.services.drill_calendar import DrillCalendarService
    from drillapp.services.drill_participants import ParticipantService
    from drillapp.services.drill_series import SeriesService
    from drillapp.services.drills import DrillService
    from drillapp.services.incidents import IncidentService
    from drillapp.services.lists import ListService
    from drillapp.services.msel import MselService
    from drillapp.services.oncall import OnCallService
    from drillapp.services.org import OrgService
    from drillapp.services.plan_revisions import PlanRevisionService
    from drillapp.services.plans import PlanService
    from drillapp.services.port_calendar import PortCalendarService, PortSettingsService
    from drillapp.services.programme import ProgrammeService
    from drillapp.services.reminders import ReminderService
    from drillapp.services.review_read import ReviewReadService
    from drillapp.services.reviews import ReviewService
    from drillapp.services.roster import RosterService
    from drillapp.services.run_console import RunConsoleService
    from drillapp.services.runs import RunService
    from drillapp.services.team import TeamService
    from drillapp.services.trends import TrendService
    from drillapp.services.users import UserService


class Services:
    """All services for one actor on one database. Hand a widget the one service it needs, not this."""

    def __init__(self, db: Database, actor: Actor, clock: Clock = utcnow, scope: PortScope | None = None) -> None:
        from drillapp.services.context import ALL_PORTS

        self.db, self.actor, self.clock = db, actor, clock
        self.scope = scope or ALL_PORTS

    def _make(self, cls):  # noqa: ANN001, ANN202
        return cls(self.db, self.actor, self.clock, self.scope)

    @cached_property
    def org(self) -> OrgService:
        from drillapp.services.org import OrgService

        return self._make(OrgService)

    @cached_property
    def audit_seal(self) -> AuditSealService:
        from drillapp.services.audit_seal import AuditSealService

        return self._make(AuditSealService)

    @cached_property
    def users(self) -> UserService:
        from drillapp.services.users import UserService

        return self._make(UserService)

    @cached_property
    def team(self) -> TeamService:
        from drillapp.services.team import TeamService

        return self._make(TeamService)

    @cached_property
    def plans(self) -> PlanService:
        from drillapp.services.plans import PlanService

        return self._make(PlanService)

    @cached_property
    def revisions(self) -> PlanRevisionService:
        from drillapp.services.plan_revisions import PlanRevisionService

        return self._make(PlanRevisionService)

    @cached_property
    def drills(self) -> DrillService:
        from drillapp.services.drills import DrillService

        return self._make(DrillService)

    @cached_property
    def runs(self) -> RunService:
        from drillapp.services.runs import RunService

        return self._make(RunService)

    @cached_property
    def console(self) -> RunConsoleService:
        """Reading a run for the drill console (snapshot, view at a moment, tabletop, log check)."""
        from drillapp.services.run_console import RunConsoleService

        return self._make(RunConsoleService)

    @cached_property
    def incidents(self) -> IncidentService:
        """Real incidents: open, level, tasks, reports, hand-over, stand-down, and reading them."""
        from drillapp.services.incidents import IncidentService

        return self._make(IncidentService)

    @cached_property
    def reviews(self) -> ReviewService:
        from drillapp.services.reviews import ReviewService

        return self._make(ReviewService)

    @cached_property
    def review_docs(self) -> ReviewReadService:
        """Reading a review (editor, AAR print-out) and a run's record."""
        from drillapp.services.review_read import ReviewReadService

        return self._make(ReviewReadService)

    @cached_property
    def tracker(self) -> ActionTrackerService:
        from drillapp.services.action_tracker import ActionTrackerService

        return self._make(ActionTrackerService)

    @cached_property
    def trends(self) -> TrendService:
        from drillapp.services.trends import TrendService

        return self._make(TrendService)

    @cached_property
    def reminders(self) -> ReminderService:
        from drillapp.services.reminders import ReminderService

        return self._make(ReminderService)

    @cached_property
    def dashboard(self) -> DashboardService:
        from drillapp.services.dashboard import DashboardService

        return self._make(DashboardService)

    @cached_property
    def lists(self) -> ListService:
        from drillapp.services.lists import ListService

        return self._make(ListService)

    @cached_property
    def callouts(self) -> CalloutService:
        from drillapp.services.callouts import CalloutService

        return self._make(CalloutService)

    @cached_property
    def oncall(self) -> OnCallService:
        from drillapp.services.oncall import OnCallService

        return self._make(OnCallService)

    @cached_property
    def roster(self) -> RosterService:
        from drillapp.services.roster import RosterService

        return self._make(RosterService)

    @cached_property
    def series(self) -> SeriesService:
        from drillapp.services.drill_series import SeriesService

        return self._make(SeriesService)

    @cached_property
    def port_calendar(self) -> PortCalendarService:
        from drillapp.services.port_calendar import PortCalendarService

        return self._make(PortCalendarService)

    @cached_property
    def coverage(self) -> CoverageService:
        from drillapp.services.coverage import CoverageService

        return self._make(CoverageService)

    @cached_property
    def participants(self) -> ParticipantService:
        from drillapp.services.drill_participants import ParticipantService

        return self._make(ParticipantService)

    @cached_property
    def programme(self) -> ProgrammeService:
        from drillapp.services.programme import ProgrammeService

        return self._make(ProgrammeService)

    @cached_property
    def msel(self) -> MselService:
        from drillapp.services.msel import MselService

        return self._make(MselService)

    @cached_property
    def drill_calendar(self) -> DrillCalendarService:
        from drillapp.services.drill_calendar import DrillCalendarService

        return self._make(DrillCalendarService)

    @cached_property
    def port_settings(self) -> PortSettingsService:
        from drillapp.services.port_calendar import PortSettingsService

        return self._make(PortSettingsService)
