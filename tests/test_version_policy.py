"""Optimistic locking cannot be forgotten (issue 12 item 7): every operation is classified in
services/versioning.py, and every service method that runs an edit takes a required `expected_version`
and checks it. These tests read the service code itself, so a new operation or method that skips the
check fails here, not in a user's lost update."""

from __future__ import annotations

import ast
import pathlib
from dataclasses import dataclass

import pytest

from drillapp.services import validate
from drillapp.services.errors import ConflictError, NotFoundError
from drillapp.services.permissions import PERMISSIONS
from drillapp.services.versioning import EDITS, NOT_EDITS

SERVICES = pathlib.Path(__file__).resolve().parents[1] / "drillapp" / "services"
CHECKS = {"expect_version", "expect_version_or_absent"}


@dataclass(frozen=True)
class Method:
    where: str
    operations: frozenset[str]
    node: ast.FunctionDef


def _operations_of(fn: ast.FunctionDef) -> set[str]:
    ops = set()
    for node in ast.walk(fn):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "write"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            ops.add(node.args[0].value)
    return ops


def _methods() -> list[Method]:
    found = []
    for path in sorted(SERVICES.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            for fn in (n for n in cls.body if isinstance(n, ast.FunctionDef)):
                ops = _operations_of(fn)
                if ops:
                    found.append(Method(f"{path.name}:{cls.name}.{fn.name}", frozenset(ops), fn))
    return found


def _required_param(fn: ast.FunctionDef, name: str) -> bool:
    """`name` is a parameter with no default."""
    args = fn.args
    positional = args.posonlyargs + args.args
    first_default = len(positional) - len(args.defaults)
    for i, a in enumerate(positional):
        if a.arg == name:
            return i < first_default
    for a, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if a.arg == name:
            return default is None
    return False


def _checks_version(fn: ast.FunctionDef) -> bool:
    """The body hands `expected_version` to a check (validate.expect_version...) or to another method
    that takes it (a thin wrapper such as reopen -> tick)."""
    for node in ast.walk(fn):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        passed = [a for a in node.args] + [k.value for k in node.keywords]
        if any(isinstance(n, ast.Name) and n.id == "expected_version" for a in passed for n in ast.walk(a)):
            if name in CHECKS or any(k.arg == "expected_version" for k in node.keywords):
                return True
    return False


def test_every_operation_is_classified_once():
    both = EDITS & set(NOT_EDITS)
    assert not both, f"classified twice: {sorted(both)}"
    missing = set(PERMISSIONS) - EDITS - set(NOT_EDITS)
    assert not missing, f"not classified in services/versioning.py (edit or not, and why): {sorted(missing)}"
    unknown = (EDITS | set(NOT_EDITS)) - set(PERMISSIONS)
    assert not unknown, f"classified but not an operation in permissions.py: {sorted(unknown)}"
    assert all(reason.strip() for reason in NOT_EDITS.values())


def test_every_edit_method_takes_and_checks_a_required_version():
    methods = _methods()
    assert len(methods) > 90  # the walk found the services' writes (a guard against a broken walk)
    offenders = []
    for m in methods:
        if not m.operations & EDITS:
            continue
        if not _required_param(m.node, "expected_version"):
            offenders.append(f"{m.where}: no required expected_version")
        elif not _checks_version(m.node):
            offenders.append(f"{m.where}: takes expected_version but never checks it")
    assert not offenders, "\n".join(offenders)


def test_every_edit_operation_has_a_method():
    written = set().union(*(m.operations for m in _methods()))
    # pause/resume are written through one method with the operation in a variable
    assert EDITS <= written | {"runs.pause", "runs.resume"}, sorted(EDITS - written)


class _Row:
    __tablename__ = "members"
    id = 1
    row_version = 3


def test_none_is_not_no_check():
    with pytest.raises(TypeError):
        validate.expect_version(_Row(), None)  # type: ignore[arg-type]  # the mistake this test is about
    validate.expect_version(_Row(), 3)


def test_absent_values():
    validate.expect_version_or_absent(None, None)  # saw none, still none
    with pytest.raises(NotFoundError):
        validate.expect_version_or_absent(None, 2)  # saw one, it was removed


def test_stale_version_is_refused(services):
    """A real service edit with the version the user saw, after another edit moved the record on."""
    from drillapp.models import Member
    from tests.helpers import builders

    port = builders.port_with_branches(services)
    member_id = builders.member(services, port)
    seen = services.team.version_of(Member, member_id)
    services.team.update_member(member_id, seen, mobile="13900000001")
    with pytest.raises(ConflictError):
        services.team.update_member(member_id, seen, mobile="13900000002")
    assert services.team.version_of(Member, member_id) == seen + 1
