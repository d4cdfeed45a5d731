"""The call-out page in the Team area and the dashboard's on-call panel, driven as a team lead would: start
a test, mark acknowledgements and arrivals with A / R / N on the selected row, end it; the history and the
trend chart follow. The on-call panel shows now and next, prints the call-out list, and says when no
published roster covers now."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers import audit_trail
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from drillapp.clock import FixedClock
from drillapp.i18n import _
from drillapp.models.enums import CalloutStatus
from drillapp.services import Services
from drillapp.services.callouts import describe
from drillapp.ui.main_window import MainWindow
from drillapp.ui.pages.areas import AreaPage
from drillapp.ui.team.callout_page import ARRIVED, CALL_TEAM, MOBILE, NAME, PHONE, STATUS, CalloutPage
from drillapp.ui.team.oncall_panel import OnCallPanel
from drillapp.ui.team.trend_chart import TrendChart, TrendPoint


def callout_page(window: MainWindow) -> CalloutPage:
    window.show_area("team")
    area = window.page("team")
    assert isinstance(area, AreaPage)
    page = area.show_tab(_("Call-out tests"))  # the tests run in either language
    assert isinstance(page, CalloutPage)
    assert page.loaded_once
    return page


def row_of(page: CalloutPage, member_id: int) -> int:
    return next(r for r in range(page.table.rowCount()) if page.selected_member_at(r) == member_id)


def _no_modals(monkeypatch) -> list:
    """Every message box a muster might pop up, recorded instead (the muster must show none)."""
    shown: list = []
    for kind in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda *a, _k=kind, **_kw: shown.append((_k, a)))
    return shown


def _audited(services: Services, operation: str) -> int:
    return sum(e["operation"] == operation for e in audit_trail.entries(services.db))


def test_a_muster_by_keyboard_then_history_and_trend(qtbot, demo_world, monkeypatch):
    clock = FixedClock(demo_world.services.clock())  # the demo's own moment: its roster is on call then
    services = Services(demo_world.db, demo_world.actor, clock)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    page = callout_page(window)
    modals = _no_modals(monkeypatch)
    assert page.history_table.rowCount() == 0 and page.chart.points == []
    assert not page.end_button.isEnabled()

    on_call = services.oncall.current_shift()
    assert on_call is not None and len(on_call.members) >= 4
    page.strength.setValue(2)
    page.announced.setChecked(False)
    page.start_test()
    test_id = page.test.test_id if page.test else None
    assert test_id is not None and page.test is not None
    assert {m.member_id for m in page.test.members} == {m.member_id for m in on_call.members}
    assert page.test.required_strength == 2 and page.end_button.isEnabled() and not page.start_button.isEnabled()
    assert page.timer.isActive()

    # the live table: the members in the order called, with their mobile and office phone
    order = [page.selected_member_at(r) for r in range(page.table.rowCount())]
    assert order == [m.member_id for m in on_call.members]
    for row, member in enumerate(on_call.members):
        assert page.table.item(row, MOBILE).text() == member.mobile and member.mobile
        assert page.table.item(row, PHONE).text() == member.phone and member.phone
        assert page.table.item(row, NAME).text() == member.name
    first, second, third = order[:3]

    # A works down the list like a checklist: each press records the row and moves to the next
    assert page.table.currentRow() == 0 and window.focusWidget() is page.table  # ready for the keys
    clock.advance(minutes=1)
    qtbot.keyClick(page.table, Qt.Key.Key_A)  # first: acknowledged after 1 minute
    assert page.table.currentRow() == 1
    qtbot.keyClick(page.table, Qt.Key.Key_A)  # second
    assert page.table.currentRow() == 2 and _audited(services, "callouts.acknowledge") == 2
    # A again on an acknowledged member: nothing written, no modal, a quiet hint; the list still moves on
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_A)
    assert _audited(services, "callouts.acknowledge") == 2 and modals == []
    name_first = page.table.item(0, NAME).text()
    assert page.hint.text() == f"{name_first} has already acknowledged (1:00)."
    assert window.statusBar().currentMessage() == page.hint.text()
    assert page.table.currentRow() == 1

    clock.advance(minutes=5)
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_R)  # first arrived after 6 minutes
    assert page.hint.text() == ""
    assert "Required strength (2) not reached yet: 1 more to arrive." in page.progress.text()
    clock.advance(minutes=2, seconds=30)
    assert page.table.currentRow() == 1
    qtbot.keyClick(page.table, Qt.Key.Key_R)  # 8.5 minutes: the second of two required
    qtbot.keyClick(page.table, Qt.Key.Key_N)  # the third is a no-show
    assert page.table.currentRow() == 3
    page.table.selectRow(2)
    qtbot.keyClick(page.table, Qt.Key.Key_N)
    assert "is already a no-show" in page.hint.text()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_N)  # the service would refuse it: a hint, not a modal
    assert "has arrived (6:00); not a no-show" in page.hint.text() and modals == []
    assert _audited(services, "callouts.no_show") == 1
    page.tick()
    assert page.clock_label.text() == "08:30"
    assert "Required strength (2) reached after 8:30." in page.progress.text()
    assert "Full team" not in page.progress.text()

    summary = services.callouts.summary(test_id)
    by_member = {m.member_id: m for m in summary.members}
    assert by_member[first].minutes_to_acknowledge == 1.0 and by_member[first].minutes_to_arrive == 6.0
    assert by_member[second].minutes_to_arrive == 8.5 and by_member[third].no_show
    assert summary.minutes_to_required == 8.5
    assert page.table.item(0, ARRIVED).text() == "6:00" and page.table.item(0, STATUS).text() == "arrived"
    assert page.progress.text() == "\n".join(describe(summary))  # exactly the core's facts

    # End test asks first: No keeps the test running, Yes ends it
    asked = []
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *_a: (asked.append(text), next(answers))[1])
    clock.advance(minutes=3)
    qtbot.mouseClick(page.end_button, Qt.MouseButton.LeftButton)
    assert services.callouts.summary(test_id).status is CalloutStatus.RUNNING and page.end_button.isEnabled()
    qtbot.mouseClick(page.end_button, Qt.MouseButton.LeftButton)
    left = len(on_call.members) - 3
    assert f"The {left} member(s) still expected will be recorded as no-shows." in asked[1]
    ended = services.callouts.summary(test_id)
    assert ended.status is CalloutStatus.ENDED and ended.minutes_to_full_team is None
    assert ended.minutes_to_all_who_came == 8.5
    assert f"Not the full team: all who came (2 of {len(order)}) assembled after 8:30." in page.progress.text()
    assert not page.timer.isActive() and page.start_button.isEnabled()
    assert page.history_table.rowCount() == 1
    assert page.history_table.item(0, 3).text() == "8:30" and page.history_table.item(0, 2).text().startswith("2 /")
    assert page.history_table.item(0, 4).text() == "—"  # not the full team
    assert [(p.minutes_to_required, p.minutes_to_full_team) for p in page.chart.points] == [(8.5, None)]
    assert page.chart.series() == {"required": [8.5], "full": [None]}

    # a second test, the whole team, required strength not reached: a gap in the line, a cross on the chart
    clock.advance(days=7)
    page.call_choice.setCurrentIndex(page.call_choice.findData(CALL_TEAM))
    page.strength.setValue(3)
    page.start_test()
    second_test = page.test.test_id if page.test else None
    assert len(services.callouts.summary(second_test).members) > len(on_call.members)
    clock.advance(minutes=4)
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_R)
    page.end_test()
    assert page.history_table.rowCount() == 2
    assert page.chart.series() == {"required": [8.5, None], "full": [None, None]}
    page.chart.resize(500, 300)
    before = page.chart.painted
    assert not page.chart.grab().isNull()
    assert page.chart.painted == before + 1
    assert modals == []


def test_one_no_show_with_everyone_required_reads_the_same_everywhere(qtbot, window, demo_world, monkeypatch):
    """Issue 14 item 6: everyone called is required, one does not come, the others arrive by 0:28: the screen
    says the required strength was not reached and that all who came (not the full team) were in at 0:28."""
    services = demo_world.services
    clock = services.clock
    page = callout_page(window)
    modals = _no_modals(monkeypatch)
    page.start_test()  # the members on call now, everyone required
    assert page.test is not None and page.test.required_strength == page.test.called
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_N)
    for _row in range(1, page.test.called):
        clock.advance(seconds=28 / (page.test.called - 1))  # all in within 0:28 (m:ss)
        qtbot.keyClick(page.table, Qt.Key.Key_R)
    text = page.progress.text()
    n = page.test.called
    assert f"Required strength ({n}) not reached: only {n - 1} arrived." in text
    assert f"Not the full team: all who came ({n - 1} of {n}) assembled after 0:28." in text
    assert "Full team (" not in text and "reached after" not in text
    assert modals == []


def test_a_test_as_part_of_a_live_drill(qtbot, window, demo_world):
    services = demo_world.services
    drill = next(d for d in services.dashboard.load().next_drills)
    run = services.runs.start_run(drill.id, confirm_early=True)
    page = callout_page(window)
    page.refresh()
    index = page.run_choice.findData(run)
    assert index > 0
    page.run_choice.setCurrentIndex(index)
    page.start_test()
    test_id = page.test.test_id if page.test else None
    assert services.callouts.summary(test_id).drill_run_id == run


def test_the_trend_chart_paints_empty_and_full(qtbot):
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(480, 260)
    assert not chart.grab().isNull() and chart.painted == 1  # the empty state
    from datetime import datetime

    start = datetime(2026, 3, 2, 8)
    chart.set_points([TrendPoint(start + timedelta(days=7 * i), v, f) for i, (v, f) in
                      enumerate([(12.0, 15.0), (9.0, 11.5), (None, 20.0), (7.5, 9.0)] * 5)])
    assert not chart.grab().isNull() and chart.painted == 2
    assert chart.y_top() == 20.0
    assert chart.series()["required"][:4] == [12.0, 9.0, None, 7.5]
    # what pyqtgraph draws: no point (a gap in the line) where a test has no value, a cross at the top instead
    plotted = chart.plotted()
    assert plotted["required"][:3] == [(0.0, 12.0), (1.0, 9.0), (3.0, 7.5)]
    assert plotted["missed"][:2] == [(2.0, 20.0), (6.0, 20.0)]
    assert len(plotted["full"]) == 20
    chart.set_points([])
    assert chart.plotted() == {"required": [], "full": [], "missed": []}
    assert chart.stack.currentWidget() is chart.empty


def test_the_trend_legend_is_under_the_chart_not_on_its_data(qtbot):
    """The legend sat in the plot's top right corner, on the lines and on the "not reached" crosses, which
    are drawn at the top (screenshots of issue 10); it is a row under the chart now, listing all three."""
    from datetime import datetime

    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(700, 340)
    chart.show()
    qtbot.waitExposed(chart)
    start = datetime(2026, 7, 7, 1)
    chart.set_points([TrendPoint(start + timedelta(days=30 * i), v, f) for i, (v, f) in
                      enumerate([(35.0, 39.0), (None, None), (29.0, 33.0), (26.0, 30.0), (23.0, 27.0)])])
    plot = chart.plot.getPlotItem()
    legend, data = plot.legend, plot.vb
    qtbot.waitUntil(lambda: legend.sceneBoundingRect().height() > 0)
    assert not legend.sceneBoundingRect().intersects(data.sceneBoundingRect())
    assert legend.sceneBoundingRect().top() >= data.sceneBoundingRect().bottom()
    assert [label.text for _sample, label in legend.items] == ["Required strength", "Full team", "Not reached"]


def test_dashboard_on_call_panel_now_next_and_print(window, demo_world, tmp_path, qtbot):
    panel = window.dashboard.on_call
    assert isinstance(panel, OnCallPanel)
    current = demo_world.services.oncall.current_shift()
    assert panel.current is not None and panel.current.shift_id == current.shift_id
    assert panel.list.count() == len(current.members) and panel.list.isVisibleTo(panel)
    assert not panel.empty.isVisibleTo(panel)
    assert panel.upcoming is not None and panel.next_list.count() == len(panel.upcoming.members)
    first = current.members[0]
    assert first.name in panel.texts()[0] and first.mobile in panel.texts()[0]
    # the demo roster has a squad leader on every shift, and the panel stars them (issue 14 item 7)
    assert sum("★" in text for text in panel.texts()) >= 1
    assert any("★" in panel.next_list.item(i).text() for i in range(panel.next_list.count()))
    with qtbot.waitSignal(panel.printed) as printed:
        panel.print_to(tmp_path / "callout.pdf")
    text = "".join(p.extract_text() for p in PdfReader(printed.args[0]).pages)
    assert first.name in text and first.mobile in text


def test_dashboard_panel_empty_state_without_a_published_roster(qtbot, world):
    window = MainWindow(world.services)
    qtbot.addWidget(window)
    window.show()
    panel = window.dashboard.on_call
    assert isinstance(panel, OnCallPanel)
    assert panel.current is None and panel.list.count() == 0
    assert panel.empty.isVisibleTo(panel) and not panel.list.isVisibleTo(panel)
    assert "no published roster" in panel.empty.text()
    assert not panel.print_button.isEnabled()


def test_print_the_callout_list_of_a_chosen_date_and_shift(window, demo_world, tmp_path, qtbot, monkeypatch):
    """Issue 14 item 8: the panel printed only the shift on call now; a small dialog now asks for the date and
    one of that day's published shifts, the one on call now by default."""
    from datetime import timedelta

    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QFileDialog

    from drillapp.clock import to_local
    from drillapp.ui.team import callout_print_dialog
    from drillapp.ui.team.callout_print_dialog import CalloutPrintDialog

    services = demo_world.services
    panel = window.dashboard.on_call
    current = services.oncall.current_shift()

    # by default: today, the shift on call now (printed as "now")
    dialog = CalloutPrintDialog(services.oncall, panel.port_id, panel)
    qtbot.addWidget(dialog)
    assert dialog.chosen_day() == to_local(services.clock()).date()
    assert dialog.chosen_shift().shift_id == current.shift_id and dialog.chosen_at() is None
    assert "(on call now)" in dialog.shift.currentText()

    # a day without a published shift: said so, and OK cannot be pressed
    dialog.day.setDate(QDate(2030, 1, 1))
    assert dialog.shift.count() == 0 and dialog.empty.text() == "No published shift on this day."
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()

    # the team lead chooses the day after tomorrow: its own shift (from 08:00) is offered first
    later = to_local(services.clock()).date() + timedelta(days=2)
    expected = services.oncall.current_shift(services.clock() + timedelta(days=2))

    def choose(dialog: CalloutPrintDialog) -> int:
        dialog.day.setDate(QDate(later.year, later.month, later.day))
        assert to_local(dialog.chosen_shift().starts_at).date() == later
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(callout_print_dialog.CalloutPrintDialog, "exec", choose)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(tmp_path / "later.pdf"), ""))
    with qtbot.waitSignal(panel.printed) as printed:
        qtbot.mouseClick(panel.print_button, Qt.MouseButton.LeftButton)
    text = "".join(p.extract_text() for p in PdfReader(printed.args[0]).pages)
    assert f"On call at {later.isoformat()} 08:00" in text and "On call now" not in text
    chosen = text[text.index("On call at"):text.index("Next shift")]
    assert all(m.name in chosen for m in expected.members)
    assert not any(m.name in chosen for m in current.members if m.member_id not in
                   {e.member_id for e in expected.members})


