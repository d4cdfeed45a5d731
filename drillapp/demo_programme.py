"""The demo port's drill programme on top of its year of drills (drillapp/demo.py): the port calendar
(public holidays, and the Spring Festival and National Day weeks blocked, this year and next), designs for
the drills (objectives tied to the plan's actions, the four branches and members in their roles, the
scenario and an MSEL that fit the drill's plan, from drillapp/demo_scenarios.py), a monthly live drill as a
series, two plans with their own exercise interval, the port's reminder leads, and one member linked to the
acting user's account.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from drillapp.clock import from_local
from drillapp.demo_scenarios import DemoScenario, demo_scenario
from drillapp.models import (
    Drill,
    DrillObjective,
    DrillObjectiveAction,
    DrillParticipant,
    DrillSeries,
    PlanAction,
    PlanVersion,
    PortCalendarEntry,
    PortSetting,
)
from drillapp.models.enums import (
    Agency,
    CalendarEntryKind,
    DrillKind,
    DrillScope,
    ParticipantRole,
    PlanStatus,
    ReportKind,
    Scenario,
)
from drillapp.scheduling.recurrence import occurrences, parse_rule
from drillapp.services.drill_reminders import DEFAULT_LEADS

#: The first day of the Spring Festival (lunar new year), by year: it moves every year.
SPRING_FESTIVAL = {
    2024: date(2024, 2, 10), 2025: date(2025, 1, 29), 2026: date(2026, 2, 17), 2027: date(2027, 2, 6),
    2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3), 2031: date(2031, 1, 23),
    2032: date(2032, 2, 11), 2033: date(2033, 1, 31), 2034: date(2034, 2, 19), 2035: date(2035, 2, 8),
}


def _calendar(b: Any) -> None:
    for year in (b.today.year, b.today.year + 1):
        new_year = SPRING_FESTIVAL.get(year)
        entries = [(CalendarEntryKind.HOLIDAY, "元旦", date(year, 1, 1), date(year, 1, 1)),
                   (CalendarEntryKind.HOLIDAY, "劳动节", date(year, 5, 1), date(year, 5, 5)),
                   (CalendarEntryKind.HOLIDAY, "国庆节", date(year, 10, 1), date(year, 10, 7)),
                   (CalendarEntryKind.BLOCKED, "国庆黄金周（客流高峰，不安排演练）", date(year, 10, 1), date(year, 10, 7))]
        if new_year is not None:
            entries += [(CalendarEntryKind.HOLIDAY, "春节", new_year - timedelta(days=1), new_year + timedelta(days=6)),
                        (CalendarEntryKind.BLOCKED, "春节假期（不安排演练）", new_year - timedelta(days=1),
                         new_year + timedelta(days=6))]
        for kind, name, first, last in entries:
            b.s.add(PortCalendarEntry(port_id=b.port.id, kind=kind, name=name, starts_on=first, ends_on=last))


def _actions(b: Any, plan_id: int, level: int | None) -> list[PlanAction]:
    version = b.s.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan_id,
                                                   PlanVersion.status == PlanStatus.APPROVED))
    if version is None:
        return []
    return [a for a in version.actions if a.level is None or level is None or a.level == level]


def _setting(b: Any, drill: Drill) -> DemoScenario:
    """The scenario and MSEL that fit the drill's plan (drillapp/demo_scenarios.py)."""
    plan = next((p for p in b.plans if p.id == drill.plan_id), None)
    return demo_scenario(plan.scenario if plan is not None else None)


def _design(b: Any, drill: Drill, roles: list[tuple[int, ParticipantRole]]) -> None:
    actions = _actions(b, drill.plan_id, drill.level) if drill.plan_id is not None else []
    muster = [a for a in actions if a.agency is Agency.BORDER_INSPECTION][:2]
    report = [a for a in actions if a.report_due is ReportKind.INITIAL or a.agency is Agency.PORT_OFFICE][:2]
    for objective, linked in zip(drill.objectives, (muster, report), strict=False):
        objective.actions = [DrillObjectiveAction(plan_action_id=a.id) for a in linked]
    drill.scope = DrillScope.COMPREHENSIVE
    drill.participants = [DrillParticipant(branch_id=branch.id, role=ParticipantRole.PLAYER)
                          for branch in b.port.branches]
    drill.participants += [DrillParticipant(member_id=member_id, role=role) for member_id, role in roles]
    drill.scenario_text = drill.scenario_text or _setting(b, drill).text
    drill.safety_notes = drill.safety_notes or "使用训练器材，严禁实弹；安全员全程在场，发现险情立即叫停。"
    drill.owner_id = b.user_id


