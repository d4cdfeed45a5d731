"""The port calendar settings tab: add, change and remove (after asking) a blocked period; edit and save the
drill reminder lead times."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from drillapp.models.enums import CalendarEntryKind
from drillapp.ui.drills.port_calendar_page import EntryDialog, PortCalendarPage


def _page(window) -> PortCalendarPage:
    window.show_area("drills")
    area = window.page("drills")
    page = area.findChild(PortCalendarPage)
    area.tabs.setCurrentWidget(page)
    page.activate()
    return page


def _names(page: PortCalendarPage) -> list[str]:
    return [page.entries.topLevelItem(i).text(1) for i in range(page.entries.topLevelItemCount())]


def _fill_dialog(qtbot, fill) -> None:
    """Fill the modal dialog once it is up, then press Enter (OK)."""
    def act() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, EntryDialog)
        fill(dialog)
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)

    from PySide6.QtCore import QTimer
    QTimer.singleShot(0, act)


def test_add_change_and_remove_a_blocked_period(window, qtbot, monkeypatch) -> None:
    page = _page(window)
    page.year.setValue(2027)
    cal = window.services.port_calendar

    def new(dialog: EntryDialog) -> None:
        dialog.kind.setCurrentIndex(dialog.kind.findData(CalendarEntryKind.BLOCKED))
        dialog.name.setText("Canton Fair peak")
        dialog.starts.set_value(date(2027, 4, 15))
        dialog.ends.set_value(date(2027, 4, 19))

    _fill_dialog(qtbot, new)
    page.entries.setFocus()
    qtbot.keyClick(page.entries, Qt.Key.Key_Insert)
    made = [e for e in cal.entries() if e.name == "Canton Fair peak"]
    assert len(made) == 1 and made[0].kind is CalendarEntryKind.BLOCKED and len(made[0].days) == 5
    assert "Canton Fair peak" in _names(page)

    row = _names(page).index("Canton Fair peak")
    page.entries.setCurrentItem(page.entries.topLevelItem(row))

    def change(dialog: EntryDialog) -> None:
        assert dialog.name.text() == "Canton Fair peak"
        dialog.ends.set_value(date(2027, 4, 21))

    _fill_dialog(qtbot, change)
    qtbot.keyClick(page.entries, Qt.Key.Key_Return)
    assert next(e for e in cal.entries() if e.name == "Canton Fair peak").ends_on == date(2027, 4, 21)

    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    row = _names(page).index("Canton Fair peak")
    page.entries.setCurrentItem(page.entries.topLevelItem(row))
    qtbot.keyClick(page.entries, Qt.Key.Key_Delete)
    assert asked and "Canton Fair peak" in asked[0]
    assert any(e.name == "Canton Fair peak" for e in cal.entries()), "No keeps it"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.keyClick(page.entries, Qt.Key.Key_Delete)
    assert not any(e.name == "Canton Fair peak" for e in cal.entries())
    assert "Canton Fair peak" not in _names(page)


def test_a_bad_period_is_refused_in_the_dialog(window, qtbot) -> None:
    page = _page(window)
    dialog = EntryDialog(window.services.port_calendar, None, date(2027, 5, 1), page)
    dialog.name.setText("Backwards")
    dialog.ends.set_value(date(2027, 4, 1))
    dialog._try_submit()
    assert dialog.error.text(), "the dialog says what is wrong and stays open"
    assert not any(e.name == "Backwards" for e in window.services.port_calendar.entries())
    dialog.reject()


def test_reminder_lead_times_are_edited_and_saved(window, qtbot) -> None:
    page = _page(window)
    settings = window.services.port_settings
    before = settings.reminder_leads()
    assert page.shown_leads() == before
    assert not page.save_leads_button.isEnabled(), "nothing to save yet"
    page.lead_list.setFocus()
    page.lead_list.setCurrentRow(page.shown_leads().index(min(before)))
    qtbot.keyClick(page.lead_list, Qt.Key.Key_Delete)
    page.lead_amount.setValue(2)
    page.lead_unit.setCurrentIndex(page.lead_unit.findData(60))
    qtbot.mouseClick(page.add_lead_button, Qt.MouseButton.LeftButton)
    expected = tuple(sorted((set(before) - {min(before)}) | {120}, reverse=True))
    assert page.shown_leads() == expected
    assert any("2" in page.lead_list.item(i).text() for i in range(page.lead_list.count()))
    qtbot.keyClick(page.lead_list, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert settings.reminder_leads() == expected
    assert settings.reminder_settings().row_version is not None
    assert not page.save_leads_button.isEnabled()
