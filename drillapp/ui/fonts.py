"""Chinese on screen on any machine, and Latin text in a Latin font: the bundled CJK font is added to Qt's
font database, and the application font is a list of families in the order the language wants.

The system's UI font is resolved to the family it really is first: Qt's default family is often an alias
("Sans Serif" under X11, "MS Shell Dlg 2" on Windows) that is no family of the database, and in a family list
Qt skips it for the next family, so the bundled CJK font drew everything, English included, and its
"…" is the centred Chinese ellipsis ("Print call-out list⋯").

English: the Latin UI font first, the CJK font for the Han characters it lacks (names, places in the data).
Chinese: the system font first when it covers Chinese (Microsoft YaHei UI on a Chinese Windows), else the CJK
font first, so Chinese punctuation (…, “”, ：) is drawn as Chinese text wants it; Latin falls to its glyphs."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication

from drillapp.i18n import _, current_language
from drillapp.paths import resource_path
from drillapp.reports.fonts import BUNDLED

_family: str | None = None
_latin: str | None = None
_system_has_cjk = False


def install_cjk_font(app: QApplication) -> str | None:
    """Register the bundled font and set the application font for the current language. Returns its family."""
    global _family, _latin, _system_has_cjk
    _system_has_cjk = bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    if _latin is None:  # the system's UI font as drawn, before the bundled font can stand in for it
        _latin = QFontInfo(app.font()).family()
    font_id = QFontDatabase.addApplicationFont(str(resource_path(*BUNDLED)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    _family = families[0]
    apply_ui_font(app, current_language())
    return _family


def ui_families(language: str, latin: str, cjk: str) -> list[str]:
    """The application font's families for `language` (the module's docstring says why in this order)."""
    if language == "en" or _covers_chinese(latin):
        return [latin, cjk]
    return [cjk, latin]


def apply_ui_font(app: QApplication, language: str) -> None:
    """The application font's family order for `language` (apply_language calls this on a switch)."""
    if _family is None or _latin is None:
        return
    font = app.font()
    families = ui_families(language, _latin, _family)
    font.setFamilies(families)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    # Han characters from the fallback font: its unhinted line is a pixel taller than the Latin font's at the
    # usual 9 pt (15 against 14), and a list or table sized on one then elides the last line of a two-line
    # item ("Certificate expiring: 潘磊娥, 急救…" lost its second line). Hinted, both are whole pixels alike.
    mixed = families[0] == _latin and not _covers_chinese(_latin)
    font.setHintingPreference(QFont.HintingPreference.PreferFullHinting if mixed
                              else QFont.HintingPreference.PreferDefaultHinting)
    app.setFont(font)


def _covers_chinese(family: str) -> bool:
    return QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)


def ui_font_status() -> str:
    if _system_has_cjk:
        return _("The system's Chinese font (the bundled {family} stands by).").format(family=_family or "-")
    if _family:
        return _("The bundled font {family}: this system has no Chinese font of its own.").format(family=_family)
    return _("No Chinese font: Chinese text may show as boxes. Reinstall drillapp.")