def _clock_fits(clock) -> bool:  # noqa: ANN001
    """The clock's text, as its font draws it (advance and ink), lies within the label."""
    metrics, room, text = clock.fontMetrics(), clock.contentsRect(), clock.text()
    ink = metrics.tightBoundingRect(text)
    return (max(metrics.horizontalAdvance(text), ink.right() + 1) <= room.width()
            and metrics.height() <= room.height())


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_big_clock_fits_and_grows_with_the_window(qtbot, demo_world, language):
    """The running test's clock is never clipped, at 1400x900 nor maximised, after 99:59 too, and is bigger in a
    bigger window (it once stayed at twice the UI font whatever the space, and was clipped at 1400x900)."""
    from drillapp import i18n

    i18n.set_language(language)  # the suite's conftest puts English back
    services = demo_world.services
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    page = callout_page(window)
    page.start_test()
    services.clock.advance(minutes=125, seconds=7)
    page.tick()
    clock = page.clock_label
    assert clock.text() == "125:07"
    qtbot.waitUntil(lambda: _clock_fits(clock))
    small = clock.fontMetrics().height()
    assert small >= 2 * page.progress.fontMetrics().height()  # a big clock, read from across the room

    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: clock.fontMetrics().height() > small)
    qtbot.waitUntil(lambda: _clock_fits(clock))
    assert page.table.viewport().height() > 4 * page.table.verticalHeader().defaultSectionSize(), \
        "the members' table keeps its room"


