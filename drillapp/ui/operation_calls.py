"""Calling an operation's function in a worker, shared by the runner (ui/operations.py) and `LongOp`
(ui/long_op.py): what it committed (a change set) or what it read (the tables a `Watch` refreshes on), and
handing the outcome back to the GUI thread when there may be nobody left to receive it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from drillapp.services import changes
from drillapp.services.changes import ChangeSet
from drillapp.ui import gil

if TYPE_CHECKING:
    from drillapp.ui.screen_watch import Watch

log = logging.getLogger(__name__)
gil.share_with_the_gui_thread()


def call(fn: Callable[[], Any], record: bool, watch: Watch | None = None) -> tuple[Any, Any]:
    """Run `fn`; with `record`, also what it committed (a ChangeSet); with a watch, the tables it read."""
    if watch is not None:
        with changes.reading() as reads:
            result = fn()
        return result, frozenset(reads.tables)
    if not record:
        return fn(), ChangeSet()
    with changes.recording() as recorder:
        result = fn()
    return result, recorder.changes


def emit(signal: Any, *values: Any) -> None:
    """Emit from a worker; when the app is quitting and the receiver is gone, drop it."""
    try:
        signal.emit(*values)
    except RuntimeError:  # the app is quitting: nobody to tell
        log.debug("operation result dropped: receiver deleted")
