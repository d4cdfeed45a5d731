"""Every preference declared once, with its default; window state kept apart (UiState).

Stored with QSettings (the registry on Windows, an .ini/.conf file elsewhere); DRILLAPP_HOME, when set,
keeps them in that folder instead (tests, portable installs).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from drillapp import APP_NAME, ORG_NAME


@dataclass(frozen=True)
class Option:
    key: str
    default: Any
    kind: type


LANGUAGE = Option("general/language", "system", str)
TRAY_NOTIFICATIONS = Option("general/tray_notifications", True, bool)
LAST_AREA = Option("ui/last_area", 0, int)
CURRENT_PORT = Option("general/port", 0, int)  # the port worked on last (0: none chosen yet)
DATABASE_URL = Option("database/url", "", str)  # never with a password: that is in the keyring
AUTO_BACKUP = Option("backup/automatic", True, bool)
AUTO_BACKUP_KEEP = Option("backup/keep", 10, int)
AUTO_BACKUP_HOURS = 24


def _store() -> QSettings:
    home = os.environ.get("DRILLAPP_HOME")
    if home:
        return QSettings(os.path.join(home, "drillapp.ini"), QSettings.Format.IniFormat)
    return QSettings(ORG_NAME, APP_NAME)


def get(option: Option) -> Any:
    store = _store()
    value = store.value(option.key)
    if value is None and option.key.startswith("general/"):
        # Qt's .ini format writes the group "general" as [%General] and reads it back as "General"
        # (Linux, DRILLAPP_HOME, portable mode); the registry (Windows) ignores case anyway
        value = store.value("General/" + option.key.removeprefix("general/"))
    if value is None:
        value = option.default
    if option.kind is bool and isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    try:
        return option.kind(value)
    except (TypeError, ValueError):
        return option.default


def put(option: Option, value: Any) -> None:
    store = _store()
    store.setValue(option.key, value)
    store.sync()


class UiState:
    """Window geometry and splitter/header states: not settings, just where things were left."""

    @staticmethod
    def load(key: str) -> QByteArray | None:
        value = _store().value(f"state/{key}")
        return value if isinstance(value, QByteArray) else None

    @staticmethod
    def save(key: str, value: QByteArray) -> None:
        store = _store()
        store.setValue(f"state/{key}", value)
        store.sync()
