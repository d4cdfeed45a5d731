"""Print-outs of a plan: the full plan and the one-page action card (drillapp/reports/plan_pdf.py), and the
Chinese line breaking they use (drillapp/reports/cjk.py)."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date, datetime

import pytest
from helpers import builders
from helpers.printing import print_plan as build_plan_pdf
from pypdf import PdfReader
from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.platypus import Paragraph

from drillapp import i18n
from drillapp.demo import DemoService
from drillapp.models.enums import (
    Agency,
    MatrixRole,
    PlanStatus,
    ReportKind,
    ResponsePhase,
    Scenario,
    SectionKind,
)
from drillapp.reports import plan_pdf
from drillapp.reports.cjk import NO_END, NO_START, CJKParagraph, PlainText, char_widths, line_breaks
from drillapp.reports.fonts import cjk_font
from drillapp.reports.page import frame_size, styles
from drillapp.reports.plan_pdf import write_plan_pdf
from drillapp.reports.tables import parse_colour, readable_text_colour
from drillapp.reports.text import markup
from drillapp.services.errors import DomainError, NotFoundError, ValidationError
from drillapp.services.plan_document import (
    ActionDoc,
    ContactDoc,
    LevelDoc,
    MatrixDoc,
    PlanDoc,
    ResourceDoc,
    SectionDoc,
)
from drillapp.services.plans import LEVEL_COLOURS, LEVEL_NAMES_ZH, PlanService

TRICKY = "a < b && c > d \"quoted\" 'single' <b>not bold</b>"
PAGE_OF = re.compile(r"Page (\d+) of (\d+)")


# -- helpers ------------------------------------------------------------------------------------------


def _text(path) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(path)
    return reader, [page.extract_text() for page in reader.pages]


def _compact(text: str) -> str:
    """Text without any whitespace: wrapped lines join up again."""
    return "".join(text.split())


def _without_page_furniture(pages: list[str], doc: PlanDoc) -> str:
    """The pages' text without header and footer lines (drawn last on each page, so they come last),
    so that text running on over a page break reads on."""
    def furniture(line: str) -> bool:
        return (line in (doc.title_zh, "内部资料 / Internal") or line.startswith(f"{doc.code} · ")
                or PAGE_OF.search(line) is not None)

    return "\n".join(line for page in pages for line in page.split("\n") if not furniture(line.strip()))


def _fonts(reader: PdfReader) -> dict[str, bool]:
    """Every font the PDF uses -> whether it is embedded."""
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            found[str(font["/BaseFont"])] = descriptor is not None and "/FontFile2" in descriptor.get_object()
    return found


def _lines_of(flowable, width: float) -> list[str]:
    flowable.wrap(width, 10**6)
    if isinstance(flowable, PlainText):
        return [line for line, _w in flowable._lines]
    bl = flowable.blPara
    if bl.kind == 0:
        return ["".join(words) for _extra, words in bl.lines]
    return ["".join(f.text for f in line.words) for line in bl.lines]


def _doc(**changes) -> PlanDoc:
    """A whole plan as plain data, with every part filled, for print-outs without a database."""
    sections = (
        SectionDoc(1, SectionKind.GENERAL, "1 总则", "为有效预防和妥善处置旅检大厅暴力恐怖袭击事件，制定本预案。", 0),
        SectionDoc(2, SectionKind.GENERAL, "1.1 编制依据", "《中华人民共和国反恐怖主义法》等。", 0, 1),
        SectionDoc(3, SectionKind.ORGANISATION, "2 组织机构及职责", "口岸成立联合指挥部。", 1),
        SectionDoc(4, SectionKind.CLASSIFICATION, "3 事件分级", "分为四级。", 2),
        SectionDoc(5, SectionKind.RESPONSE, "5 应急响应", f"接报后立即启动本预案。\n{TRICKY}", 3),
        SectionDoc(6, SectionKind.APPENDICES, "7 附则", "本预案自印发之日起施行。", 4),
    )
    levels = tuple(LevelDoc(n, LEVEL_NAMES_ZH[n], LEVEL_COLOURS[n], f"{LEVEL_NAMES_ZH[n]}事件的启动条件。") for n in (1, 2, 3, 4))
    actions = (
        ActionDoc(1, Agency.BORDER_INSPECTION, None, ResponsePhase.FIRST_RESPONSE, 0, "封控旅检大厅，疏散无关人员", "执勤队长", 5,
                  None),
        ActionDoc(2, Agency.BORDER_INSPECTION, 1, ResponsePhase.CONTAINMENT, 1, "机动队集结，控制嫌疑人", "机动队队长", 10, None),
        ActionDoc(3, Agency.CUSTOMS, 2, ResponsePhase.FIRST_RESPONSE, 2, "关闭货运通道，保护监管区", "", 10, None),
        ActionDoc(4, Agency.QUARANTINE, None, ResponsePhase.FIRST_RESPONSE, 3, "开设隔离观察室", "检疫科", 15, None),
        ActionDoc(5, Agency.PORT_OFFICE, None, ResponsePhase.ALERT, 4, "报告市应急办和公安机关", "值班员", 10,
                  ReportKind.INITIAL),
    )
    matrix = (MatrixDoc("现场封控", Agency.BORDER_INSPECTION, MatrixRole.LEAD),
              MatrixDoc("现场封控", Agency.CUSTOMS, MatrixRole.SUPPORT),
              MatrixDoc("信息报送", Agency.PORT_OFFICE, MatrixRole.LEAD))
    contacts = tuple(ContactDoc(a, f"{a.value}值班室", "24小时值班", f"0433-75{i}0000", "", "", i) for i, a in enumerate(Agency))
    resources = (ResourceDoc("应急物资储备室", "房间", None, "联检楼一层东侧", Agency.PORT_OFFICE, "", 0),)
    values = dict(
        plan_id=1, version_id=1, code="QH-01", scenario=Scenario.VIOLENT_ATTACK, title_zh="旅检大厅暴力恐怖袭击事件联合处置预案",
        title_en="Violent attack", port_code="QH", port_name="圈河口岸", owner_agency=Agency.PORT_OFFICE, number=1,
        status=PlanStatus.APPROVED, approved_by="李明", approved_at=datetime(2026, 3, 2, 8), effective_on=date(2026, 3, 2),
        review_due_on=date(2027, 3, 1), change_note="", row_version=1, sections=sections, levels=levels, actions=actions,
        matrix=matrix, contacts=contacts, resources=resources,
    )
    values.update(changes)
    return PlanDoc(**values)


@pytest.fixture
def demo(db, admin, clock):
    assert DemoService(db, admin, clock).load_demo() is True
    return db


@pytest.fixture
def longest(demo, admin):
    """The demo's longest plan (by its text), as printed from the database."""
    from sqlalchemy import select

    from drillapp.models import ContingencyPlan

    with demo.session() as s:
        ids = list(s.scalars(select(ContingencyPlan.id)))
    docs = [PlanService(demo, admin).print_document(plan_id) for plan_id in ids]
    return max(docs, key=lambda d: sum(len(a.text) for a in d.actions) + sum(len(x.body) for x in d.sections))


