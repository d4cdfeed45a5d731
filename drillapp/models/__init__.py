"""SQLAlchemy models, one module per area. Importing this package registers every table on Base.metadata."""

from drillapp.models.audit import AuditEntry, AuditSeal
from drillapp.models.base import Base
from drillapp.models.callouts import CalloutResponse, CalloutTest
from drillapp.models.drills import (
    Drill,
    DrillObjective,
    DrillObjectiveAction,
    DrillParticipant,
    DrillScheduleChange,
    DrillSeries,
    Inject,
    PortCalendarEntry,
    PortSetting,
)
from drillapp.models.incidents import IncidentReport, IncidentTask
from drillapp.models.org import Branch, Port, User
from drillapp.models.plans import (
    ContingencyPlan,
    PlanAction,
    PlanContact,
    PlanResource,
    PlanSection,
    PlanVersion,
    ResponseLevel,
    ResponsibilityEntry,
)
from drillapp.models.reminders import Reminder
from drillapp.models.reviews import (
    AfterActionReview,
    CorrectiveAction,
    Finding,
    HotWashNote,
    ObjectiveRating,
    ReviewAmendment,
)
from drillapp.models.roster import OnCallShift, RosterPeriod, RosterPreference, ShiftAssignment, ShiftSwap
from drillapp.models.runs import (
    ChecklistEntry,
    ChecklistEvent,
    DrillRun,
    Incident,
    LogEntry,
    RunInject,
    TabletopMark,
)
from drillapp.models.team import (
    Member,
    MemberSkill,
    ResponseTeam,
    Skill,
    Squad,
    TeamBranchMinimum,
    Unavailability,
)

__all__ = [
    "AfterActionReview", "AuditEntry", "AuditSeal", "Base", "Branch", "CalloutResponse", "CalloutTest", "ChecklistEntry",
    "ChecklistEvent", "ContingencyPlan",
    "CorrectiveAction", "Drill", "DrillObjective", "DrillObjectiveAction", "DrillParticipant", "DrillRun",
    "DrillScheduleChange", "DrillSeries", "Finding", "HotWashNote", "PortCalendarEntry", "PortSetting",
    "Incident", "IncidentReport", "IncidentTask", "Inject", "LogEntry", "Member", "MemberSkill", "ObjectiveRating", "OnCallShift",
    "PlanAction", "PlanContact", "PlanResource", "PlanSection", "PlanVersion", "Port", "Reminder",
    "ResponseLevel", "ResponseTeam", "ResponsibilityEntry", "ReviewAmendment", "RosterPeriod", "RunInject", "TabletopMark", "RosterPreference", "ShiftAssignment",
    "ShiftSwap", "Skill", "Squad", "TeamBranchMinimum", "Unavailability", "User",
]
