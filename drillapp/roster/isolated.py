"""The roster search in a process of its own, so that the desktop app's GUI thread never waits for it.

Building a CP-SAT model of a thousand members is seconds of pure Python, and the search's callbacks are Python
too: run on a worker thread, they hold the interpreter lock the GUI thread needs to paint (the `stalls`
benchmark measured stalls of 0.4–0.6 s during a solve). Here the pure part of a solve — the pre-checks, the
search and the diagnosis of an impossible roster (`search`) — runs in a child process started with `spawn`;
the caller's thread only writes the roster after. The problem can be read from the database in the child too
(a `Loader`, `search_loaded`): reading a thousand members into objects is Python the GUI thread would otherwise
wait for while it paints (the `stalls` benchmark's roster step); the child also checks the roster it found
against the hard rules (`check.violations`), so the caller needs no `Problem` at all.

The child speaks the caller's language (its explanations are translated where they are made), reports progress
over a pipe as it comes, and stops promptly when the caller's `stop` event is set, keeping the best roster found.
If the child cannot be started, the search runs on the calling thread instead (logged); if the child dies, the
caller gets a DomainError that says so, and nothing is saved.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from drillapp.errors import DomainError
from drillapp.i18n import _, current_language, set_language
from drillapp.roster.check import Violation
from drillapp.roster.explain import Shortfall
from drillapp.roster.problem import Assignment, Problem, Progress, Solution

log = logging.getLogger(__name__)

POLL_S = 0.05  # how often the caller looks at its stop event while waiting for the child
JOIN_S = 5.0  # how long a stopped child has to end before it is killed
CHILD_NICENESS = 10  # the child's priority below the app's (POSIX niceness; Windows: the usual priority)


class StopFlag(Protocol):
    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class SearchResult:
    solution: Solution
    shortfalls: list[Shortfall]
    violations: list[Violation] | None = None  # the hard rules a found roster breaks (`search_loaded` only)
    context: Any = None  # the Loaded's context, handed back


@dataclass(frozen=True)
class Loaded:
    """What a `Loader` read: the problem, the roster to start from and the pinned cells, and a context the caller
    gets back untouched in the result (what it needs to save the roster: the row version read)."""

    problem: Problem
    hint: Assignment | None = None
    fixed: dict | None = None
    context: Any = None


class Loader(Protocol):
    """Reads the problem. To run in the child it must pickle (an instance of a module-level class) and open what it
    reads itself: it is called in a fresh process."""

    def __call__(self) -> Loaded: ...


def search(problem: Problem, *, time_limit: float, workers: int = 2, fixed: dict | None = None,
           hint: Assignment | None = None, diagnose_time: float | None = None,
           progress: Callable[[Progress], None] | None = None, stop: StopFlag | None = None) -> SearchResult:
    """The pure part of a roster solve: the fast pre-checks, then the search, then (when no roster can meet the
    rules) the relaxed solve that says why. No database, no Qt: it runs the same in this process or a child."""
    from drillapp.roster import engine, explain

    shortfalls = explain.explain(problem, fixed)
    if shortfalls:
        return SearchResult(Solution("INFEASIBLE", {}), shortfalls)
    solution = engine.solve(problem, time_limit=time_limit, workers=workers, progress=progress,
                            stop=stop, hint=hint, fixed=fixed)  # type: ignore[arg-type]  # any object with is_set()
    if not solution.found and solution.status == "INFEASIBLE":
        shortfalls = explain.diagnose(problem, time_limit=diagnose_time or min(time_limit, 20.0), workers=workers)
    return SearchResult(solution, shortfalls)


def search_loaded(load: Loader, *, time_limit: float, workers: int = 2, diagnose_time: float | None = None,
                  progress: Callable[[Progress], None] | None = None, stop: StopFlag | None = None) -> SearchResult:
    """`load`, then `search` its problem, then check a roster found against the hard rules."""
    from drillapp.roster import check

    loaded = load()
    found = search(loaded.problem, time_limit=time_limit, workers=workers, fixed=loaded.fixed, hint=loaded.hint,
                   diagnose_time=diagnose_time, progress=progress, stop=stop)
    violations = check.violations(loaded.problem, found.solution.assignment) if found.solution.found else []
    return replace(found, violations=violations, context=loaded.context)


def search_isolated(problem: Problem | Loader, *, progress: Callable[[Progress], None] | None = None,
                    stop: threading.Event | None = None, **kwargs: Any) -> SearchResult:
    """`search` (or, given a `Loader`, `search_loaded`) in a child process (see the module doc); the same arguments
    and result."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child_stop = context.Event()
    process = context.Process(target=_child, name="drillapp-roster-search", daemon=True,
                              args=(sender, child_stop, current_language(), problem, kwargs))
    try:
        process.start()
    except (OSError, RuntimeError) as exc:  # no process can be started here: search on this thread instead
        log.warning("the roster search could not start its own process (%s); searching on this thread", exc)
        receiver.close()
        sender.close()
        return _search_any(problem, progress=progress, stop=stop, **kwargs)
    sender.close()  # the child holds the only writing end now: its death shows here as end of file
    try:
        while True:
            if stop is not None and stop.is_set():
                child_stop.set()
            if not receiver.poll(POLL_S):
                continue
            try:
                kind, value = receiver.recv()
            except EOFError:
                process.join(JOIN_S)
                raise DomainError(_("The roster search ended unexpectedly (exit code {code}); nothing was saved. "
                                    "Solve again; if it happens again, the log file says more.")
                                  .format(code=process.exitcode)) from None
            if kind == "progress":
                if progress is not None:
                    progress(value)
            elif kind == "result":
                return value
            else:
                raise value
    finally:
        child_stop.set()
        process.join(JOIN_S)
        if process.is_alive():
            process.kill()
            process.join()
        receiver.close()


def _search_any(task: Problem | Loader, **kwargs: Any) -> SearchResult:
    return search(task, **kwargs) if isinstance(task, Problem) else search_loaded(task, **kwargs)


def _yield_the_processor() -> None:
    """The search takes every core it is given; at a lower priority, the desktop app's own threads (painting,
    Qt's image helpers, the workers reading the database) get a core first when they need one."""
    try:
        if hasattr(os, "nice"):
            os.nice(CHILD_NICENESS)
    except OSError:  # not allowed here: search at the usual priority
        log.debug("the roster search could not lower its priority", exc_info=True)


def _child(sender: Any, stop: Any, language: str, problem: Problem | Loader, kwargs: dict) -> None:
    """The child process: the caller's language, the search, progress and the result (or the error) sent back."""
    lock = threading.Lock()  # the engine reports from its watcher and its solution callbacks at once

    def send(message: tuple[str, Any]) -> None:
        with lock:
            sender.send(message)

    try:
        _yield_the_processor()
        set_language(language)
        send(("result", _search_any(problem, progress=lambda p: send(("progress", p)), stop=stop, **kwargs)))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the caller, who shows it
        try:
            send(("error", exc))
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled goes back as its text
            send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        sender.close()
