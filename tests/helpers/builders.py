"""Small worlds for tests, built through the real service operations (so they are audited like the app's).

Each builder returns plain ids (dataclasses of ints), never ORM objects: tests read back through a session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from drillapp.models import PlanVersion
from drillapp.models.enums import Agency, DrillKind, PlanStatus, ResponsePhase, Role, Scenario, SquadKind
from drillapp.services import Services
from drillapp.services.context import Actor, ServiceBase


@dataclass(frozen=True)
class PortIds:
    port_id: int
    branches: dict[Agency, int]


@dataclass(frozen=True)
class TeamIds:
    team_id: int
    squads: dict[SquadKind, int]


@dataclass(frozen=True)
class PlanIds:
    plan_id: int
    version_id: int
    #: action id -> (agency, level) as added
    actions: dict[int, tuple[Agency, int | None]] = field(default_factory=dict)


BRANCH_NAMES = {
    Agency.BORDER_INSPECTION: "边防检查站",
    Agency.CUSTOMS: "海关",
    Agency.QUARANTINE: "检验检疫",
    Agency.PORT_OFFICE: "口岸办",
}

#: One action per agency: two at every level, one at level 2 only, one at level 4 only.
STANDARD_ACTIONS: list[tuple[Agency, ResponsePhase, str, int | None, int | None]] = [
    (Agency.BORDER_INSPECTION, ResponsePhase.FIRST_RESPONSE, "封控旅检大厅", None, 5),
    (Agency.CUSTOMS, ResponsePhase.FIRST_RESPONSE, "关闭货运通道", 2, 10),
    (Agency.QUARANTINE, ResponsePhase.CONTAINMENT, "开设隔离观察室", 4, 15),
    (Agency.PORT_OFFICE, ResponsePhase.ALERT, "报告市应急办", None, 20),
]


def port_with_branches(services: Services, code: str = "QH", name_zh: str = "圈河口岸") -> PortIds:
    """A port and its four agencies' branches."""
    port_id = services.org.create_port(code, name_zh, "Quanhe Port", neighbour_country="朝鲜")
    branches = {
        agency: services.org.create_branch(port_id, agency, name, duty_phone="0433-7500000")
        for agency, name in BRANCH_NAMES.items()
    }
    return PortIds(port_id, branches)


def port_in_zone(services: Services, code: str, zone: str, name_zh: str = "测试口岸") -> PortIds:
    """A port with its branches whose clock is `zone` (the app sets a port's zone outside the services)."""
    from drillapp.models import Port

    port = port_with_branches(services, code, name_zh)
    with ServiceBase(services.db, services.actor, services.clock).write("data.load_demo") as s:
        port_row = s.get(Port, port.port_id)
        assert port_row is not None
        port_row.time_zone = zone
    return port


def team_with_squads(services: Services, port: PortIds, kinds: tuple[SquadKind, ...] = tuple(SquadKind)) -> TeamIds:
    team_id = services.team.create_team(port.port_id, "应急反恐机动队")
    return TeamIds(team_id, {k: services.team.create_squad(team_id, k, k.value, min_strength=2) for k in kinds})


def member(services: Services, port: PortIds, name: str = "张伟", agency: Agency = Agency.BORDER_INSPECTION,
           **values: object) -> int:
    return services.team.create_member(port.branches[agency], name, **values)


def draft_plan(
    services: Services, port: PortIds, code: str = "QH-01", *, title_zh: str = "旅检大厅暴力恐怖袭击事件联合处置预案",
    actions: list[tuple[Agency, ResponsePhase, str, int | None, int | None]] | None = None,
) -> PlanIds:
    plan_id, version_id = services.plans.create_plan(
        port.port_id, code, Scenario.VIOLENT_ATTACK, title_zh, "Violent attack",
        owner_branch_id=port.branches[Agency.PORT_OFFICE],
    )
    added: dict[int, tuple[Agency, int | None]] = {}
    for agency, phase, text, level, minutes in STANDARD_ACTIONS if actions is None else actions:
        action_id = services.plans.add_action(version_id, agency, phase, text, level=level, target_minutes=minutes)
        added[action_id] = (agency, level)
    return PlanIds(plan_id, version_id, added)


