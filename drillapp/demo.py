"""The demo port: four national ports of a border city, with one of them fully populated.

`load_demo` runs as one operation (one transaction, audited row by row): the four branches of each
port, ~60 team members with skills and certificates, six squads, the joint plans of the plans/ folder
(imported with the plan-file import, services/plan_import.py), a year of drills around today (past ones
run, with logs and a review), and on-call shifts.
The plan files carry fixed dates; the demo lays them out around today instead (see `_plan_dates`): two
plans fall due for review within weeks, the others months from now.
`scale` multiplies it for the start-up benchmark (bulk rows, one audit note).
Names of people are invented; place names are real ports of the kind DOMAIN.md describes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import cast

from sqlalchemy import insert, select, update

from drillapp.clock import from_local
from drillapp.demo_scenarios import demo_scenario
from drillapp.io.plan_files import PlanFile, read_plan_file
from drillapp.models import (
    AfterActionReview,
    Branch,
    ChecklistEntry,
    ContingencyPlan,
    CorrectiveAction,
    Drill,
    DrillObjective,
    DrillRun,
    Finding,
    HotWashNote,
    LogEntry,
    Member,
    MemberSkill,
    ObjectiveRating,
    OnCallShift,
    Port,
    ResponseTeam,
    RosterPeriod,
    ShiftAssignment,
    Skill,
    Squad,
)
from drillapp.models.enums import (
    ActionStatus,
    Agency,
    Capability,
    DrillKind,
    DrillScope,
    DrillStatus,
    EventAction,
    FindingKind,
    HotWashKind,
    InjectStatus,
    ItemState,
    LogKind,
    PlanStatus,
    PortKind,
    Rating,
    ReviewStatus,
    RosterStatus,
    RunStatus,
    Scenario,
    ShiftKind,
    ShiftPattern,
    SquadKind,
)
from drillapp.paths import bundled_plan_files
from drillapp.services import audit, run_chain
from drillapp.services.checklist import build_entries
from drillapp.services.context import ServiceBase
from drillapp.services.org import neighbour_zone
from drillapp.services.plan_import import add_plan_file
from drillapp.services.run_injects import INJECT_LINES

DEMO_PORT = "QUANHE"

PORTS = [
    ("QUANHE", "圈河口岸", "Quanhe Port", PortKind.ROAD, "朝鲜"),
    ("SHATUOZI", "沙坨子口岸", "Shatuozi Port", PortKind.ROAD, "朝鲜"),
    ("HUNCHUN", "珲春口岸", "Hunchun Port", PortKind.ROAD, "俄罗斯"),
    ("HUNCHUN-RAIL", "珲春铁路口岸", "Hunchun Rail Port", PortKind.RAIL, "俄罗斯"),
]
BRANCHES = [
    (Agency.BORDER_INSPECTION, "边防检查站执勤科", "Border Inspection Station, duty section"),
    (Agency.CUSTOMS, "海关办事处", "Customs office"),
    (Agency.QUARANTINE, "出入境检验检疫局办事处", "Entry-Exit Inspection & Quarantine office"),
    (Agency.PORT_OFFICE, "口岸办公室办事处", "Port Office"),
]
SKILLS = [
    ("first_aid", "急救", "First aid", True),
    ("firearms", "枪械使用", "Firearms", True),
    ("riot_control", "处突防暴", "Riot control", True),
    ("negotiation", "谈判", "Negotiation", False),
    ("russian", "俄语", "Russian", False),
    ("korean", "朝鲜语", "Korean", False),
    ("driving_a", "A类驾驶", "Driving, class A", True),
    ("cbrn", "防护装备（防化）", "Protective equipment (CBRN)", True),
    ("fire_safety", "消防安全", "Fire safety", True),
]
SQUADS = [
    (SquadKind.COMMAND, "指挥联络组", 4),
    (SquadKind.SECURITY, "安保处置组", 12),
    (SquadKind.MEDICAL, "医疗救护组", 6),
    (SquadKind.EVACUATION, "疏散引导组", 10),
    (SquadKind.SCREENING, "检疫排查组", 8),
    (SquadKind.LOGISTICS, "后勤通信组", 6),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文朴"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁龙林欣滨"
POSTS = ["执勤队员", "科长", "副科长", "关员", "检疫员", "联络员", "驾驶员", "分队长"]

#: The order in which the demo's drills go through the plans (by scenario), and in which review dates are
#: laid out: the first two fall due within weeks. Plans of other scenarios follow in file order.
DRILL_ORDER = [
    Scenario.VIOLENT_ATTACK, Scenario.MASS_GATHERING, Scenario.INFECTIOUS_DISEASE, Scenario.MEDICAL_RESCUE,
    Scenario.DANGEROUS_GOODS, Scenario.FIRE_EVACUATION, Scenario.IT_OUTAGE, Scenario.CONTRABAND,
]


def demo_plan_files() -> list[PlanFile]:
    """The shipped plan files (plans/*.yaml), parsed, in the demo's order (DRILL_ORDER, then the rest)."""
    parsed = [read_plan_file(path) for path in bundled_plan_files()]
    rank = {scenario: i for i, scenario in enumerate(DRILL_ORDER)}
    return sorted(parsed, key=lambda p: rank.get(p.scenario, len(rank)))


CAPABILITIES = [Capability.EQUIPMENT, Capability.PLAN, Capability.EQUIPMENT, Capability.TRAINING,
                Capability.ORGANISATION, Capability.EQUIPMENT]

# (area for improvement, corrective action, owner agency, owner)
IMPROVEMENTS = [
    ("隔离室钥匙存放位置不当，启用隔离室用时19分钟（目标15分钟）", "将隔离室钥匙移至检疫值班台", Agency.QUARANTINE, "检疫科"),
    ("初报报送超时8分钟", "修订初报模板，明确口岸办值班员为报送责任人", Agency.PORT_OFFICE, "综合科"),
    ("货运通道封闭指令传达不畅", "为海关货运现场配发对讲机两部", Agency.CUSTOMS, "监管科"),
    ("机动队部分队员未携带防护装备", "每月检查机动队个人装备并登记", Agency.BORDER_INSPECTION, "执勤科"),
    ("与对方口岸联络电话无人接听", "与对方口岸核对24小时联络电话并每季度测试", Agency.PORT_OFFICE, "联络科"),
    ("疏散引导标识不清", "更换旅检大厅疏散指示标识", Agency.BORDER_INSPECTION, "执勤科"),
]


@dataclass(frozen=True)
class DemoScale:
    """How much to add beyond the demo port, for the start-up benchmark."""

    members: int = 0
    plans: int = 0
    drills: int = 0
    log_entries: int = 0


LARGE = DemoScale(members=1000, plans=200, drills=5000, log_entries=100_000)


class DemoService(ServiceBase):
    def load_demo(self, scale: DemoScale | None = None, seed: int = 2026) -> bool:
        """Create the demo port unless it exists; returns False (and changes nothing) if it does."""
        with self.write("data.load_demo") as s:
            if s.scalar(select(Port.id).where(Port.code == DEMO_PORT)) is not None:
                return False
            builder = _Builder(s, random.Random(seed), audit.operation_time(s), self.actor.user_id)
            builder.build()
            if scale is not None:
                builder.scale(scale)
                audit.note(s, "port", builder.port.id, f"benchmark scale {scale}")
            return True


class _Builder:
    def __init__(self, session, rng: random.Random, now: datetime, user_id: int | None) -> None:  # noqa: ANN001
        self.s, self.rng, self.now, self.user_id = session, rng, now, user_id
        self.today = now.date()

    def build(self) -> None:
        ports = []
        for code, zh, en, kind, country in PORTS:
            port = Port(code=code, name_zh=zh, name_en=en, kind=kind, neighbour_country=country,
                        neighbour_time_zone=neighbour_zone(country))
            port.branches = [
                Branch(agency=a, name_zh=bzh, name_en=ben, duty_phone=f"0433-75{self.rng.randint(10000, 99999)}")
                for a, bzh, ben in BRANCHES
            ]
            self.s.add(port)
            ports.append(port)
        self.s.flush()
        self.port = ports[0]
        self.branches = {b.agency: b for b in self.port.branches}
        self.skills = [Skill(code=c, name_zh=zh, name_en=en, certificate_required=cert) for c, zh, en, cert in SKILLS]
        self.s.add_all(self.skills)
        team = ResponseTeam(port_id=self.port.id, name="圈河口岸应急反恐机动队")
        self.s.add(team)
        self.s.flush()
        self.squads = [Squad(team_id=team.id, kind=k, name=n, min_strength=m) for k, n, m in SQUADS]
        self.s.add_all(self.squads)
        self.s.flush()
        self.members = [self._member(i) for i in range(60)]
        self.s.flush()
        for squad in self.squads:
            in_squad = [m for m in self.members if m.squad_id == squad.id]
            squad.leader_id = in_squad[0].id if in_squad else None
        self.plan_files = demo_plan_files()
        self.plans = self._plans(self.plan_files)
        by_scenario = {p.scenario: p for p in reversed(self.plans)}
        self.drill_plans = [by_scenario[sc] for sc in DRILL_ORDER if sc in by_scenario] or self.plans
        self._drills()
        self._shifts()
        from drillapp.demo_programme import add_programme

        add_programme(self)

    def _name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))

    def _member(self, i: int, branch: Branch | None = None) -> Member:
        rng = self.rng
        branch = branch or self.port.branches[i % 4]
        member = Member(
            branch_id=branch.id, squad_id=self.squads[i % len(self.squads)].id, name=self._name(),
            post=rng.choice(POSTS), phone=f"0433-75{rng.randint(10000, 99999)}",
            mobile=f"13{rng.randint(100000000, 999999999)}",
            volunteer_date=self.today - timedelta(days=rng.randint(100, 2000)),
            fitness_date=self.today - timedelta(days=rng.randint(10, 300)),
            training_date=self.today - timedelta(days=rng.randint(10, 300)),
        )
        for skill in rng.sample(self.skills, rng.randint(1, 4)):
            expires = self.today + timedelta(days=rng.randint(120, 900)) if skill.certificate_required else None
            member.skills.append(MemberSkill(skill_id=skill.id, expires_on=expires))
        if i in (3, 17):  # two first-aid certificates run out next month: the team lead's warning
            first_aid = self.skills[0]
            member.skills = [ms for ms in member.skills if ms.skill_id != first_aid.id]
            member.skills.append(MemberSkill(skill_id=first_aid.id, expires_on=self.today + timedelta(days=26 + i)))
        self.s.add(member)
        return member

    def _plans(self, files: list[PlanFile]) -> list[ContingencyPlan]:
        plans = []
        for i, plan_file in enumerate(files):
            result = add_plan_file(self.s, self._plan_dates(i, plan_file), self.port.id)
            plan = self.s.get(ContingencyPlan, result.plan_id)
            assert plan is not None
            plans.append(plan)
        return plans

    def _plan_dates(self, i: int, plan_file: PlanFile, code: str | None = None, title_zh: str | None = None) -> PlanFile:
        """The file's plan with its version approved today and laid out around today: two plans fall due for
        review within weeks (the coordinator's Monday morning), the others months from now."""
        review_due = self.today + timedelta(days=(20 + 7 * i) if i < 2 else 120 + 30 * i)
        version = replace(plan_file.version, status=PlanStatus.APPROVED, approved_at=self.now,
                          effective_on=min(review_due - timedelta(days=365), self.today), review_due_on=review_due)
        return replace(plan_file, version=version, code=code or plan_file.code, title_zh=title_zh or plan_file.title_zh)

    def _drills(self) -> None:
        start = datetime.combine(self.today.replace(day=1), time(1, 30)) - timedelta(days=180)
        for month in range(12):
            when = start + timedelta(days=30 * month + self.rng.randint(0, 20))
            plan = self.drill_plans[month % len(self.drill_plans)]
            level = 4 - month % 3
            setting = demo_scenario(plan.scenario)
            live = Drill(port_id=self.port.id, plan_id=plan.id, title=f"{plan.title_zh}（{'实战演练'}）",
                         kind=DrillKind.LIVE, level=level, scheduled_start=when, duration_minutes=50,
                         location=setting.location, scenario_text=setting.text)
            live.objectives = [DrillObjective(position=0, text="机动队15分钟内完成集结"),
                               DrillObjective(position=1, text="30分钟内报送初报")]
            live.injects = setting.live_injects()
            self.s.add(live)
            if month % 3 == 0:
                tabletop_at = when + timedelta(days=7)
                self.s.add(Drill(port_id=self.port.id, plan_id=plan.id, title=f"{plan.title_zh}（桌面推演）",
                                 kind=DrillKind.TABLETOP, level=level, scheduled_start=tabletop_at,
                                 duration_minutes=120, location="联检楼三楼会议室",
                                 status=DrillStatus.COMPLETED if tabletop_at < self.now else DrillStatus.PLANNED))
            if when < self.now:
                self.s.flush()
                self._run(live, plan)

    def _run(self, drill: Drill, plan: ContingencyPlan) -> None:
        """A past live drill, run as the console would have run it: the checklist of the plan at the drill's
        level ticked (the isolation room late), the team's muster a little sooner drill after drill, the inject,
        the initial report; its record hash-chained like any run's; then its review (HSEEP ratings, a strength,
        an area for improvement with its corrective actions; the older ones signed off)."""
        drill.status = DrillStatus.COMPLETED
        version = plan.versions[0]
        start = drill.scheduled_start
        self.runs_made = getattr(self, "runs_made", 0) + 1
        run = DrillRun(drill_id=drill.id, plan_version_id=version.id, level=drill.level, status=RunStatus.ENDED,
                       started_at=start, ended_at=start + timedelta(minutes=50), started_by_id=self.user_id)
        self.s.add(run)
        self.s.flush()
        entries = build_entries(version, drill.level)
        for entry in entries:
            entry.drill_run_id = run.id
            self.s.add(entry)
        self.s.flush()
        records: list[tuple[datetime, int, object]] = []
        for entry in entries:
            if (entry.target_minutes or 0) > 45:  # due after the drill (a final report in 24 h): not in the drill
                at = start + timedelta(minutes=48)
                entry.state, entry.done_at, entry.recorded_at, entry.done_by_id = (
                    ItemState.NOT_APPLICABLE, at, at, self.user_id)
                records.append((at, 1, entry))
                continue
            late = 4 if "隔离" in entry.text else self.rng.choice((-2, -1, -1, 0, 1, 3))
            done = start + timedelta(minutes=max(1, (entry.target_minutes or 10) + late),
                                     seconds=-self.rng.randint(0, 50))
            entry.state, entry.done_at, entry.recorded_at, entry.done_by_id = ItemState.DONE, done, done, self.user_id
            records.append((done, 1, entry))
        muster = max(9, 15 - self.runs_made)
        delivered = INJECT_LINES[InjectStatus.DELIVERED]
        for minute, kind, text in [(0, LogKind.SYSTEM, "演练开始 / Drill started"),
                                   (muster, LogKind.MUSTER, f"机动队集结完毕（{muster}分钟）"),
                                   *[(i.offset_minutes, LogKind.INJECT, delivered.format(n=i.number, message=i.message))
                                     for i in drill.injects],
                                   (30, LogKind.REPORT, "口岸办报送初报"), (50, LogKind.SYSTEM, "演练结束 / Drill ended")]:
            records.append((start + timedelta(minutes=minute), 0, (kind, text)))
        with run_chain.ChainWriter(self.s, run_chain.run(run.id)) as chain:
            for at, _order, what in sorted(records, key=lambda r: (r[0], r[1])):
                if isinstance(what, ChecklistEntry):
                    action = EventAction.DONE if what.state is ItemState.DONE else EventAction.NOT_APPLICABLE
                    chain.event(entry_id=what.id, action=action, happened_at=at, recorded_at=at,
                                author_id=self.user_id, author_name="值班员")
                else:
                    kind, text = cast(tuple[LogKind, str], what)
                    chain.log(at=at, recorded_at=at, author_name="值班员", kind=kind, text=text)
        self._review(drill, plan, version, run, muster)

    def _review(self, drill: Drill, plan: ContingencyPlan, version, run: DrillRun, muster: int) -> None:  # noqa: ANN001
        signed = run.started_at < self.now - timedelta(days=60)
        review = AfterActionReview(port_id=drill.port_id, drill_run_id=run.id, title=f"{drill.title} 评估报告",
                                   summary="各单位响应迅速，协同顺畅；隔离室启用偏慢。")
        review.ratings = [
            ObjectiveRating(objective_id=drill.objectives[0].id, objective_text=drill.objectives[0].text,
                            rating=Rating.P if muster <= 10 else Rating.S, note=f"集结用时{muster}分钟",
                            rated_by_id=self.user_id, rated_at=run.ended_at),
            ObjectiveRating(objective_id=drill.objectives[1].id, objective_text=drill.objectives[1].text,
                            rating=Rating.S, note="初报按时报送，内容要素不全", rated_by_id=self.user_id,
                            rated_at=run.ended_at),
        ]
        problem, fix, agency, owner = IMPROVEMENTS[drill.id % len(IMPROVEMENTS)]
        finding = Finding(kind=FindingKind.IMPROVEMENT, position=0, text=problem, plan_id=plan.id, agency=agency,
                          root_cause="职责分工未落实到岗位")
        if agency is Agency.QUARANTINE:
            room = next((r for r in version.resources if "隔离" in r.name), None)
            finding.plan_resource_id = room.id if room is not None else None
        begun = run.started_at.date() + timedelta(days=7)
        finding.actions = [CorrectiveAction(
            text=fix, owner_branch_id=self.branches[agency].id, owner_name=owner, start_on=begun,
            due_on=run.started_at.date() + timedelta(days=45), status=ActionStatus.OPEN,
            capability=CAPABILITIES[drill.id % len(CAPABILITIES)])]
        ended = run.ended_at or run.started_at  # the demo's runs have ended
        if signed:
            finding.actions.append(CorrectiveAction(
                text="组织一次专项培训并考核", owner_branch_id=self.branches[agency].id, owner_name=owner,
                start_on=begun, due_on=run.started_at.date() + timedelta(days=30), status=ActionStatus.DONE,
                capability=Capability.TRAINING, closed_at=ended + timedelta(days=25),
                evidence="培训签到表及考核记录已存档", verified_by_id=self.user_id,
                verified_at=ended + timedelta(days=26)))
        strength = Finding(kind=FindingKind.STRENGTH, position=1, text=f"机动队集结有序，{muster}分钟全员到位",
                           agency=Agency.BORDER_INSPECTION)
        review.findings = [finding, strength]
        self.s.add(review)
        self.s.flush()
        self.s.add(HotWashNote(review_id=review.id, agency=Agency.BORDER_INSPECTION, kind=HotWashKind.WENT_WELL,
                               text=strength.text, at=run.ended_at, author_name="值班员", finding_id=strength.id))
        if signed:  # signed off once complete, as the coordinator would (nothing changes after it)
            self.s.flush()
            review.status, review.signed_off_by_id = ReviewStatus.SIGNED_OFF, self.user_id
            review.signed_off_at = ended + timedelta(days=3)

    def _shifts(self) -> None:
        """A published four-week roster around today that keeps its own rules (the roster checker finds nothing
        wrong with it): 24 h duty from 08:00 local, six a day, at least one from each branch, a squad leader on
        every shift, at most two duties in any 7 days, a day off after each. The six squad leaders take the lead
        in turn (each every sixth day, in their branch's place); the other members of each branch are taken in
        turn, at most two a day, so their next duty is about a week later."""
        first = self.today - timedelta(days=14)
        rules = {"headcount": 6, "min_per_branch": 1, "leader_required": True, "max_per_week": 2,
                 "rest_after_duty": 1}
        period = RosterPeriod(port_id=self.port.id, name="演示排班（四周）", starts_on=first,
                              ends_on=first + timedelta(days=27), pattern=ShiftPattern.DUTY_24H,
                              status=RosterStatus.PUBLISHED, rules=rules, published_at=self.now,
                              published_by_id=self.user_id, solver_status="DEMO")
        self.s.add(period)
        self.s.flush()
        leader_ids = {q.leader_id for q in self.squads if q.leader_id is not None}
        leaders = [m for m in self.members if m.id in leader_ids]
        branch_ids = [b.id for b in self.port.branches]
        queues = [[m for m in self.members if m.branch_id == b and m.id not in leader_ids] for b in branch_ids]
        turn = [0] * len(queues)
        for d in range(28):
            starts = from_local(datetime.combine(first + timedelta(days=d), time(8, 0)))
            shift = OnCallShift(port_id=self.port.id, period_id=period.id, kind=ShiftKind.DUTY_24H, starts_at=starts,
                                ends_at=starts + timedelta(days=1), published=True)
            slots = list(range(len(queues))) + [d % len(queues), (d + 1) % len(queues)]
            chosen = []
            if leaders:
                leader = leaders[d % len(leaders)]
                chosen.append(leader)
                slots.remove(branch_ids.index(leader.branch_id))  # the leader stands in their branch's place
            for b in slots:
                if queues[b]:
                    chosen.append(queues[b][turn[b] % len(queues[b])])
                    turn[b] += 1
            shift.assignments = [ShiftAssignment(member_id=m.id) for m in dict.fromkeys(chosen)]
            self.s.add(shift)

    # -- benchmark scale ---------------------------------------------------------------------------
    def scale(self, scale: DemoScale) -> None:
        s, rng = self.s, self.rng
        branch_ids = [b.id for b in self.port.branches]
        squad_ids = [q.id for q in self.squads]
        if scale.members:
            s.execute(insert(Member), [
                {"branch_id": branch_ids[i % 4], "squad_id": squad_ids[i % len(squad_ids)], "name": self._name(),
                 "post": rng.choice(POSTS), "mobile": f"13{rng.randint(100000000, 999999999)}"}
                for i in range(scale.members)
            ])
        plan_ids = []
        for i in range(scale.plans):
            source = self.plan_files[i % len(self.plan_files)]
            plan_file = self._plan_dates(100 + i, source, code=f"BENCH-{i + 1:04d}",
                                         title_zh=f"{source.title_zh}（{i + 1}）")
            result = add_plan_file(s, plan_file, self.port.id)
            plan_ids.append(s.get(ContingencyPlan, result.plan_id))
        s.flush()
        if scale.drills:
            base = datetime.combine(self.today, time(2, 0)) - timedelta(days=365 * 3)
            s.execute(insert(Drill), [
                {"port_id": self.port.id, "plan_id": plan_ids[i % len(plan_ids)].id if plan_ids else None,
                 "title": f"演练 {i + 1}", "kind": DrillKind.LIVE if i % 4 else DrillKind.TABLETOP, "level": 1 + i % 4,
                 "scope": DrillScope.COMPREHENSIVE if i % 3 == 0 else DrillScope.SINGLE,
                 "scheduled_start": base + timedelta(hours=6 * i),
                 "status": DrillStatus.COMPLETED if base + timedelta(hours=6 * i) < self.now else DrillStatus.PLANNED}
                for i in range(scale.drills)
            ])
        if scale.log_entries:
            run_id = s.scalar(select(DrillRun.id).order_by(DrillRun.id))
            assert run_id is not None
            owner = run_chain.run(run_id)
            seq, head = s.execute(select(DrillRun.chain_seq, DrillRun.chain_head).where(DrillRun.id == run_id)).one()
            base = self.now - timedelta(days=365)
            batch = 10_000
            for start in range(0, scale.log_entries, batch):
                rows, seq, head = run_chain.bulk_log_rows(owner, seq, head, (
                    {"at": base + timedelta(seconds=30 * i), "recorded_at": base + timedelta(seconds=30 * i),
                     "author_name": "值班员", "kind": LogKind.NOTE, "text": f"第{i + 1}条记录：各组报告现场情况正常"}
                    for i in range(start, min(start + batch, scale.log_entries))))
                s.execute(insert(LogEntry), [{**r, "created_at": self.now} for r in rows])
            s.execute(update(DrillRun).where(DrillRun.id == run_id).values(chain_seq=seq, chain_head=head)
                      .execution_options(synchronize_session=False))
