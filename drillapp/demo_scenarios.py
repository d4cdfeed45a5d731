"""The demo drills' scenarios and MSELs, one set per kind of plan (the plan's `Scenario`), so that a fire drill
plays a fire and a system outage an outage (drillapp/demo.py and demo_programme.py use them).

Each set has the place of its live drills, the scenario both kinds of drill are briefed with, the live drill's
inject at minute 12 (the one the demo's past runs log as delivered) and the tabletop's five-line MSEL, whose
third inject is the city's call for the initial report (the demo links it to the report objective).
The text is in the port's working language, as the plan files and the demo's other records are; the app's own
bilingual lines (the run log's "导调注入1已下达 / Inject 1 delivered: …") are made by the services from it.
A plan of a scenario not listed here gets the general set.
"""

from __future__ import annotations

from dataclasses import dataclass

from drillapp.models import Inject
from drillapp.models.enums import InjectDelivery, Scenario

PHONE, RADIO, PAPER, IN_PERSON = (InjectDelivery.PHONE, InjectDelivery.RADIO, InjectDelivery.PAPER,
                                  InjectDelivery.IN_PERSON)
#: minute, scenario time, from, to, delivery, message, expected action
Row = tuple[int, str, str, str, InjectDelivery | None, str, str]
#: the live drill's inject comes at this minute (the past runs' logs say so)
LIVE_INJECT_MINUTE = 12


def _report(what: str) -> Row:
    return 25, "09:20", "市应急办", "口岸办", PHONE, f"市应急办询问{what}", "30分钟内报送初报"


@dataclass(frozen=True)
class DemoScenario:
    location: str  # where its live drills are held
    text: str  # the scenario the drill is briefed with
    live: tuple[str, str, InjectDelivery, str, str]  # the live drill's inject: from, to, delivery, message, action
    tabletop: tuple[Row, ...]  # the tabletop's MSEL

    def live_injects(self) -> list[Inject]:
        sender, recipient, delivery, message, action = self.live
        return [Inject(number=1, offset_minutes=LIVE_INJECT_MINUTE, sender=sender, recipient=recipient,
                       delivery=delivery, message=message, expected_action=action)]

    def tabletop_injects(self) -> list[Inject]:
        return [Inject(number=n, offset_minutes=m, scenario_time=t, sender=f, recipient=to, delivery=d, message=msg,
                       expected_action=act) for n, (m, t, f, to, d, msg, act) in enumerate(self.tabletop, start=1)]