def test_on_call_panel_shows_a_shift_on_its_own_ports_clock(qtbot, demo_world):
    """The incident desk's on-call panel (and the dashboard's under "All ports") shows another port's shifts:
    a 24-hour duty from midnight in Moscow read "05:00 – 05:00", the desk's Shanghai clock."""
    from helpers import builders

    from drillapp.models import OnCallShift, ShiftAssignment
    from drillapp.models.enums import Agency, ShiftKind
    from drillapp.services.context import ServiceBase

    services = demo_world.services
    port = builders.port_in_zone(services, "MSK", "Europe/Moscow", "莫斯科测试口岸")
    member = builders.member(services, port, "伊万", Agency.CUSTOMS)
    midnight = services.clock().replace(hour=21, minute=0) - timedelta(days=1)  # 00:00 in Moscow, UTC+3
    with ServiceBase(services.db, services.actor, services.clock).write("data.load_demo") as s:
        for day in range(2):
            start = midnight + timedelta(days=day)
            s.add(OnCallShift(port_id=port.port_id, kind=ShiftKind.DUTY_24H, starts_at=start, published=True,
                              ends_at=start + timedelta(days=1), assignments=[ShiftAssignment(member_id=member)]))
    panel = OnCallPanel(services.oncall)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded):
        panel.show_port(port.port_id)
    day = midnight + timedelta(hours=3)
    assert panel.now_title.text().endswith(f"{day:%m-%d} 00:00 – {day + timedelta(days=1):%m-%d} 00:00")
    assert panel.next_title.text().endswith(f"{day + timedelta(days=1):%m-%d} 00:00 – "
                                            f"{day + timedelta(days=2):%m-%d} 00:00")