# -- the full plan ------------------------------------------------------------------------------------


def test_the_full_demo_plan(demo, admin, longest, tmp_path):
    out = build_plan_pdf(demo, admin, longest.plan_id, tmp_path / "plan.pdf")
    reader, pages = _text(out)
    everything = _compact("".join(pages))
    assert _compact(longest.title_zh) in _compact(pages[0]), "the title is on the cover"
    assert "内部资料/Internal" in _compact(pages[0])
    assert len(pages) >= 4
    action = longest.actions[0]
    assert _compact(action.text) in everything
    assert all(_compact(a.text) in everything for a in longest.actions), "every action is printed"
    assert all(_compact(s.title) in everything for s in longest.sections)
    # page x of y on every page but the cover
    numbers = [PAGE_OF.search(p) for p in pages]
    assert numbers[0] is None
    assert [(int(m[1]), int(m[2])) for m in numbers[1:]] == [(n, len(pages)) for n in range(2, len(pages) + 1)]
    assert "Page 2 of" in pages[1]
    # the font is embedded, and nothing else is used
    fonts = _fonts(reader)
    assert fonts and all(fonts.values()), fonts
    assert any("WenQuanYi" in name for name in fonts)
    assert not (tmp_path / "plan.pdf.part").exists()


def test_no_line_of_the_demo_plan_starts_with_closing_punctuation(demo, admin, longest, tmp_path):
    out = build_plan_pdf(demo, admin, longest.plan_id, tmp_path / "plan.pdf")
    _reader, pages = _text(out)
    lines = [line.strip() for page in pages for line in page.split("\n") if line.strip()]
    assert len(lines) > 100
    bad = [line for line in lines if line[0] in NO_START]
    assert not bad, bad[:5]


