"""Chinese on screen on any machine: the bundled CJK font is added to Qt's font database and used as
the fallback for Han characters when the system has no CJK font of its own."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from drillapp.i18n import _
from drillapp.paths import resource_path
from drillapp.reports.fonts import BUNDLED

_family: str | None = None
_system_has_cjk = False


def install_cjk_font(app: QApplication) -> str | None:
    """Register the bundled font; make it the application font's fallback for Chinese. Returns its family."""
    global _family, _system_has_cjk
    _system_has_cjk = bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    font_id = QFontDatabase.addApplicationFont(str(resource_path(*BUNDLED)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    _family = families[0]
    font = app.font()
    # The system's UI font first (for Latin text), the bundled one for whatever it cannot draw.
    font.setFamilies([font.family(), _family])
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    app.setFont(font)
    return _family


def ui_font_status() -> str:
    if _system_has_cjk:
        return _("The system's Chinese font (the bundled {family} stands by).").format(family=_family or "-")
    if _family:
        return _("The bundled font {family}: this system has no Chinese font of its own.").format(family=_family)
    return _("No Chinese font: Chinese text may show as boxes. Reinstall drillapp.")
