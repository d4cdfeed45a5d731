"""Every write operation in the permission table, called for real as each role: allowed or refused as the
table says, a refusal writes nothing, and an allowed call leaves its audit entry under the caller's name.

Each entry of CALLS sets up what the operation needs (as the administrator) and then makes the call as the
role under test; roles the table refuses go first, so a one-time operation is done last by a role allowed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from helpers import audit_trail, builders, databases
from sqlalchemy import func, select

from drillapp.demo import DemoService
from drillapp.models import (
    AfterActionReview,
    ChecklistEntry,
    ContingencyPlan,
    CorrectiveAction,
    Drill,
    DrillObjective,
    DrillSeries,
    Finding,
    Incident,
    IncidentReport,
    IncidentTask,
    Inject,
    Member,
    PlanVersion,
    PortCalendarEntry,
    RosterPeriod,
    RosterPreference,
    ShiftSwap,
    Skill,
    Squad,
    Unavailability,
    User,
)
from drillapp.models.enums import (
    ActionStatus,
    Agency,
    CalendarEntryKind,
    DrillKind,
    DrillScope,
    FindingKind,
    HotWashKind,
    InjectStatus,
    MarkStatus,
    PlanPart,
    Rating,
    ReminderKind,
    ReminderStatus,
    ReportKind,
    ResponsePhase,
    Role,
    ShiftKind,
    ShiftPattern,
    SquadKind,
    UnavailabilityKind,
)
from drillapp.services import Services
from drillapp.services.audit_view import AuditFilter, AuditViewService
from drillapp.services.backup import BackupService
from drillapp.services.context import Actor
from drillapp.services.drill_design import DesignContent
from drillapp.services.drill_series import SeriesSpec
from drillapp.services.errors import PermissionDeniedError
from drillapp.services.member_import import MemberImportService
from drillapp.services.permissions import PERMISSIONS, allowed
from drillapp.services.plan_import import PlanImportService
from drillapp.services.plan_revisions import DraftContent
from drillapp.services.programme import Acceptance, ProposedDrill

Setup = Callable[[Services, dict, int], Any]
Act = Callable[[Services, Any, int], Any]
_seq = itertools.count(1)


def _none(_sv: Services, _w: dict, _n: int) -> None:
    return None


def _fresh_drill(sv: Services, w: dict, n: int) -> int:
    return builders.drill(sv, w["port"], w["approved"], title=f"演练 {n}")


def _fresh_run(sv: Services, w: dict, n: int) -> int:
    return sv.runs.start_run(_fresh_drill(sv, w, n), confirm_early=True)


def _fresh_ended_run(sv: Services, w: dict, n: int) -> int:
    run = _fresh_run(sv, w, n)
    sv.runs.end_run(run)
    return run


def _fresh_inject_run(sv: Services, w: dict, n: int, kind: DrillKind = DrillKind.LIVE) -> tuple[int, int]:
    """A running drill with one inject: (run, inject)."""
    drill = builders.drill(sv, w["port"], w["approved"], title=f"演练 {n}", kind=kind, injects=[(0, "报警")])
    run = sv.runs.start_run(drill, confirm_early=True)
    with sv.db.session() as s:
        return run, s.scalar(select(Inject.id).where(Inject.drill_id == drill))


def _fresh_tabletop(sv: Services, w: dict, n: int) -> tuple[int, str]:
    """A running tabletop with one inject, and the key of an action expected at it: (run, item key)."""
    run, _inject = _fresh_inject_run(sv, w, n, DrillKind.TABLETOP)
    with sv.db.session() as s:
        return run, f"item:{s.scalar(select(func.min(ChecklistEntry.id)).where(ChecklistEntry.drill_run_id == run))}"


def _fresh_review(sv: Services, w: dict, n: int) -> tuple[int, int]:
    """A review of a finished drill with an objective: (review, objective)."""
    drill = builders.drill(sv, w["port"], w["approved"], title=f"演练 {n}", objectives=["5分钟内集结"])
    run = sv.runs.start_run(drill, confirm_early=True)
    sv.runs.end_run(run)
    with sv.db.session() as s:
        objective = s.scalar(select(DrillObjective.id).where(DrillObjective.drill_id == drill))
    return sv.reviews.create_from_run(run), objective


def _rated_review(sv: Services, w: dict, n: int) -> tuple[int, int]:
    """A review with its objective rated: (review, objective)."""
    review, objective = _fresh_review(sv, w, n)
    sv.reviews.rate_objective(review, objective, Rating.S, expected_version=None)
    return review, objective


def _fresh_finding(sv: Services, w: dict, n: int) -> int:
    return sv.reviews.add_finding(w["review"], FindingKind.IMPROVEMENT, f"问题 {n}")


def _fresh_draft_finding(sv: Services, w: dict, n: int) -> int:
    return sv.reviews.add_hot_wash_note(_fresh_ended_run(sv, w, n), HotWashKind.TO_IMPROVE, f"问题 {n}").finding_id


def _fresh_plan_finding(sv: Services, w: dict, n: int) -> int:
    """An area for improvement pointing at an action of a plan of its own (so each call can open a revision)."""
    plan = builders.approved_plan(sv, w["port"], f"QH-V{n}")
    finding = _fresh_finding(sv, w, n)
    sv.reviews.set_finding_target(finding, PlanPart.ACTION, min(plan.actions), expected_version=sv.reviews.version_of(Finding, finding))
    return finding


def _fresh_entry(sv: Services, w: dict, n: int) -> int:
    run = _fresh_run(sv, w, n)
    with sv.db.session() as s:
        return s.scalar(select(func.min(ChecklistEntry.id)).where(ChecklistEntry.drill_run_id == run))


def _fresh_draft(sv: Services, w: dict, n: int) -> int:
    return builders.draft_plan(sv, w["port"], f"QH-M{n}", actions=[]).version_id


def _in_review(sv: Services, w: dict, n: int) -> int:
    version = _fresh_draft(sv, w, n)
    sv.revisions.submit_for_review(version, expected_version=sv.revisions.version_of(PlanVersion, version))
    return version


def _fresh_action(sv: Services, w: dict, n: int) -> int:
    finding = sv.reviews.add_finding(w["review"], FindingKind.IMPROVEMENT, f"问题 {n}")
    return sv.reviews.add_corrective_action(finding, "整改", owner_branch_id=w["port"].branches[Agency.QUARANTINE])


def _fresh_reminder(sv: Services, _w: dict, n: int) -> int:
    return sv.reminders.create(ReminderKind.GENERAL, f"提醒 {n}", sv.clock())


def _fresh_callout(sv: Services, _w: dict, _n: int) -> int:
    return sv.callouts.start_test(_WORLD["port"].port_id, [_WORLD["member"]], required_strength=1)


def _fresh_unavailability(sv: Services, w: dict, n: int) -> int:
    return sv.team.add_unavailability(w["member"], UnavailabilityKind.LEAVE, date(2026, 4, 1), date(2026, 4, 3))


def _fresh_squad(sv: Services, _w: dict, n: int) -> int:
    team = sv.team.create_team(sv.org.create_port(f"Q{n}", "口岸"), "队")
    return sv.team.create_squad(team, SquadKind.MEDICAL, "医疗救护组")


def _fresh_period(sv: Services, _w: dict, n: int) -> int:
    return sv.roster.create_period(_WORLD["port"].port_id, f"排班{n}", date(2026, 4, 1), date(2026, 4, 2),
                                   ShiftPattern.DUTY_24H, {"headcount": 1, "rest_after_duty": 0})


def _solved_swap(sv: Services, w: dict, n: int) -> tuple[int, int, int, int]:
    """A solved period, one of its shifts, the member on it and another member: (period, shift, on, other)."""
    other = builders.member(sv, w["port"], f"换班{n}")
    period = _fresh_period(sv, w, n)
    assert sv.roster.solve(period, time_limit=10, expected_version=sv.roster.version_of(RosterPeriod, period)).saved
    cell = sv.roster.grid(period).cells[date(2026, 4, 1), ShiftKind.DUTY_24H]
    on = cell.member_ids[0]
    return period, cell.shift_id, on, other if on != other else w["member"]


def _fresh_swap(sv: Services, w: dict, n: int) -> int:
    period, shift, on, other = _solved_swap(sv, w, n)
    return sv.roster.request_swap(period, shift, on, other, reason="家中有事")


def _plan_file(_sv: Services, w: dict, n: int) -> Any:
    path = w["tmp"] / f"plan-{n}.yaml"
    path.write_text(f"code: QH-F{n}\nscenario: other\ntitle_zh: 预案{n}\nversion:\n  number: 1\n  status: draft\n",
                    encoding="utf-8")
    return path


def _member_sheet(_sv: Services, w: dict, n: int) -> Any:
    path = w["tmp"] / f"members-{n}.csv"
    path.write_text(f"姓名,支部\n队员{n},海关\n", encoding="utf-8")
    return path


def _port(_sv: Services | None = None) -> int:
    return _WORLD["port"].port_id


def _design(sv: Services, n: int) -> DesignContent:
    return DesignContent(f"设计的演练{n}", DrillKind.TABLETOP, DrillScope.SINGLE, None, None,
                         sv.clock() + timedelta(days=3), 60)


def _spec(n: int) -> SeriesSpec:
    return SeriesSpec(f"系列{n}", DrillKind.LIVE, "FREQ=WEEKLY;COUNT=2", datetime(2026, 4, 1, 9, 0))


def _fresh_series(sv: Services, _w: dict, n: int) -> int:
    return sv.series.create_series(_spec(n), port_id=_port())[0]


def _fresh_entry_of_calendar(sv: Services, _w: dict, n: int) -> int:
    return sv.port_calendar.set_entry(CalendarEntryKind.HOLIDAY, f"节{n}", date(2031, 1, 1), date(2031, 1, 2),
                                      port_id=_port(), expected_version=None)


def _msel_sheet(sv: Services, w: dict, n: int) -> tuple[int, Any]:
    path = w["tmp"] / f"msel-{n}.csv"
    path.write_text("时间（分钟）,内容\n5,注入\n", encoding="utf-8")
    return _fresh_drill(sv, w, n), path


def _proposed(n: int) -> ProposedDrill:
    branches = _WORLD["port"].branches
    return ProposedDrill(datetime(2026, 6, 1, 1, 30) + timedelta(days=n), DrillKind.LIVE, _WORLD["approved"].plan_id,
                         "QH-W1", "预案", 2, tuple(branches), tuple(branches.values()), (), "测试")


CALLS: dict[str, tuple[Setup, Act]] = {
    "org.create_port": (_none, lambda sv, _t, n: sv.org.create_port(f"P{n}", f"口岸{n}")),
    "org.create_branch": (lambda sv, w, n: sv.org.create_port(f"B{n}", "新口岸"),
                          lambda sv, port, n: sv.org.create_branch(port, Agency.CUSTOMS, "海关")),
    "users.create_user": (_none, lambda sv, _t, n: sv.users.create_user(f"user{n}", Role.VIEWER)),
    "users.update_user": (lambda sv, w, n: sv.users.create_user(f"upd{n}", Role.VIEWER),
                          lambda sv, uid, n: sv.users.update_user(uid, display_name=f"改名{n}", expected_version=sv.users.version_of(User, uid))),
    "users.reset_password": (lambda sv, w, n: sv.users.create_user(f"rst{n}", Role.VIEWER),
                             lambda sv, uid, n: sv.users.reset_password(uid, "reset-pass-123")),
    "users.ensure_local_user": (_none, lambda sv, _t, n: sv.users.ensure_local_user(f"local{n}")),
    "users.create_first_administrator": (
        _none, lambda sv, _t, n: sv.users.create_first_administrator(f"first{n}", "first-admin-pass")),
    "users.authenticate": (lambda sv, w, n: sv.users.create_user(f"auth{n}", Role.VIEWER, password="auth-pass-1"),
                           lambda sv, _uid, n: sv.users.authenticate(f"auth{n}", "auth-pass-1")),
    "users.unlock": (lambda sv, w, n: sv.users.create_user(f"lck{n}", Role.VIEWER),
                     lambda sv, uid, n: sv.users.unlock(uid)),
    "users.change_password": (_none, lambda sv, _t, n: sv.users.change_password("", f"changed-pass-{n}")),
    "team.create_skill": (_none, lambda sv, _t, n: sv.team.create_skill(f"skill{n}", "技能")),
    "team.create_team": (lambda sv, w, n: sv.org.create_port(f"T{n}", "口岸"),
                         lambda sv, port, n: sv.team.create_team(port, "机动队")),
    "team.create_squad": (lambda sv, w, n: sv.team.create_team(sv.org.create_port(f"S{n}", "口岸"), "队"),
                          lambda sv, team, n: sv.team.create_squad(team, SquadKind.MEDICAL, "医疗救护组")),
    "team.create_member": (_none, lambda sv, _t, n: builders.member(sv, _WORLD["port"], f"新人{n}")),
    "team.update_member": (_none, lambda sv, _t, n: sv.team.update_member(_WORLD["member"], post=f"岗位{n}", expected_version=sv.team.version_of(Member, _WORLD["member"]))),
    "team.assign_squad": (lambda sv, w, n: sv.team.create_squad(sv.team.create_team(sv.org.create_port(
                              f"A{n}", "口岸"), "队"), SquadKind.MEDICAL, "医疗救护组"),
                          lambda sv, squad, n: sv.team.assign_squad(_WORLD["member"], squad, expected_version=sv.team.version_of(Member, _WORLD["member"]))),
    "team.set_member_skill": (lambda sv, w, n: sv.team.create_skill(f"sk{n}", "技能"),
                              lambda sv, _t, n: sv.team.set_member_skill(_WORLD["member"], f"sk{n}", expected_version=builders.member_skill_version(sv.team, _WORLD["member"], f"sk{n}"))),
    "team.add_unavailability": (_none, lambda sv, _t, n: sv.team.add_unavailability(
        _WORLD["member"], UnavailabilityKind.LEAVE, date(2026, 4, 1), date(2026, 4, 3))),
    "team.import_members": (_member_sheet, lambda sv, path, n: MemberImportService(sv.db, sv.actor, sv.clock)
                            .import_file(path, _WORLD["port"].port_id)),
    "team.save_member": (_none, lambda sv, _t, n: sv.team.save_member(
        None, None, {"branch_id": _WORLD["port"].branches[Agency.CUSTOMS], "name": f"队员{n}"}, [], [])),
    "team.remove_member_skill": (
        lambda sv, w, n: (sv.team.create_skill(f"rm{n}", "技能"), sv.team.set_member_skill(w["member"], f"rm{n}", expected_version=builders.member_skill_version(sv.team, w["member"], f"rm{n}")))[0],
        lambda sv, _t, n: sv.team.remove_member_skill(_WORLD["member"], f"rm{n}", expected_version=builders.member_skill_version(sv, _WORLD["member"], f"rm{n}"))),
    "team.update_unavailability": (_fresh_unavailability, lambda sv, entry, n: sv.team.update_unavailability(
        entry, UnavailabilityKind.COURSE, date(2026, 5, 1), date(2026, 5, 2), note=f"培训{n}", expected_version=sv.team.version_of(Unavailability, entry))),
    "team.remove_unavailability": (_fresh_unavailability, lambda sv, entry, n: sv.team.remove_unavailability(entry, expected_version=sv.team.version_of(Unavailability, entry))),
    "team.set_squad_leader": (lambda sv, w, n: (q := _fresh_squad(sv, w, n), sv.team.assign_squad(w["member"], q, expected_version=sv.team.version_of(Member, w["member"])))[0],
                              lambda sv, squad, n: sv.team.set_squad_leader(squad, _WORLD["member"], expected_version=sv.team.version_of(Squad, squad))),
    "team.set_squad_min_strength": (_fresh_squad, lambda sv, squad, n: sv.team.set_squad_min_strength(squad, 3, expected_version=sv.team.version_of(Squad, squad))),
    "team.set_branch_minimum": (
        lambda sv, w, n: (p := builders.port_with_branches(sv, f"BM{n}"),
                          sv.team.create_team(p.port_id, "队"))[::-1],
        lambda sv, team_port, n: sv.team.set_branch_minimum(
            team_port[0], team_port[1].branches[Agency.CUSTOMS], 2, expected_version=builders.branch_minimum_version(sv.team, team_port[0], team_port[1].branches[Agency.CUSTOMS]))),
    "team.rename_skill": (lambda sv, w, n: sv.team.create_skill(f"rn{n}", "技能"),
                          lambda sv, skill, n: sv.team.rename_skill(skill, f"新名{n}", "Renamed", expected_version=sv.team.version_of(Skill, skill))),
    "team.remove_skill": (lambda sv, w, n: sv.team.create_skill(f"rs{n}", "技能"),
                          lambda sv, skill, n: sv.team.remove_skill(skill, expected_version=sv.team.version_of(Skill, skill))),
    "roster.create_period": (_none, lambda sv, _t, n: _fresh_period(sv, _WORLD, n)),
    "roster.update_rules": (_fresh_period, lambda sv, period, n: sv.roster.update_rules(period, {"headcount": 2}, expected_version=sv.roster.version_of(RosterPeriod, period))),
    "roster.delete_period": (_fresh_period, lambda sv, period, n: sv.roster.delete_period(period, expected_version=sv.roster.version_of(RosterPeriod, period))),
    "roster.set_preference": (_fresh_period, lambda sv, period, n: sv.roster.set_preference(
        period, _WORLD["member"], date(2026, 4, 2), False, weight=3, expected_version=builders.preference_version(sv.roster, period, _WORLD["member"], date(2026, 4, 2)))),
    "roster.remove_preference": (lambda sv, w, n: sv.roster.set_preference(
        _fresh_period(sv, w, n), w["member"], date(2026, 4, 1), True, expected_version=builders.preference_version(sv.roster, _fresh_period(sv, w, n), w["member"], date(2026, 4, 1))),
                                 lambda sv, pref, n: sv.roster.remove_preference(pref, expected_version=sv.roster.version_of(RosterPreference, pref))),
    "roster.solve": (_fresh_period, lambda sv, period, n: sv.roster.solve(period, time_limit=10, expected_version=sv.roster.version_of(RosterPeriod, period))),
    "roster.edit_assignment": (_solved_swap, lambda sv, t, n: sv.roster.edit_assignment(t[0], t[1], t[2], "remove", expected_version=sv.roster.version_of(RosterPeriod, t[0]))),
    "roster.publish": (_solved_swap, lambda sv, t, n: sv.roster.publish(t[0], expected_version=sv.roster.version_of(RosterPeriod, t[0]))),
    "roster.request_swap": (_solved_swap, lambda sv, t, n: sv.roster.request_swap(t[0], t[1], t[2], t[3])),
    "roster.approve_swap": (_fresh_swap, lambda sv, swap, n: sv.roster.approve_swap(swap, expected_version=sv.roster.version_of(ShiftSwap, swap))),
    "roster.reject_swap": (_fresh_swap, lambda sv, swap, n: sv.roster.reject_swap(swap, "人手不足", expected_version=sv.roster.version_of(ShiftSwap, swap))),
    "plans.create_plan": (_none, lambda sv, _t, n: builders.draft_plan(sv, _WORLD["port"], f"QH-N{n}", actions=[])),
    "plans.add_action": (_fresh_draft, lambda sv, version, n: sv.plans.add_action(
        version, Agency.CUSTOMS, ResponsePhase.FIRST_RESPONSE, "封闭货运通道", target_minutes=10)),
    "plans.update_version": (_fresh_draft, lambda sv, version, n: sv.plans.update_version(version, change_note="修订", expected_version=sv.plans.version_of(PlanVersion, version))),
    "plans.import_file": (_plan_file, lambda sv, path, n: PlanImportService(sv.db, sv.actor, sv.clock).import_file(
        path, _WORLD["port"].port_id)),
    "plans.approve_version": (_in_review, lambda sv, version, n: sv.plans.approve_version(
        version, date(2026, 3, 2), date(2027, 3, 2), expected_version=sv.plans.version_of(PlanVersion, version))),
    "plans.submit_for_review": (_fresh_draft, lambda sv, version, n: sv.revisions.submit_for_review(version, expected_version=sv.revisions.version_of(PlanVersion, version))),
    "plans.return_to_draft": (lambda sv, w, n: (v := _fresh_draft(sv, w, n), sv.revisions.submit_for_review(v, expected_version=sv.revisions.version_of(PlanVersion, v)))[0],
                              lambda sv, version, n: sv.revisions.return_to_draft(version, expected_version=sv.revisions.version_of(PlanVersion, version))),
    "plans.new_revision": (lambda sv, w, n: builders.approved_plan(sv, w["port"], f"QH-R{n}").plan_id,
                           lambda sv, plan, n: sv.revisions.new_revision(plan)),
    "plans.discard_draft": (lambda sv, w, n: sv.revisions.new_revision(
                                builders.approved_plan(sv, w["port"], f"QH-D{n}").plan_id),
                            lambda sv, version, n: sv.revisions.discard_draft(version, sv.revisions.version_of(PlanVersion, version))),
    "plans.save_draft": (_fresh_draft, lambda sv, version, n: sv.revisions.save_draft(
        version, sv.revisions.version_of(PlanVersion, version), DraftContent.of(sv.plans.document(version)))),
    "plans.retire": (lambda sv, w, n: builders.approved_plan(sv, w["port"], f"QH-X{n}").plan_id,
                     lambda sv, plan, n: sv.revisions.retire(plan, expected_version=builders.approved_version(sv, plan))),
    "drills.schedule_drill": (_none, lambda sv, _t, n: builders.drill(sv, _WORLD["port"], title=f"新演练{n}")),
    "drills.cancel_drill": (_fresh_drill, lambda sv, drill, n: sv.drills.cancel_drill(drill, expected_version=sv.drills.version_of(Drill, drill))),
    "drills.save_design": (_none, lambda sv, _t, n: sv.drills.save_design(None, None, _design(sv, n), port_id=_port())),
    "drills.move_drill": (_fresh_drill, lambda sv, drill, n: sv.drills.move_drill(drill, sv.clock() + timedelta(days=9), expected_version=sv.drills.version_of(Drill, drill))),
    "drills.create_series": (_none, lambda sv, _t, n: sv.series.create_series(_spec(n), port_id=_port())),
    "drills.update_series": (_fresh_series, lambda sv, series, n: sv.series.update_series(series, sv.series.version_of(DrillSeries, series), _spec(n + 1000))),
    "drills.set_calendar_entry": (_none, lambda sv, _t, n: _fresh_entry_of_calendar(sv, _WORLD, n)),
    "drills.remove_calendar_entry": (_fresh_entry_of_calendar, lambda sv, entry, n: sv.port_calendar.remove_entry(entry, expected_version=sv.port_calendar.version_of(PortCalendarEntry, entry))),
    "drills.set_port_settings": (_none, lambda sv, _t, n: sv.port_settings.set_reminder_leads([60 + n], port_id=_port(), expected_version=builders.port_setting_version(sv.port_settings, _port()))),
    "drills.set_exercise_interval": (_none, lambda sv, _t, n: sv.coverage.set_interval(
        _WORLD["approved"].plan_id, (6, 12, 36)[n % 3], expected_version=sv.coverage.version_of(ContingencyPlan, _WORLD["approved"].plan_id))),
    "drills.import_msel": (_msel_sheet, lambda sv, t, n: sv.msel.import_file(t[0], t[1])),
    "drills.accept_proposal": (_none, lambda sv, _t, n: sv.programme.accept([Acceptance(_proposed(n))], port_id=_port())),
    "team.link_user": (lambda sv, w, n: sv.users.create_user(f"link{n}", Role.VIEWER),
                       lambda sv, uid, n: sv.participants.link_user(_WORLD["member"], uid, expected_version=sv.participants.version_of(Member, _WORLD["member"]))),
    "runs.start_run": (_fresh_drill, lambda sv, drill, n: sv.runs.start_run(drill, confirm_early=True)),
    "runs.start_unplanned": (_none, lambda sv, _t, n: sv.runs.start_unplanned(_WORLD["approved"].plan_id, 2)),
    "runs.tick_entry": (_fresh_entry, lambda sv, entry, n: sv.runs.tick_entry(entry, expected_version=sv.runs.version_of(ChecklistEntry, entry))),
    "runs.note_entry": (_fresh_entry, lambda sv, entry, n: sv.runs.note_entry(entry, "大厅已封控", expected_version=sv.runs.version_of(ChecklistEntry, entry))),
    "runs.add_log_entry": (_fresh_run, lambda sv, run, n: sv.runs.add_log_entry("机动队集结完毕", drill_run_id=run)),
    "runs.pause": (_fresh_run, lambda sv, run, n: sv.runs.pause(run)),
    "runs.resume": (lambda sv, w, n: (r := _fresh_run(sv, w, n), sv.runs.pause(r))[0],
                    lambda sv, run, n: sv.runs.resume(run)),
    "runs.mark_inject": (_fresh_inject_run, lambda sv, t, n: sv.runs.mark_inject(t[0], t[1], InjectStatus.DELIVERED)),
    "runs.end_run": (_fresh_run, lambda sv, run, n: sv.runs.end_run(run)),
    "runs.tabletop_advance": (_fresh_tabletop, lambda sv, t, n: sv.runs.tabletop_advance(t[0])),
    "runs.tabletop_jump": (_fresh_tabletop, lambda sv, t, n: sv.runs.tabletop_jump(t[0], 120)),
    "runs.tabletop_mark": (_fresh_tabletop, lambda sv, t, n: sv.runs.tabletop_mark(t[0], 0, t[1], MarkStatus.GAP,
                                                                                     "未讨论封控")),
    "incidents.open_incident": (_none, lambda sv, _t, n: sv.incidents.open_incident(_WORLD["port"].port_id, "事件")),
    "incidents.set_level": (lambda sv, w, n: sv.incidents.open_incident(w["port"].port_id, f"事件{n}",
                                                                        plan_id=w["approved"].plan_id, level=3),
                            lambda sv, i, n: sv.incidents.set_level(i, 2, "扩大", expected_version=sv.incidents.version_of(Incident, i))),
    "incidents.add_task": (lambda sv, w, n: sv.incidents.open_incident(w["port"].port_id, f"事件{n}"),
                           lambda sv, i, n: sv.incidents.add_task(i, "customs", "调取报关单")),
    "incidents.update_task": (lambda sv, w, n: sv.incidents.add_task(sv.incidents.open_incident(w["port"].port_id, f"事件{n}"), "customs", "调取报关单"),
                              lambda sv, t, n: sv.incidents.set_task_status(t, ActionStatus.DONE, expected_version=sv.incidents.version_of(IncidentTask, t))),
    "incidents.draft_report": (lambda sv, w, n: sv.incidents.open_incident(w["port"].port_id, f"事件{n}"),
                               lambda sv, i, n: sv.incidents.draft_report(i, ReportKind.INITIAL)),
    "incidents.update_report": (lambda sv, w, n: sv.incidents.draft_report(sv.incidents.open_incident(w["port"].port_id, f"事件{n}"), ReportKind.INITIAL),
                                lambda sv, r, n: sv.incidents.update_report(r, place="货运通道", expected_version=sv.incidents.version_of(IncidentReport, r))),
    "incidents.issue_report": (lambda sv, w, n: sv.incidents.draft_report(sv.incidents.open_incident(w["port"].port_id, f"事件{n}"), ReportKind.INITIAL),
                               lambda sv, r, n: sv.incidents.issue_report(r, expected_version=sv.incidents.version_of(IncidentReport, r))),
    "incidents.hand_over": (lambda sv, w, n: sv.incidents.open_incident(w["port"].port_id, f"事件{n}"),
                            lambda sv, i, n: sv.incidents.hand_over(i, "赵敏", from_officer="李强")),
    "incidents.stand_down": (lambda sv, w, n: sv.incidents.open_incident(w["port"].port_id, f"事件{n}"),
                             lambda sv, incident, n: sv.incidents.stand_down(incident, "解除")),
    "callouts.start": (_none, lambda sv, _t, n: sv.callouts.start_test(
        _WORLD["port"].port_id, [_WORLD["member"]], required_strength=1)),
    "callouts.acknowledge": (_fresh_callout, lambda sv, test, n: sv.callouts.acknowledge(test, _WORLD["member"])),
    "callouts.arrive": (_fresh_callout, lambda sv, test, n: sv.callouts.arrive(test, _WORLD["member"])),
    "callouts.no_show": (_fresh_callout, lambda sv, test, n: sv.callouts.no_show(test, _WORLD["member"])),
    "callouts.end": (_fresh_callout, lambda sv, test, n: sv.callouts.end_test(test)),
    "reviews.create_review": (_fresh_ended_run, lambda sv, run, n: sv.reviews.create_review("评估", drill_run_id=run)),
    "reviews.add_hot_wash_note": (_fresh_ended_run, lambda sv, run, n: sv.reviews.add_hot_wash_note(
        run, HotWashKind.WENT_WELL, "集结迅速", Agency.BORDER_INSPECTION)),
    "reviews.update_review": (_none, lambda sv, _t, n: sv.reviews.update_review(_WORLD["review"], summary=f"总结{n}", expected_version=sv.reviews.version_of(AfterActionReview, _WORLD["review"]))),
    "reviews.rate_objective": (_fresh_review, lambda sv, t, n: sv.reviews.rate_objective(t[0], t[1], Rating.S, "偏慢", expected_version=builders.rating_version(sv.reviews, t[0], t[1]))),
    "reviews.clear_rating": (_rated_review, lambda sv, t, n: sv.reviews.clear_rating(
        t[0], t[1], expected_version=builders.rating_version(sv.reviews, t[0], t[1]))),
    "reviews.add_finding": (_none, lambda sv, _t, n: sv.reviews.add_finding(
        _WORLD["review"], FindingKind.STRENGTH, "集结迅速")),
    "reviews.update_finding": (_fresh_finding, lambda sv, f, n: sv.reviews.update_finding(f, root_cause="钥匙位置", expected_version=sv.reviews.version_of(Finding, f))),
    "reviews.accept_finding": (_fresh_draft_finding, lambda sv, f, n: sv.reviews.accept_finding(f, expected_version=sv.reviews.version_of(Finding, f))),
    "reviews.remove_finding": (_fresh_finding, lambda sv, f, n: sv.reviews.remove_finding(f, expected_version=sv.reviews.version_of(Finding, f))),
    "reviews.set_finding_target": (_fresh_finding, lambda sv, f, n: sv.reviews.set_finding_target(
        f, PlanPart.ACTION, min(_WORLD["approved"].actions), expected_version=sv.reviews.version_of(Finding, f))),
    "reviews.revise_plan": (_fresh_plan_finding, lambda sv, f, n: sv.reviews.revise_plan(f, expected_version=sv.reviews.version_of(Finding, f))),
    "reviews.update_corrective_action": (_fresh_action, lambda sv, a, n: sv.reviews.update_corrective_action(
        a, owner_name=f"科室{n}", expected_version=sv.reviews.version_of(CorrectiveAction, a))),
    "reviews.verify_action": (_fresh_action, lambda sv, a, n: sv.reviews.verify_action(a, "整改照片已存档", expected_version=sv.reviews.version_of(CorrectiveAction, a))),
    "reviews.sign_off": (lambda sv, w, n: _fresh_review(sv, w, n)[0], lambda sv, r, n: sv.reviews.sign_off(r, expected_version=sv.reviews.version_of(AfterActionReview, r))),
    "reviews.add_amendment": (_none, lambda sv, _t, n: sv.reviews.add_amendment(_WORLD["review"], "补充说明")),
    "reviews.add_corrective_action": (lambda sv, w, n: sv.reviews.add_finding(w["review"], FindingKind.IMPROVEMENT, "慢"),
                                      lambda sv, finding, n: sv.reviews.add_corrective_action(finding, "整改")),
    "reviews.set_action_status": (_fresh_action, lambda sv, action, n: sv.reviews.set_action_status(
        action, ActionStatus.DONE, expected_version=sv.reviews.version_of(CorrectiveAction, action))),
    "reminders.create": (_none, lambda sv, _t, n: sv.reminders.create(ReminderKind.GENERAL, "提醒", sv.clock())),
    "reminders.close": (_fresh_reminder, lambda sv, rid, n: sv.reminders.close(rid, ReminderStatus.DISMISSED)),
    "reminders.refresh": (_none, lambda sv, _t, n: sv.reminders.refresh()),
    "reminders.fire": (_fresh_reminder, lambda sv, rid, n: sv.reminders.claim(rid)),
    "audit.seal": (_none, lambda sv, _t, n: sv.audit_seal.seal()),
    "audit.verify": (_none, lambda sv, _t, n: sv.audit_seal.verify()),
    "data.load_demo": (_none, lambda sv, _t, n: DemoService(sv.db, sv.actor, sv.clock).load_demo()),
    "data.restore": (lambda sv, w, n: BackupService(sv.db, sv.actor).backup(w["tmp"] / f"b{n}.sqlite3"),
                     lambda sv, path, n: BackupService(sv.db, sv.actor).restore(path)),
    "data.backup": (_none, lambda sv, _t, n: BackupService(sv.db, sv.actor).backup(_WORLD["tmp"] / f"c{n}.sqlite3")),
    "data.auto_backup": (_none, lambda sv, _t, n: BackupService(sv.db, sv.actor, sv.clock).auto_backup(
        _WORLD["tmp"] / f"auto{n}", keep=1)),
    "audit.view": (_none, lambda sv, _t, n: AuditViewService(sv.db, sv.actor, sv.clock).page(AuditFilter())),
    "audit.export": (_none, lambda sv, _t, n: AuditViewService(sv.db, sv.actor, sv.clock).export_csv(
        AuditFilter(), _WORLD["tmp"] / f"audit{n}.csv")),
}
#: Operations that write nothing on some allowed calls (refresh with nothing due), or never: a checked read
#: (viewing the trail is not itself audited, or every look would feed the trail it looks at), sealing the trail
#: (its seals are not audited, or sealing would never be done).
MAY_WRITE_NOTHING = {"reminders.refresh", "audit.view", "audit.seal"}
#: Operations on the SQLite file itself: a shared PostgreSQL database is copied with pg_dump / pg_restore.
SQLITE_FILE_ONLY = {"data.restore", "data.backup", "data.auto_backup"}
_WORLD: dict[str, Any] = {}


def test_every_operation_in_the_table_has_a_call() -> None:
    assert sorted(set(PERMISSIONS) ^ set(CALLS)) == []


@pytest.mark.parametrize("operation", sorted(PERMISSIONS))
def test_each_role_is_allowed_or_refused_as_the_table_says(services, operation, tmp_path) -> None:
    if operation in SQLITE_FILE_ONLY and not services.db.is_sqlite:
        pytest.skip("backups copy the SQLite file: PostgreSQL is backed up with pg_dump, restored with pg_restore")
    port = builders.port_with_branches(services)
    approved = builders.approved_plan(services, port, "QH-W1")  # not a demo plan code (load_demo runs here)
    run = services.runs.start_run(builders.drill(services, port, approved), confirm_early=True)
    services.runs.end_run(run)
    _WORLD.clear()
    _WORLD.update(port=port, approved=approved, member=builders.member(services, port), tmp=tmp_path,
                  review=services.reviews.create_review("评估", drill_run_id=run))
    quarantine = port.branches[Agency.QUARANTINE]
    actors = {}
    for role in Role:
        uid = services.users.create_user(f"{role.value}-{operation}", role, branch_id=quarantine)
        actors[role] = Actor(uid, f"{role.value}-{operation}", role, quarantine)
    setup, act = CALLS[operation]
    for role in sorted(Role, key=lambda r: allowed(r, operation)):  # refusals first
        n = next(_seq)
        target = setup(services, _WORLD, n)
        acting = builders.services_as(services, actors[role])
        if allowed(role, operation):
            act(acting, target, n)
            if operation not in MAY_WRITE_NOTHING:
                names = {e["username"] for e in audit_trail.entries(services.db, operation=operation)}
                # a log-in is recorded under the account logging in, whoever asked for the check
                expected = f"auth{n}" if operation == "users.authenticate" else actors[role].username
                assert expected in names, (operation, role)
        else:
            before = databases.row_counts(services.db)
            with pytest.raises(PermissionDeniedError):
                act(acting, target, n)
            assert databases.row_counts(services.db) == before, (operation, role, "a refusal wrote something")