def test_contents_and_outline_point_at_the_headings(tmp_path):
    doc = _doc()
    out = write_plan_pdf(doc, tmp_path / "plan.pdf")
    reader, pages = _text(out)
    assert "Contents" in pages[1]
    outline = []

    def walk(items, depth=0):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                outline.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    titles = [title for _depth, title, _page in outline]
    assert titles[:3] == ["1 总则", "1.1 编制依据", "2 组织机构及职责"]
    for expected in ("Responsibility matrix", "Response levels", "Actions by agency", "Border inspection",
                     "Contacts (24-hour duty)", "Resources"):
        assert expected in titles
    for _depth, title, page in outline:
        assert title in pages[page - 1], f"{title!r} is not on page {page}"
        assert title in pages[1], f"{title!r} is not in the contents"
    # the page numbers of the contents (drawn after the last page, when they are known), in order
    assert re.findall(r"^\d+$", pages[1], re.M) == [str(page) for _depth, _title, page in outline]
    assert sum(len(p.get("/Annots", []) or []) for p in reader.pages[1:2]) == len(outline), "each entry links"


def test_levels_matrix_and_actions_print_where_they_belong(tmp_path):
    doc = _doc()
    out = write_plan_pdf(doc, tmp_path / "plan.pdf")
    reader, pages = _text(out)
    body = _compact("".join(pages[2:]))
    # the level table comes after the "Classification" section, the matrix after "Organisation"
    assert body.index("2组织机构及职责") < body.index("Responsibilitymatrix") < body.index("3事件分级")
    assert body.index("3事件分级") < body.index("Responselevels") < body.index("5应急响应")
    assert body.index("5应急响应") < body.index("Actionsbyagency") < body.index("7附则") < body.index("Resources")
    for n in (1, 2, 3, 4):
        assert _compact(f"{LEVEL_NAMES_ZH[n]}事件的启动条件。") in body
    assert "LevelI" in body and "LevelIV" in body and "Lead" in body and "Supportrole" in body
    assert "Initialreport" in body and "5min" in body
    # each level's colour fills its cells
    content = b"".join(page.get_contents().get_data() for page in reader.pages)
    for n in (1, 2, 3, 4):
        rgb = colors.HexColor(LEVEL_COLOURS[n]).rgb()
        assert f"{fp_str(*rgb)} rg".encode() in content, f"level {n} colour"


@pytest.mark.parametrize("colour,text", [("#d32f2f", colors.white), ("#1976d2", colors.white),
                                         ("#f57c00", colors.black), ("#fbc02d", colors.black),
                                         ("not a colour", colors.black)])
def test_level_colours_get_readable_text(colour, text):
    assert readable_text_colour(parse_colour(colour)) == text


def test_markup_characters_print_exactly_as_typed(tmp_path):
    doc = _doc(title_zh=f"预案 {TRICKY}", contacts=(ContactDoc(None, TRICKY, "", "", "", "", 0),),
               actions=(ActionDoc(1, Agency.CUSTOMS, 2, ResponsePhase.ALERT, 0, TRICKY, TRICKY, 5, None),))
    out = write_plan_pdf(doc, tmp_path / "plan.pdf")
    _reader, pages = _text(out)
    assert TRICKY in pages[0].replace("\n", " "), "cover title (wrapped at a space)"
    body = "".join(pages[2:])
    assert TRICKY in body, "a section body line"
    assert _compact(TRICKY) in _compact(body)
    card = write_plan_pdf(doc, tmp_path / "card.pdf", Agency.CUSTOMS, 2)
    assert _compact(TRICKY) in _compact("".join(_text(card)[1]))


