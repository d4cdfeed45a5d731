"""Human labels for the port's vocabulary, in the current language (UI, CLI and print-outs share them)."""

from __future__ import annotations

import enum

from drillapp.i18n import N_, _
from drillapp.models.enums import (
    ActionStatus,
    Agency,
    CalendarEntryKind,
    DrillKind,
    DrillScope,
    DrillStatus,
    IncidentStatus,
    InjectDelivery,
    LogKind,
    MatrixRole,
    MemberStatus,
    ParticipantRole,
    PlanStatus,
    ReminderKind,
    ReportKind,
    ResponsePhase,
    ReviewStatus,
    Role,
    RosterStatus,
    Scenario,
    ScheduleChangeKind,
    SectionKind,
    ShiftKind,
    ShiftPattern,
    SquadKind,
    SwapStatus,
)

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

_LABELS: dict[enum.Enum, str] = {
    Agency.BORDER_INSPECTION: N_("Border inspection"),
    Agency.CUSTOMS: N_("Customs"),
    Agency.QUARANTINE: N_("Inspection & quarantine"),
    Agency.PORT_OFFICE: N_("Port office"),
    Role.ADMINISTRATOR: N_("Administrator"),
    Role.COORDINATOR: N_("Coordinator"),
    Role.DUTY_OFFICER: N_("Duty officer"),
    Role.TEAM_LEAD: N_("Team lead"),
    Role.EVALUATOR: N_("Evaluator"),
    Role.VIEWER: N_("Viewer"),
    MemberStatus.ACTIVE: N_("Active"),
    MemberStatus.ON_LEAVE: N_("On leave"),
    MemberStatus.LEFT: N_("Left"),
    SquadKind.COMMAND: N_("Command and liaison"),
    SquadKind.SECURITY: N_("Security and disposal"),
    SquadKind.MEDICAL: N_("Medical rescue"),
    SquadKind.EVACUATION: N_("Evacuation and guidance"),
    SquadKind.SCREENING: N_("Screening"),
    SquadKind.LOGISTICS: N_("Logistics and communications"),
    Scenario.VIOLENT_ATTACK: N_("Violent or terrorist attack"),
    Scenario.MASS_GATHERING: N_("Mass gathering or disturbance"),
    Scenario.INFECTIOUS_DISEASE: N_("Major infectious disease"),
    Scenario.MEDICAL_RESCUE: N_("Cross-border medical rescue"),
    Scenario.CONTRABAND: N_("Contraband, drugs or weapons"),
    Scenario.ILLEGAL_CROSSING: N_("Illegal border crossing"),
    Scenario.DANGEROUS_GOODS: N_("Dangerous goods leak or fire"),
    Scenario.FIRE_EVACUATION: N_("Fire and evacuation"),
    Scenario.IT_OUTAGE: N_("Clearance IT systems down"),
    Scenario.SEVERE_WEATHER: N_("Severe weather"),
    Scenario.SECURITY_TASK: N_("High-profile security task"),
    Scenario.OTHER: N_("Other"),
    PlanStatus.DRAFT: N_("Draft"),
    PlanStatus.IN_REVIEW: N_("In review"),
    PlanStatus.APPROVED: N_("Approved"),
    PlanStatus.SUPERSEDED: N_("Superseded"),
    PlanStatus.RETIRED: N_("Retired"),
    DrillKind.TABLETOP: N_("Tabletop"),
    DrillKind.LIVE: N_("Live"),
    DrillKind.FUNCTIONAL: N_("Functional"),
    DrillKind.FULL_SCALE: N_("Full-scale"),
    DrillStatus.PLANNED: N_("Planned"),
    DrillStatus.IN_PROGRESS: N_("In progress"),
    DrillStatus.COMPLETED: N_("Completed"),
    DrillStatus.CANCELLED: N_("Cancelled"),
    DrillStatus.READY: N_("Ready"),
    DrillStatus.POSTPONED: N_("Postponed"),
    DrillScope.SINGLE: N_("Single-item"),
    DrillScope.COMPREHENSIVE: N_("Comprehensive"),
    ParticipantRole.PLAYER: N_("Player"),
    ParticipantRole.CONTROLLER: N_("Controller"),
    ParticipantRole.EVALUATOR: N_("Evaluator"),
    ParticipantRole.OBSERVER: N_("Observer"),
    ParticipantRole.SAFETY_OFFICER: N_("Safety officer"),
    InjectDelivery.PHONE: N_("Phone"),
    InjectDelivery.RADIO: N_("Radio"),
    InjectDelivery.PAPER: N_("Paper"),
    InjectDelivery.IN_PERSON: N_("In person"),
    ScheduleChangeKind.MOVED: N_("Moved"),
    ScheduleChangeKind.POSTPONED: N_("Postponed"),
    ScheduleChangeKind.CANCELLED: N_("Cancelled"),
    CalendarEntryKind.HOLIDAY: N_("Public holiday"),
    CalendarEntryKind.BLOCKED: N_("Blocked: no drill"),
    IncidentStatus.ACTIVE: N_("Ongoing"),
    IncidentStatus.STOOD_DOWN: N_("Stood down"),
    ReviewStatus.DRAFT: N_("Draft"),
    ReviewStatus.SIGNED_OFF: N_("Signed off"),
    ActionStatus.OPEN: N_("Open"),
    ActionStatus.IN_PROGRESS: N_("In progress"),
    ActionStatus.DONE: N_("Done"),
    ActionStatus.CANCELLED: N_("Cancelled"),
    LogKind.NOTE: N_("Note"),
    LogKind.INJECT: N_("Inject"),
    LogKind.MUSTER: N_("Muster"),
    LogKind.REPORT: N_("Report"),
    LogKind.DECISION: N_("Decision"),
    LogKind.SYSTEM: N_("System"),
    ReminderKind.PLAN_REVIEW: N_("Plan review"),
    ReminderKind.CERTIFICATE_EXPIRY: N_("Certificate expiry"),
    ReminderKind.DRILL: N_("Drill"),
    ReminderKind.CORRECTIVE_ACTION: N_("Corrective action"),
    ReminderKind.GENERAL: N_("Reminder"),
    ResponsePhase.ACTIVATION: N_("Activation"),
    ResponsePhase.ALERT: N_("Alert"),
    ResponsePhase.FIRST_RESPONSE: N_("First response"),
    ResponsePhase.ESCALATION: N_("Escalation"),
    ResponsePhase.CONTAINMENT: N_("Containment"),
    ResponsePhase.RECOVERY: N_("Recovery"),
    ResponsePhase.STAND_DOWN: N_("Stand-down"),
    SectionKind.GENERAL: N_("General provisions"),
    SectionKind.ORGANISATION: N_("Organisation and responsibilities"),
    SectionKind.CLASSIFICATION: N_("Classification and response levels"),
    SectionKind.EARLY_WARNING: N_("Monitoring and early warning"),
    SectionKind.RESPONSE: N_("Emergency response"),
    SectionKind.POST_INCIDENT: N_("Post-incident"),
    SectionKind.SUPPORT: N_("Support"),
    SectionKind.APPENDICES: N_("Appendices"),
    MatrixRole.LEAD: N_("Lead"),
    MatrixRole.SUPPORT: N_("Support role"),
    ReportKind.INITIAL: N_("Initial report"),
    ReportKind.FOLLOW_UP: N_("Follow-up report"),
    ReportKind.FINAL: N_("Final report"),
    ShiftPattern.DUTY_24H: N_("24 h duty from 08:00"),
    ShiftPattern.DAY_NIGHT: N_("Day and night shifts"),
    ShiftKind.DUTY_24H: N_("24-hour duty"),
    ShiftKind.DAY: N_("Day shift"),
    ShiftKind.NIGHT: N_("Night shift"),
    RosterStatus.DRAFT: N_("Draft roster"),
    RosterStatus.PUBLISHED: N_("Published"),
    SwapStatus.REQUESTED: N_("Requested"),
    SwapStatus.APPROVED: N_("Approved"),
    SwapStatus.REJECTED: N_("Rejected"),
}


#: How a roster search ended (the solver's status, stored with the period), in a team lead's words.
_SOLVER_STATUS = {
    "OPTIMAL": N_("no better roster is possible"),
    "FEASIBLE": N_("a better one may exist (give it more time)"),
    "STOPPED": N_("stopped by you"),
    "INFEASIBLE": N_("impossible"),
    "UNKNOWN": N_("nothing found in time"),
    "DEMO": N_("made with the demo data"),
}


def solver_status_label(status: str | None) -> str:
    if not status:
        return ""
    return _(_SOLVER_STATUS[status]) if status in _SOLVER_STATUS else status


def label(value: enum.Enum | None) -> str:
    if value is None:
        return ""
    return _(_LABELS.get(value, str(value.value)))


def level_label(level: int | None) -> str:
    if level is None:
        return _("All levels")
    return _("Level {roman}").format(roman=ROMAN.get(level, str(level)))
