"""No widget calls a service write directly: every write from drillapp/ui goes through the operation runner
(ui/operations.py), which runs it off the GUI thread and tells every screen what changed.

The write operations are found in the services themselves (every method whose body opens
`self.write(...)`), and the UI is read as Python: a reference to one of those methods on anything but `self`
must sit inside a lambda or a nested function passed to the runner."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parent.parent / "drillapp"
#: WriteOp(parent, fn), LongOp.start(fn), the plan editor's _run(fn), the review editor's write(fn, ...)
RUNNERS = {"WriteOp", "start", "_run", "write"}
#: A FormDialog's `operation()` returns the call its base class hands to WriteOp (ui/form_dialog.py).
RETURNED_TO_RUNNER = {"operation"}
#: What the UI calls its services by (a widget is handed the one service it needs): a write is looked for
#: on these names only, so a Qt method of the same name (close, refresh) is not mistaken for one.
SERVICE_HANDLES = {"plans", "revisions", "team", "roster", "callouts", "oncall", "users", "reminders",
                   "reminder_service", "service", "org", "drills", "runs", "incidents", "reviews", "lists",
                   "dashboard_service", "audit", "importer", "backup"}
#: Methods named like a service write that are the UI's own (a widget's slot of the same name) are called on
#: `self` and so never match; these are service reads that share a write's name in another service.
NOT_WRITES: set[str] = set()


def _service_writes() -> set[str]:
    """Methods that open `self.write(...)`, and those that call such a method on `self` (a convenience like
    `tick_entry` calling `tick`, or `pause` calling a private `_pause_or_resume`)."""
    bodies: dict[str, str] = {}
    for path in (ROOT / "services").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                bodies[node.name] = bodies.get(node.name, "") + ast.unparse(node)
    writing = {name for name, body in bodies.items() if "self.write(" in body}
    while True:
        more = {name for name, body in bodies.items() if name not in writing
                and any(f"self.{w}(" in body for w in writing)}
        if not more:
            break
        writing |= more
    return {name for name in writing if not name.startswith("_")} - NOT_WRITES


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}


def _inside_runner(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """True when `node` is handed to the runner: an argument of WriteOp / LongOp.start itself, or inside a
    lambda or nested def that is (directly, by the name it is assigned to, or returned by a FormDialog's
    `operation()`)."""
    current = node
    while current in parents:
        parent = parents[current]
        if isinstance(parent, ast.Call) and _runner_call(parent) and current in parent.args:
            return True
        if isinstance(parent, ast.Lambda | ast.FunctionDef):
            if _handed_over(parent, parents):
                return True
        current = parent
    return False


def _handed_over(fn: ast.Lambda | ast.FunctionDef, parents: dict[ast.AST, ast.AST]) -> bool:
    holder = parents.get(fn)
    if isinstance(holder, ast.Call) and _runner_call(holder):
        return True
    if isinstance(holder, ast.Return) or isinstance(fn, ast.FunctionDef):
        enclosing = _enclosing_def(fn, parents)
        if enclosing is not None and enclosing.name in RETURNED_TO_RUNNER:
            return True
    name = fn.name if isinstance(fn, ast.FunctionDef) else None
    if isinstance(holder, ast.Assign | ast.AnnAssign):
        targets = holder.targets if isinstance(holder, ast.Assign) else [holder.target]
        name = next((t.id for t in targets if isinstance(t, ast.Name)), None)
    if name is None:
        return False
    enclosing = _enclosing_def(fn, parents)
    return enclosing is not None and any(
        isinstance(call, ast.Call) and _runner_call(call)
        and any(isinstance(a, ast.Name) and a.id == name for a in call.args)
        for call in ast.walk(enclosing))


def _enclosing_def(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.FunctionDef | None:
    current = parents.get(node)
    while current is not None and not isinstance(current, ast.FunctionDef):
        current = parents.get(current)
    return current


def _runner_call(call: ast.Call) -> bool:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    return name in RUNNERS


def test_the_service_writes_are_found() -> None:
    writes = _service_writes()
    assert {"save_member", "tick_entry", "edit_assignments", "publish", "approve_version"} <= writes
    assert {"tick", "reopen", "pause", "resume", "revise_plan", "mark_inject", "sign_off"} <= writes


def test_no_widget_calls_a_service_write_directly() -> None:
    writes = _service_writes()
    offenders = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = _parents(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and node.attr in writes):
                continue
            receiver = node.value
            handle = receiver.id if isinstance(receiver, ast.Name) else (
                receiver.attr if isinstance(receiver, ast.Attribute) else "")
            if handle not in SERVICE_HANDLES:
                continue  # the widget's own method, or a Qt method of the same name
            if not _inside_runner(node, parents):
                offenders.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} {ast.unparse(node)}")
    assert not offenders, "service writes called outside the operation runner:\n" + "\n".join(offenders)
