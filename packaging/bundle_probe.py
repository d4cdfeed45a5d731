"""`drillapp --bundle-probe FILE.pdf`, in the bundle only (packaging/launch.py): load the native parts no
command of the smoke test reaches and print one JSON object, part -> "ok: detail" or "error: ...";
exit 0 when all loaded. The smoke test runs it; so can whoever installs the app at the port."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable


def _pdfium(pdf: str) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        bitmap = document[0].render(scale=0.5)
        return f"page 1 of {len(document)} rendered {bitmap.width}x{bitmap.height}"
    finally:
        document.close()


def _psycopg(_pdf: str) -> str:
    import psycopg.pq

    if psycopg.pq.__impl__ != "binary":  # the python one needs a libpq the port's PCs do not have
        raise RuntimeError(f"implementation {psycopg.pq.__impl__}, not binary")
    return f"binary, libpq {psycopg.pq.version()}"


def _argon2(_pdf: str) -> str:
    from argon2 import PasswordHasher

    hasher = PasswordHasher()
    hasher.verify(hasher.hash("probe"), "probe")
    return "hash and verify"


def _time_zones(_pdf: str) -> str:
    from importlib.resources import files
    from zoneinfo import ZoneInfo

    if not files("tzdata.zoneinfo").joinpath("Asia", "Shanghai").is_file():  # Windows has no zone files
        raise RuntimeError("tzdata's Asia/Shanghai is missing")
    return f"tzdata, Asia/Shanghai {ZoneInfo('Asia/Shanghai')}"


def _keyring(_pdf: str) -> str:
    """The back ends are found through keyring's entry points: the one for this system must be known
    (whether it works here, e.g. without a desktop session, is the system's affair: then the app asks)."""
    import keyring
    import keyring.backend

    in_use = type(keyring.get_keyring()).__module__
    known = sorted({c.__module__.rsplit(".", 1)[-1] for c in keyring.backend.KeyringBackend._classes})
    wanted = "Windows" if sys.platform == "win32" else "macOS" if sys.platform == "darwin" else "SecretService"
    if wanted not in known:
        raise RuntimeError(f"no {wanted} back end among {known}")
    return f"in use {in_use}; known {', '.join(known)}"


def _openpyxl(_pdf: str) -> str:
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "姓名"
    buffer = io.BytesIO()
    book.save(buffer)
    return f"openpyxl {openpyxl.__version__}, {len(buffer.getvalue())} bytes"


def _qt_translation(_pdf: str) -> str:
    from pathlib import Path

    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if not (folder / "qtbase_zh_CN.qm").is_file():
        raise RuntimeError(f"qtbase_zh_CN.qm is not in {folder}")
    return str(folder / "qtbase_zh_CN.qm")


def _scheduler(_pdf: str) -> str:
    """APScheduler finds its triggers by entry point name: the app's three, in a scheduler set up as the
    app sets up its own (the Qt one is imported, not started: it needs the event loop)."""
    from datetime import UTC, datetime, timedelta

    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.qt import QtScheduler  # noqa: F401 - what the app runs

    from drillapp.scheduling import reminder_jobs

    scheduler = BackgroundScheduler()
    reminder_jobs.configure(scheduler)
    scheduler.start(paused=True)
    try:
        scheduler.add_job(print, "cron", hour=0, minute=5, id="cron")
        scheduler.add_job(print, "interval", minutes=5, id="interval")
        scheduler.add_job(print, "date", run_date=datetime.now(UTC) + timedelta(days=1), id="date")
        return ", ".join(type(job.trigger).__name__ for job in scheduler.get_jobs())
    finally:
        scheduler.shutdown(wait=False)


PROBES: dict[str, Callable[[str], str]] = {
    "APScheduler": _scheduler,
    "pypdfium2": _pdfium, "psycopg": _psycopg, "argon2": _argon2, "time zones": _time_zones,
    "keyring": _keyring, "openpyxl": _openpyxl, "Qt translation": _qt_translation,
}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: drillapp --bundle-probe FILE.pdf", file=sys.stderr)
        return 2
    report = {}
    for name, probe in PROBES.items():
        try:
            report[name] = "ok: " + probe(argv[0])
        except Exception as exc:  # report every part, whatever broke
            report[name] = f"error: {exc.__class__.__name__}: {exc}"
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0 if all(value.startswith("ok") for value in report.values()) else 1
