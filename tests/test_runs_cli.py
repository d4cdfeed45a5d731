"""The command line of the drill console and the review: `runs start|unplanned|show|tick|log|end|print`,
`log verify`, `reviews create|print`, `actions list`; one-line errors and a non-zero exit on failure; times as
the port's with their offset."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from helpers import builders
from helpers.audit_tamper import as_owner_without_triggers
from pypdf import PdfReader
from sqlalchemy import select

from drillapp.cli import main
from drillapp.clock import local_today, utcnow
from drillapp.models import ChecklistEntry, LogEntry
from drillapp.models.enums import FindingKind


@pytest.fixture(autouse=True)
def _cli_logging():
    """The CLI adds a log file handler to the root logger: take it away again after each test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.fixture
def cli(services, capsys):
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", services.db.url, "--user", "admin", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def drill(services):
    port = builders.port_with_branches(services)
    plan = builders.approved_plan(services, port)
    return builders.drill(services, port, plan, level=2, starts_in=timedelta(days=3),
                          objectives=["5分钟内封控大厅"])


def _text(path) -> str:
    return "".join("".join((page.extract_text() or "").split()) for page in PdfReader(str(path)).pages)


def test_a_drill_by_command_line_from_start_to_the_printed_aar(cli, services, drill, tmp_path):
    code, out, err = cli("runs", "start", str(drill))
    assert (code, err) == (0, "")
    run_id = int(out)
    with services.db.session() as s:
        items = {e.text: e.id for e in s.scalars(select(ChecklistEntry).where(ChecklistEntry.drill_run_id == run_id))}

    assert cli("runs", "tick", str(run_id), str(items["封控旅检大厅"]), "--note", "北侧已封闭")[0] == 0
    code, _out, _err = cli("runs", "tick", str(run_id), str(items["关闭货运通道"]), "--state", "skipped", "--note",
                           "货运区无作业")
    assert code == 0
    started = json.loads(cli("runs", "show", str(run_id), "--json")[1])["started_at"]
    assert started.endswith("+08:00"), "the port's time with its offset"
    local_start = started.replace("+08:00", "")
    assert cli("runs", "tick", str(run_id), str(items["报告市应急办"]), "--at", local_start)[0] == 0  # back-timed
    code, out, _err = cli("runs", "log", str(run_id), "旅检大厅已封控", "--branch", "border_inspection")
    assert code == 0 and int(out) > 0

    code, out, _err = cli("runs", "show", str(run_id), "--json")
    shown = json.loads(out)
    assert code == 0 and shown["status"] == "running" and shown["started_at"] == started
    item = {i["text"]: i for i in shown["items"]}
    assert {"id", "agency", "text", "target_minutes", "state", "done_at", "minutes_taken", "late"} <= set(
        item["封控旅检大厅"])
    assert (item["封控旅检大厅"]["state"], item["封控旅检大厅"]["target_minutes"], item["封控旅检大厅"]["late"]) == (
        "done", 5, False)
    assert (item["关闭货运通道"]["state"], item["关闭货运通道"]["reason"]) == ("skipped", "货运区无作业")
    assert (item["报告市应急办"]["done_at"], item["报告市应急办"]["minutes_taken"]) == (started[:19] + "+08:00", 0.0)
    assert item["报告市应急办"]["recorded_at"] >= item["报告市应急办"]["done_at"]
    assert [(e["author"], e["text"]) for e in shown["log"]] == [("admin", "演练开始 / Drill started"),
                                                                  ("admin", "旅检大厅已封控")]
    assert {"id", "at", "author", "text"} <= set(shown["log"][1]) and shown["log"][1]["branch"] == "border_inspection"

    assert cli("runs", "end", str(run_id))[0] == 0
    code, _out, err = cli("runs", "tick", str(run_id), str(items["封控旅检大厅"]), "--state", "open")
    assert code == 1 and err == "drillapp: This drill run has ended; its checklist is closed.\n"
    code, out, _err = cli("log", "verify", str(run_id))
    assert code == 0 and out.startswith("intact")

    record, blank = tmp_path / "record.pdf", tmp_path / "blank.pdf"
    assert cli("runs", "print", str(run_id), "--out", str(record))[0] == 0
    assert "封控旅检大厅" in _text(record) and "货运区无作业" in _text(record)
    assert cli("runs", "print", str(run_id), "--blank", "--out", str(blank))[0] == 0
    assert "演练/DRILL" in _text(blank) and "Targe" in _text(blank)
    assert cli("runs", "print", "--drill", str(drill), "--blank", "--out", str(blank))[0] == 0

    code, out, _err = cli("reviews", "create", str(run_id))
    review = int(out)
    assert code == 0 and cli("reviews", "create", str(run_id))[1] == out, "the run's review, again"
    aar = tmp_path / "aar.pdf"
    assert cli("reviews", "print", str(review), "--out", str(aar))[0] == 0
    text = _text(aar)
    assert "DRAFT" in text and "5分钟内封控大厅" in text and "AppendixB" in text


def test_log_verify_names_the_broken_record_and_exits_1(cli, services, drill):
    run_id = int(cli("runs", "start", str(drill))[1])
    line = int(cli("runs", "log", str(run_id), "机动队集结完毕")[1])
    cli("runs", "log", str(run_id), "初报已报送")
    with services.db.session() as s:
        assert s.get(LogEntry, line).text == "机动队集结完毕"
    as_owner_without_triggers(services.db, "UPDATE log_entry SET text = '机动队5分钟集结完毕' WHERE id = :id", id=line)

    code, out, err = cli("log", "verify", str(run_id))

    assert (code, out) == (1, "")
    assert err.startswith("drillapp: The log of drill run") and f"log entry {line}" in err
    code, out, _err = cli("log", "verify", str(run_id), "--json")
    assert code == 1 and json.loads(out)["record_id"] == line
    assert cli("log", "verify")[0] == 1, "a run or an incident, one of them"


def test_actions_list_and_overdue(cli, services, drill):
    run_id = int(cli("runs", "start", str(drill))[1])
    cli("runs", "end", str(run_id))
    review = services.reviews.create_from_run(run_id)
    finding = services.reviews.add_finding(review, FindingKind.IMPROVEMENT, "钥匙存放位置不当")
    today = local_today(utcnow())  # the command line runs on the real clock
    late = services.reviews.add_corrective_action(finding, "钥匙移至值班台", due_on=today - timedelta(days=1))
    services.reviews.add_corrective_action(finding, "培训", due_on=today + timedelta(days=30))

    code, out, _err = cli("actions", "list", "--json", "--overdue")

    assert code == 0 and [a["id"] for a in json.loads(out)] == [late]
    assert json.loads(out)[0]["overdue"] is True and json.loads(out)[0]["review_id"] == review
    assert len(json.loads(cli("actions", "list", "--json")[1])) == 2


def test_unplanned_and_bad_input_are_one_line_errors(cli, services, drill):
    code, out, _err = cli("runs", "unplanned", "QH-01", "--level", "2")
    assert code == 0 and int(out) > 0
    code, _out, err = cli("runs", "tick", out.strip(), "99999")
    assert code == 1 and err.startswith("drillapp: Item 99999 is not on the checklist")
    code, _out, err = cli("runs", "log", out.strip(), "x", "--at", "yesterday")
    assert code == 1 and "--at" in err
    code, _out, err = cli("runs", "show", "424242")
    assert code == 1 and err.count("\n") == 1
