"""The arrows of docs/architecture.md ("Layers") point one way: io never imports the services, the database
module or the UI; print-outs take plain data (no database, no plan service, no UI); the settings widgets go
through a service, not db.py. Walks the AST of every module, so an import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "drillapp"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _offences(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(f"{path.relative_to(ROOT.parent)} imports {name}"
                  for path in files for name in _imports(path)
                  if any(name == f or name.startswith(f + ".") for f in forbidden))


def test_io_imports_neither_services_nor_db_nor_ui() -> None:
    files = sorted((ROOT / "io").rglob("*.py"))
    assert files
    assert _offences(files, ("drillapp.services", "drillapp.db", "drillapp.ui", "drillapp.reports")) == []


#: Print-outs still reading a service object (not plain data), each with its reason; the list only shrinks.
REPORTS_STILL_ON_A_SERVICE = {
    # write_* take the OnCallService and read it; to be handed plain duty data like plan_pdf (issue 12, item 10)
    "drillapp/reports/roster_pdf.py imports drillapp.services.oncall.OnCallService",
}


def test_reports_take_plain_data() -> None:
    files = sorted((ROOT / "reports").rglob("*.py"))
    assert files
    offences = _offences(files, ("drillapp.db", "drillapp.ui", "drillapp.services.plans",
                                 "drillapp.services.context", "drillapp.bootstrap"))
    services = [f"{path.relative_to(ROOT.parent)} imports {name}" for path in files for name in _imports(path)
                if name.startswith("drillapp.services.") and name.rsplit(".", 1)[-1].endswith("Service")]
    assert offences == []
    assert set(services) <= REPORTS_STILL_ON_A_SERVICE, sorted(set(services) - REPORTS_STILL_ON_A_SERVICE)


@pytest.mark.parametrize("name", ["db_settings.py", *sorted(p.name for p in (ROOT / "ui").glob("settings*.py"))])
def test_settings_widgets_do_not_use_db(name: str) -> None:
    assert _offences([ROOT / "ui" / name], ("drillapp.db", "drillapp.schema")) == []


def test_print_out_of_a_plan_opens_no_database() -> None:
    names = _imports(ROOT / "reports" / "plan_pdf.py")
    assert not any(n.startswith(("drillapp.services", "drillapp.db", "sqlalchemy")) for n in names), names
