"""The port's vocabulary as Python enums (stored by value)."""

from __future__ import annotations

import enum


class Agency(enum.Enum):
    """The four joint-inspection agencies of a port."""

    BORDER_INSPECTION = "border_inspection"
    CUSTOMS = "customs"
    QUARANTINE = "quarantine"
    PORT_OFFICE = "port_office"


class PortKind(enum.Enum):
    ROAD = "road"
    RAIL = "rail"


class Role(enum.Enum):
    ADMINISTRATOR = "administrator"
    COORDINATOR = "coordinator"
    DUTY_OFFICER = "duty_officer"
    TEAM_LEAD = "team_lead"
    EVALUATOR = "evaluator"
    VIEWER = "viewer"


class MemberStatus(enum.Enum):
    ACTIVE = "active"
    ON_LEAVE = "on_leave"
    LEFT = "left"


class SquadKind(enum.Enum):
    COMMAND = "command"  # command and liaison
    SECURITY = "security"  # security and disposal
    MEDICAL = "medical"  # medical rescue
    EVACUATION = "evacuation"  # evacuation and guidance
    SCREENING = "screening"
    LOGISTICS = "logistics"  # logistics and communications


class UnavailabilityKind(enum.Enum):
    LEAVE = "leave"
    COURSE = "course"
    BLACKOUT = "blackout"


class Scenario(enum.Enum):
    VIOLENT_ATTACK = "violent_attack"
    MASS_GATHERING = "mass_gathering"
    INFECTIOUS_DISEASE = "infectious_disease"
    MEDICAL_RESCUE = "medical_rescue"
    CONTRABAND = "contraband"
    ILLEGAL_CROSSING = "illegal_crossing"
    DANGEROUS_GOODS = "dangerous_goods"
    FIRE_EVACUATION = "fire_evacuation"
    IT_OUTAGE = "it_outage"
    SEVERE_WEATHER = "severe_weather"
    SECURITY_TASK = "security_task"
    OTHER = "other"


