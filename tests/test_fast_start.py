"""The first window appears before the heavy imports (issue 15): importing the log-in dialog's module, the start
module and the command line's entry must not import SQLAlchemy, the models, ReportLab or OR-Tools. A cheap guard
(a fresh interpreter, `sys.modules`), so the fast start cannot silently regress."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sqlalchemy", "drillapp.models", "drillapp.db", "reportlab", "ortools", "alembic")


def _loaded_after(code: str) -> list[str]:
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("code", [
    "import drillapp.ui.login",
    "import drillapp.ui.start",
    # what `drillapp` with no command runs before the first window: the entry, the desktop options, the start
    "import drillapp.cli as cli\nargs = cli._desktop_args(['--db', 'x.sqlite3', '--lang', 'en'])\n"
    "assert args is not None and args.command is None\nimport drillapp.ui.start, drillapp.ui.login",
])
def test_the_first_window_needs_no_heavy_import(code: str) -> None:
    loaded = _loaded_after(code)
    heavy = [m for m in loaded if m.split(".")[0] in HEAVY or m.startswith(HEAVY)]
    assert not heavy, f"imported before the first window: {heavy[:10]}"


def test_a_command_is_not_taken_for_a_desktop_start() -> None:
    from drillapp import cli

    assert cli._desktop_args(["list", "plans"]) is None
    assert cli._desktop_args(["--help"]) is None
    assert cli._desktop_args(["--lang", "xx"]) is None, "a mistake is worded by the full parser"
    assert cli._desktop_args(["--version"]) is None
    assert cli._desktop_args(["plans", "export", "P", "--version", "0", "--out", "-"]) is None
    args = cli._desktop_args(["--demo", "--db", "a.sqlite3"])
    assert args is not None and args.demo and args.db == "a.sqlite3" and args.command is None
