"""The record areas: a title, a line on what comes here, and tabs of searchable lists.

Commands of an area (New plan…, Import members…) are added by the main window with `add_button`; the
editors still to come (drill console, roster, review forms) will open from these lists the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from drillapp.i18n import N_, _
from drillapp.services.lists import ListService
from drillapp.ui.list_page import ListPage

# area id -> (title, subtitle, [(tab title, list source, empty text)])
AREAS: dict[str, tuple[str, str, list[tuple[str, str, str]]]] = {
    "plans": (N_("Plans"), N_("Joint contingency plans of the four agencies, with their versions."), [
        (N_("Plans"), "plans", N_("No plans yet. Import the port's joint plans, or load the demo port.")),
    ]),
    "drills": (N_("Drills"), N_("The drill programme, and the log of every drill run."), [
        (N_("Drills"), "drills", N_("No drills scheduled yet.")),
        (N_("Run log"), "log", N_("No drill has been run yet, so the log is empty.")),
    ]),
    "team": (N_("Team & Roster"), N_("The rapid-response team: members, squads, skills and on-call duty."), [
        (N_("Members"), "members", N_("No team members yet. Import the volunteers the branches nominated.")),
    ]),
    "incidents": (N_("Incidents"), N_("Real incidents handled under a plan, with their logs."), [
        (N_("Incidents"), "incidents", N_("No incidents recorded. May it stay that way.")),
    ]),
    "reviews": (N_("Reviews"), N_("After-action reviews and the corrective actions they raised."), [
        (N_("Reviews"), "reviews", N_("No after-action reviews yet. A review is made from a finished drill: "
                                      "its hot wash opens it.")),
    ]),  # the corrective-action tracker is a tab of its own (ui/reviews/tracker.py)
}


class AreaPage(QWidget):
    def __init__(self, area: str, lists: ListService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"page_{area}")
        title, subtitle, tabs = AREAS[area]
        heading = QLabel(_(title), self)
        heading.setObjectName("pageTitle")
        intro = QLabel(_(subtitle), self)
        intro.setProperty("muted", True)
        intro.setWordWrap(True)
        self.tabs = QTabWidget(self)
        self.lists: list[ListPage] = []
        for tab_title, source, empty in tabs:
            page = ListPage(lists, source, _(empty), self.tabs)
            self.tabs.addTab(page, _(tab_title))
            self.lists.append(page)
        self.tabs.currentChanged.connect(lambda _i: self.activate())
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(intro, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(self.buttons)
        layout.addWidget(self.tabs, 1)

    def add_button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        """A command of this area, at the top right (e.g. "New plan…")."""
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        self.buttons.addWidget(button)
        return button

    def add_tab(self, widget: QWidget, title: str) -> int:
        """A tab that is not a list (the squad board, the roster, call-out tests). If the widget has
        `activate()` / `refresh()` / `apply_changes(entities)` they are called when the tab is shown, on F5 and
        when records change."""
        return self.tabs.addTab(widget, title)

    def current_list(self) -> ListPage:
        """The list of the current tab, or the first list when the current tab is not a list."""
        current = self.tabs.currentWidget()
        return current if isinstance(current, ListPage) else self.lists[0]

    def show_tab(self, title: str) -> QWidget:
        """Show the tab called `title` (as a click on it does) and return its widget, built if it is built when
        first shown (LazyTab)."""
        from drillapp.ui.pages.lazy_tab import LazyTab

        index = next(i for i in range(self.tabs.count()) if self.tabs.tabText(i) == title)
        self.tabs.setCurrentIndex(index)
        widget = self.tabs.widget(index)
        assert widget is not None  # index is one of the tabs'
        return widget.build() if isinstance(widget, LazyTab) else widget

    def extra_tabs(self) -> list[QWidget]:
        tabs = [self.tabs.widget(i) for i in range(self.tabs.count())]
        return [t for t in tabs if t is not None and not isinstance(t, ListPage)]

    def activate(self) -> None:
        current = self.tabs.currentWidget()
        if isinstance(current, ListPage):
            current.ensure_loaded()
        elif hasattr(current, "activate"):
            current.activate()

    def refresh(self) -> None:
        current = self.tabs.currentWidget()
        if isinstance(current, ListPage):
            current.reload()
        elif hasattr(current, "refresh"):
            current.refresh()
