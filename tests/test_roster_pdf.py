"""Roster print-outs (drillapp/reports/roster_pdf.py, roster_grid.py): the call-out list of the current and
next shift, the roster grid of a quarter, a member's duties, awkward text, and the `oncall` commands."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from helpers import builders, databases
from pypdf import PdfReader
from test_oncall import DAY1, add_shift, make_leader

from drillapp import clock as port_clock
from drillapp import i18n
from drillapp.cli import main
from drillapp.models.enums import Agency, ShiftKind, SquadKind
from drillapp.reports import roster_pdf
from drillapp.reports.page import PageInfo
from drillapp.reports.roster_grid import roster_grid_story
from drillapp.reports.text import PLACEHOLDER
from drillapp.services.oncall import MemberDuties, MemberDuty, OnCallMember, ShiftOnCall


@pytest.fixture(autouse=True)
def _utc_port_time():
    """Print-outs show the port's time; a port on UTC here, so the dates and times below read as stored."""
    port_clock.use_zone("UTC")
    yield
    port_clock.use_zone(None)


@pytest.fixture
def no_log_handlers_left():
    """The command line adds a log file handler to the root logger: take it away again."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def _text(path) -> tuple[PdfReader, str]:
    reader = PdfReader(path)
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def roster(services):
    """Four members, a leader among them, on a daily 24-hour duty from 08:00 for a quarter (91 days)."""
    port = builders.port_with_branches(services)
    team = builders.team_with_squads(services, port, (SquadKind.MEDICAL,))
    services.team.create_skill("korean", "朝鲜语", "Korean")
    people = [("王强", Agency.BORDER_INSPECTION, "13900000001"), ("李娜", Agency.CUSTOMS, "13900000002"),
              ("张伟", Agency.QUARANTINE, "13900000003"), ("刘洋", Agency.PORT_OFFICE, "13900000004")]
    ids = {name: builders.member(services, port, name, agency, mobile=mobile, phone=f"0433-75{mobile[-5:]}",
                                 squad_id=team.squads[SquadKind.MEDICAL]) for name, agency, mobile in people}
    make_leader(services, team.squads[SquadKind.MEDICAL], ids["李娜"])
    services.team.set_member_skill(ids["刘洋"], "korean", expected_version=builders.member_skill_version(services.team, ids["刘洋"], "korean"))
    order = list(ids.values())
    for d in range(91):
        add_shift(services, port.port_id, DAY1 + timedelta(days=d), [order[d % 4], order[(d + 1) % 4]])
    return port, ids


def test_the_callout_list_names_the_current_and_next_shift(services, roster, tmp_path):
    _port, ids = roster
    out = roster_pdf.write_callout_list(services.oncall.callout_list(), tmp_path / "callout.pdf", note="集合地点：联检楼一楼")
    reader, text = _text(out)
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width < height  # A4 portrait
    now, nxt = text.index("On call now"), text.index("Next shift")
    assert "王强" in text[now:nxt] and "李娜" in text[now:nxt] and "张伟" not in text[now:nxt]
    assert "李娜" in text[nxt:] and "张伟" in text[nxt:]
    for phone in ("13900000001", "0433-7500001", "13900000002", "13900000003"):
        assert phone in text
    assert "李娜 ★" in text  # the squad leader is marked
    compact = "".join(text.split())
    assert "Borderinspection" in compact and "Customs" in text and "集合地点：联检楼一楼" in text
    assert "printed 2026-03-02" in text.replace("\n", " ")
    assert "Page 1 of 1" in text and not (tmp_path / "callout.pdf.part").exists()


def test_the_callout_list_of_a_chosen_moment_says_so(services, roster, tmp_path):
    out = roster_pdf.write_callout_list(services.oncall.callout_list(DAY1 + timedelta(days=3, hours=2)), tmp_path / "later.pdf")
    _reader, text = _text(out)
    assert "On call now" not in text
    chosen, nxt = text.index("On call at 2026-03-05 10:00"), text.index("Next shift")
    assert "刘洋" in text[chosen:nxt] and "王强" in text[chosen:nxt]  # Thursday: the 4th and 1st of the rotation
    assert "王强" in text[nxt:] and "李娜" in text[nxt:]


def test_the_callout_list_says_when_no_roster_covers_now(services, tmp_path):
    builders.port_with_branches(services)
    out = roster_pdf.write_callout_list(services.oncall.callout_list(DAY1), tmp_path / "empty.pdf")
    _reader, text = _text(out)
    assert text.count("No published roster covers this time.") == 2


def test_the_callout_list_in_chinese(services, roster, tmp_path):
    i18n.set_language("zh_CN")
    try:
        out = roster_pdf.write_callout_list(services.oncall.callout_list(DAY1 + timedelta(hours=2)), tmp_path / "zh.pdf")
    finally:
        i18n.set_language("en")
    _reader, text = _text(out)
    assert "王强" in text and "13900000001" in text
    assert "On call now" not in text  # the labels are translated


def test_a_quarter_runs_over_pages_in_landscape_with_the_header_on_each(services, roster, tmp_path):
    _port, ids = roster
    first, last = DAY1.date(), DAY1.date() + timedelta(days=90)  # 2026-03-02 – 2026-05-31, both included
    out = roster_pdf.write_roster_grid(services.oncall.roster_sheet(first, last), tmp_path / "grid.pdf")
    reader, text = _text(out)
    assert len(reader.pages) >= 4
    for page in reader.pages:
        assert page.mediabox.width > page.mediabox.height  # A4 landscape
        # the page header and the subtitle name the same days: the last one included (issue 14 item 8)
        assert "2026-03-02 – 2026-05-31" in page.extract_text()
    assert "2026-06-01" not in text
    grid_pages = [p.extract_text() for p in reader.pages if "2026-0" in p.extract_text().split("Duties per member")[0]]
    assert len(grid_pages) >= 4 and all("Date" in p and "24-hour duty" in p for p in grid_pages)
    for day in ("2026-03-02", "2026-04-15", "2026-05-31"):
        assert day in text
    assert "Duties per member" in text
    compact = "".join(text.split())
    assert "王强" in compact and "李娜★" in compact


def test_a_members_duties(services, roster, tmp_path):
    _port, ids = roster
    out = roster_pdf.write_member_duties(
        services.oncall.duties_sheet(ids["刘洋"], DAY1.date(), DAY1.date() + timedelta(days=13)), tmp_path / "member.pdf")
    _reader, text = _text(out)
    assert "2026-03-02 – 2026-03-15" in text and "2026-03-16" not in text  # the fortnight, its last day included
    assert "刘洋" in text and "13900000004" in text and "Korean" in text
    # 刘洋 is 4th of the rotation: on duty on days 2, 3, 6, 7, 10 and 11 of the fortnight (from day 0)
    assert "6 shifts" in text
    for day in (4, 5, 8, 9, 12, 13):
        assert f"2026-03-{day:02d} 08:00" in text
    assert "2026-03-03 08:00" not in text and "2026-03-07 08:00" not in text


AWKWARD = "A<b>&amp; 李 & 张 < 王 >"


def _member(i: int, name: str, **kw) -> OnCallMember:
    values = dict(member_id=i, name=name, agency=Agency.CUSTOMS, branch="海关", squad="安保处置组",
                  squad_kind=SquadKind.SECURITY, leader=False, phone="0433-1", mobile="139", skills=("Korean",))
    values.update(kw)
    return OnCallMember(**values)


def test_awkward_text_prints_as_typed_and_nothing_crashes(tmp_path):
    long_word = "W" * 400
    members = (_member(1, AWKWARD, skills=(long_word,)), _member(2, "张\U0001F6A8伟", phone="<0433>&"),
               _member(3, "李" * 60, squad="Z" * 300, leader=True))
    shift = ShiftOnCall(1, 1, ShiftKind.DUTY_24H, DAY1, DAY1 + timedelta(days=1), True, members)
    note = ("注意：" + "x" * 4000 + " " + "集合" * 3000)[:10_000]
    assert len(note) == 10_000
    story = roster_pdf.callout_list_story("港<口>&", shift, shift, DAY1, note)
    out = roster_pdf.build(tmp_path / "awkward.pdf", story, PageInfo("港<口>&"))
    reader, text = _text(out)
    compact = "".join(text.split())
    assert "A<b>&amp;李&张<王>" in compact
    assert f"张{PLACEHOLDER}伟" in text
    assert "<0433>&" in text
    assert compact.count("W") >= 2 * 400 and compact.count("x") >= 4000
    assert "李" * 60 in compact

    duties = MemberDuties(members[0], DAY1, DAY1 + timedelta(days=2),
                          (MemberDuty(1, ShiftKind.NIGHT, DAY1, DAY1 + timedelta(hours=12), "带班" * 50),))
    out = roster_pdf.build(tmp_path / "duties.pdf", roster_pdf.member_duties_story("港", duties, DAY1, note),
                           PageInfo("x"))
    assert "带班" * 50 in "".join(_text(out)[1].split())
    grid = roster_grid_story("港", [shift], DAY1.date(), DAY1.date(), DAY1, note)
    out = roster_pdf.build(tmp_path / "grid.pdf", grid, PageInfo("x"))
    assert "A<b>&amp;李&张<王>" in "".join(_text(out)[1].split())


def test_day_and_night_shifts_get_a_column_each(tmp_path):
    day = ShiftOnCall(1, 1, ShiftKind.DAY, DAY1, DAY1 + timedelta(hours=12), True, (_member(1, "白班人"),))
    night = ShiftOnCall(2, 1, ShiftKind.NIGHT, DAY1 + timedelta(hours=12), DAY1 + timedelta(days=1), True,
                        (_member(2, "夜班人"),))
    story = roster_grid_story("港", [day, night], DAY1.date(), DAY1.date(), DAY1)
    _reader, text = _text(roster_pdf.build(tmp_path / "dn.pdf", story, PageInfo("x")))
    assert "Day shift" in text and "Night shift" in text
    assert text.index("白班人") < text.index("夜班人")


def test_the_oncall_commands(services, roster, tmp_path, capsys, monkeypatch, no_log_handlers_left):
    if databases.ON_POSTGRESQL:
        pytest.skip("the command line opens the database by URL; covered on SQLite")
    _port, ids = roster
    url = str(services.db.engine.url)
    monkeypatch.setenv("DRILLAPP_USER", "admin")
    assert main(["--db", url, "oncall", "print", "--out", str(tmp_path / "c.pdf"), "--at", "2026-03-03T12:00"]) == 0
    assert "13900000002" in _text(tmp_path / "c.pdf")[1]
    assert main(["--db", url, "oncall", "roster-pdf", "--from", "2026-03-01", "--to", "2026-03-31",
                 "--out", str(tmp_path / "g.pdf")]) == 0
    assert "2026-03-31" in _text(tmp_path / "g.pdf")[1]
    assert main(["--db", url, "oncall", "roster-pdf", "--from", "2026-03-01", "--to", "2026-03-31",
                 "--member", str(ids["王强"]), "--out", str(tmp_path / "m.pdf")]) == 0
    assert "王强" in _text(tmp_path / "m.pdf")[1]
    assert main(["--db", url, "oncall", "roster-pdf", "--from", "2026-03-31", "--to", "2026-03-01",
                 "--out", str(tmp_path / "bad.pdf")]) == 1
    assert "--to must not be before --from" in capsys.readouterr().err
    assert not (tmp_path / "bad.pdf").exists()


def test_printed_time_is_the_clock(services, roster, tmp_path, clock):
    clock.now = datetime(2026, 3, 9, 10, 30)
    out = roster_pdf.write_callout_list(services.oncall.callout_list(), tmp_path / "c.pdf")
    text = _text(out)[1].replace("\n", " ")
    assert "2026-03-09 10:30" in text or "printed 2026-03-09" in text
