"""The incident console's header: the drill console's clock header in red with the REAL / 实战 band, the
port's number, the level, the time since the alarm and the countdown to the next report owed."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from drillapp.i18n import _
from drillapp.labels import label, level_label
from drillapp.services.incident_console import IncidentView
from drillapp.ui.console.formatting import countdown, hms, local_hm
from drillapp.ui.console.header import ClockHeader
from drillapp.ui.incidents.activate import REAL_MARK

RED_BAND = (
    "#consoleHeader { background: #8e1b1b; border-radius: 6px; border: 3px solid #ff5252; }"
    "#consoleHeader QLabel { color: #ffffff; }"
    "#consoleHeader QLabel#drillBanner { background: #ffffff; color: #b71c1c; font-weight: bold; padding: 4px 14px;"
    " border-radius: 4px; }"
    "#consoleHeader QLabel#scenarioClock[late=\"true\"] { color: #ffeb3b; font-weight: bold; }"
    "#consoleHeader QLabel#clockState[paused=\"true\"] { color: #ffeb3b; font-weight: bold; }")


def incident_subtitle(view: IncidentView) -> str:
    snap = view.snapshot
    parts = [level_label(snap.level) if snap.level is not None else _("No level")]
    if snap.plan_code:
        plan = f"{snap.plan_code} {snap.plan_title}"
        if snap.plan_version is not None:
            plan += " " + _("(version {version})").format(version=snap.plan_version)
        parts.append(plan)
    else:
        parts.append(_("No plan: generic checklist"))
    if snap.location:
        parts.append(snap.location)
    return "  ·  ".join(parts)


class IncidentHeader(ClockHeader):
    """Set with `set_incident(view)` (the drill's `set_view` takes a drill run)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, banner=REAL_MARK)
        self.setObjectName("consoleHeader")
        self.setProperty("real", True)
        self.setStyleSheet(RED_BAND)
        self.banner.setToolTip(_("A real incident, not a drill"))

    def set_incident(self, view: IncidentView) -> None:
        snap = view.snapshot
        self.title.setText(f"{snap.number}  {snap.title}")
        self.subtitle.setText(incident_subtitle(view))
        self.elapsed.setText(hms(view.elapsed_seconds))
        report, left = view.next_report, view.report_remaining_seconds
        late = left is not None and left < 0
        if report is None:
            text = _("No report is owed now") if snap.active else _("All reports issued")
        elif left is None:
            text = _("{kind} owed").format(kind=label(report.kind))
        elif late:
            text = _("{kind} overdue by {time}").format(kind=label(report.kind), time=countdown(-left))
        else:
            text = _("{kind} due in {time}").format(kind=label(report.kind), time=countdown(left))
        self.scenario.setText(text)
        self._mark(self.scenario, "late", late)
        if snap.closed_at is not None:
            state = _("Alarm {alarm} · stood down at {time}").format(alarm=local_hm(snap.alarm_at, snap.port_zone),
                                                                     time=local_hm(snap.closed_at, snap.port_zone))
        else:
            state = _("Alarm at {time} · time since the alarm").format(time=local_hm(snap.alarm_at, snap.port_zone))
        self.state.setText(state)
        self._mark(self.state, "paused", snap.closed_at is not None)
        self.counts.setText(_("{done} of {total} required done · {open} open · {late} late").format(
            done=view.done, total=view.done + view.open, open=view.open, late=view.late))

    def _mark(self, widget: QLabel, name: str, value: bool) -> None:
        if widget.property(name) != value:
            widget.setProperty(name, value)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