def test_a_very_long_section_and_an_unbroken_word_print_in_full(tmp_path):
    sentence = "口岸联检单位在联合指挥部统一领导下，按照职责分工密切配合（含“初报、续报、终报”）。Border crossing 24h! "
    body = (sentence * 200)[:10_000]
    word = "ABCDEFGHIJ" * 30  # 300 characters without a break
    long_action = "立即报告联合指挥部，" * 400  # a table row taller than a page
    doc = _doc(sections=(SectionDoc(1, SectionKind.GENERAL, "1 总则", body, 0),
                         SectionDoc(2, SectionKind.GENERAL, word, word, 1)),
               actions=(ActionDoc(1, Agency.CUSTOMS, None, ResponsePhase.ALERT, 0, long_action, word, 5, None),
                        ActionDoc(2, Agency.CUSTOMS, None, ResponsePhase.ALERT, 1, word, "", 5, None)))
    out = write_plan_pdf(doc, tmp_path / "plan.pdf")
    _reader, pages = _text(out)
    everything = _compact(_without_page_furniture(pages, doc))
    assert _compact(body) in everything, "the whole 10,000 characters"
    assert everything.count(word) >= 4, "the 300-character word: section title, body, action, post"
    # the row continues on the next pages, after the repeated table header (and its other cells): in order
    alphabet = set(long_action)
    assert long_action in "".join(ch for ch in everything if ch in alphabet), "a row taller than a page splits"


def test_chinese_labels_when_the_app_speaks_chinese(tmp_path):
    assert i18n.set_language("zh_CN") == "zh_CN"
    out = write_plan_pdf(_doc(), tmp_path / "plan.pdf")
    _reader, pages = _text(out)
    everything = _compact("".join(pages))
    assert "版本" in _compact(pages[0]) and "状态" in _compact(pages[0]) and "已批准" in _compact(pages[0])
    assert "I级" in everything and "全部级别" in everything and "处置措施" in everything
    assert "第2页，共" in _compact(pages[1])


def test_printing_an_older_version(services, tmp_path):
    port = builders.port_with_branches(services)
    plan = builders.approved_plan(services, port)
    builders.new_revision(services, plan.plan_id)
    in_force = build_plan_pdf(services.db, services.actor, plan.plan_id, tmp_path / "v1.pdf")
    in_force_text = _text(in_force)[1]
    assert "version 1" in in_force_text[1] and "封控旅检大厅" in "".join(in_force_text), "by default: the one in force"
    draft = build_plan_pdf(services.db, services.actor, plan.plan_id, tmp_path / "v2.pdf", version_number=2)
    assert "version 2" in _text(draft)[1][1]
    with pytest.raises(NotFoundError):
        build_plan_pdf(services.db, services.actor, plan.plan_id, tmp_path / "v9.pdf", version_number=9)
    assert not (tmp_path / "v9.pdf").exists()


def test_actions_print_by_level_phase_and_target(tmp_path):
    """Issue 14 item 2: an action added last prints in its place, not after "recovery"."""
    doc = _doc()
    added = (ActionDoc(6, Agency.BORDER_INSPECTION, None, ResponsePhase.RECOVERY, 5, "恢复旅检大厅通关秩序", "", None, None),
             ActionDoc(7, Agency.BORDER_INSPECTION, 1, ResponsePhase.FIRST_RESPONSE, 6, "新增：3分钟内关闭闸机", "", 3, None))
    doc = replace(doc, actions=doc.actions + added)
    card = _compact(_text(write_plan_pdf(doc, tmp_path / "card.pdf", Agency.BORDER_INSPECTION, 1))[1][0])
    order = ["新增：3分钟内关闭闸机", "封控旅检大厅，疏散无关人员", "机动队集结，控制嫌疑人", "恢复旅检大厅通关秩序"]
    assert [card.index(_compact(t)) for t in order] == sorted(card.index(_compact(t)) for t in order)
    full = _compact(_without_page_furniture(_text(write_plan_pdf(doc, tmp_path / "plan.pdf"))[1], doc))
    # the full plan: every level's actions first, then level I (then by phase and target)
    order = ["封控旅检大厅，疏散无关人员", "恢复旅检大厅通关秩序", "新增：3分钟内关闭闸机", "机动队集结，控制嫌疑人"]
    assert [full.index(_compact(t)) for t in order] == sorted(full.index(_compact(t)) for t in order)


