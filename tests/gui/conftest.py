"""GUI fixtures: the real main window on a real (temporary) database, with work run inline."""

from __future__ import annotations

import pytest

from drillapp.bootstrap import World, open_world
from drillapp.demo import DemoService
from drillapp.ui import workers


@pytest.fixture(autouse=True)
def _synchronous_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Background work runs inline in tests, so what a click causes has happened when it returns."""
    monkeypatch.setattr(workers, "SYNCHRONOUS", True)


@pytest.fixture
def world(tmp_path) -> World:
    w = open_world(f"sqlite:///{tmp_path / 'gui.sqlite3'}", username="zhao")
    yield w
    w.db.dispose()


@pytest.fixture
def demo_world(world: World) -> World:
    assert DemoService(world.db, world.actor).load_demo()
    world.services.reminders.refresh()  # what the app's reminder desk does at start
    return world


@pytest.fixture
def window(qtbot, demo_world: World):
    from drillapp.ui.main_window import MainWindow

    win = MainWindow(demo_world.services)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.show_area("dashboard")
    return win
