"""The demo port: four national ports of a border city, with one of them fully populated.

`load_demo` runs as one operation (one transaction, audited row by row): the four branches of each
port, ~60 team members with skills and certificates, six squads, eight joint plans with each agency's
actions, a year of drills around today (past ones run, with logs and a review), and on-call shifts.
`scale` multiplies it for the start-up benchmark (bulk rows, one audit note).
Names of people are invented; place names are real ports of the kind DOMAIN.md describes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import insert, select

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
    Inject,
    LogEntry,
    Member,
    MemberSkill,
    OnCallShift,
    PlanAction,
    PlanContact,
    PlanResource,
    PlanVersion,
    Port,
    ResponseLevel,
    ResponseTeam,
    ShiftAssignment,
    Skill,
    Squad,
)
from drillapp.models.enums import (
    ActionStatus,
    Agency,
    DrillKind,
    DrillStatus,
    FindingKind,
    LogKind,
    PlanStatus,
    PortKind,
    ResponsePhase,
    RunStatus,
    Scenario,
    ShiftKind,
    SquadKind,
)
from drillapp.services import audit
from drillapp.services.context import ServiceBase
from drillapp.services.plans import LEVEL_COLOURS, LEVEL_NAMES_ZH

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

# (scenario, code, Chinese title, English title, actions: agency -> [(phase, text, minutes)])
PLANS = [
    (Scenario.VIOLENT_ATTACK, "旅检大厅暴力恐怖袭击事件联合处置预案", "Violent or terrorist attack in the passenger hall",
     {Agency.BORDER_INSPECTION: [(ResponsePhase.FIRST_RESPONSE, "封控旅检大厅，疏散无关人员", 5),
                                 (ResponsePhase.CONTAINMENT, "机动队集结，控制嫌疑人", 10)],
      Agency.CUSTOMS: [(ResponsePhase.FIRST_RESPONSE, "关闭货运通道，保护监管区", 10)],
      Agency.QUARANTINE: [(ResponsePhase.FIRST_RESPONSE, "开设隔离观察室，做好伤员初检", 15)],
      Agency.PORT_OFFICE: [(ResponsePhase.ALERT, "报告市应急办和公安机关", 10),
                           (ResponsePhase.ESCALATION, "报送初报", 30)]}),
    (Scenario.MASS_GATHERING, "群体性事件联合处置预案", "Mass gathering or disturbance",
     {Agency.BORDER_INSPECTION: [(ResponsePhase.FIRST_RESPONSE, "设置隔离带，维持通关秩序", 10)],
      Agency.CUSTOMS: [(ResponsePhase.FIRST_RESPONSE, "暂停受影响通道的查验作业", 15)],
      Agency.QUARANTINE: [(ResponsePhase.FIRST_RESPONSE, "准备医疗急救力量待命", 15)],
      Agency.PORT_OFFICE: [(ResponsePhase.ALERT, "联系属地政府派员劝导", 20)]}),
    (Scenario.INFECTIOUS_DISEASE, "口岸重大传染病疫情联合处置预案", "Major infectious disease at the border",
     {Agency.BORDER_INSPECTION: [(ResponsePhase.FIRST_RESPONSE, "协助引导可疑旅客至指定区域", 10)],
      Agency.CUSTOMS: [(ResponsePhase.FIRST_RESPONSE, "对相关行李货物实施封存", 20)],
      Agency.QUARANTINE: [(ResponsePhase.FIRST_RESPONSE, "启动体温筛查和流行病学调查", 5),
                          (ResponsePhase.CONTAINMENT, "转运病例至定点医院", 60)],
      Agency.PORT_OFFICE: [(ResponsePhase.ALERT, "通报卫生健康部门", 15)]}),
    (Scenario.MEDICAL_RESCUE, "出入境人员突发疾病跨境救治联合处置预案", "Critically ill traveller: cross-border rescue",
     {Agency.BORDER_INSPECTION: [(ResponsePhase.FIRST_RESPONSE, "开辟绿色通道，优先办理边检手续", 5)],
      Agency.CUSTOMS: [(ResponsePhase.FIRST_RESPONSE, "快速验放急救药品和器械", 10)],
      Agency.QUARANTINE: [(ResponsePhase.FIRST_RESPONSE, "现场医学排查和急救", 5)],
      Agency.PORT_OFFICE: [(ResponsePhase.ALERT, "联系对方口岸和急救中心", 10)]}),
    (Scenario.DANGEROUS_GOODS, "货运车辆危险品泄漏或火灾联合处置预案", "Dangerous-goods leak or fire on a cargo vehicle",
     {Agency.BORDER_INSPECTION: [(ResponsePhase.FIRST_RESPONSE, "设置警戒区，疏散周边车辆和人员", 5)],
      Agency.CUSTOMS: [(ResponsePhase.FIRST_RESPONSE, "封闭货运通道，核查货物申报信息", 10)],
      Agency.QUARANTINE: [(ResponsePhase.CONTAINMENT, "开展有毒有害物质检测", 20)],
      Agency.PORT_OFFICE: [(ResponsePhase.ALERT, "通知消防和环保部门", 10),
                           (ResponsePhase.ESCALATION, "报送初报", 30)]}),
    (Scenario.FIRE_EVACUATION, "口岸联检楼火灾及人员疏散联合处置预案", "Fire and evacuation of the port building",
     {Agency.BORDER_INSPECTION: [(ResponsePhase.FIRST_RESPONSE, "组织旅检区人员疏散", 5)],
      Agency.CUSTOMS: [(ResponsePhase.FIRST_RESPONSE, "转移查验现场重要物品和资料", 10)],
      Agency.QUARANTINE: [(ResponsePhase.FIRST_RESPONSE, "设立临时医疗点", 15)],
      Agency.PORT_OFFICE: [(ResponsePhase.ALERT, "报告119并引导消防车辆", 5)]}),
    (Scenario.IT_OUTAGE, "通关信息系统故障联合处置预案", "Clearance IT systems down",
     {Agency.BORDER_INSPECTION: [(ResponsePhase.FIRST_RESPONSE, "启用人工验放应急程序", 15)],
      Agency.CUSTOMS: [(ResponsePhase.FIRST_RESPONSE, "启用纸质申报应急通关", 20)],
      Agency.QUARANTINE: [(ResponsePhase.FIRST_RESPONSE, "手工登记检疫信息", 20)],
      Agency.PORT_OFFICE: [(ResponsePhase.ALERT, "发布通关延误公告", 30)]}),
    (Scenario.CONTRABAND, "查获违禁品及枪支弹药联合处置预案", "Contraband or weapons found",
     {Agency.BORDER_INSPECTION: [(ResponsePhase.FIRST_RESPONSE, "控制当事人，保护现场", 5)],
      Agency.CUSTOMS: [(ResponsePhase.FIRST_RESPONSE, "扣留违禁物品，固定证据", 10)],
      Agency.QUARANTINE: [(ResponsePhase.CONTAINMENT, "对可疑物品进行检疫处理", 30)],
      Agency.PORT_OFFICE: [(ResponsePhase.ALERT, "通报公安机关", 15)]}),
]


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
            port = Port(code=code, name_zh=zh, name_en=en, kind=kind, neighbour_country=country)
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
        self.plans = [self._plan(i, *spec) for i, spec in enumerate(PLANS)]
        self.s.flush()
        self._drills()
        self._shifts()

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

    def _plan(self, i: int, scenario: Scenario, title_zh: str, title_en: str, actions: dict, code: str | None = None) -> ContingencyPlan:  # noqa: E501
        plan = ContingencyPlan(
            port_id=self.port.id, code=code or f"QH-{i + 1:02d}", scenario=scenario, title_zh=title_zh,
            title_en=title_en, owner_branch_id=self.branches[Agency.PORT_OFFICE].id,
        )
        # two plans fall due for review within weeks: the coordinator's Monday morning
        review_due = self.today + timedelta(days=(20 + 7 * i) if i < 2 else 120 + 30 * i)
        version = PlanVersion(
            number=1, status=PlanStatus.APPROVED, approved_by_id=self.user_id, approved_at=self.now,
            effective_on=review_due - timedelta(days=365), review_due_on=review_due,
        )
        version.levels = [ResponseLevel(level=lvl, name=LEVEL_NAMES_ZH[lvl], colour=LEVEL_COLOURS[lvl]) for lvl in (1, 2, 3, 4)]
        position = 0
        for agency, rows in actions.items():
            for phase, text, minutes in rows:
                version.actions.append(PlanAction(agency=agency, phase=phase, text=text, target_minutes=minutes,
                                                  position=position))
                position += 1
        for pos, (agency, branch) in enumerate(self.branches.items()):
            version.contacts.append(PlanContact(agency=agency, position=pos, name=branch.name_zh, post="24小时值班室",
                                                phone=branch.duty_phone))
        version.resources.append(PlanResource(name="应急物资储备室", kind="房间", location="联检楼一层东侧",
                                              custodian=Agency.PORT_OFFICE))
        plan.versions.append(version)
        self.s.add(plan)
        return plan

    def _drills(self) -> None:
        start = datetime.combine(self.today.replace(day=1), time(1, 30)) - timedelta(days=180)
        for month in range(12):
            when = start + timedelta(days=30 * month + self.rng.randint(0, 20))
            plan = self.plans[month % len(self.plans)]
            level = 4 - month % 3
            live = Drill(port_id=self.port.id, plan_id=plan.id, title=f"{plan.title_zh}（{'实战演练'}）",
                         kind=DrillKind.LIVE, level=level, scheduled_start=when, duration_minutes=50,
                         location="旅检大厅")
            live.objectives = [DrillObjective(position=0, text="机动队5分钟内完成集结"),
                               DrillObjective(position=1, text="30分钟内报送初报")]
            live.injects = [Inject(offset_minutes=12, sender="导调组", recipient="值班领导", message="货运通道发现第二名可疑人员")]
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
        drill.status = DrillStatus.COMPLETED
        version = plan.versions[0]
        run = DrillRun(drill_id=drill.id, plan_version_id=version.id, level=drill.level, status=RunStatus.ENDED,
                       started_at=drill.scheduled_start, ended_at=drill.scheduled_start + timedelta(minutes=50),
                       started_by_id=self.user_id)
        self.s.add(run)
        self.s.flush()
        for pos, action in enumerate(version.actions):
            late = self.rng.randint(-2, 5)
            self.s.add(ChecklistEntry(drill_run_id=run.id, plan_action_id=action.id, agency=action.agency,
                                      position=pos, text=action.text, target_minutes=action.target_minutes,
                                      done_at=drill.scheduled_start + timedelta(minutes=(action.target_minutes or 10) + late),
                                      done_by_id=self.user_id))
        for minute, kind, text in [(0, LogKind.SYSTEM, "演练开始"), (9, LogKind.MUSTER, "机动队集结完毕"),
                                   (12, LogKind.INJECT, "导调组：货运通道发现第二名可疑人员"),
                                   (30, LogKind.REPORT, "口岸办报送初报"), (50, LogKind.SYSTEM, "演练结束")]:
            self.s.add(LogEntry(drill_run_id=run.id, at=drill.scheduled_start + timedelta(minutes=minute),
                                author_name="值班员", kind=kind, text=text))
        review = AfterActionReview(drill_run_id=run.id, title=f"{drill.title} 评估报告",
                                   summary="各单位响应迅速，协同顺畅；隔离室启用偏慢。")
        problem, fix, agency, owner = IMPROVEMENTS[drill.id % len(IMPROVEMENTS)]
        finding = Finding(kind=FindingKind.IMPROVEMENT, position=0, text=problem, plan_id=plan.id)
        finding.actions = [CorrectiveAction(text=fix, owner_branch_id=self.branches[agency].id, owner_name=owner,
                                            due_on=drill.scheduled_start.date() + timedelta(days=45),
                                            status=ActionStatus.OPEN)]
        review.findings = [Finding(kind=FindingKind.STRENGTH, position=1, text="机动队集结用时9分钟，优于目标"), finding]
        self.s.add(review)

    def _shifts(self) -> None:
        day0 = datetime.combine(self.today, time(0, 0)) - timedelta(days=14)
        active = [m for m in self.members]
        for d in range(28):
            starts = day0 + timedelta(days=d)
            shift = OnCallShift(port_id=self.port.id, kind=ShiftKind.DUTY_24H, starts_at=starts,
                                ends_at=starts + timedelta(days=1), published=True)
            by_branch = [[m for m in active if m.branch_id == b.id] for b in self.port.branches]
            chosen = [group[(d + k) % len(group)] for group in by_branch for k in (0, 7) if group][:6]
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
            scenario, title_zh, title_en, actions = PLANS[i % len(PLANS)]
            plan = self._plan(100 + i, scenario, f"{title_zh}（{i + 1}）", title_en, actions, code=f"BENCH-{i + 1:04d}")
            plan_ids.append(plan)
        s.flush()
        if scale.drills:
            base = datetime.combine(self.today, time(2, 0)) - timedelta(days=365 * 3)
            s.execute(insert(Drill), [
                {"port_id": self.port.id, "plan_id": plan_ids[i % len(plan_ids)].id if plan_ids else None,
                 "title": f"演练 {i + 1}", "kind": DrillKind.LIVE if i % 4 else DrillKind.TABLETOP, "level": 1 + i % 4,
                 "scheduled_start": base + timedelta(hours=6 * i),
                 "status": DrillStatus.COMPLETED if base + timedelta(hours=6 * i) < self.now else DrillStatus.PLANNED}
                for i in range(scale.drills)
            ])
        if scale.log_entries:
            run_id = s.scalar(select(DrillRun.id).order_by(DrillRun.id))
            assert run_id is not None
            base = self.now - timedelta(days=365)
            batch = 10_000
            for start in range(0, scale.log_entries, batch):
                s.execute(insert(LogEntry), [
                    {"drill_run_id": run_id, "at": base + timedelta(seconds=30 * i), "author_name": "值班员",
                     "kind": LogKind.NOTE, "text": f"第{i + 1}条记录：各组报告现场情况正常", "created_at": self.now}
                    for i in range(start, min(start + batch, scale.log_entries))
                ])
