"""A tab built when it is first shown: its widget's module (a chart library, say) is imported then, not when
the area is built (issue 15: pyqtgraph alone takes about half a second to import on the GUI thread)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyTab(QWidget):
    """Holds the place of a tab's widget; `activate()` (the area calls it when the tab is shown) builds it with
    `factory(parent)` and passes `activate`, `refresh` and `apply_changes` on to it from then on."""

    def __init__(self, factory: Callable[[QWidget], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factory = factory
        self.widget: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def build(self) -> QWidget:
        if self.widget is None:
            self.widget = self._factory(self)
            self._layout.addWidget(self.widget)
            self.widget.show()  # now, not on the next turn of the event loop (a layout shows a new child queued)
        return self.widget

    @property
    def search(self) -> QWidget | None:
        """The built widget's search field, for the main window's Find (Ctrl+F); None before it is built."""
        return getattr(self.widget, "search", None)

    def activate(self) -> None:
        widget = self.build()
        if hasattr(widget, "activate"):
            widget.activate()

    def refresh(self) -> None:
        if self.widget is not None and hasattr(self.widget, "refresh"):
            self.widget.refresh()

    def apply_changes(self, entities: object) -> None:
        if self.widget is not None and hasattr(self.widget, "apply_changes"):
            self.widget.apply_changes(entities)
