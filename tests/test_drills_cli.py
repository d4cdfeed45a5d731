"""`drillapp drills ...` on the demo port: add (one drill, a series), list with the port's times and offset,
move, cancel, the calendar file, coverage, the proposal (--json, uncovered cells on stderr, --accept), the
MSEL sheet and the print-outs; bad input is one line on stderr and exit 1."""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import date

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from test_cli import _cli_user_and_logging, cli, db_file  # noqa: F401 - fixtures shared with the CLI tests

NEXT = date.today().year + 1


@pytest.fixture
def demo(cli, db_file, cli_demo_file):  # noqa: F811
    """The command line on a copy of the demo (as after `drillapp demo`)."""
    shutil.copyfile(cli_demo_file, db_file)
    return cli


def _list(cli, *args: str) -> list[dict]:  # noqa: F811
    code, out, err = cli("drills", "list", "--json", *args)
    assert code == 0, err
    return json.loads(out)


def test_add_list_move_cancel(demo):
    start = f"{NEXT}-03-10T09:30:00+08:00"
    code, out, err = demo("drills", "add", "--plan", "QH-YA-01", "--kind", "tabletop", "--start", start, "--level", "2",
                          "--title", "三月桌面推演 <大厅>", "--duration", "90")
    assert code == 0, err
    drill_id = int(out)
    [row] = [r for r in _list(demo, "--from", f"{NEXT}-03-10", "--to", f"{NEXT}-03-10") if r["id"] == drill_id]
    assert (row["title"], row["kind"], row["level"], row["start"], row["status"]) == (
        "三月桌面推演 <大厅>", "tabletop", 2, start, "planned")
    assert row["end"] == f"{NEXT}-03-10T11:00:00+08:00"

    code, out, _err = demo("drills", "move", str(drill_id), "--start", f"{NEXT}-03-12T01:30:00Z")
    assert code == 0 and f"{NEXT}-03-12T09:30:00+08:00" in out
    assert demo("drills", "cancel", str(drill_id), "--reason", "会议室维修")[0] == 0
    [row] = [r for r in _list(demo) if r["id"] == drill_id]
    assert (row["start"], row["status"]) == (f"{NEXT}-03-12T09:30:00+08:00", "cancelled")


def test_add_a_series(demo):
    code, out, err = demo("drills", "add", "--plan", "QH-YA-01", "--kind", "live", "--start", f"{NEXT}-04-06T10:00",
                          "--rrule", "FREQ=WEEKLY;BYDAY=TU", "--count", "3", "--level", "4")
    assert code == 0, err
    first = int(out)
    rows = _list(demo, "--from", f"{NEXT}-04-01", "--to", f"{NEXT}-04-30")
    series_id = next(x["series_id"] for x in rows if x["id"] == first)
    series = [r for r in rows if r["series_id"] == series_id]
    assert series_id is not None and series[0]["title"].endswith("（Live）")
    assert [r["start"][:16] for r in series] == [f"{NEXT}-04-06T10:00", f"{NEXT}-04-13T10:00", f"{NEXT}-04-20T10:00"]


@pytest.mark.parametrize("args, message", [
    (("--start", f"{NEXT}-10-03T09:00+08:00"), "国庆黄金周"),
    (("--start", "next tuesday"), "--start must be a date and time"),
    (("--start", f"{NEXT}-05-10T09:00", "--rrule", "FREQ=FORTNIGHTLY", "--count", "2"), "repeat rule is not valid"),
    (("--start", f"{NEXT}-05-10T09:00", "--rrule", "FREQ=DAILY"), "needs an end"),
    (("--start", f"{NEXT}-05-10T09:00", "--level", "1", "--duration", "0"), "between 1 minute and 7 days"),
])
def test_bad_input_is_one_line_and_exit_1(demo, args, message):
    code, out, err = demo("drills", "add", "--plan", "QH-YA-01", "--kind", "live", *args)
    assert code == 1 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