SCENARIOS: dict[Scenario, DemoScenario] = {
    Scenario.VIOLENT_ATTACK: DemoScenario(
        "旅检大厅", "上午旅客通关高峰，旅检大厅内一名旅客突然持刀伤人，现场旅客惊慌拥挤。",
        ("导调组", "值班领导", RADIO, "货运通道发现第二名可疑人员", "封闭货运通道，机动队分组搜查"),
        ((0, "08:55", "导调组", "值班领导", PHONE, "旅检大厅报警：一名旅客持刀伤人", "启动预案，通知机动队集结"),
         (10, "09:05", "导调组", "边检", RADIO, "嫌疑人逃往货运通道方向", "封控大厅，派员追堵"),
         _report("伤亡和处置进展"),
         (45, "09:40", "导调组", "海关", PAPER, "货运车辆滞留，司机情绪激动", "疏导车辆，维持秩序"),
         (70, "10:05", "导调组", "检验检疫", IN_PERSON, "一名受伤旅客出现发热症状", "开设隔离观察室"))),
    Scenario.MASS_GATHERING: DemoScenario(
        "旅检大厅出境通道", "对方口岸临时限流，约80名出境旅客和边贸司机在旅检大厅聚集，要求立即放行，部分人员"
        "情绪激动，堵塞查验通道并与工作人员推搡。",
        ("导调组", "值班领导", RADIO, "聚集人员增至150人，有人试图冲闯查验通道", "机动队增援，设置隔离带分隔人群"),
        ((0, "08:55", "导调组", "值班领导", PHONE, "旅检大厅约80名旅客聚集，要求立即放行", "启动预案，口岸办派员劝导"),
         (10, "09:05", "导调组", "边检", RADIO, "有人拍摄视频上传网络，聚集人数增至150人", "设置隔离带，保留现场影像"),
         _report("聚集人数和处置进展"),
         (45, "09:40", "导调组", "海关", PAPER, "货车司机加入聚集，货运通道堵塞", "暂停货运查验，疏导车辆"),
         (70, "10:05", "导调组", "检验检疫", IN_PERSON, "一名老年旅客在人群中晕倒", "现场救护，开辟通道送医"))),
    Scenario.INFECTIOUS_DISEASE: DemoScenario(
        "旅检大厅入境通道", "入境旅客通关高峰，红外测温发现一名自境外疫区入境的旅客体温38.9℃、伴有咳嗽，"
        "自述同行团组中还有人发热。",
        ("导调组", "值班领导", PHONE, "同行团组中又有两名旅客出现发热症状", "扩大排查范围，启用隔离观察室"),
        ((0, "08:55", "导调组", "检验检疫", IN_PERSON, "入境旅客测温38.9℃，自述来自疫区", "开展流行病学调查，启用隔离观察室"),
         (10, "09:05", "导调组", "边检", RADIO, "同车入境的旅游团共32人，部分已通关离开", "暂停该通道通关，核查已通关人员"),
         _report("病例情况和密切接触者人数"),
         (45, "09:40", "导调组", "海关", PAPER, "该旅客携带未申报的动物制品", "暂扣物品，按规定检疫处理"),
         (70, "10:05", "导调组", "口岸办", PHONE, "定点医院负压救护车40分钟后到达", "协调转运路线，做好交接"))),
    Scenario.MEDICAL_RESCUE: DemoScenario(
        "旅检大厅", "一名入境旅客在旅检大厅排队时突然倒地、意识不清，同行人员称其有心脏病史；对方口岸同时请求"
        "经本口岸转送一名车祸重伤员到我方医院救治。",
        ("导调组", "值班领导", PHONE, "对方口岸救护车载重伤员抵达，要求紧急入境", "开辟绿色通道，联合快速查验放行"),
        ((0, "08:55", "导调组", "边检", IN_PERSON, "旅检大厅一名旅客突然倒地，呼吸微弱", "现场心肺复苏，呼叫120"),
         (10, "09:05", "对方口岸", "口岸办", PHONE, "请求转送一名车祸重伤员入境救治", "核实伤员身份，协调救护车通行"),
         _report("伤员情况和救治进展"),
         (45, "09:40", "导调组", "海关", PAPER, "救护车载有随行医疗设备和药品", "快速查验放行，登记备案"),
         (70, "10:05", "导调组", "检验检疫", RADIO, "伤员同行人员出现发热症状", "卫生检疫排查，必要时隔离观察"))),
    Scenario.DANGEROUS_GOODS: DemoScenario(
        "货运通道查验区", "一辆入境液化石油气槽罐车在货运通道查验区排队时阀门泄漏，现场有刺激性气味，周边有十余"
        "辆货车和司机。",
        ("导调组", "值班领导", RADIO, "泄漏处出现明火，风向转向货检大厅", "扩大警戒范围，疏散货检大厅人员"),
        ((0, "08:55", "导调组", "海关", RADIO, "查验关员发现槽罐车阀门泄漏，有刺激性气味", "停止查验，设置警戒区"),
         (10, "09:05", "导调组", "口岸办", PHONE, "司机称货物为液化石油气，随车单证不全", "拨打119，联系危化品处置力量"),
         _report("泄漏介质和疏散范围"),
         (45, "09:40", "导调组", "边检", IN_PERSON, "两名货车司机头晕恶心", "转移至上风向，检疫人员救护"),
         (70, "10:05", "导调组", "检验检疫", PAPER, "消防确认泄漏已控制，需检测空气", "开展环境检测，评估恢复通关"))),
    Scenario.FIRE_EVACUATION: DemoScenario(
        "联检楼", "上午通关时段，联检楼二层配电间冒烟起火，烟雾沿楼梯间向旅检大厅蔓延，大厅内约200名出入境"
        "旅客。",
        ("导调组", "值班领导", RADIO, "二层卫生间有一名工作人员被困", "向消防救援队伍报告被困位置，组织搜救"),
        ((0, "08:55", "导调组", "口岸办", PHONE, "消防控制室：二层配电间烟感报警", "值班员3分钟内到场确认，拨打119"),
         (10, "09:05", "导调组", "边检", RADIO, "烟雾进入旅检大厅，旅客惊慌", "停止通关，引导旅客疏散至集合点"),
         _report("火情和人员伤亡"),
         (45, "09:40", "导调组", "海关", PAPER, "查验区有未完成查验的物品和涉案物品", "转移保护物品和单证，清点登记"),
         (70, "10:05", "导调组", "检验检疫", IN_PERSON, "集合点两名旅客吸入烟雾，咳嗽不止", "现场救护，必要时送医"))),
    Scenario.IT_OUTAGE: DemoScenario(
        "旅检大厅查验现场", "上午通关高峰，出入境边防检查系统和海关通关系统同时中断，旅检大厅排起长队，货运通道"
        "车辆滞留。",
        ("导调组", "值班领导", PHONE, "技术部门称系统2小时内无法恢复，旅客开始不满", "启用人工查验应急程序"),
        ((0, "08:55", "导调组", "边检", PHONE, "出入境边防检查系统无法登录", "报告值班领导，启动应急查验"),
         (10, "09:05", "导调组", "海关", RADIO, "海关通关系统同时中断，货车滞留", "启用纸质单证应急通关"),
         _report("系统故障的影响范围"),
         (45, "09:40", "对方口岸", "口岸办", PHONE, "对方口岸询问何时恢复正常通关", "通报情况，商定临时限流"),
         (70, "10:05", "导调组", "检验检疫", PAPER, "健康申报系统故障，无法核验申报", "改用纸质健康申明卡"))),
    Scenario.CONTRABAND: DemoScenario(
        "旅检大厅查验区", "海关关员在旅检大厅用X光机检查一名入境旅客的行李时，发现疑似手枪和子弹，该旅客试图"
        "离开查验区。",
        ("导调组", "值班领导", RADIO, "同行人员驾驶的车辆在货运通道被发现可疑包裹", "控制车辆，联合开箱查验"),
        ((0, "08:55", "导调组", "海关", IN_PERSON, "X光机图像显示行李内有疑似枪支", "控制行李和旅客，报告值班领导"),
         (10, "09:05", "导调组", "边检", RADIO, "该旅客试图冲出查验区", "机动队控制人员，封控查验区"),
         _report("查获情况和涉案人员"),
         (45, "09:40", "导调组", "海关", PAPER, "行李中另发现白色粉末状物品", "现场初检，按涉毒物品移交"),
         (70, "10:05", "导调组", "检验检疫", IN_PERSON, "白色粉末散落，有工作人员接触", "防护处置，接触人员医学观察"))),
}

GENERAL = DemoScenario(
    "联检楼", "口岸通关时段发生突发事件，现场情况不明，需要各联检单位按预案联合处置。",
    ("导调组", "值班领导", PHONE, "现场情况升级，需要增派力量", "按预案提升响应，调集机动队"),
    ((0, "08:55", "导调组", "值班领导", PHONE, "口岸发生突发事件，现场报告情况不明", "启动预案，通知各单位"),
     (10, "09:05", "导调组", "边检", RADIO, "旅检大厅秩序受到影响", "维持秩序，必要时暂停通关"),
     _report("事件情况和处置进展"),
     (45, "09:40", "导调组", "海关", PAPER, "货运通道车辆滞留", "疏导车辆，维持秩序"),
     (70, "10:05", "导调组", "检验检疫", IN_PERSON, "一名旅客身体不适", "现场救护，必要时送医")))


def demo_scenario(scenario: Scenario | None) -> DemoScenario:
    """The set for a plan of this scenario (the general one when there is none)."""
    return SCENARIOS.get(scenario, GENERAL) if scenario is not None else GENERAL
