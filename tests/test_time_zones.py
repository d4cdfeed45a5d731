"""Time is the port's, never the PC's: the same database shows, prints and lists the same times whatever
time zone the process runs in (TZ=UTC on one PC, TZ=America/New_York on another), and the command line's
JSON gives the port's time with its offset."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from helpers import databases
from pypdf import PdfReader

from drillapp.clock import from_local
from drillapp.models.enums import DrillKind
from drillapp.services import Services
from drillapp.services.context import SYSTEM_ACTOR
from drillapp.services.org import UserService

ROOT = Path(__file__).parent.parent
ZONES = ("UTC", "America/New_York")


def _run(args: list[str], tz: str, **kw: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TZ": tz, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300, **kw)  # type: ignore[call-overload]


def _cli(db: Path, tz: str, *args: str) -> str:
    result = _run([sys.executable, "-m", "drillapp", "--db", databases.sqlite_url(db), *args], tz)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tz") / "demo.sqlite3"
    result = _run([sys.executable, "-m", "drillapp", "--db", databases.sqlite_url(path), "demo"], "UTC")
    assert result.returncode == 0, result.stderr
    return path


@pytest.mark.sqlite_only("the two processes share one SQLite file; the PostgreSQL run tests the same code")
def test_the_command_line_prints_the_same_port_times_in_any_process_zone(demo_file) -> None:
    outputs = {tz: _cli(demo_file, tz, "list", "drills", "--json", "--limit", "20") for tz in ZONES}
    assert outputs["UTC"] == outputs["America/New_York"]
    rows = json.loads(outputs["UTC"])
    assert rows and all(r["scheduled_start"].endswith("+08:00") for r in rows)


@pytest.mark.sqlite_only("the two processes share one SQLite file; the PostgreSQL run tests the same code")
def test_the_screens_show_the_same_times_in_any_process_zone(demo_file) -> None:
    probe = str(ROOT / "tests" / "helpers" / "tz_probe.py")
    shown = {}
    for tz in ZONES:
        result = _run([sys.executable, probe, databases.sqlite_url(demo_file)], tz)
        assert result.returncode == 0, result.stderr
        shown[tz] = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["UTC"]["drills"] and shown["UTC"]["next drills"]
    assert shown["UTC"] == shown["America/New_York"]


@pytest.mark.sqlite_only("the two processes share one SQLite file; the PostgreSQL run tests the same code")
def test_print_outs_are_the_same_in_any_process_zone(demo_file, tmp_path) -> None:
    texts = {}
    for tz in ZONES:
        out = tmp_path / f"callout-{tz.replace('/', '-')}.pdf"
        _cli(demo_file, tz, "oncall", "print", "--out", str(out), "--at", "2030-01-01T09:00")
        out_grid = tmp_path / f"grid-{tz.replace('/', '-')}.pdf"
        _cli(demo_file, tz, "oncall", "roster-pdf", "--from", "2020-01-01", "--to", "2020-01-07", "--out",
             str(out_grid))
        text = "\n".join(p.extract_text() for f in (out, out_grid) for p in PdfReader(f).pages)
        texts[tz] = "\n".join(line for line in text.splitlines() if "printed" not in line.lower())
    assert texts["UTC"] == texts["America/New_York"]


def test_a_drill_at_half_past_nine_in_the_port_is_half_past_nine_everywhere(db, tmp_path, capsys) -> None:
    """Stored as UTC (01:30), shown and printed as the port's 09:30+08:00 whatever the PC says."""
    from drillapp.cli import main

    admin = UserService(db, SYSTEM_ACTOR).ensure_local_user("admin")
    services = Services(db, admin)
    from helpers import builders

    port = builders.port_with_branches(services)
    start = from_local(datetime(2027, 4, 30, 9, 30))
    assert start == datetime(2027, 4, 30, 1, 30)
    services.drills.schedule_drill(port.port_id, "大厅演练", DrillKind.LIVE, start)
    assert main(["--db", db.url, "list", "drills", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["scheduled_start"] == "2027-04-30T09:30:00+08:00"