class PlanStatus(enum.Enum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    SUPERSEDED = "superseded"
    RETIRED = "retired"


class SectionKind(enum.Enum):
    GENERAL = "general"
    ORGANISATION = "organisation"
    CLASSIFICATION = "classification"
    EARLY_WARNING = "early_warning"
    RESPONSE = "response"
    POST_INCIDENT = "post_incident"
    SUPPORT = "support"
    APPENDICES = "appendices"


class ResponsePhase(enum.Enum):
    ACTIVATION = "activation"
    ALERT = "alert"
    FIRST_RESPONSE = "first_response"
    ESCALATION = "escalation"
    CONTAINMENT = "containment"
    RECOVERY = "recovery"
    STAND_DOWN = "stand_down"


class ReportKind(enum.Enum):
    INITIAL = "initial"
    FOLLOW_UP = "follow_up"
    FINAL = "final"


class MatrixRole(enum.Enum):
    LEAD = "lead"
    SUPPORT = "support"


class DrillKind(enum.Enum):
    TABLETOP = "tabletop"
    LIVE = "live"
    FUNCTIONAL = "functional"
    FULL_SCALE = "full_scale"


class DrillScope(enum.Enum):
    SINGLE = "single"
    COMPREHENSIVE = "comprehensive"


class DrillStatus(enum.Enum):
    PLANNED = "planned"
    READY = "ready"  # designed and briefed: waiting for its day
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"  # moved to a later date (the original date is in drill_schedule_change)


#: A drill that is still to happen (may be moved, designed, run, reminded of).
DRILL_TO_COME = frozenset({DrillStatus.PLANNED, DrillStatus.READY, DrillStatus.POSTPONED})


class ParticipantRole(enum.Enum):
    PLAYER = "player"
    CONTROLLER = "controller"
    EVALUATOR = "evaluator"
    OBSERVER = "observer"
    SAFETY_OFFICER = "safety_officer"


class InjectDelivery(enum.Enum):
    PHONE = "phone"
    RADIO = "radio"
    PAPER = "paper"
    IN_PERSON = "in_person"


class ScheduleChangeKind(enum.Enum):
    MOVED = "moved"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


class CalendarEntryKind(enum.Enum):
    HOLIDAY = "holiday"  # a public holiday: counts with weekends in the roster's fair share
    BLOCKED = "blocked"  # no drill in these days (Spring Festival week, National Day week, the port's own)


class RunStatus(enum.Enum):
    RUNNING = "running"
    ENDED = "ended"


class LogKind(enum.Enum):
    NOTE = "note"
    INJECT = "inject"
    MUSTER = "muster"
    REPORT = "report"
    DECISION = "decision"
    SYSTEM = "system"
    PAUSE = "pause"  # the drill's clock stops (and the targets with it)
    RESUME = "resume"
    # an incident log's categories (issue 11): decision, action, information, communication, report
    ACTION = "action"
    INFORMATION = "information"
    COMMUNICATION = "communication"
    HANDOVER = "handover"  # one duty officer hands the incident over to the next


class ItemState(enum.Enum):
    """Where a checklist item stands now (its events are the record of how it got there)."""

    OPEN = "open"
    DONE = "done"
    NOT_APPLICABLE = "na"
    SKIPPED = "skipped"


class EventAction(enum.Enum):
    """One checklist event: a tick (done, not applicable, skipped with a reason), a reopen, or a note."""

    DONE = "done"
    NOT_APPLICABLE = "na"
    SKIPPED = "skipped"
    REOPEN = "reopen"
    NOTE = "note"


class InjectStatus(enum.Enum):
    """What the controller did with an inject of the MSEL."""

    DELIVERED = "delivered"
    DELAYED = "delayed"
    SKIPPED = "skipped"


class MarkStatus(enum.Enum):
    """A tabletop's record of one expected action: talked through, handled well enough, or a gap."""

    DISCUSSED = "discussed"
    ADEQUATE = "adequate"
    GAP = "gap"


class IncidentStatus(enum.Enum):
    ACTIVE = "active"
    STOOD_DOWN = "stood_down"


class IncidentReportStatus(enum.Enum):
    """A situation report (初报, 续报, 终报): edited as a draft, then issued: numbered and frozen."""

    DRAFT = "draft"
    ISSUED = "issued"


class ReviewStatus(enum.Enum):
    DRAFT = "draft"
    SIGNED_OFF = "signed_off"


class Rating(enum.Enum):
    """HSEEP's four ratings of an objective (AQ/T 9009 says the same in words)."""

    P = "P"  # performed without challenges
    S = "S"  # performed with some challenges
    M = "M"  # performed with major challenges
    U = "U"  # unable to be performed


class FindingKind(enum.Enum):
    STRENGTH = "strength"
    IMPROVEMENT = "improvement"


class FindingSource(enum.Enum):
    """Where a finding came from: an evaluator, a hot-wash note, a tabletop's gap."""

    EVALUATOR = "evaluator"
    HOT_WASH = "hot_wash"
    TABLETOP = "tabletop"


class HotWashKind(enum.Enum):
    WENT_WELL = "went_well"
    TO_IMPROVE = "to_improve"


class Capability(enum.Enum):
    """The capability element a corrective action works on (HSEEP's POETE)."""

    PLAN = "plan"
    ORGANISATION = "organisation"
    EQUIPMENT = "equipment"
    TRAINING = "training"
    EXERCISE = "exercise"


class PlanPart(enum.Enum):
    """The part of a plan a finding points at."""

    SECTION = "section"
    ACTION = "action"
    CONTACT = "contact"
    RESOURCE = "resource"


class ActionStatus(enum.Enum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class ShiftKind(enum.Enum):
    DAY = "day"
    NIGHT = "night"
    DUTY_24H = "duty_24h"


class ShiftPattern(enum.Enum):
    DUTY_24H = "duty_24h"  # one 24 h duty a day from 08:00
    DAY_NIGHT = "day_night"  # day 08:00-20:00 and night 20:00-08:00


class RosterStatus(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"


class SwapStatus(enum.Enum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"


class ReminderKind(enum.Enum):
    PLAN_REVIEW = "plan_review"
    CERTIFICATE_EXPIRY = "certificate_expiry"
    DRILL = "drill"
    CORRECTIVE_ACTION = "corrective_action"
    GENERAL = "general"


class ReminderStatus(enum.Enum):
    PENDING = "pending"
    DONE = "done"
    DISMISSED = "dismissed"


class CalloutStatus(enum.Enum):
    RUNNING = "running"
    ENDED = "ended"
