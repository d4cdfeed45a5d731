"""Portable mode: the bundle keeps its database, settings, logs and backups in a `data` folder beside its
executable (a USB stick in the duty bag) instead of the user's data folder.

It is asked for by `--portable` on the command line or by a `portable.txt` file beside the executable.
Which wins: the command line, then DRILLAPP_HOME, then portable.txt, then the user's data folder
(paths.data_dir). Portable mode works by setting DRILLAPP_HOME for the process, which paths.py and the
settings store (ui/settings.py) already honour. Only the bundle has a folder of its own: run from Python,
`--portable` is refused (set DRILLAPP_HOME instead).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from drillapp.errors import DomainError
from drillapp.i18n import _

HOME_VAR = "DRILLAPP_HOME"
MARKER = "portable.txt"
DATA_FOLDER = "data"


def install_dir() -> Path | None:
    """The folder of the bundle's executable (dist/drillapp/, or where the installer put it); None when
    drillapp runs from a Python installation."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return None


def portable_home(asked: bool, environ: Mapping[str, str], folder: Path | None) -> Path | None:
    """The data folder portable mode puts in force, or None (DRILLAPP_HOME or the user's data folder).

    `asked`: --portable was given; `folder`: install_dir()."""
    if folder is None:
        if asked:
            raise DomainError(_("--portable works only in the installed app (it keeps the data beside "
                                "drillapp.exe); here set DRILLAPP_HOME to a folder instead."))
        return None
    if asked:
        return folder / DATA_FOLDER
    if environ.get(HOME_VAR):
        return None
    if (folder / MARKER).is_file():
        return folder / DATA_FOLDER
    return None


def apply(asked: bool) -> Path | None:
    """Put portable mode in force for this process if asked (flag or portable.txt): the data folder is
    created and checked writable first, else a DomainError says so and nothing is changed."""
    home = portable_home(asked, os.environ, install_dir())
    if home is None:
        return None
    try:
        home.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=home):
            pass
    except OSError as exc:
        raise DomainError(_("Portable mode keeps the data in {path}, but that folder cannot be written "
                            "({reason}). Copy the app to a folder you may write to (a USB stick, your "
                            "documents), or remove {marker} to keep the data in your user folder.").format(
            path=home, reason=exc.strerror or exc.__class__.__name__, marker=MARKER)) from None
    os.environ[HOME_VAR] = str(home)
    return home