def test_printing_another_ports_call_out_list_reads_its_day_on_its_clock(qtbot, demo_world):
    """Under "All ports" (or at an incident of another port) the print dialog's day is that port's: a day of
    Moscow duties (midnight to midnight there) holds one shift, not the two a Shanghai day overlaps; its
    "today" is Moscow's, and the roster sheet of that day is bounded the same way."""
    from datetime import datetime, time

    from helpers import builders

    from drillapp.clock import from_local, to_local
    from drillapp.models import OnCallShift, ShiftAssignment
    from drillapp.models.enums import Agency, ShiftKind
    from drillapp.services.context import ServiceBase
    from drillapp.ui.team.callout_print_dialog import CalloutPrintDialog

    services = demo_world.services
    port = builders.port_in_zone(services, "MSK", "Europe/Moscow", "莫斯科测试口岸")
    member = builders.member(services, port, "伊万", Agency.CUSTOMS)
    moscow_today = to_local(services.clock(), "Europe/Moscow").date()
    first = from_local(datetime.combine(moscow_today - timedelta(days=2), time(0)), "Europe/Moscow")  # stored UTC
    with ServiceBase(services.db, services.actor, services.clock).write("data.load_demo") as s:
        for day in range(5):
            start = first + timedelta(days=day)
            s.add(OnCallShift(port_id=port.port_id, kind=ShiftKind.DUTY_24H, starts_at=start, published=True,
                              ends_at=start + timedelta(days=1), assignments=[ShiftAssignment(member_id=member)]))

    dialog = CalloutPrintDialog(services.oncall, port.port_id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.shift.count() > 0, timeout=5000)
    assert dialog.zone == "Europe/Moscow"
    assert dialog.chosen_day() == moscow_today
    assert dialog.shift.count() == 1, [dialog.shift.itemText(i) for i in range(dialog.shift.count())]
    assert dialog.chosen_shift().local_start.date() == moscow_today

    sheet = services.oncall.roster_sheet(moscow_today, moscow_today, port.port_id)
    assert [to_local(s.starts_at, "Europe/Moscow").date() for s in sheet.shifts] == [moscow_today]
