"""Work done ahead in the thread pool so the GUI thread finds it done (ui/lazy_imports.py)."""

from __future__ import annotations

from drillapp import i18n


def test_the_other_languages_catalogue_is_read_when_settings_is_built(window, qtbot, monkeypatch) -> None:
    read: list[object] = []
    monkeypatch.setattr(i18n, "read_ahead", lambda languages=None: read.append(languages))
    window.show_area("settings")
    qtbot.waitUntil(lambda: bool(read), timeout=5000)
