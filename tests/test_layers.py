"""The import arrows point one way (docs/architecture.md, "Layers"): file formats (io/) and print-outs
(reports/) sit below the services. Print-outs are handed plain data that a service read; they never open a
database, a session or a service themselves, and io/ does not import the services at all (a type-only import
under TYPE_CHECKING is allowed)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "drillapp"


def _runtime_imports(path: Path) -> list[tuple[int, str, str]]:
    """(line, module, name) of every import outside an `if TYPE_CHECKING:` block."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only.update(id(n) for child in node.body for n in ast.walk(child))
    found = []
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            found += [(node.lineno, node.module, a.name) for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name, "") for a in node.names]
    return found


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).glob("*.py"))


@pytest.mark.parametrize("path", _modules("io"), ids=lambda p: p.name)
def test_file_formats_do_not_import_the_services(path: Path) -> None:
    wrong = [(line, module) for line, module, _name in _runtime_imports(path)
             if module.startswith(("drillapp.services", "drillapp.ui", "drillapp.reports"))]
    assert not wrong, f"io/{path.name} imports {wrong}: move what it needs below (drillapp/errors.py, models)"


@pytest.mark.parametrize("path", _modules("reports"), ids=lambda p: p.name)
def test_print_outs_are_handed_plain_data(path: Path) -> None:
    wrong = []
    for line, module, name in _runtime_imports(path):
        if module.startswith(("drillapp.db", "drillapp.ui", "sqlalchemy", "drillapp.services.context")):
            wrong.append((line, module, name))
        elif module.startswith("drillapp.services") and (name.endswith("Service") or name == "Services"):
            wrong.append((line, module, name))
    assert not wrong, f"reports/{path.name} reads data itself {wrong}: have a service read it and hand it over"


@pytest.mark.parametrize("path", [ROOT / "ui" / "db_settings.py", *sorted((ROOT / "ui").glob("settings*.py"))],
                         ids=lambda p: p.name)
def test_settings_widgets_do_not_use_db(path: Path) -> None:
    """The settings widgets read what they need through a service module (services/settings_info.py)."""
    wrong = [(line, module) for line, module, _name in _runtime_imports(path)
             if module in ("drillapp.db", "drillapp.schema")]
    assert wrong == []


@pytest.mark.parametrize("path", sorted((ROOT / "read_models").glob("*.py")), ids=lambda p: p.name)
def test_read_models_sit_below_the_services(path: Path) -> None:
    wrong = [(line, module) for line, module, _name in _runtime_imports(path)
             if module.startswith(("drillapp.services", "drillapp.db", "drillapp.ui", "sqlalchemy"))]
    assert wrong == []
