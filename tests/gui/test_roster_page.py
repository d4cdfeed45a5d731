"""The Roster tab driven as the team lead does: a new period, solve, a hand edit checked live and undone,
publish, a swap asked for and approved; and the explanation when no roster can meet the rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers import builders
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox

from drillapp.models.enums import Agency, RosterStatus, ShiftKind
from drillapp.ui.roster import roster_page as page_module
from drillapp.ui.roster import rules_dialog, swap_dialog

START = date(2027, 4, 5)  # a Monday


def _team(services, korean: int = 1) -> builders.PortIds:
    port = builders.port_with_branches(services)
    services.team.create_skill("KO", "朝鲜语", "Korean")
    for i, agency in enumerate(Agency):
        for k in range(2):
            member = builders.member(services, port, f"{agency.value[:3]}{k} <&>", agency)
            if i * 2 + k < korean:
                services.team.set_member_skill(member, "KO", expected_version=builders.member_skill_version(services.team, member, "KO"))
    return port


def _new_period(page, qtbot, monkeypatch, headcount: int, korean_needed: int = 0) -> None:
    def fill_and_submit(dialog: rules_dialog.PeriodDialog) -> int:
        dialog.name.setText("四月第一周")
        dialog.starts.setDate(QDate(START.year, START.month, START.day))
        end = START + timedelta(days=6)
        dialog.ends.setDate(QDate(end.year, end.month, end.day))
        dialog.headcount_day.setValue(headcount)
        dialog.limits["rest_after_duty"].setValue(1)
        dialog.skill_spin("KO").setValue(korean_needed)
        dialog._try_submit()
        return dialog.result()

    monkeypatch.setattr(rules_dialog.PeriodDialog, "exec", fill_and_submit)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)


@pytest.fixture
def page(qtbot, world):
    widget = page_module.RosterPage(world.services.roster, world.services.oncall, world.services.scope)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.activate()
    return widget


def _cell(page, member_id: int, day: date):
    row = next(r for r, m in enumerate(page.model.rows) if m.id == member_id)
    return page.model.index(row, (day - START).days)


def test_solve_edit_undo_publish_and_swap_through_the_widgets(page, world, qtbot, monkeypatch, tmp_path) -> None:
    services = world.services
    _team(services)
    page.reload_periods()
    assert page.empty.isVisibleTo(page) and "New period" in page.empty.text()
    assert not page.table.isVisibleTo(page)

    _new_period(page, qtbot, monkeypatch, headcount=2)
    assert page.period().name == "四月第一周" and page.solve_button.isEnabled()
    assert "no roster yet" in page.progress_label.text()

    # a wish before solving: the first member wishes to be off on day 0 (key O), shown as ○
    wisher = page.model.rows[0].id
    page.table.setCurrentIndex(_cell(page, wisher, START))
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_O)
    assert _cell(page, wisher, START).data() == "○"
    assert [(w.member_id, w.day, w.wants_on) for w in services.roster.preferences(page.period().id)] == [
        (wisher, START, False)]

    page.time_limit.setValue(10)
    qtbot.mouseClick(page.solve_button, Qt.MouseButton.LeftButton)
    assert wisher not in page.grid.cell(START, ShiftKind.DUTY_24H).member_ids  # the wish was honoured
    assert page.table.isVisibleTo(page)
    totals = len(page.model.rows)
    assert [page.model.index(totals, c).data() for c in range(7)] == ["2/2"] * 7
    assert page.problems.item(0).text() == "The roster meets every hard rule."
    assert "<&>" in page.model.headerData(0, Qt.Orientation.Vertical)

    _painted_as_data_says(page)

    # a hand edit: take someone off day 0 (Space), the grid and the problems show the shortfall at once
    grid = page.grid
    member_a = grid.cell(START, ShiftKind.DUTY_24H).member_ids[0]
    page.table.setCurrentIndex(_cell(page, member_a, START))
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert page.model.index(totals, 0).data() == "1/2"
    assert any(START.strftime("%-d") in page.problems.item(i).text() for i in range(page.problems.count()))
    assert not page.model.index(totals, 0).data() == "2/2"
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.model.index(totals, 0).data() == "2/2"
    assert page.problems.item(0).text() == "The roster meets every hard rule."

    # publish (confirmed), then editing is replaced by swaps
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(page.publish_button, Qt.MouseButton.LeftButton)
    assert page.period().status is RosterStatus.PUBLISHED
    assert not page.solve_button.isEnabled() and page.swap_button.isEnabled()

    # member A hands day 0 to a member free on days 0 and 1 (so the rest rule holds)
    busy = {m for d in (0, 1) for m in page.grid.cell(START + timedelta(days=d), ShiftKind.DUTY_24H).member_ids}
    member_b = next(m for m in page.grid.members if m not in busy)

    def choose_and_submit(dialog: swap_dialog.SwapDialog) -> int:
        dialog.other.setCurrentIndex(dialog.other.findData(member_b))
        dialog.in_return.setCurrentIndex(0)  # a give-away
        dialog.reason.setPlainText("家中有事 & 调班")
        dialog._try_submit()
        return dialog.result()

    monkeypatch.setattr(swap_dialog.SwapDialog, "exec", choose_and_submit)
    page.table.setCurrentIndex(_cell(page, member_a, START))
    qtbot.mouseClick(page.swap_button, Qt.MouseButton.LeftButton)
    assert page.swaps.table.rowCount() == 1
    assert page.swaps.table.item(0, 4).text() == "Requested"
    page.swaps.table.selectRow(0)
    qtbot.mouseClick(page.swaps.approve_button, Qt.MouseButton.LeftButton)
    on_day0 = page.grid.cell(START, ShiftKind.DUTY_24H).member_ids
    assert member_b in on_day0 and member_a not in on_day0
    assert page.swaps.table.item(0, 4).text() == "Approved"
    assert not page.swaps.approve_button.isEnabled()

    # print: with a member's cell selected, that member's duties (Yes); from the totals row, the whole grid
    from pypdf import PdfReader
    from PySide6.QtWidgets import QFileDialog

    targets = iter([tmp_path / "member.pdf", tmp_path / "grid.pdf"])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(next(targets)), ""))
    page.table.setCurrentIndex(_cell(page, member_b, START))
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    page.table.setCurrentIndex(page.model.index(len(page.model.rows), 0))
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    duties = "".join(p.extract_text() for p in PdfReader(tmp_path / "member.pdf").pages)
    grid_text = "".join(p.extract_text() for p in PdfReader(tmp_path / "grid.pdf").pages)
    name_b = page.grid.members[member_b].name
    assert name_b in duties and "2027-04-05" in duties
    assert name_b in grid_text and page.grid.members[member_a].name in grid_text


def test_an_impossible_roster_says_which_requirement_fails_on_which_day(page, world, qtbot, monkeypatch) -> None:
    _team(world.services, korean=1)
    page.reload_periods()
    _new_period(page, qtbot, monkeypatch, headcount=2, korean_needed=2)
    qtbot.mouseClick(page.solve_button, Qt.MouseButton.LeftButton)
    assert page.progress_label.text() == "No roster meets every requirement. Why:"
    texts = [page.problems.item(i).text() for i in range(page.problems.count())]
    assert any("Korean" in t and "5 April" in t and "1" in t for t in texts), texts
    assert not page.grid.cells  # nothing was saved

    # the team lead gives up on this period: deleting asks first (No keeps it), then removes it
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: next(answers))
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert page.periods.count() == 1
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert page.periods.count() == 0 and page.period() is None and page.empty.isVisibleTo(page)
    assert world.services.roster.periods(world.services.org.ports()[0].id) == []


def test_solving_runs_in_a_thread_shows_progress_and_stop_keeps_the_best_roster(page, world, qtbot, monkeypatch) -> None:
    """The real path, not the inline one the other GUI tests use: the solver thread reports progress through
    queued signals, the window stays responsive, and Stop ends the search with the best roster saved."""
    from drillapp.ui import workers

    monkeypatch.setattr(workers, "SYNCHRONOUS", False)
    services = world.services
    port = builders.port_with_branches(services)
    for agency in Agency:
        for k in range(8):
            builders.member(services, port, f"{agency.value[:3]}{k}", agency)
    page.reload_periods()

    def fill_and_submit(dialog: rules_dialog.PeriodDialog) -> int:
        dialog.name.setText("一个季度")
        dialog.starts.setDate(QDate(2027, 1, 4))
        dialog.ends.setDate(QDate(2027, 3, 28))
        dialog.headcount_day.setValue(6)
        dialog.limits["min_per_branch"].setValue(1)
        dialog.limits["max_per_week"].setValue(2)
        dialog._try_submit()
        return dialog.result()

    monkeypatch.setattr(rules_dialog.PeriodDialog, "exec", fill_and_submit)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.period() is not None and page.solve_button.isEnabled(), timeout=10_000)
    page.time_limit.setValue(300)
    seen = []
    page.runner.progressed.connect(seen.append)
    qtbot.mouseClick(page.solve_button, Qt.MouseButton.LeftButton)
    assert page.runner.running and page.stop_button.isEnabled() and not page.solve_button.isEnabled()
    qtbot.waitUntil(lambda: any(p.objective is not None for p in seen), timeout=60_000)
    assert "best so far" in page.progress_label.text()
    with qtbot.waitSignal(page.runner.finished, timeout=30_000):
        qtbot.keyClick(page, Qt.Key.Key_Escape)
    assert not page.runner.running and page.solve_button.isEnabled()
    qtbot.waitUntil(lambda: page.period().solver_status == "STOPPED", timeout=10_000)  # read again off the thread
    assert len(page.grid.cells) == 84 and not page.grid.violations
    assert page.progress_label.text().startswith("Roster arranged in")


def test_the_fairness_table_beside_the_grid_answers_why_me_again(page, world, qtbot, monkeypatch) -> None:
    """Issue 14 item 9: beside the grid, row for row, each member's duties and weekends in this period and in
    the 90 days before, and the fair share; the spread under the grid; hovering says why, in words."""
    from PySide6.QtCore import QPoint
    from test_roster_fairness import put_shift

    from drillapp.services.roster_fairness import cell_text, explain, spread_text

    services = world.services
    port = _team(services)
    page.reload_periods()
    _new_period(page, qtbot, monkeypatch, headcount=2)
    assert not page.fair_table.isVisibleTo(page)  # nothing to weigh before the first solve
    busy = page.model.rows[0]
    for weeks in range(1, 6):  # five duties in the weeks before the period
        put_shift(services, port.port_id, START - timedelta(days=7 * weeks), ShiftKind.DUTY_24H, [busy.id],
                  period_id=None, published=True)
    page.time_limit.setValue(10)
    qtbot.mouseClick(page.solve_button, Qt.MouseButton.LeftButton)
    table = page.grid.fairness
    assert page.fair_table.isVisibleTo(page) and table is not None
    model, fair = page.model, page.fair_model
    assert fair.rowCount() == model.rowCount() == len(model.rows) + 1
    assert [fair.headerData(c, Qt.Orientation.Horizontal).replace("\n", " ") for c in range(fair.columnCount())] == [
        "Duties this period", "Duties 90 d before", "Duties fair share",
        "Weekends this period", "Weekends 90 d before", "Weekends fair share"]
    for r, member in enumerate(model.rows):
        on_duty = sum(model.index(r, c).data() not in ("", None) for c in range(model.columnCount()))
        row = table.row(member.id)
        assert fair.index(r, 0).data() == str(on_duty) == str(row.period.duties)  # the grid's own count
        assert [fair.index(r, c).data() for c in range(fair.columnCount())] == [
            cell_text(row, k, part) for k, part in table.columns()]
    r_busy = next(r for r, m in enumerate(model.rows) if m.id == busy.id)
    assert fair.index(r_busy, 1).data() == "5"  # the five duties before
    # shared evenly: (14 now + 5 before) / 8 = 2.375 each, and the busy member has done more than that already
    assert fair.index(r_busy, 2).data() == "0.0"
    others = [fair.index(r, 2).data() for r in range(len(model.rows)) if r != r_busy]
    assert set(others) == {"2.4"}
    why = fair.index(r_busy, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert why == explain(table, busy.id) and "5 in the 90 days before" in why
    assert explain(table, busy.id) in model.headerData(r_busy, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)
    spread_row = len(model.rows)
    assert fair.index(spread_row, 0).data() == str(table.spread_period["duties"])
    assert page.fairness_summary.text().startswith(spread_text(table))
    assert "Spread, most − fewest (with the 90 days before): duties" in page.fairness_summary.text()

    # row for row: the same header height, the same row positions, scrolled and selected together
    page.resize(1200, 420)
    qtbot.waitUntil(lambda: page.table.verticalScrollBar().maximum() > 0)  # the grid now scrolls
    assert page.table.horizontalHeader().height() == page.fair_table.horizontalHeader().height()
    assert (page.table.viewport().mapTo(page, QPoint(0, 0)).y()
            == page.fair_table.viewport().mapTo(page, QPoint(0, 0)).y())
    page.table.scrollToBottom()
    assert page.fair_table.verticalScrollBar().value() == page.table.verticalScrollBar().value() > 0
    for r in (r_busy, spread_row):
        assert (page.table.visualRect(model.index(r, 0)).top()
                == page.fair_table.visualRect(fair.index(r, 0)).top())
    page.table.setCurrentIndex(model.index(3, 2))
    assert page.fair_table.selectionModel().isRowSelected(3)
    page.filter.setText(busy.name)  # the filter narrows both
    assert fair.rowCount() == model.rowCount() == 2 and fair.index(0, 1).data() == "5"


def test_a_solve_for_a_large_team_leaves_the_gui_thread_free_and_fills_the_grid(page, world, qtbot, monkeypatch) -> None:
    """Issue 15: the solve runs off the GUI thread and showing its roster is cheap, so a timer on the GUI thread
    keeps firing throughout (the fairness table beside the grid is sized from a sample of rows, not all)."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtGui import QFontMetrics

    from drillapp.ui import workers

    monkeypatch.setattr(workers, "SYNCHRONOUS", False)
    services = world.services
    port = _team(services)
    for agency in Agency:
        for k in range(58):
            builders.member(services, port, f"{agency.value[:3]}+{k}", agency)
    page.reload_periods()
    _new_period(page, qtbot, monkeypatch, headcount=6)
    qtbot.waitUntil(lambda: page.period() is not None and page.solve_button.isEnabled(), timeout=10_000)

    clock, beats, gaps = QElapsedTimer(), [], []
    timer = QTimer(page)
    timer.setInterval(10)

    def beat() -> None:
        now = clock.elapsed()
        if beats:
            gaps.append(now - beats[-1])
        beats.append(now)

    timer.timeout.connect(beat)
    clock.start()
    timer.start()
    page.time_limit.setValue(15)  # the best roster is proved in ~2 s; room for a busy machine (CI, two suites)
    with qtbot.waitSignal(page.runner.finished, timeout=60_000):
        qtbot.keyClick(page, Qt.Key.Key_F9)
        assert page.runner.running and page.progress.isVisible()
    qtbot.waitUntil(lambda: page.grid is not None and bool(page.grid.cells), timeout=10_000)
    after = len(beats)
    qtbot.waitUntil(lambda: len(beats) >= after + 5, timeout=10_000)  # the beats go on once the grid is shown
    timer.stop()
    assert len(page.grid.cells) == 7 and page.model.rowCount() == len(page.model.rows) + 1 == 241
    assert page.model.index(len(page.model.rows), 0).data() == "6/6"
    # painting asks each cell's roles in one call (multiData, ui/multi_data.py); what it answers is data()'s
    from PySide6.QtCore import QModelRoleData

    asked = QModelRoleData(Qt.ItemDataRole.DisplayRole)
    page.model.multiData(page.model.index(len(page.model.rows), 0), asked)
    assert asked.data() == "6/6"
    assert not page.table.grab().isNull() and not page.fair_table.grab().isNull()
    assert len(beats) > beats[-1] / 100, "the GUI thread's 10 ms timer kept firing during the solve"
    assert max(gaps) < 1000, f"the GUI thread was blocked for {max(gaps)} ms"
    head = page.fair_table.horizontalHeader()
    metrics = QFontMetrics(head.font())
    for col in range(page.fair_model.columnCount()):  # every column wide enough for its title
        title = str(page.fair_model.headerData(col, Qt.Orientation.Horizontal))
        assert head.sectionSize(col) >= max(metrics.horizontalAdvance(line) for line in title.splitlines())


