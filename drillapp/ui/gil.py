"""The GUI thread's share of Python's GIL while workers run Python.

Qt calls into Python once per model cell and role when it paints a table (and for every event a Python
event filter sees), taking the GIL each time. While a worker thread runs Python (a roster model being built,
rows being read and turned into objects), each of those calls waits until the worker is made to let go:
Python's default switch interval, 5 ms. A table's paint went from 20 ms to 430 ms that way (the GUI thread
stalled for seconds while a 3,000-member roster model was built). At 0.5 ms the same paint took about
100 ms; at 0.1 ms each of Qt's calls waits at most a tenth of a millisecond, and a worker is slowed only while
the GUI thread actually wants the GIL (the interval matters only when a thread is waiting). The roster search,
the longest Python work, now runs in a process of its own (roster/isolated.py)."""

from __future__ import annotations

import sys

SWITCH_INTERVAL_S = 0.0001


def share_with_the_gui_thread() -> None:
    """Shorten the switch interval (never lengthen it: a test or an embedder may have set it lower)."""
    sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL_S))
