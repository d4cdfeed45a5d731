"""The main window as a person uses it: open, look at the dashboard, move between areas, search lists."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from drillapp.paths import bundled_plan_files
from drillapp.ui import settings
from drillapp.ui.list_page import ListPage
from drillapp.ui.main_window import AREAS, MainWindow
from drillapp.ui.pages.areas import AreaPage


def test_dashboard_shows_what_matters_today(window: MainWindow) -> None:
    dash = window.dashboard
    assert dash.data is not None
    assert dash.drills.list.count() >= 1, "the demo schedules drills in the coming months"
    assert dash.on_call.list.count() >= 4, "the demo roster has people on call now, one per branch at least"
    assert dash.plans.list.count() == 2, "two demo plans fall due for review within weeks"
    assert any("群体性事件" in t for t in dash.plans.texts())
    assert dash.reminders.list.count() >= 2  # the two plan reviews, at least
    assert dash.status.text().startswith("Updated")


def test_every_area_opens_from_the_sidebar_and_by_shortcut(window: MainWindow, qtbot) -> None:
    for row, (key, title, _icon) in enumerate(AREAS):
        window.sidebar.setCurrentRow(row)
        assert window.stack.currentWidget() is window.page(key)
        assert window.sidebar.currentItem().text() == title  # English in tests
    window.actions_by_id["area_plans"].trigger()
    assert window.area() == "plans"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.area() == "dashboard"


def test_plan_list_search_and_empty_state(window: MainWindow, qtbot) -> None:
    window.show_area("plans")
    page = window.page("plans")
    assert isinstance(page, AreaPage)
    plans: ListPage = page.current_list()
    assert plans.model.rowCount() == len(bundled_plan_files())  # the demo imports every file of plans/
    assert plans.stack.currentWidget() is plans.table
    qtbot.keyClicks(plans.search, "qh-ya-02")
    qtbot.waitUntil(lambda: plans.model.rowCount() == 1, timeout=2000)  # after the search debounce
    assert "群体性事件" in plans.model.index(0, 1).data()
    plans.search.clear()
    plans.search.insert("群体")  # what an input method commits (QTest cannot type Chinese)
    plans.apply_search()
    assert plans.model.rowCount() == 1
    plans.search.setText("no such plan <&>")
    plans.apply_search()
    assert plans.stack.currentWidget() is plans.empty
    assert "no such plan <&>" in plans.empty.text()


def test_empty_area_says_why(window: MainWindow) -> None:
    window.show_area("incidents")
    page = window.page("incidents")
    assert isinstance(page, AreaPage)
    incidents = page.current_list()
    assert incidents.model.rowCount() == 0
    assert incidents.stack.currentWidget() is incidents.empty
    assert "No incidents recorded" in incidents.empty.text()


def test_marking_a_reminder_done_removes_it(window: MainWindow) -> None:
    card = window.dashboard.reminders
    before = card.list.count()
    card.list.setCurrentRow(0)
    assert window.dashboard.done_button.isEnabled()
    window.dashboard.done_button.click()
    assert card.list.count() == before - 1


def test_find_shortcut_focuses_the_search_box(window: MainWindow, qtbot) -> None:
    window.show_area("team")
    window.activateWindow()
    window.actions_by_id["find"].trigger()
    page = window.page("team")
    assert isinstance(page, AreaPage)
    assert QApplication.focusWidget() is page.current_list().search or page.current_list().search.hasFocus()


def test_window_state_and_area_are_remembered(qtbot, demo_world) -> None:
    first = MainWindow(demo_world.services)
    qtbot.addWidget(first)
    first.show()
    first.resize(1111, 777)
    first.show_area("reviews")
    geometry = first.saveGeometry()
    first.close()
    # the offscreen screen is too small to restore the size itself; the stored geometry must match
    assert settings.UiState.load("main_geometry") == geometry
    second = MainWindow(demo_world.services)
    qtbot.addWidget(second)
    second.show()
    assert second.area() == "reviews"



def test_status_bar_names_the_user_and_the_database(window: MainWindow, demo_world) -> None:
    texts = [w.text() for w in window.statusBar().findChildren(QLabel)]
    assert any("zhao" in t and "Administrator" in t for t in texts)
    assert any(demo_world.db.display_url in t for t in texts)
