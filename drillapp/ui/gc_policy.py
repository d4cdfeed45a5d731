"""Python's garbage collector and the GUI thread.

A full collection (generation 2) walks every container object Python tracks, holding the GIL: every thread
stops, the GUI thread too. With the app's libraries loaded (Qt's wrappers, SQLAlchemy and the mapped models,
ReportLab, pyqtgraph) that walk took 80-130 ms on the large demo, and it was the stall of three steps of the
`stalls` tour (the dashboard after log-in, the print preview, the roster): bench/stalls.py reports each step's
longest collection.

Almost all of those objects live as long as the process: modules, classes, functions, mappers. `gc.freeze()` moves
everything alive into a permanent generation that collections no longer walk. So, in the desktop app:

- once the main window is up, what start-up made is frozen (`settle`);
- after a full collection, if modules were imported since the last freeze (a library loaded on first use: the
  print engine, the charts), what survived is frozen too. Modules are imported once each, so this happens a few
  times a session at most; whatever else was alive then (an open dialog) stays for good if it later becomes a
  cycle of garbage, a bounded cost.

The command line and the tests do not use this: they collect as Python does by default.
"""

from __future__ import annotations

import gc
import logging
import sys

log = logging.getLogger(__name__)

_modules_at_freeze = 0
_installed = False


def settle() -> None:
    """Freeze what is alive now, and from now on what a full collection leaves after new imports."""
    global _installed
    _freeze()
    if not _installed:
        gc.callbacks.append(_after_collection)
        _installed = True


def uninstall() -> None:
    """Back to Python's own way (what is frozen is let go: the next collections walk it again)."""
    global _installed, _modules_at_freeze
    if _after_collection in gc.callbacks:
        gc.callbacks.remove(_after_collection)
    _installed = False
    _modules_at_freeze = 0
    gc.unfreeze()


def _freeze() -> None:
    global _modules_at_freeze
    gc.freeze()
    _modules_at_freeze = len(sys.modules)
    log.debug("garbage collector: %d objects frozen", gc.get_freeze_count())


def _after_collection(phase: str, info: dict) -> None:
    # called on whichever thread triggered the collection, the collection done; freezing only moves lists
    if phase == "stop" and info.get("generation") == 2 and len(sys.modules) > _modules_at_freeze:
        _freeze()