def add_programme(b: Any) -> None:
    s = b.s
    _calendar(b)
    s.add(PortSetting(port_id=b.port.id, drill_reminder_minutes=list(DEFAULT_LEADS)))
    s.flush()
    controller, evaluator, safety = b.members[0], b.members[1], b.members[2]
    if b.user_id is not None:
        controller.user_id = b.user_id
    roles = [(controller.id, ParticipantRole.CONTROLLER), (evaluator.id, ParticipantRole.EVALUATOR),
             (safety.id, ParticipantRole.SAFETY_OFFICER)]
    drills = list(s.scalars(select(Drill).where(Drill.port_id == b.port.id).order_by(Drill.scheduled_start)))
    for drill in drills:
        if drill.kind is DrillKind.TABLETOP and not drill.objectives:
            drill.objectives = [DrillObjective(position=0, text="各单位明确职责分工和信息报送流程"),
                                DrillObjective(position=1, text="30分钟内完成初报")]
        _design(b, drill, roles)
        if drill.kind is DrillKind.TABLETOP:
            drill.injects = _setting(b, drill).tabletop_injects()
    s.flush()
    for drill in drills:
        for inject in drill.injects:
            if drill.objectives and inject.number in (3,):
                inject.objective_id = drill.objectives[-1].id
    by_scenario = {p.scenario: p for p in b.plans}
    for scenario, months in ((Scenario.SEVERE_WEATHER, 6), (Scenario.SECURITY_TASK, 36)):
        if scenario in by_scenario:
            by_scenario[scenario].exercise_interval_months = months
    fire = by_scenario.get(Scenario.FIRE_EVACUATION) or b.plans[0]
    _series(b, fire, roles)


def _series(b: Any, plan: Any, roles: list[tuple[int, ParticipantRole]]) -> None:
    """A monthly live evacuation drill from next month: the second Wednesday, 09:30, six times; an occurrence
    in a blocked period is left out (listed as skipped, as the series dialog does when told to skip)."""
    first = (b.today.replace(day=1) + timedelta(days=32)).replace(day=1)
    start = datetime.combine(first, time(9, 30))
    rule_text, rule = parse_rule("FREQ=MONTHLY;BYDAY=2WE;COUNT=6", start)
    title = f"{plan.title_zh}（月度实战演练）"
    series = DrillSeries(port_id=b.port.id, rrule=rule_text, dtstart_local=start, duration_minutes=45, title=title,
                         kind=DrillKind.LIVE, scope=DrillScope.COMPREHENSIVE, plan_id=plan.id, level=4,
                         location="联检楼", owner_id=b.user_id, skipped=[])
    b.s.add(series)
    b.s.flush()
    blocked = [(e.starts_on, e.ends_on) for e in b.s.scalars(select(PortCalendarEntry).where(
        PortCalendarEntry.port_id == b.port.id, PortCalendarEntry.kind == CalendarEntryKind.BLOCKED))]
    skipped = []
    for local in occurrences(rule):
        if any(a <= local.date() <= z for a, z in blocked):
            skipped.append(local.isoformat())
            continue
        stored = from_local(local)
        drill = Drill(port_id=b.port.id, plan_id=plan.id, level=4, title=title, kind=DrillKind.LIVE,
                      scheduled_start=stored, duration_minutes=45, location="联检楼", series_id=series.id,
                      occurrence_start=stored)
        drill.objectives = [DrillObjective(position=0, text="5分钟内完成联检楼人员疏散"),
                            DrillObjective(position=1, text="30分钟内报送初报")]
        drill.injects = demo_scenario(plan.scenario).live_injects()
        b.s.add(drill)
        b.s.flush()
        _design(b, drill, roles)
    series.skipped = skipped
