"""Slow imports done ahead, in a worker, so the GUI thread never waits for them: pyqtgraph (the trend charts
of the Team and Reviews areas) takes a third to half a second to import. Started when the user first leaves
the dashboard (not at start, where it would compete with the first window) and by the call-out page. The
other language's catalogue likewise, when Settings (where the language is switched) is first built."""

from __future__ import annotations

import logging
import sys

log = logging.getLogger(__name__)
_started = False


def warm_up_charts() -> None:
    """Import ui/charts.py (and with it pyqtgraph, after PySide6) in the thread pool, once."""
    global _started
    if _started or "drillapp.ui.charts" in sys.modules:
        return
    _started = True
    from drillapp.ui.operations import QueryOp

    def load() -> None:
        import drillapp.ui.charts  # noqa: F401 - imported for what it loads

    QueryOp(None, load).failure(lambda exc: log.warning("the charts could not be loaded ahead: %s", exc)).run()


def read_catalogues_ahead() -> None:
    """Parse the other languages' catalogues in the thread pool (about 30 ms of Python for Chinese), so that a
    language switch on the GUI thread finds them read (i18n.catalogue)."""
    from drillapp import i18n
    from drillapp.ui.operations import QueryOp

    QueryOp(None, i18n.read_ahead).failure(lambda exc: log.warning("catalogues not read ahead: %s", exc)).run()