def approved_plan(
    services: Services, port: PortIds, code: str = "QH-01", *, review_due_on: date | None = None, **kwargs: object
) -> PlanIds:
    plan = draft_plan(services, port, code, **kwargs)  # type: ignore[arg-type]
    today = services.clock().date()
    shown = services.revisions.version_of(PlanVersion, plan.version_id)
    services.revisions.submit_for_review(plan.version_id, expected_version=shown)  # approval follows review (issue 14 item 4)
    services.plans.approve_version(
        plan.version_id, effective_on=today, review_due_on=review_due_on or today + timedelta(days=365),
        expected_version=services.plans.version_of(PlanVersion, plan.version_id),
    )
    return plan


def new_revision(services: Services, plan_id: int) -> int:
    """A new draft version of a plan. There is no service operation for revisions yet, so this writes one
    through a named operation (audited like any other)."""
    with ServiceBase(services.db, services.actor, services.clock).write("plans.create_plan") as s:
        latest = s.scalar(select(func.max(PlanVersion.number)).where(PlanVersion.plan_id == plan_id)) or 0
        version = PlanVersion(plan_id=plan_id, number=latest + 1, status=PlanStatus.DRAFT)
        s.add(version)
        s.flush()
        return version.id


def drill(
    services: Services, port: PortIds, plan: PlanIds | None = None, *, level: int | None = 2,
    starts_in: timedelta = timedelta(days=7), title: str = "旅检大厅实战演练", kind: DrillKind = DrillKind.LIVE,
    **kwargs: object,
) -> int:
    return services.drills.schedule_drill(
        port.port_id, title, kind, services.clock() + starts_in, plan_id=plan.plan_id if plan else None,
        level=level, **kwargs,  # type: ignore[arg-type]
    )


def actor(services: Services, role: Role, username: str | None = None) -> Actor:
    """A real user with this role (created by the admin behind `services`), as an Actor."""
    username = username or f"{role.value}-user"
    user_id = services.users.create_user(username, role)
    return Actor(user_id, username, role)


def services_as(services: Services, who: Actor) -> Services:
    """The same database and clock, acting as someone else."""
    return Services(services.db, who, services.clock)


def on_port(services: Services, port: PortIds) -> Services:
    """The same database, actor and clock, working on `port` (its time zone)."""
    from drillapp.services.context import PortScope

    return Services(services.db, services.actor, services.clock, PortScope(port.port_id, "QH"))


def approved_version(sv: Services | ServiceBase, plan_id: int) -> int:
    """The row version of a plan's approved version, as a screen showing it would pass (retire)."""
    with sv.db.session() as s:
        version = s.scalar(select(PlanVersion.row_version).where(PlanVersion.plan_id == plan_id,
                                                                  PlanVersion.status == PlanStatus.APPROVED))
    return int(version or 0)  # 0 where there is none: the operation says so in words


def member_skill_version(sv: Services | ServiceBase, member_id: int, skill_code: str) -> int | None:
    """The row version of a member's holding of a skill (None when not held), as the member editor shows it."""
    from drillapp.models import MemberSkill, Skill

    with sv.db.session() as s:
        return s.scalar(select(MemberSkill.row_version).join(Skill).where(MemberSkill.member_id == member_id,
                                                                          Skill.code == skill_code))


def _scalar_version(sv: Services | ServiceBase, query: Any) -> int | None:
    with sv.db.session() as s:
        return s.scalar(query)


def branch_minimum_version(sv: Services | ServiceBase, team_id: int, branch_id: int) -> int | None:
    from drillapp.models import TeamBranchMinimum

    return _scalar_version(sv, select(TeamBranchMinimum.row_version).where(
        TeamBranchMinimum.team_id == team_id, TeamBranchMinimum.branch_id == branch_id))


def preference_version(sv: Services | ServiceBase, period_id: int, member_id: int, day: date) -> int | None:
    from drillapp.models import RosterPreference

    return _scalar_version(sv, select(RosterPreference.row_version).where(
        RosterPreference.period_id == period_id, RosterPreference.member_id == member_id,
        RosterPreference.day == day))


def rating_version(sv: Services | ServiceBase, review_id: int, objective_id: int) -> int | None:
    from drillapp.models import ObjectiveRating

    return _scalar_version(sv, select(ObjectiveRating.row_version).where(
        ObjectiveRating.review_id == review_id, ObjectiveRating.objective_id == objective_id))


def port_setting_version(sv: Services | ServiceBase, port_id: int | None = None) -> int | None:
    from drillapp.models import PortSetting

    chosen = port_id if port_id is not None else sv.scope.id
    return _scalar_version(sv, select(PortSetting.row_version).where(PortSetting.port_id == chosen))
