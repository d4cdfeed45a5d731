"""An incident (and a drill) seen from a desk on "All ports" (a user not limited to one port): the console's on-call panel and
its Ctrl+Shift+M call-out are the incident's port's, not the port the desk would show by default."""

from __future__ import annotations

from datetime import timedelta

from helpers import builders
from helpers.console_ui import activate, release_modifiers
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from drillapp.models.enums import Agency
from drillapp.services import Services


def test_under_all_ports_the_on_call_panel_and_the_call_out_are_the_incidents_port(qtbot, demo_world, demo_clock,
                                                                                     monkeypatch):
    from drillapp.ui.main_window import MainWindow
    from drillapp.ui.team.callout_page import CalloutPage

    services = demo_world.services
    demo_port = services.scope.id
    assert services.oncall.current_shift(None, demo_port) is not None, "the demo port has someone on call"
    hunchun = builders.port_with_branches(services, "HC", "珲春口岸")  # a second port: no roster yet
    names = ["金哲", "朴英"]
    for name, agency in zip(names, (Agency.BORDER_INSPECTION, Agency.CUSTOMS), strict=True):
        builders.member(services, hunchun, name, agency)
    incident_id = builders.on_port(services, hunchun).incidents.open_incident(hunchun.port_id, "口岸货场火情")

    everywhere = Services(demo_world.db, demo_world.actor, demo_clock)  # the desk on "All ports"
    assert everywhere.scope.all_ports and everywhere.oncall.default_port_id() == demo_port
    window = MainWindow(everywhere)
    qtbot.addWidget(window)
    window.show()
    window.incident_desk.open_incident(incident_id)
    console = window.incident_desk.consoles[incident_id]
    qtbot.waitExposed(console)
    qtbot.waitUntil(lambda: console.on_call.port_id is not None)

    # the panel: Hunchun's shift (nobody on call there), not the demo port's on-call team
    panel = console.on_call
    assert panel.port_id == hunchun.port_id and panel.current is None
    assert panel.list.count() == 0 and not panel.empty.isHidden()

    # Ctrl+Shift+M: Hunchun's whole active team is called out for its incident, into its call-out panel
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    activate(qtbot, console)
    qtbot.keyClick(console.checklist, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    release_modifiers(qtbot, console.checklist)
    assert asked and "the whole active team" in asked[0], asked
    assert console.notice.text() == "", console.notice.text()
    assert sorted(c.name for c in console.snapshot.called) == sorted(names)
    page = console.callout_window
    assert isinstance(page, CalloutPage) and page.port_id == hunchun.port_id
    assert page.test is not None and page.table.rowCount() == len(names)
    console.close()


def test_under_all_ports_a_drills_call_out_panel_is_the_drills_port(qtbot, demo_world, demo_clock, monkeypatch):
    """The drill console's Shift+M opens the call-out panel on the drill's port, not the desk's default."""
    from drillapp.ui.main_window import MainWindow
    from drillapp.ui.team.callout_page import CalloutPage

    services = demo_world.services
    hunchun = builders.port_with_branches(services, "HC", "珲春口岸")
    builders.member(services, hunchun, "金哲", Agency.BORDER_INSPECTION)
    at_hunchun = builders.on_port(services, hunchun)
    drill_id = builders.drill(at_hunchun, hunchun, level=None, starts_in=timedelta(0))
    run_id = at_hunchun.runs.start_run(drill_id, confirm_early=True)

    everywhere = Services(demo_world.db, demo_world.actor, demo_clock)  # the desk on "All ports"
    assert everywhere.scope.all_ports and everywhere.oncall.default_port_id() != hunchun.port_id
    window = MainWindow(everywhere)
    qtbot.addWidget(window)
    window.show()
    window.consoles.open_run(run_id)
    qtbot.waitUntil(lambda: run_id in window.consoles.consoles)
    console = window.consoles.consoles[run_id]
    qtbot.waitExposed(console)

    page = console.open_muster()
    assert isinstance(page, CalloutPage)
    qtbot.waitUntil(lambda: page.port_id is not None)
    assert page.fixed_port_id == hunchun.port_id and page.port_id == hunchun.port_id
    page.close()
    console.close()
