"""Build the bundle: `python packaging/build.py` makes dist/drillapp/ (the executables drillapp and
drillapp-gui, .exe on Windows, and their collection _internal/) with PyInstaller from packaging/drillapp.spec.

Run it with the Python of a virtualenv holding drillapp and its bundle extra (`pip install -e '.[bundle]'`):
the bundle takes the libraries from there. `--installer` (Windows only) then makes the installer
dist/drillapp-<version>-setup.exe from packaging/drillapp.iss with Inno Setup 6's compiler (ISCC.exe).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bundle_layout import BUNDLE, DIST, ROOT, SPEC, biggest_parts, executable, megabytes, size_of

ISS = ROOT / "packaging" / "drillapp.iss"
ISCC_PLACES = [Path(os.environ.get(var, "")) / "Inno Setup 6" / "ISCC.exe"
               for var in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA") if os.environ.get(var)]


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from drillapp import __version__

    return __version__


def build(clean: bool) -> int:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        print("build.py: PyInstaller is missing: run `pip install -e '.[bundle]'` in this virtualenv first.",
              file=sys.stderr)
        return 1
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(DIST),
           "--workpath", str(ROOT / "build"), str(SPEC)]
    if clean:
        cmd.insert(3, "--clean")
    print("build.py: " + " ".join(cmd), flush=True)
    started = time.perf_counter()
    code = subprocess.call(cmd, cwd=ROOT)
    if code != 0:
        print(f"build.py: PyInstaller failed (exit {code}); its messages are above.", file=sys.stderr)
        return 1
    exe = executable()
    if not exe.is_file():
        print(f"build.py: PyInstaller finished but {exe} is not there.", file=sys.stderr)
        return 1
    print(f"build.py: built {exe} in {time.perf_counter() - started:.0f} s; "
          f"the folder {BUNDLE} holds {megabytes(size_of(BUNDLE))}. Its biggest parts:")
    for name, size in biggest_parts():
        print(f"  {megabytes(size):>9}  {name}")
    return 0


def installer() -> int:
    """Windows: compile packaging/drillapp.iss over the built bundle."""
    if sys.platform != "win32":
        print("build.py: the installer is made on Windows (Inno Setup); here the bundle folder is the result.",
              file=sys.stderr)
        return 1
    iscc = shutil.which("ISCC") or next((str(p) for p in ISCC_PLACES if p.is_file()), None)
    if iscc is None:
        print("build.py: Inno Setup 6's ISCC.exe was not found: install Inno Setup 6 or put ISCC on the PATH.",
              file=sys.stderr)
        return 1
    cmd = [iscc, f"/DAppVersion={version()}", f"/DBundleDir={BUNDLE}", f"/O{DIST}", str(ISS)]
    print("build.py: " + " ".join(cmd), flush=True)
    return 0 if subprocess.call(cmd, cwd=ROOT) == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description="Build the drillapp bundle (dist/drillapp/) with PyInstaller.")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's caches first")
    parser.add_argument("--installer", action="store_true",
                        help="then make the Windows installer with Inno Setup (Windows only)")
    args = parser.parse_args()
    code = build(args.clean)
    if code == 0 and args.installer:
        code = installer()
    return code


if __name__ == "__main__":
    sys.exit(main())
