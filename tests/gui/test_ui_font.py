"""The UI font per language (drillapp/ui/fonts.py): in English, Latin text and its "…" are drawn with the
Latin UI font (the screenshots showed "Print call-out list⋯", the CJK font's centred ellipsis, because the
whole English UI was drawn with the bundled CJK font); Han characters with the CJK font in either language;
in Chinese the ellipsis is the CJK font's too."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import QApplication, QListWidget, QMenu

from drillapp.ui.app import apply_language
from drillapp.ui.fonts import install_cjk_font


@pytest.fixture
def app():
    """The application font and language as they were, after the test."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    saved = QFont(app.font())
    yield app
    apply_language(app, "en")
    app.setFont(saved)


def drawn_with(text: str, font: QFont) -> set[str]:
    """The families of the fonts Qt draws `text` with (after its fallbacks)."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return {run.rawFont().familyName() for run in layout.glyphRuns()}


def test_english_draws_latin_and_its_ellipsis_in_the_latin_font_and_chinese_in_the_cjk_font(app, qtbot):
    cjk = install_cjk_font(app)
    assert cjk is not None, "the bundled font is installed"
    apply_language(app, "en")
    menu = QMenu()
    qtbot.addWidget(menu)
    action = menu.addAction("Print call-out list…")
    latin = drawn_with(action.text(), menu.font())
    assert cjk not in latin and len(latin) == 1, latin
    assert drawn_with("圈河口岸", menu.font()) == {cjk}  # Chinese in the data still draws as Chinese

    apply_language(app, "zh_CN")
    menu = QMenu()
    qtbot.addWidget(menu)
    action = menu.addAction("打印召集名单…")
    assert drawn_with(action.text(), menu.font()) == {cjk}  # the Chinese ellipsis with its text


def line_height(text: str, font: QFont) -> float:
    layout = QTextLayout(text, font)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(10_000)
    layout.endLayout()
    return line.height()


@pytest.mark.parametrize("scale", [1.0, 1.2])  # the UI font, the consoles' tables
def test_english_lines_of_chinese_and_of_latin_are_equally_tall(app, scale):
    """A list item of two lines, the first Chinese (drawn with the fallback CJK font) and the second Latin, lost
    its second line to an ellipsis ("胡刚芬 · 医疗救护组…" on the dashboard's on-call panel) when a Chinese line
    was a pixel taller than a Latin one: the item was sized on one and painted on the other."""
    install_cjk_font(app)
    apply_language(app, "en")
    font = QFont(app.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    assert line_height("胡刚芬 · 医疗救护组", font) == line_height("Border inspection · 13439370843", font)
    widget = QListWidget()
    widget.setWordWrap(True)
    widget.resize(330, 200)
    widget.addItem("胡刚芬 · 医疗救护组\nBorder inspection · 13439370843")
    lines = line_height("胡刚芬", widget.font()) + line_height("Border", widget.font())
    assert widget.sizeHintForRow(0) >= lines