def test_a_draft_says_so(tmp_path):
    out = write_plan_pdf(_doc(status=PlanStatus.DRAFT), tmp_path / "plan.pdf")
    _reader, pages = _text(out)
    assert "Not an approved version" in pages[0] and "Draft" in pages[1]


# -- the action card ----------------------------------------------------------------------------------


def test_action_card_of_the_demo_is_one_page(demo, admin, longest, tmp_path):
    agency, level = Agency.PORT_OFFICE, 2
    out = build_plan_pdf(demo, admin, longest.plan_id, tmp_path / "card.pdf", agency=agency, level=level)
    reader, pages = _text(out)
    assert len(pages) == 1
    text = _compact(pages[0])
    mine = longest.actions_for(agency, level)
    assert mine and all(_compact(a.text) in text for a in mine)
    others = [a for a in longest.actions if a.agency is not agency or (a.level not in (None, level))]
    assert not [a.text for a in others if _compact(a.text) in text and not any(a.text in m.text for m in mine)]
    assert "Page1of1" in text and "Actioncard" in text
    assert all(_fonts(reader).values())


def test_a_busy_but_realistic_card_still_fits_one_page(tmp_path):
    actions = tuple(
        ActionDoc(i, Agency.BORDER_INSPECTION, None if i % 3 else 1, list(ResponsePhase)[i % 7], i,
                  f"第{i + 1}项：机动队携防暴装备封控旅检大厅出入口，关闭出入境通道闸机，引导旅客有序撤离并报告值班领导",
                  "执勤科值班科长", 5 + i, ReportKind.INITIAL if i == 3 else None)
        for i in range(14)
    )
    contacts = tuple(ContactDoc(list(Agency)[i % 4], f"联系人{i}", "口岸办综合科科长（信息报送）", "0433-7561401", "13904331401",
                                "", i) for i in range(12))
    doc = _doc(actions=actions, contacts=contacts)
    out = write_plan_pdf(doc, tmp_path / "card.pdf", Agency.BORDER_INSPECTION, 1)
    _reader, pages = _text(out)
    assert len(pages) == 1
    assert all(_compact(a.text) in _compact(pages[0]) for a in actions)


def test_a_card_that_cannot_fit_continues_on_a_second_page(tmp_path):
    actions = tuple(ActionDoc(i, Agency.CUSTOMS, 2, ResponsePhase.ALERT, i, f"第{i + 1}项措施：" + "核查货物申报信息并报告值班科长，" * 4,
                              "", 5, None) for i in range(40))
    out = write_plan_pdf(_doc(actions=actions), tmp_path / "card.pdf", Agency.CUSTOMS, 2)
    _reader, pages = _text(out)
    assert len(pages) >= 2
    everything = _compact("".join(pages))
    assert all(_compact(a.text) in everything for a in actions), "no text is cut"


def test_card_fitting_picks_the_largest_size_that_fits():
    story = plan_pdf.action_card_story(_doc(), Agency.BORDER_INSPECTION, 1)
    width, height = frame_size()
    assert plan_pdf._height_of(story, width, height) <= height
    assert story[1].style.fontSize > 12, "a short card keeps the largest size"


@pytest.mark.parametrize("agency,level", [(Agency.CUSTOMS, None), (None, 2), ("customs", None)])
def test_a_card_needs_both_agency_and_level(agency, level, tmp_path):
    with pytest.raises(DomainError, match="both an agency and a response level"):
        write_plan_pdf(_doc(), tmp_path / "card.pdf", agency, level)
    assert not (tmp_path / "card.pdf").exists()


def test_card_arguments_are_checked(services, tmp_path):
    port = builders.port_with_branches(services)
    plan = builders.approved_plan(services, port)
    db, actor = services.db, services.actor
    with pytest.raises(DomainError, match="both an agency and a response level"):
        build_plan_pdf(db, actor, plan.plan_id, tmp_path / "c.pdf", agency=Agency.CUSTOMS)
    with pytest.raises(ValidationError):
        build_plan_pdf(db, actor, plan.plan_id, tmp_path / "c.pdf", agency="navy", level=2)
    with pytest.raises(ValidationError):
        build_plan_pdf(db, actor, plan.plan_id, tmp_path / "c.pdf", agency=Agency.CUSTOMS, level=5)
    with pytest.raises(DomainError, match="does not define"):
        write_plan_pdf(_doc(levels=_doc().levels[:2]), tmp_path / "c.pdf", Agency.CUSTOMS, 4)
    # as typed on a command line
    out = build_plan_pdf(db, actor, plan.plan_id, tmp_path / "c.pdf", agency="CUSTOMS", level="II")
    assert "关闭货运通道" in _text(out)[1][0]


