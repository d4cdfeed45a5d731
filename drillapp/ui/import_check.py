"""A cheaper answer to the question PySide6 asks of every module imported after it.

PySide6's `__feature__` support (snake_case, true_property) decides per module whether that module may switch
features: on each import it reads the module's source with `inspect.getsource` (tokenizing the whole file) to
see whether the text mentions "PySide6". The app uses no `__feature__`, but it pays for the question on every
import: about 0.1 s over the 350 modules the main window and its areas import, on the GUI thread when an area
or an editor is first opened. The answer is the same from the file's raw bytes, read without tokenizing;
modules without a source file get "no", as PySide's own check gives them.

`quicken()` replaces the check when PySide6's support module has the shape it is written for, and otherwise
leaves PySide6 alone (a later PySide6 may do this differently; tests/test_import_check.py compares the answers).
"""

from __future__ import annotations

import sys
from types import ModuleType

MARK = "PySide6"


def uses_pyside(module: ModuleType) -> bool:
    """Whether the module's source file mentions PySide6 (False for a module without a .py file)."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    try:
        with open(path, "rb") as source:
            return MARK.encode() in source.read()
    except OSError:
        return False


def quicken() -> bool:
    """Use `uses_pyside` for PySide6's per-import question; True when it was put in place."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]  # PySide6's private hook, checked above
    return True
