"""Where the built bundle is and what it weighs: shared by build.py, smoke_test.py and `python -m bench bundle`.
Stdlib only (the benchmark loads this file by path)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
BUNDLE = DIST / "drillapp"
SPEC = ROOT / "packaging" / "drillapp.spec"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


def executable(bundle: Path = BUNDLE, name: str = "drillapp") -> Path:
    """dist/drillapp/drillapp (drillapp.exe on Windows); name="drillapp-gui" for the windowed one."""
    return bundle / f"{name}{EXE_SUFFIX}"


def size_of(path: Path) -> int:
    """Bytes of a file, or of every file under a folder (symbolic links not followed)."""
    if path.is_symlink() or path.is_file():
        return path.lstat().st_size
    total = 0
    for folder, _dirs, files in os.walk(path):
        total += sum(os.lstat(os.path.join(folder, f)).st_size for f in files)
    return total


def biggest_parts(bundle: Path = BUNDLE, count: int = 12) -> list[tuple[str, int]]:
    """The largest entries of the bundle's collection (_internal/: a library's folder, or one shared
    library), largest first, as (name, bytes); PySide6 split into its Qt libraries and the rest."""
    internal = bundle / "_internal"
    parts: dict[str, int] = {}
    for entry in internal.iterdir():
        if entry.name == "PySide6":
            qt_libs = [p for p in entry.rglob("*") if p.is_file() and p.name.startswith(("libQt6", "Qt6", "libicu"))]
            qt = sum(size_of(p) for p in qt_libs)
            parts["PySide6 (Qt and ICU libraries)"] = qt
            parts["PySide6 (bindings, plug-ins, translations)"] = size_of(entry) - qt
        else:
            parts[entry.name] = size_of(entry)
    return sorted(parts.items(), key=lambda item: item[1], reverse=True)[:count]


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
