"""`drillapp incidents ...`: a real night on the command line, from activation through escalation, a task, the
initial report, the hand-over and the stand-down to the final report, the review and `log verify --incident`;
errors in one line with a non-zero exit, nothing written."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from helpers import builders
from pypdf import PdfReader
from test_incidents import dg_plan

from drillapp.cli import main
from drillapp.clock import to_local, utcnow


@pytest.fixture(autouse=True)
def _cli_logging():
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


def _pdf_text(path) -> str:
    return "".join("".join((page.extract_text() or "").split()) for page in PdfReader(str(path)).pages)


def test_a_real_night_by_command_line(cli, services, tmp_path):
    port = builders.port_with_branches(services)
    dg_plan(builders.on_port(services, port), port)
    alarm = to_local(utcnow() - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M")

    code, out, err = cli("incidents", "open", "--plan", "QH-DG", "--level", "3", "--title", "货运通道危险品泄漏",
                         "--alarm", alarm, "--location", "货运通道3号")
    assert (code, err) == (0, "")
    incident = int(out)
    shown = json.loads(cli("incidents", "show", str(incident), "--json")[1])
    year = to_local(utcnow() - timedelta(minutes=10)).year
    assert (shown["number"], shown["real"], shown["level"], shown["status"]) == (f"QH-{year}-001", True, 3, "active")
    assert shown["alarm_at"].startswith(alarm) and shown["alarm_at"].endswith("+08:00")
    assert shown["next_report"]["kind"] == "initial"
    items = {i["text"]: i["id"] for i in shown["items"]}

    assert cli("incidents", "tick", str(incident), str(items["封控货运通道"]))[0] == 0
    assert cli("incidents", "log", str(incident), "已通知市应急办", "--category", "communication",
               "--branch", "port_office")[0] == 0
    code, out, _err = cli("incidents", "escalate", str(incident), "--level", "2", "--reason", "泄漏扩大")
    assert code == 0 and "3 actions added" in out
    code, out, _err = cli("incidents", "task", str(incident), "--branch", "海关", "--text", "调取车辆报关单",
                          "--person", "王海")
    assert code == 0
    task = int(out)
    assert cli("incidents", "task-status", str(task), "--status", "in_progress")[0] == 0
    member = builders.member(services, port, "张伟", mobile="13900000001")
    code, out, _err = cli("incidents", "callout", str(incident), "--member", str(member))
    assert code == 0
    assert cli("incidents", "arrive", out.strip(), str(member))[0] == 0
    code, out, err = cli("incidents", "report", str(incident), "--kind", "initial", "--set", "nature=危险化学品泄漏",
                         "--out", str(tmp_path / "initial.pdf"))
    assert (code, err) == (0, "") and "issued as number 1" in out
    report_words = _pdf_text(tmp_path / "initial.pdf")
    assert "实战" in report_words and "初报（第1号）" in report_words and "危险化学品泄漏" in report_words
    code, out, err = cli("incidents", "handover", str(incident), "--to", "赵敏", "--from", "李强",
                         "--out", str(tmp_path / "handover.pdf"))
    assert (code, err) == (0, "")
    hand = _pdf_text(tmp_path / "handover.pdf")
    assert "启动危化品专业处置" in hand and "调取车辆报关单" in hand and "交接班：李强移交赵敏" in hand
    assert "张伟" in hand and "13900000001" in hand, "who is on scene"

    assert cli("incidents", "stand-down", str(incident), "--summary", "处置完毕")[0] == 0
    code, _out, err = cli("incidents", "escalate", str(incident), "--level", "1", "--reason", "?")
    assert code != 0 and "stood down" in err and len(err.strip().splitlines()) == 1
    assert cli("incidents", "report", str(incident), "--kind", "final", "--out", str(tmp_path / "final.pdf"))[0] == 0
    code, out, _err = cli("incidents", "review", str(incident))
    assert code == 0 and int(out) > 0

    code, out, err = cli("incidents", "print", str(incident), "--out", str(tmp_path / "record.pdf"))
    assert (code, err) == (0, "")
    record = _pdf_text(tmp_path / "record.pdf")
    assert "实战" in record and "调取车辆报关单" in record and "到场：张伟" in record and "泄漏扩大" in record

    code, out, err = cli("log", "verify", "--incident", str(incident))
    assert (code, err) == (0, "") and out.startswith("intact")
    shown = json.loads(cli("incidents", "show", str(incident), "--json")[1])
    assert shown["status"] == "stood_down" and [r["number"] for r in shown["reports"]] == [1, 2]
    assert [(c["name"], c["arrived_at"] is not None) for c in shown["called"]] == [("张伟", True)]
    assert [t["status"] for t in shown["tasks"]] == ["in_progress"]
    assert any(e["category"] == "communication" and e["branch"] == "port_office" for e in shown["log"])
    listed = json.loads(cli("incidents", "list", "--json")[1])
    assert [(r["id"], r["status"]) for r in listed] == [(incident, "stood_down")]


def test_bad_input_is_one_line_and_writes_nothing(cli, services):
    port = builders.port_with_branches(services)
    dg_plan(builders.on_port(services, port), port, levels=(2, 3))

    code, _out, err = cli("incidents", "open", "--plan", "QH-DG", "--level", "1", "--title", "事件")
    assert code != 0 and "does not define level" in err
    code, out, _err = cli("incidents", "open", "--title", "停电")
    incident = int(out)
    code, _out, err = cli("incidents", "task", str(incident), "--branch", "气象局", "--text", "风向")
    assert code != 0 and "no branch" in err
    assert json.loads(cli("incidents", "show", str(incident), "--json")[1])["tasks"] == []
