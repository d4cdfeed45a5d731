"""The tabletop's second screen: what the room sees on the projector — the scenario narrative, scenario time
and the current inject in large type, no controls. The facilitator moves it to the projector's screen and makes
it full-screen (F11 toggles, Escape leaves full screen)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QScreen
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QVBoxLayout, QWidget

from drillapp.i18n import _
from drillapp.services.run_console import TabletopView

TABLETOP_BANNER = "演练 DRILL · 室内推演 TABLETOP"


def _label(parent: QWidget, name: str, factor: float, bold: bool = False) -> QLabel:
    widget = QLabel("", parent)
    widget.setObjectName(name)
    widget.setWordWrap(True)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    font = widget.font()
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    widget.setFont(font)
    return widget


class ProjectorWindow(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setObjectName("projector")
        self.setWindowTitle(_("Projector — tabletop"))
        self.setStyleSheet("#projector { background: #0f2236; } #projector QLabel { color: #f4f4f4; }"
                           "QLabel#projectorBanner { background: #ffcc00; color: #1a1a1a; padding: 6px 18px; }"
                           "#projectorInject { background: #1d3b5a; border-radius: 10px; padding: 18px; }")
        self.banner = _label(self, "projectorBanner", 2.4, bold=True)
        self.banner.setText(TABLETOP_BANNER)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = _label(self, "projectorTitle", 2.6, bold=True)
        self.scenario_time = _label(self, "projectorScenarioTime", 3.6, bold=True)
        self.scenario_time.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.narrative = _label(self, "projectorNarrative", 2.2)
        self.inject_box = QFrame(self)
        self.inject_box.setObjectName("projectorInject")
        self.inject_heading = _label(self.inject_box, "projectorInjectHeading", 2.4, bold=True)
        self.inject = _label(self.inject_box, "projectorInjectText", 4.0)
        self.inject.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        box = QVBoxLayout(self.inject_box)
        box.addWidget(self.inject_heading)
        box.addWidget(self.inject, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        layout.addWidget(self.banner)
        layout.addWidget(self.title)
        layout.addWidget(self.scenario_time)
        layout.addWidget(self.narrative)
        layout.addWidget(self.inject_box, 1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.resize(1280, 720)

    def set_view(self, view: TabletopView) -> None:
        self.title.setText(view.snapshot.drill_title)
        self.scenario_time.setText(_("Scenario time {time}").format(time=view.scenario_time)
                                   if view.scenario_time else "")
        self.narrative.setText(view.narrative)
        step = view.current_step
        if step is None:
            self.inject_heading.setText(_("The scenario"))
            self.inject.setText(_("The exercise begins shortly."))
        else:
            info = step.inject
            heading = _("Inject {n} of {total}").format(n=info.number, total=len(view.steps))
            if info.sender or info.recipient:
                heading += " · " + _("From {sender} to {recipient}").format(sender=info.sender or "—",
                                                                            recipient=info.recipient or "—")
            self.inject_heading.setText(heading)
            self.inject.setText(info.message)

    def show_on(self, screen: QScreen | None = None) -> None:
        """Full-screen on the given screen (by default the one that is not the facilitator's, if any)."""
        if screen is None:
            screens = QApplication.screens()
            parent = self.parentWidget()
            own = parent.screen() if parent is not None else None
            screen = next((s for s in screens if s is not own), screens[0] if screens else None)
        if screen is not None:
            self.setScreen(screen)
            self.move(screen.geometry().topLeft())
        self.showFullScreen()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_F11:
            self.showNormal() if self.isFullScreen() else self.showFullScreen()
        elif event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()
        else:
            super().keyPressEvent(event)
