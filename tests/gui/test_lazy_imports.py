"""Work done ahead in the thread pool so the GUI thread finds it done (ui/lazy_imports.py)."""

from __future__ import annotations

import logging
import sys

from drillapp import i18n
from drillapp.ui import lazy_imports


def test_modules_are_imported_ahead_and_a_missing_one_is_only_logged(qtbot, monkeypatch, caplog) -> None:
    monkeypatch.delitem(sys.modules, "colorsys", raising=False)
    with caplog.at_level(logging.WARNING):
        lazy_imports.import_ahead("colorsys")
        qtbot.waitUntil(lambda: "colorsys" in sys.modules, timeout=5000)
        lazy_imports.import_ahead("drillapp.ui.no_such_module")
        qtbot.waitUntil(lambda: "not imported ahead" in caplog.text, timeout=5000)


def test_opening_the_team_area_imports_its_tabs_modules_ahead(window, qtbot, monkeypatch) -> None:
    asked: list[tuple[str, ...]] = []
    monkeypatch.setattr(lazy_imports, "import_ahead", lambda *names: asked.append(names))
    window.show_area("team")
    assert any("drillapp.ui.roster.roster_page" in names for names in asked), asked


def test_the_other_languages_catalogue_is_read_when_settings_is_built(window, qtbot, monkeypatch) -> None:
    read: list[object] = []
    monkeypatch.setattr(i18n, "read_ahead", lambda languages=None: read.append(languages))
    window.show_area("settings")
    qtbot.waitUntil(lambda: bool(read), timeout=5000)
