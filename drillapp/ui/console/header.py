"""The console's header: the DRILL / 演练 banner (always on screen), the large elapsed clock, the scenario's
clock when the MSEL gives one, whether the clock runs, and the counts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from drillapp.i18n import _
from drillapp.services.run_view import RunView
from drillapp.ui.console.formatting import hms, local_hm

#: The words that say this is an exercise, in both languages whatever the desk's language.
DRILL_BANNER = "演练  DRILL"


class ClockHeader(QFrame):
    def __init__(self, parent: QWidget | None = None, banner: str = DRILL_BANNER) -> None:
        super().__init__(parent)
        self.setObjectName("consoleHeader")
        self.setStyleSheet(
            "#consoleHeader { background: #17324d; border-radius: 6px; }"
            "#consoleHeader QLabel { color: #ffffff; }"
            "#drillBanner { background: #ffcc00; color: #1a1a1a; font-weight: bold; padding: 4px 14px;"
            " border-radius: 4px; }"
            "#clockState[paused=\"true\"] { color: #ffcc4d; font-weight: bold; }")
        self.banner = QLabel(banner, self)
        self.banner.setObjectName("drillBanner")
        self._scale(self.banner, 1.8)
        self.title = QLabel("", self)
        self.title.setObjectName("runTitle")
        self.title.setWordWrap(True)
        self._scale(self.title, 1.3)
        self.subtitle = QLabel("", self)
        self.subtitle.setObjectName("runSubtitle")
        self.subtitle.setWordWrap(True)
        self.elapsed = QLabel("0:00:00", self)
        self.elapsed.setObjectName("elapsedClock")
        self.elapsed.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._scale(self.elapsed, 3.6, bold=True)
        self.scenario = QLabel("", self)
        self.scenario.setObjectName("scenarioClock")
        self.scenario.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._scale(self.scenario, 1.3)
        self.state = QLabel("", self)
        self.state.setObjectName("clockState")
        self.state.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.counts = QLabel("", self)
        self.counts.setObjectName("counts")

        left = QVBoxLayout()
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner)
        banner_row.addStretch(1)
        left.addLayout(banner_row)
        left.addWidget(self.title)
        left.addWidget(self.subtitle)
        left.addWidget(self.counts)
        right = QVBoxLayout()
        right.addWidget(self.elapsed)
        right.addWidget(self.scenario)
        right.addWidget(self.state)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right)

    @staticmethod
    def _scale(widget: QLabel, factor: float, bold: bool = False) -> None:
        font = widget.font()
        font.setPointSizeF(font.pointSizeF() * factor)
        font.setBold(bold or font.bold())
        widget.setFont(font)

    def set_view(self, view: RunView, subtitle: str) -> None:
        snap, clock = view.snapshot, view.clock
        self.title.setText(snap.drill_title)
        self.subtitle.setText(subtitle)
        self.elapsed.setText(hms(clock.elapsed_seconds))
        self.scenario.setText(_("Scenario time {time}").format(time=clock.scenario_time) if clock.scenario_time
                              else "")
        if clock.ended_at is not None:
            state = _("Ended at {time}").format(time=local_hm(clock.ended_at, snap.port_zone))
        elif clock.paused_since is not None:
            state = _("PAUSED since {time}").format(time=local_hm(clock.paused_since, snap.port_zone))
        else:
            state = _("Started {time} · running").format(time=local_hm(clock.started_at, snap.port_zone))
        self.state.setText(state)
        paused = clock.paused_since is not None
        if self.state.property("paused") != paused:
            self.state.setProperty("paused", paused)
            self.state.style().unpolish(self.state)
            self.state.style().polish(self.state)
        self.counts.setText(_("{done} of {total} done · {open} open · {late} late").format(
            done=view.done, total=len(view.items), open=view.open, late=view.late))
