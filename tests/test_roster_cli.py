"""`drillapp roster list|solve|publish|print` on the demo port: a draft period solved and published from the
command line, an impossible one explained with exit 1, and the roster printed."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta

import pytest
from helpers import databases
from pypdf import PdfReader
from test_cli import _cli_user_and_logging, cli, db_file  # noqa: F401 - fixtures shared with the CLI tests

from drillapp.bootstrap import open_world
from drillapp.models.enums import ShiftPattern

START = date(2027, 1, 4)  # a Monday


@pytest.fixture
def periods(cli, db_file, cli_demo_file):  # noqa: F811
    shutil.copyfile(cli_demo_file, db_file)  # as after `drillapp demo`
    world = open_world(databases.sqlite_url(db_file))
    try:
        sv = world.services
        port = sv.org.ports()[0].id
        ok = sv.roster.create_period(port, "一月第一周", START, START + timedelta(days=6), ShiftPattern.DUTY_24H,
                                     {"headcount": 4, "min_per_branch": 1, "rest_after_duty": 1})
        korean = [s.code for s in sv.team.skills() if s.name_en == "Korean"][0]
        impossible = sv.roster.create_period(port, "不可能", START, START + timedelta(days=6), ShiftPattern.DUTY_24H,
                                             {"headcount": 4, "skills": {korean: 5}})
    finally:
        world.db.dispose()
    return ok, impossible


def test_solve_publish_list_and_print_a_period(cli, periods, tmp_path) -> None:  # noqa: F811
    ok, _impossible = periods
    code, out, _err = cli("roster", "solve", str(ok), "--time-limit", "10")
    assert code == 0 and out.startswith("Roster saved: ") and "points off the ideal" in out
    code, out, _err = cli("roster", "publish", str(ok))
    assert code == 0 and f"Roster {ok} published." in out
    code, out, _err = cli("roster", "list", "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows[ok]["status"] == "published" and rows[ok]["objective"] is not None
    code, out, _err = cli("roster", "print", str(ok), "--out", str(tmp_path / "grid.pdf"))
    assert code == 0
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "grid.pdf").pages)
    assert "2027-01-04" in text and "2027-01-10" in text


def test_an_impossible_period_says_why_and_exits_1(cli, periods) -> None:  # noqa: F811
    _ok, impossible = periods
    code, out, _err = cli("roster", "solve", str(impossible), "--time-limit", "5")
    assert code == 1
    assert out.splitlines()[0] == "No roster meets every requirement:"
    assert "4 January" in out and "Korean" in out and "5 needed" in out


def test_publishing_an_unsolved_period_fails_with_one_line(cli, periods) -> None:  # noqa: F811
    ok, _impossible = periods
    code, _out, err = cli("roster", "publish", str(ok))
    assert code == 1 and "solve it first" in err and len(err.strip().splitlines()) == 1
