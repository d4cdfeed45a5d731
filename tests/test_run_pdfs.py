"""The drill print-outs: the blank checklist (tick boxes, target times, blank time columns, report times), the
completed run record (each timed action against its target, deviations marked, the timeline with back-timed
entries), and the AAR/IP (a draft marked DRAFT; its charts drawn with reportlab.graphics.charts). Text with
markup characters prints exactly as typed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers import builders
from pypdf import PdfReader
from reportlab.graphics.charts.barcharts import VerticalBarChart
from sqlalchemy import select

from drillapp.models import AfterActionReview, ChecklistEntry, PlanVersion
from drillapp.models.enums import Agency, FindingKind, ItemState, Rating, ReportKind, ResponsePhase
from drillapp.reports import aar_pdf, charts, run_pdf

ODD = 'Seal <hall> & "gate" 封控旅检大厅'


def _text(path) -> str:
    return "".join("".join((page.extract_text() or "").split()) for page in PdfReader(str(path)).pages)


@pytest.fixture
def run(services, clock):
    port = builders.port_with_branches(services)
    plan = builders.approved_plan(services, port, actions=[
        (Agency.BORDER_INSPECTION, ResponsePhase.FIRST_RESPONSE, ODD, None, 5),
        (Agency.QUARANTINE, ResponsePhase.FIRST_RESPONSE, "开设隔离观察室", None, 15),
        (Agency.CUSTOMS, ResponsePhase.FIRST_RESPONSE, "封闭货运区", None, 10),
    ])
    drill = builders.drill(services, port, plan, level=2, starts_in=timedelta(0), objectives=["5分钟内封控"])
    run_id = services.runs.start_run(drill)
    start = clock.now
    with services.db.session() as s:
        items = {e.text: e.id for e in s.scalars(select(ChecklistEntry).where(ChecklistEntry.drill_run_id == run_id))}
    clock.now = start + timedelta(minutes=25)
    services.runs.tick(items[ODD], happened_at=start + timedelta(minutes=4), expected_version=services.runs.version_of(ChecklistEntry, items[ODD]))
    services.runs.tick(items["开设隔离观察室"], happened_at=start + timedelta(minutes=19), expected_version=services.runs.version_of(ChecklistEntry, items["开设隔离观察室"]))
    services.runs.tick(items["封闭货运区"], ItemState.SKIPPED, reason="货运区今日无作业", expected_version=services.runs.version_of(ChecklistEntry, items["封闭货运区"]))
    services.runs.add_log_entry("机动队集结完毕 <9 min> & ok", drill_run_id=run_id)
    clock.now = start + timedelta(minutes=50)
    services.runs.end_run(run_id)
    return run_id, drill


def test_the_completed_run_record(services, run, tmp_path):
    run_id, _drill = run

    out = run_pdf.write_run_record(services.review_docs.record(run_id), tmp_path / "record.pdf")

    text = _text(out)
    assert "".join(ODD.split()) in text and "机动队集结完毕<9min>&ok" in text
    assert "4.0minlate" in text, "the isolation room: 19 against 15"
    assert "skipped:货运区今日无作业" in text
    assert "recorded16:25:00" in text, "a back-timed tick shows when it was recorded"
    assert "1of2timedactions" in text
    assert "Hash-chainedrecord" in text, "not \"Record\", which is 记录类型 (an audit column) in Chinese"


def test_the_blank_checklist(services, run, tmp_path):
    _run_id, drill = run
    blank = services.console.blank_checklist(drill)
    assert [i.text for i in blank.items] == [ODD, "封闭货运区", "开设隔离观察室"]

    out = run_pdf.write_blank_checklist(blank, tmp_path / "blank.pdf")

    text = _text(out)
    for words in ("演练/DRILL", "".join(ODD.split()), "5min", "15min", "Dueat", "Doneat", "Initials", "Startedat"):
        assert words in text, words


def test_a_blank_checklist_row_is_never_split_across_pages(tmp_path):
    """The tick box, the action and its responsible post stay on one page, and a phase's heading with its
    first item (the demo's blank checklist had its last row's post on the next page, without a tick box)."""
    from datetime import datetime

    from drillapp.models.enums import DrillKind
    from drillapp.services.run_console import BlankChecklist, BlankItem

    phases = [ResponsePhase.ALERT, ResponsePhase.FIRST_RESPONSE, ResponsePhase.RECOVERY]
    for count in range(24, 40):
        items = tuple(BlankItem(list(Agency)[n % 4], phases[n * len(phases) // count],
                                f"第{n}项措施：" + "核实情况并报告" * (1 + n % 3), f"岗位{n}号", 5 + n,
                                ReportKind.INITIAL if n % 5 == 4 else None) for n in range(count))
        blank = BlankChecklist(1, "分页检查单", DrillKind.LIVE, 2, datetime(2026, 3, 2, 1, 30), "旅检大厅", "QH-01",
                               "测试预案", 1, items, ())
        out = run_pdf.write_blank_checklist(blank, tmp_path / f"blank{count}.pdf")
        pages = ["".join((page.extract_text() or "").split()) for page in PdfReader(str(out)).pages]
        assert len(pages) > 1
        for n in range(count):
            [page] = [p for p in pages if f"第{n}项措施" in p]
            assert f"岗位{n}号" in page, (count, n)
        for phase in ("Firstresponse", "Recovery"):
            [page] = [p for p in pages if phase in p]
            first = next(n for n, item in enumerate(items) if item.phase is phases[1 if phase == "Firstresponse" else 2])
            assert f"第{first}项措施" in page, (count, phase)


def test_the_blank_checklist_lists_the_reports_due(services, tmp_path):
    port = builders.port_with_branches(services)
    plan = builders.draft_plan(services, port, actions=[])
    services.plans.add_action(plan.version_id, Agency.PORT_OFFICE, ResponsePhase.ALERT, "报送初报", target_minutes=30,
                              report_due=ReportKind.INITIAL)
    services.revisions.submit_for_review(plan.version_id, expected_version=services.revisions.version_of(PlanVersion, plan.version_id))
    services.plans.approve_version(plan.version_id, services.clock().date(), services.clock().date() + timedelta(1), expected_version=services.plans.version_of(PlanVersion, plan.version_id))
    drill = builders.drill(services, port, plan)

    text = _text(run_pdf.write_blank_checklist(services.console.blank_checklist(drill), tmp_path / "b.pdf"))

    assert "Reportsdue" in text and "Initialreport" in text and "Sentat" in text


def test_the_aar_is_marked_draft_until_signed_off(services, run, tmp_path):
    run_id, drill = run
    review = services.reviews.create_from_run(run_id)
    with services.db.session() as s:
        from drillapp.models import DrillObjective

        objective = s.scalar(select(DrillObjective.id).where(DrillObjective.drill_id == drill))
    services.reviews.rate_objective(review, objective, Rating.S, "封控及时，隔离室偏慢", expected_version=builders.rating_version(services.reviews, review, objective))
    finding = services.reviews.add_finding(review, FindingKind.IMPROVEMENT, "隔离室钥匙存放位置不当",
                                           root_cause="钥匙由科长保管", agency=Agency.QUARANTINE)
    services.reviews.add_corrective_action(finding, "钥匙移至检疫值班台", owner_name="检疫科")
    services.reviews.add_finding(review, FindingKind.STRENGTH, "封控迅速", agency=Agency.BORDER_INSPECTION)

    draft = _text(aar_pdf.write_aar(services.review_docs.document(review), tmp_path / "draft.pdf"))
    services.reviews.sign_off(review, expected_version=services.reviews.version_of(AfterActionReview, review))
    final = _text(aar_pdf.write_aar(services.review_docs.document(review), tmp_path / "final.pdf"))

    assert "DRAFT" in draft and "DRAFT" not in final and "Signedoff" in final
    for words in ("1.Overview", "3.Analysisbyobjective", "S:performedwithsomechallenges", "封控及时，隔离室偏慢",
                  "Strengths", "封控迅速", "Areasforimprovement", "钥匙由科长保管", "5.Improvementplan",
                  "钥匙移至检疫值班台", "AppendixA.Timeline", "AppendixB.Timesagainsttargets"):
        assert words in final, words
    # the English print-out's own brackets (it had Chinese ones: 封控迅速（Border inspection）); the scenario is
    # the narrative, not the plan's kind of event (in Chinese the label read 事件类型)
    assert "封控迅速(Borderinspection)" in final and "Scenarionarrative" in final


def test_the_times_chart_draws_late_actions_in_red(services, run):
    run_id, _drill = run
    measures = services.review_docs.record(run_id).measures

    drawing = charts.times_chart(measures, 400)

    [chart] = [c for c in drawing.contents if isinstance(c, VerticalBarChart)]
    assert chart.data == [[4.0, 19.0], [5, 15]], "taken beside target, for the timed actions done"
    assert chart.bars[(0, 1)].fillColor == charts.LATE and chart.bars[0].fillColor == charts.TAKEN
    assert charts.times_chart([], 400) is None
    assert charts.ratings_chart([Rating.P, Rating.S, None, Rating.S], 300).contents[0].data == [[1, 2, 0, 0]]
