"""PySide6's per-import question ("does this module use PySide6?") answered from the file's bytes
(drillapp/ui/import_check.py) gives PySide's own answer for every module the app has imported."""

from __future__ import annotations

import sys

import PySide6.QtCore  # noqa: F401 - PySide6's feature support is set up by its first import

import drillapp.ui.main_window  # noqa: F401 - a wide spread of the app's modules, with and without Qt
from drillapp.ui import import_check


def test_the_quick_answer_is_pysides_answer_for_every_loaded_module() -> None:
    feature = sys.modules["shibokensupport.feature"]
    pysides = feature._mod_uses_pyside
    if pysides is import_check.uses_pyside:  # already put in place by an earlier import of ui/start.py
        import inspect

        def pysides(module):  # PySide's own check, written out: the source's text mentions PySide6
            try:
                return "PySide6" in inspect.getsource(module)
            except (TypeError, OSError, SyntaxError):
                return False

    modules = [m for name, m in list(sys.modules.items()) if m is not None and name.startswith(("drillapp", "json", "sqlalchemy"))]
    assert len(modules) > 100
    differing = [m.__name__ for m in modules if import_check.uses_pyside(m) != pysides(m)]
    assert differing == []
    assert any(import_check.uses_pyside(m) for m in modules) and not all(import_check.uses_pyside(m) for m in modules)


def test_quicken_puts_the_quick_check_in_place() -> None:
    assert import_check.quicken()
    assert sys.modules["shibokensupport.feature"]._mod_uses_pyside is import_check.uses_pyside
