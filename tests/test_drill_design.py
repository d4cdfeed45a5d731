"""Drills as designed exercises: the design saved whole (objectives tied to plan actions, participants, the
MSEL), optimistic locking, the blocked periods of the port calendar, moves and postponements with their
history, cancellation, and who can take part on the day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from helpers import builders, databases
from sqlalchemy import select

from drillapp.models import Drill, DrillScheduleChange, Member, Reminder
from drillapp.models.enums import (
    Agency,
    CalendarEntryKind,
    DrillKind,
    DrillScope,
    DrillStatus,
    InjectDelivery,
    MemberStatus,
    ParticipantRole,
    ReminderKind,
    ReminderStatus,
    Role,
    ScheduleChangeKind,
    UnavailabilityKind,
)
from drillapp.services.drill_design import DesignContent, InjectDoc, ObjectiveDoc, ParticipantDoc
from drillapp.services.errors import ConflictError, DomainError, ValidationError


@pytest.fixture
def world(services):
    port = builders.port_with_branches(services)
    plan = builders.approved_plan(services, port)
    sv = builders.on_port(services, port)
    return {"port": port, "plan": plan, "sv": sv}


def _content(world, start: datetime, **kw) -> DesignContent:
    plan = world["plan"]
    actions = list(plan.actions)
    port = world["port"]
    base = dict(
        title="旅检大厅反恐实战演练 <二>", kind=DrillKind.LIVE, scope=DrillScope.SINGLE, plan_id=plan.plan_id, level=2,
        start=start, duration_minutes=90, location="旅检大厅", scenario_text="持刀人员闯入大厅 & 劫持旅客",
        safety_notes="实弹禁止", objectives=(
            ObjectiveDoc(-1, "5分钟内封控大厅", (actions[0],)), ObjectiveDoc(-2, "30分钟内初报", (actions[3], actions[1]))),
        participants=(ParticipantDoc(None, port.branches[Agency.BORDER_INSPECTION]),
                      ParticipantDoc(None, port.branches[Agency.CUSTOMS], ParticipantRole.PLAYER)),
        injects=(InjectDoc(0, 12, "货运通道发现第二名可疑人员", "导调组", "海关", InjectDelivery.RADIO, "封闭货运通道",
                           "10:12", -1),
                 InjectDoc(0, 5, "大厅报警", "导调组", "边检", InjectDelivery.PHONE)),
    )
    base.update(kw)
    return DesignContent(**base)


def test_a_design_is_saved_whole_and_read_back(world, clock):
    sv = world["sv"]
    start = clock.now + timedelta(days=10)
    drill_id, version = sv.drills.save_design(None, None, _content(world, start))

    design = sv.drills.design(drill_id)
    c = design.content
    assert (design.row_version, c.title, c.level, c.start, c.duration_minutes) == (
        version, "旅检大厅反恐实战演练 <二>", 2, start, 90)
    assert [o.text for o in c.objectives] == ["5分钟内封控大厅", "30分钟内初报"]
    actions = list(world["plan"].actions)
    assert [set(o.action_ids) for o in c.objectives] == [{actions[0]}, {actions[3], actions[1]}]
    assert {a.id for a in design.actions} == set(actions)
    assert [(i.number, i.offset_minutes, i.delivery) for i in c.injects] == [
        (1, 5, InjectDelivery.PHONE), (2, 12, InjectDelivery.RADIO)]
    assert c.injects[1].objective_key == c.objectives[0].key
    assert design.owner_name == "admin" and c.owner_id == sv.actor.user_id
    assert len(design.uid) == 32


def test_saving_over_a_newer_design_is_refused_naming_who(world, clock, services):
    sv = world["sv"]
    drill_id, version = sv.drills.save_design(None, None, _content(world, clock.now + timedelta(days=10)))
    coordinator = builders.services_as(sv, builders.actor(services, Role.COORDINATOR, "zhao"))
    design = coordinator.drills.design(drill_id)
    coordinator.drills.save_design(drill_id, design.row_version, design.content.__class__(
        **{**design.content.__dict__, "title": "赵改的"}))

    with pytest.raises(ConflictError, match="zhao"):
        sv.drills.save_design(drill_id, version, _content(world, clock.now + timedelta(days=10), title="我改的"))
    assert sv.drills.design(drill_id).content.title == "赵改的"


@pytest.mark.parametrize("change, field", [
    (dict(injects=(InjectDoc(0, 91, "晚了"),)), "injects"),
    (dict(objectives=(ObjectiveDoc(-1, "目标", (999_999,)),)), "objectives"),
    (dict(level=3, plan_id=None, objectives=(), injects=()), None),
    (dict(duration_minutes=0), "duration_minutes"),
    (dict(title=" "), "title"),
])
def test_bad_designs_are_refused_naming_the_field_and_write_nothing(world, clock, change, field):
    sv = world["sv"]
    before = databases.row_counts(sv.db)
    content = _content(world, clock.now + timedelta(days=10), **change)
    if field is None:  # a valid variant: a drill of no plan
        sv.drills.save_design(None, None, content)
        return
    with pytest.raises(ValidationError) as excinfo:
        sv.drills.save_design(None, None, content)
    assert excinfo.value.field == field
    assert databases.row_counts(sv.db) == before


def test_an_inject_beyond_the_end_names_its_minute(world, clock):
    with pytest.raises(ValidationError, match="minute 91 is after the drill's end"):
        world["sv"].drills.save_design(None, None, _content(world, clock.now, injects=(InjectDoc(0, 91, "晚"),)))


def test_a_drill_in_a_blocked_period_is_refused_naming_the_period(world, clock):
    sv = world["sv"]
    day = clock.now.date() + timedelta(days=20)
    sv.port_calendar.set_entry(CalendarEntryKind.BLOCKED, "春节", day, day + timedelta(days=6), expected_version=None)
    sv.port_calendar.set_entry(CalendarEntryKind.HOLIDAY, "清明节", day + timedelta(days=30), day + timedelta(days=30), expected_version=None)
    before = databases.row_counts(sv.db)

    with pytest.raises(ValidationError, match="春节") as excinfo:
        builders.drill(sv, world["port"], world["plan"], starts_in=timedelta(days=22))
    assert excinfo.value.field == "start"
    assert databases.row_counts(sv.db) == before
    builders.drill(sv, world["port"], world["plan"], starts_in=timedelta(days=30))  # a holiday does not block
    drill_id = builders.drill(sv, world["port"], world["plan"], starts_in=timedelta(days=10))
    with pytest.raises(ValidationError, match="春节"):
        sv.drills.move_drill(drill_id, clock.now + timedelta(days=21), expected_version=sv.drills.version_of(Drill, drill_id))


def test_a_drill_for_a_retired_plan_is_refused(world, services):
    sv = world["sv"]
    sv.revisions.retire(world["plan"].plan_id, expected_version=builders.approved_version(sv, world["plan"].plan_id))
    with pytest.raises(ValidationError, match="retired") as excinfo:
        builders.drill(sv, world["port"], world["plan"])
    assert excinfo.value.field == "plan_id"


def test_postponing_keeps_the_original_date_and_moves_the_reminders(world, clock):
    sv = world["sv"]
    drill_id = builders.drill(sv, world["port"], world["plan"], starts_in=timedelta(days=3))
    original = clock.now + timedelta(days=3)
    before = {r.dedupe_key for r in _drill_reminders(sv, drill_id, ReminderStatus.PENDING)}
    assert before and all(original.isoformat(timespec="minutes") in k for k in before)

    with pytest.raises(ValidationError, match="why"):
        sv.drills.move_drill(drill_id, original + timedelta(days=7), postpone=True, expected_version=sv.drills.version_of(Drill, drill_id))
    sv.drills.move_drill(drill_id, original + timedelta(days=7), postpone=True, reason="口岸临时闭关", expected_version=sv.drills.version_of(Drill, drill_id))

    design = sv.drills.design(drill_id)
    assert design.content.status is DrillStatus.POSTPONED
    [change] = design.history
    assert (change.kind, change.old_start, change.new_start, change.reason, change.changed_by) == (
        ScheduleChangeKind.POSTPONED, original, original + timedelta(days=7), "口岸临时闭关", "admin")
    assert {r.dedupe_key for r in _drill_reminders(sv, drill_id, ReminderStatus.DISMISSED)} == before
    moved = _drill_reminders(sv, drill_id, ReminderStatus.PENDING)
    assert moved and all((original + timedelta(days=7)).isoformat(timespec="minutes") in r.dedupe_key for r in moved)
    with pytest.raises(ValidationError, match="later"):
        sv.drills.move_drill(drill_id, original, postpone=True, reason="x", expected_version=sv.drills.version_of(Drill, drill_id))


def _drill_reminders(sv, drill_id: int, status: ReminderStatus) -> list[Reminder]:
    with sv.db.session() as s:
        return list(s.scalars(select(Reminder).where(Reminder.entity == "drill", Reminder.entity_id == drill_id,
                                                     Reminder.status == status, Reminder.kind == ReminderKind.DRILL)))


def test_cancel_records_why_and_a_cancelled_drill_stays_as_it_was(world, clock):
    sv = world["sv"]
    drill_id = builders.drill(sv, world["port"], world["plan"])
    sv.drills.cancel_drill(drill_id, "大雪封路", expected_version=sv.drills.version_of(Drill, drill_id))
    with sv.db.session() as s:
        assert s.get(Drill, drill_id).status is DrillStatus.CANCELLED
        change = s.scalar(select(DrillScheduleChange).where(DrillScheduleChange.drill_id == drill_id))
        assert (change.kind, change.reason) == (ScheduleChangeKind.CANCELLED, "大雪封路")
    with pytest.raises(DomainError):
        sv.drills.move_drill(drill_id, clock.now + timedelta(days=30), expected_version=sv.drills.version_of(Drill, drill_id))
    with pytest.raises(DomainError):
        sv.drills.cancel_drill(drill_id, expected_version=sv.drills.version_of(Drill, drill_id))


def test_candidates_show_leave_on_call_and_lapsed_certificates(world, clock, services):
    sv = world["sv"]
    port = world["port"]
    services.team.create_skill("first_aid", "急救", certificate_required=True)
    start = datetime(2026, 3, 12, 2, 0)  # 10:00 in the port
    away = builders.member(sv, port, "休假的")
    sv.team.add_unavailability(away, UnavailabilityKind.LEAVE, date(2026, 3, 11), date(2026, 3, 13))
    lapsed = builders.member(sv, port, "证书过期的", Agency.CUSTOMS)
    sv.team.set_member_skill(lapsed, "first_aid", expires_on=date(2026, 3, 12), expected_version=builders.member_skill_version(sv.team, lapsed, "first_aid"))
    fine = builders.member(sv, port, "正常的", Agency.QUARANTINE)
    sv.team.set_member_skill(fine, "first_aid", expires_on=date(2026, 3, 13), expected_version=builders.member_skill_version(sv.team, fine, "first_aid"))
    on_leave = builders.member(sv, port, "病休的", Agency.PORT_OFFICE, status=MemberStatus.ON_LEAVE)

    rows = {c.name: c for c in sv.participants.candidates(start, 60)}

    assert rows["休假的"].away is UnavailabilityKind.LEAVE and rows["休假的"].on_leave
    assert rows["证书过期的"].lapsed == ("急救",) and not rows["证书过期的"].on_leave
    assert rows["正常的"].lapsed == () and not rows["正常的"].on_leave
    assert rows["病休的"].on_leave
    assert not any(c.on_call for c in rows.values())
    assert on_leave and fine


def test_a_member_linked_to_an_account_sees_their_drills(world, clock, services):
    sv = world["sv"]
    port = world["port"]
    member_id = builders.member(sv, port, "李导调")
    li = builders.actor(services, Role.DUTY_OFFICER, "li")
    sv.participants.link_user(member_id, li.user_id, expected_version=sv.participants.version_of(Member, member_id))
    other = builders.member(sv, port, "王")
    with pytest.raises(ValidationError, match="李导调"):
        sv.participants.link_user(other, li.user_id, expected_version=sv.participants.version_of(Member, other))
    drill_id, _v = sv.drills.save_design(None, None, _content(world, clock.now + timedelta(days=2), participants=(
        ParticipantDoc(member_id, None, ParticipantRole.CONTROLLER),)))

    mine = builders.services_as(sv, li).drills.my_drills()
    assert [d.id for d in mine] == [drill_id]
    starts_now = [r for r in _drill_reminders(sv, drill_id, ReminderStatus.PENDING) if r.due_at == clock.now + timedelta(days=2)]
    assert {(r.user_id, r.role) for r in starts_now} == {
        (sv.actor.user_id, None), (li.user_id, None), (None, Role.DUTY_OFFICER)}


def test_the_designer_is_offered_the_plans_in_force_with_their_levels_and_actions(world):
    sv, plan = world["sv"], world["plan"]
    options = sv.drills.plan_options()
    assert [o.id for o in options] == [plan.plan_id]
    assert options[0].levels and all(1 <= n <= 4 for n in options[0].levels)
    actions = sv.drills.plan_actions(plan.plan_id)
    assert {a.id for a in actions} >= set(plan.actions)
    assert sv.drills.plan_actions(None) == ()