def test_the_member_column_fits_every_name_and_is_measured_without_asking_each_row(
    page, world, qtbot, monkeypatch
) -> None:
    """Issue 15: Qt sizes a row header by asking the model about 200 rows (the first and last hundred) for their
    text, font, icon and size, each a call into Python, at every reset; the roster grid's header is measured
    from all its labels in one pass instead (ui/measured_header.py), so a long name in the middle fits too."""
    from PySide6.QtGui import QFontMetrics

    from drillapp.ui.roster.grid_model import RosterGridModel, row_label

    services = world.services
    port = _team(services)
    long_name = "欧阳" + "长" * 16 + " & <Ng>"  # wider than the others, narrower than the cap in any font
    for agency in Agency:
        for k in range(55):
            builders.member(services, port, long_name if (agency, k) == (Agency.CUSTOMS, 27) else f"M{k:03}", agency)
    page.reload_periods()
    _new_period(page, qtbot, monkeypatch, headcount=2)
    qtbot.waitUntil(lambda: page.grid is not None and len(page.model.rows) == 228, timeout=10_000)
    middle = next(r for r, m in enumerate(page.model.rows) if m.name == long_name)
    assert 100 <= middle < len(page.model.rows) - 100, "a row Qt's own sampling would not look at"

    asked: list[int] = []
    answer = RosterGridModel.headerData

    def counted(model, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            asked.append(section)
        return answer(model, section, orientation, role)

    monkeypatch.setattr(RosterGridModel, "headerData", counted)
    page.reload()
    qtbot.waitUntil(lambda: page.table.verticalHeader().isVisible())
    page.table.grab()  # painted
    header = page.table.verticalHeader()
    label = row_label(page.model.rows[middle])
    assert header.width() >= QFontMetrics(header.font()).horizontalAdvance(label)
    shown = page.table.viewport().height() // header.defaultSectionSize() + 2
    assert len(set(asked)) <= shown, f"{len(set(asked))} rows asked for their header, {shown} shown"

    header.measure(["长" * 10_000])  # a hostile name: elided at a width that leaves the grid on screen
    assert header.sizeHint().width() <= 480


def _painted_as_data_says(page) -> None:
    """What the painter asks of a cell in one call (the grid model's own multiData) is what data() answers role
    by role: the text, the centring, the fills (a broken rule, a hand edit, a weekend), the bold of a broken cell,
    the tooltip. Checked on the page's grid with a hand edit and a broken rule put in."""
    from dataclasses import replace

    from PySide6.QtCore import QModelRoleData

    from drillapp.roster.check import Violation

    grid = page.grid
    (day, kind), cell = sorted(grid.cells.items())[1]
    member = cell.member_ids[0]
    edited = replace(cell, manual_ids=frozenset({member}))
    broken = Violation("rest", str(member), (day - grid.days[0]).days, kind.value, "规则 <&> 违反")
    page.model.set_grid(replace(grid, cells={**grid.cells, (day, kind): edited}, violations=[broken]),
                        list(page.model.wishes.values()))
    roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.BackgroundRole,
             Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole]
    seen_fills = set()
    for row in range(len(page.model.rows) + 1):
        for column in range(page.model.columnCount()):
            index = page.model.index(row, column)
            for role in roles:
                asked = QModelRoleData(role)
                page.model.multiData(index, asked)
                assert asked.data() == index.data(role), (row, column, role)
                if role == Qt.ItemDataRole.BackgroundRole and asked.data() is not None:
                    seen_fills.add(asked.data().color().name())
    assert {"#f8d0d0", "#eef2f7"} <= seen_fills, "a broken cell's fill and the weekend's were among those checked"
    page.model.set_grid(grid, list(page.model.wishes.values()))
