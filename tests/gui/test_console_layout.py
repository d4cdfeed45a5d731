"""The consoles' tables follow their width: a row is as tall as its wrapped text at the column's width now, not
at the width it had when the run was first read (the console opens maximised after that; the screenshots of
issue 10 showed one-line actions in rows three lines tall)."""

from __future__ import annotations

import pytest
from helpers.console_ui import first_planned
from PySide6.QtWidgets import QStyle

from drillapp.labels import label
from drillapp.models.enums import DrillKind, MarkStatus
from drillapp.ui.console.checklist import ACTION
from drillapp.ui.console.side_panels import CONTACT
from drillapp.ui.console.tabletop import ACTION as EXPECTED_ACTION
from drillapp.ui.console.tabletop import BRANCH, MARK, TabletopConsole
from drillapp.ui.console.window import RunConsole


def _longest(texts: list[str]) -> int:
    return max(range(len(texts)), key=lambda n: len(texts[n]))


def _fits(table, row: int) -> bool:  # noqa: ANN001
    """The row is as tall as its text needs (not less than the table's least row height)."""
    return table.rowHeight(row) == max(table.sizeHintForRow(row), table.verticalHeader().minimumSectionSize())


def test_checklist_rows_refit_when_the_console_widens(qtbot, demo_world, demo_clock):
    services = demo_world.services
    run_id = services.runs.start_run(first_planned(demo_world.db, DrillKind.LIVE), confirm_early=True)
    console = RunConsole(services.runs, services.console, services.reviews, run_id)
    qtbot.addWidget(console)
    console.resize(640, 700)  # the run is read at this width
    console.show()
    qtbot.waitExposed(console)
    table = console.checklist
    row = _longest([v.row.text for v in console.model.items])
    qtbot.waitUntil(lambda: _fits(table, row))
    narrow = table.rowHeight(row)
    narrow_width = table.columnWidth(ACTION)

    console.resize(1800, 900)
    qtbot.waitUntil(lambda: table.columnWidth(ACTION) > narrow_width + 300)
    qtbot.waitUntil(lambda: table.rowHeight(row) < narrow)
    assert _fits(table, row)


def test_expected_actions_refit_when_the_facilitator_console_widens(qtbot, demo_world, demo_clock):
    services = demo_world.services
    run_id = services.runs.start_run(first_planned(demo_world.db, DrillKind.TABLETOP, with_injects=2),
                                     confirm_early=True)
    services.runs.tabletop_advance(run_id)
    console = TabletopConsole(services.runs, services.console, services.reviews, run_id)
    qtbot.addWidget(console)
    console.resize(640, 700)
    console.show()
    qtbot.waitExposed(console)
    table = console.expected
    assert table.rowCount() >= 1
    row = _longest([table.item(r, EXPECTED_ACTION).text() for r in range(table.rowCount())])
    qtbot.waitUntil(lambda: _fits(table, row))
    narrow = table.rowHeight(row)
    narrow_width = table.columnWidth(EXPECTED_ACTION)

    console.resize(1800, 900)
    qtbot.waitUntil(lambda: table.columnWidth(EXPECTED_ACTION) > narrow_width + 300)
    qtbot.waitUntil(lambda: table.rowHeight(row) < narrow)
    assert _fits(table, row)
    # a branch's name on one line ("Inspection & quarantine" wrapped in two), the mark column fits every mark
    metrics = table.fontMetrics()
    assert table.columnWidth(BRANCH) >= max(metrics.horizontalAdvance(table.item(r, BRANCH).text())
                                            for r in range(table.rowCount()))
    assert table.columnWidth(MARK) >= max(metrics.horizontalAdvance(label(s)) for s in MarkStatus)


def test_the_keys_line_names_the_marks_as_the_mark_column_does(qtbot, demo_world, demo_clock):
    """In Chinese the keys line once said 适当 / 差距 where the Mark column said 处置得当 / 缺口."""
    from drillapp import i18n

    i18n.set_language("zh_CN")  # the suite's conftest puts English back
    services = demo_world.services
    run_id = services.runs.start_run(first_planned(demo_world.db, DrillKind.TABLETOP, with_injects=2),
                                     confirm_early=True)
    console = TabletopConsole(services.runs, services.console, services.reviews, run_id)
    qtbot.addWidget(console)
    words = console.keys_help.text()
    for n, status in ((1, MarkStatus.DISCUSSED), (2, MarkStatus.ADEQUATE), (3, MarkStatus.GAP)):
        assert f"{n} {label(status)}" in words
    assert label(MarkStatus.GAP) == "缺口"


def _contacts_fit(table) -> bool:  # noqa: ANN001
    return table.rowCount() > 0 and all(_fits(table, row) for row in range(table.rowCount()))


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("size", [(1400, 900), (1920, 1080)], ids=["1400x900", "maximised"])
def test_every_contacts_column_is_readable(qtbot, demo_world, demo_clock, language, size):
    """The screenshots showed the contacts' last column (the post) cut off at the panel's right edge, with a
    scroll bar under it, at 1400x900 and maximised: every shown column now lies within the panel, no word
    (a phone number, a time) is wider than its column, and each row is as tall as its wrapped text."""
    from drillapp import i18n

    i18n.set_language(language)  # the suite's conftest puts English back
    services = demo_world.services
    run_id = services.runs.start_run(first_planned(demo_world.db, DrillKind.LIVE), confirm_early=True)
    console = RunConsole(services.runs, services.console, services.reviews, run_id)
    qtbot.addWidget(console)
    console.resize(*size)
    console.show()
    qtbot.waitExposed(console)
    table = console.contacts
    qtbot.waitUntil(lambda: table.rowCount() > 0)
    shown = [col for col in range(table.columnCount()) if not table.isColumnHidden(col)]

    def within_the_panel() -> None:
        assert sum(table.columnWidth(col) for col in shown) <= table.viewport().width()
        assert table.horizontalScrollBar().maximum() == 0

    qtbot.waitUntil(within_the_panel)
    qtbot.waitUntil(lambda: _contacts_fit(table))
    metrics = table.fontMetrics()
    margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
    posts = 0
    for row in range(table.rowCount()):
        for col in shown:
            text = table.item(row, col).text()
            posts += col == CONTACT and "\n" in text
            widest = max((metrics.horizontalAdvance(word) for line in text.split("\n") for word in line.split()),
                         default=0)
            assert widest + margin <= table.columnWidth(col), (row, col, text)
    assert posts, "the contacts' posts are shown (under their names)"