def test_an_unknown_plan_and_an_unknown_drill(demo):
    code, _out, err = demo("drills", "add", "--plan", "NOPE", "--kind", "live", "--start", f"{NEXT}-05-10T09:00")
    assert code == 1 and "NOPE" in err
    code, _out, err = demo("drills", "cancel", "999999")
    assert code == 1 and "999999" in err


def test_ics_coverage_and_propose(demo, tmp_path):
    code, _out, err = demo("drills", "ics", "--out", str(tmp_path / "p.ics"))
    assert code == 0, err
    cal = Calendar.from_ical((tmp_path / "p.ics").read_bytes())
    assert cal.walk("VEVENT") and any(e.get("RRULE") is not None for e in cal.walk("VEVENT"))

    code, out, _err = demo("drills", "coverage", "--json")
    cells = json.loads(out)
    assert {"plan_id", "level", "branch", "last_exercised", "due", "overdue", "scheduled"} <= set(cells[0])
    assert any(c["last_exercised"] for c in cells) and any(c["scheduled"] for c in cells)
    assert {c["branch"] for c in cells} == {"border_inspection", "customs", "quarantine", "port_office"}

    code, out, err = demo("drills", "propose", "--year", str(NEXT), "--live", "2", "--tabletop", "1",
                          "--blocked", f"{NEXT}-06-01..{NEXT}-06-30", "--json", "--time-limit", "5")
    assert code == 0, err
    proposed = json.loads(out)
    assert len(proposed) == 3
    assert {"start", "kind", "plan_id", "level", "branches", "reason"} <= set(proposed[0])
    assert not any(p["start"].startswith(f"{NEXT}-06") for p in proposed)
    assert "uncovered" in err and "due cells covered" in err

    code, out, err = demo("drills", "propose", "--year", str(NEXT), "--live", "1", "--tabletop", "0", "--accept",
                          "--time-limit", "5")
    assert code == 0 and "Accepted: drills" in out
    assert demo("drills", "propose", "--year", str(NEXT), "--live", "1", "--tabletop", "0",
                "--blocked", "June")[0] == 1


def test_msel_and_print_outs(demo, tmp_path):
    tabletop = next(r for r in _list(demo) if r["kind"] == "tabletop" and r["status"] == "planned")
    code, _out, err = demo("drills", "msel", "export", str(tabletop["id"]), str(tmp_path / "msel.xlsx"))
    assert code == 0, err
    code, out, err = demo("drills", "msel", "import", str(tabletop["id"]), str(tmp_path / "msel.xlsx"))
    assert code == 0 and "5 inject(s) imported" in out
    (tmp_path / "bad.csv").write_text("时间（分钟）,内容\n999,太晚了\n", encoding="utf-8")
    code, out, err = demo("drills", "msel", "import", str(tabletop["id"]), str(tmp_path / "bad.csv"))
    assert code == 1 and "row 2, 时间（分钟）: minute 999 is after the drill's end" in out

    # the injects (the demo's MSEL fits the drill's plan) are in the controllers' briefing, not the players'
    assert demo("drills", "msel", "export", str(tabletop["id"]), str(tmp_path / "msel.csv"))[0] == 0
    with open(tmp_path / "msel.csv", encoding="utf-8-sig", newline="") as sheet:
        messages = [row["内容"] for row in csv.DictReader(sheet)]
    assert len(messages) == 5
    assert demo("drills", "briefing", str(tabletop["id"]), "--out", str(tmp_path / "b.pdf"), "--controllers")[0] == 0
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "b.pdf").pages)
    assert "MSEL" in text and all(m in re.sub(r"\s", "", text) for m in messages)
    assert demo("drills", "briefing", str(tabletop["id"]), "--out", str(tmp_path / "p.pdf"))[0] == 0
    players = "".join(p.extract_text() for p in PdfReader(tmp_path / "p.pdf").pages)
    assert "MSEL" not in players and not any(m in re.sub(r"\s", "", players) for m in messages)
    year = tabletop["start"][:4]
    assert demo("drills", "programme", "--year", year, "--out", str(tmp_path / "y.pdf"))[0] == 0
    assert tabletop["title"][:6] in "".join(p.extract_text() for p in PdfReader(tmp_path / "y.pdf").pages)
