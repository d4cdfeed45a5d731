"""Menu and toolbar actions with their shortcuts, declared in one place.

A window builds them with `build_actions(window)`: each spec names the window method it triggers.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from drillapp.i18n import N_, _


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str  # untranslated (N_)
    slot: str  # name of the window method to call
    shortcut: str | QKeySequence.StandardKey | None = None
    menu: str = "file"
    tip: str = ""


AREA_SHORTCUTS = ["Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5", "Ctrl+6", "Ctrl+7"]

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("backup", N_("&Back up database…"), "backup_database", "Ctrl+Shift+B", "file"),
    ActionSpec("restore", N_("&Restore from backup…"), "restore_database", None, "file"),
    ActionSpec("launch_drill", N_("&Launch drill…"), "launch_selected_drill", "Ctrl+Shift+L", "file"),
    ActionSpec("unplanned_drill", N_("&Unplanned drill…"), "launch_unplanned_drill", None, "file"),
    ActionSpec("activate_incident", N_("Real &incident: activate a plan…"), "activate_incident", "Ctrl+Shift+I",
               "file"),
    ActionSpec("change_password", N_("Change &password…"), "change_password", None, "file"),
    ActionSpec("quit", N_("&Quit"), "close", QKeySequence.StandardKey.Quit, "file"),
    ActionSpec("refresh", N_("&Refresh"), "refresh_current", QKeySequence.StandardKey.Refresh, "view"),
    ActionSpec("find", N_("&Find in list"), "focus_search", QKeySequence.StandardKey.Find, "view"),
    ActionSpec("about", N_("&About drillapp"), "show_about", None, "help"),
    ActionSpec("open_log", N_("Open &log folder"), "open_log_folder", None, "help"),
)

MENUS = (("file", N_("&File")), ("view", N_("&View")), ("help", N_("&Help")))


def build_actions(window: QWidget) -> dict[str, QAction]:
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        action = QAction(_(spec.text), window)
        action.setObjectName(f"action_{spec.id}")
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        action.triggered.connect(getattr(window, spec.slot))
        actions[spec.id] = action
    return actions