# -- Chinese line breaking ----------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [CJKParagraph, PlainText])
@pytest.mark.parametrize("mark", list("。，、；：？！）」』】”》"))
def test_a_line_never_starts_with_closing_punctuation(cls, mark):
    """Ten characters fit on a line; the 11th is a closing mark: ReportLab alone would start line 2 with
    it (，；：？！”》) or hang it past the margin (。、）」』】). The last character goes down with it."""
    style = styles()["body"]
    text = "一二三四五六七八九十" + mark + "一二三"
    lines = _lines_of(cls(text if cls is PlainText else markup(text, style.fontName), style), 10 * style.fontSize)
    assert lines == ["一二三四五六七八九", "十" + mark + "一二三"]


def test_reportlab_alone_leaves_the_comma_at_a_line_start():
    """Why cjk.py exists (ReportLab 4/5: a full-width comma is not in its list of marks that cannot start a
    line). If this fails, ReportLab has learnt the rule and cjk.py may be simplified."""
    style = styles()["body"]
    lines = _lines_of(Paragraph("一二三四五六七八九十，一二三", style), 10 * style.fontSize)
    assert lines[1].startswith("，")


def test_opening_brackets_stay_with_what_follows_and_latin_words_stay_whole():
    style = styles()["body"]
    width = 10 * style.fontSize
    assert _lines_of(PlainText("一二三四五六七八九（十二三", style), width) == ["一二三四五六七八九", "（十二三"]
    lines = _lines_of(PlainText("一二三 Hello world again and again 四五六七八九十", style), width)
    assert lines == ["一二三 Hello world", "again and again 四五", "六七八九十"]
    assert _lines_of(PlainText("x" * 50, style), width) == ["x" * 20, "x" * 20, "x" * 10], "a long word is cut, not lost"
    assert _lines_of(PlainText("a\n\nb", style), width) == ["a", "", "b"], "line breaks are kept"


def test_random_chinese_text_wraps_by_the_rules():
    """Any text, any width: every character kept in order, no line wider than allowed, none starting with
    closing punctuation or ending with an opening one (unless a line is nothing but such marks)."""
    rng = random.Random(7)
    alphabet = "口岸联检单位指挥部旅客疏散" * 3 + "。，、；：？！）」》（「《" + "AB12 -"
    font, size = cjk_font().name, 10.5
    checked = 0
    while checked < 300:
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 120))).strip() or "口"
        if re.search(f"[{re.escape(''.join(NO_START | NO_END))}]{{4}}", text):
            continue  # four marks in a row: not always possible to keep with a character on a narrow line
        checked += 1
        width = rng.uniform(6, 30) * size
        widths = char_widths(text, font, size)
        lines = line_breaks(text, widths, [width])
        assert "".join(text[a:b] for a, b, _u, _h in lines).replace(" ", "") == text.replace(" ", "")
        for n, (a, b, used, _hard) in enumerate(lines):
            line = text[a:b].rstrip(" ")
            assert used <= width + 1e-6 or b - a == 1
            if n and line and any(ch not in NO_START for ch in line):
                assert line[0] not in NO_START, (text, width, line)
            if n + 1 < len(lines) and line and any(ch not in NO_END for ch in line):
                assert line[-1] not in NO_END, (text, width, line)


def test_plain_text_wraps_like_the_paragraph():
    style = styles()["body"]
    rng = random.Random(3)
    for _ in range(50):
        text = "".join(rng.choice("口岸联检单位指挥部，。（）Ab 12") for _ in range(rng.randint(5, 80))).strip() or "口"
        width = rng.uniform(3, 20) * style.fontSize
        assert _lines_of(PlainText(text, style), width) == [
            line.rstrip(" ") for line in _lines_of(CJKParagraph(markup(text, style.fontName), style), width)]
