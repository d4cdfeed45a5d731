"""No test waits on the wall clock to prove something (issue 13, item 19): a fixed sleep to let time pass, a
timer to guess when a phase ends, or an elapsed-time bound fails on a busy machine for the wrong reason.
Tests use a FixedClock, an event or signal under their control, or poll until a condition holds
(qtbot.waitUntil, helpers.reminder_desks.wait_until), which a slow machine only makes slower.
"""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).parent
WALL_CLOCK = {
    "a fixed Qt wait": re.compile(r"qtbot\.wait\(\s*\d"),
    "a sleep in a test": re.compile(r"^\s*time\.sleep\(", re.MULTILINE),
    "an elapsed-time bound": re.compile(r"time\.(monotonic|time|perf_counter)\(\)\s*-\s*\w+\s*<"),
    "a timer guessing when to act": re.compile(r"threading\.Timer\("),
}
#: Polling helpers: they sleep between looks at a condition, with a deadline only against a hang.
POLLERS = {TESTS / "helpers" / "reminder_desks.py"}


def test_no_test_waits_on_the_wall_clock():
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        if path in POLLERS or path == Path(__file__):
            continue
        text = path.read_text(encoding="utf-8")
        for what, pattern in WALL_CLOCK.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(TESTS)}:{line}: {what}")
    assert found == []
