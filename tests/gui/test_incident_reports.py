"""The reports dialog of a real incident (issue 11), by keyboard: Ctrl+N drafts the initial report from the log,
its words edited and saved with Ctrl+S (text with <, &, quotes and 10,000 characters stored and shown exactly),
Ctrl+P saves the PDF (its text read back), Ctrl+I issues it after asking (numbered, frozen: no longer editable),
the list shows due and issued times in port time; Esc asks about unsaved words."""

from __future__ import annotations

from helpers.console_ui import release_modifiers
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from drillapp.models.enums import IncidentReportStatus, ReportKind
from drillapp.ui.incidents.reports import ReportsDialog, open_reports

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
TRICKY = '<b>泄漏 & "quoted" \'single\'</b>'


def _chord(qtbot, widget, key, mods=CTRL) -> None:
    qtbot.keyClick(widget, key, mods)
    release_modifiers(qtbot, widget)


def _open(qtbot, window, services, incident_id) -> ReportsDialog:
    dialog = open_reports(window, services, incident_id)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def test_draft_edit_save_print_issue_by_keyboard(qtbot, window, demo_world, monkeypatch, tmp_path):
    services = demo_world.services
    incidents = services.incidents
    incident_id = incidents.open_incident(None, "货运通道危化品泄漏 <A&B>", location="货运通道3号")
    dialog = _open(qtbot, window, services, incident_id)
    assert dialog.empty.isVisible() and dialog.table.rowCount() == 1, "only the initial report, owed"
    assert dialog.table.item(0, 2).text().startswith("Not drafted yet")
    assert not dialog.save_action.isEnabled() and "Ctrl+N" in dialog.draft_action.toolTip()

    _chord(qtbot, dialog, K.Key_N)
    report = incidents.snapshot(incident_id).reports[0]
    assert report.kind is ReportKind.INITIAL and report.status is IncidentReportStatus.DRAFT
    assert dialog.form.report is not None and dialog.form.report.id == report.id and dialog.form.editable
    assert "货运通道3号" in dialog.form.editors["place"].text(), "drafted from the incident"
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 2).text().startswith("Draft")

    long_text = (TRICKY + "\n") * 300
    long_text = long_text + "x" * (10_000 - len(long_text))
    nature = dialog.form.editors["casualties"]
    nature.setFocus()
    nature.setPlainText(long_text[:-3])
    _chord(qtbot, nature, K.Key_End)
    qtbot.keyClicks(nature, "xxx")
    assert dialog.form.dirty()
    qtbot.keyClicks(dialog.form.editors["reporter"], "Duty <officer> & \"Li\"")
    _chord(qtbot, dialog, K.Key_S)
    stored = incidents.snapshot(incident_id).reports[0]
    assert stored.field("casualties") == long_text.strip() and len(long_text) == 10_000
    assert stored.field("reporter").endswith("Duty <officer> & \"Li\"")
    assert not dialog.form.dirty() and dialog.form.editors["casualties"].toPlainText() == long_text.strip()
    assert dialog.message.text() == "Saved."

    pdf = tmp_path / "initial.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), "PDF (*.pdf)"))
    _chord(qtbot, dialog, K.Key_P)
    assert dialog.last_pdf == pdf and pdf.exists()
    text = "".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert "DRAFT" in text and '<b>泄漏 & "quoted" \'single\'</b>' in text
    assert text.count("quoted") == 300 and "Duty <officer> & \"Li\"" in text

    asked: list[str] = []

    def yes(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    _chord(qtbot, dialog, K.Key_I)
    assert asked and "can no longer be changed" in asked[0]
    issued = incidents.snapshot(incident_id).reports[0]
    assert issued.status is IncidentReportStatus.ISSUED and issued.number == 1
    assert dialog.table.item(0, 1).text() == "1" and dialog.table.item(0, 2).text().startswith("Issued")
    assert dialog.table.item(0, 4).text() != "—", "the issue time, in port time"
    assert not dialog.form.editable and not dialog.save_action.isEnabled() and not dialog.issue_action.isEnabled()
    editor = dialog.form.editors["place"]
    assert editor.isReadOnly()
    before = editor.text()
    editor.setFocus()
    qtbot.keyClicks(editor, "changed")
    _chord(qtbot, dialog, K.Key_S)
    assert editor.text() == before and incidents.snapshot(incident_id).reports[0].field("place") == before
    assert "frozen" in dialog.state.text()

    qtbot.keyClick(dialog, K.Key_Escape)
    assert not dialog.isVisible()


def test_escape_asks_about_unsaved_words(qtbot, window, demo_world, monkeypatch):
    services = demo_world.services
    incident_id = services.incidents.open_incident(None, "旅客突发疾病")
    services.incidents.draft_report(incident_id, ReportKind.INITIAL)
    dialog = _open(qtbot, window, services, incident_id)
    assert dialog.form.editable, "opened on the newest report"
    dialog.form.editors["place"].setFocus()
    qtbot.keyClicks(dialog.form.editors["place"], " gate 2")
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    qtbot.keyClick(dialog, K.Key_Escape)
    assert dialog.isVisible() and dialog.form.dirty(), "Cancel: stays, with the words"
    qtbot.keyClick(dialog, K.Key_Escape)
    assert not dialog.isVisible() and not answers
    assert services.incidents.snapshot(incident_id).reports[0].field("place") == ""


def test_ctrl_r_at_the_console_opens_the_incidents_reports(qtbot, window, demo_world):
    from helpers.console_ui import activate

    services = demo_world.services
    incident_id = services.incidents.open_incident(None, "车辆起火")
    window.incident_desk.open_incident(incident_id)
    console = window.incident_desk.consoles[incident_id]
    qtbot.waitExposed(console)
    qtbot.waitUntil(lambda: console.snapshot is not None)
    activate(qtbot, console)
    _chord(qtbot, console.checklist, K.Key_R)
    dialogs = console.findChildren(ReportsDialog)
    assert len(dialogs) == 1 and dialogs[0].incident_id == incident_id and dialogs[0].isVisible()
    assert dialogs[0].table.rowCount() == 1 and dialogs[0].table.lines[0].kind is ReportKind.INITIAL
    activate(qtbot, console)
    _chord(qtbot, console.checklist, K.Key_R)
    assert console.findChildren(ReportsDialog) == dialogs, "the one open already, brought forward"
    dialogs[0].close()


def test_a_draft_saved_meanwhile_at_another_desk_offers_a_reload(qtbot, window, demo_world, monkeypatch):
    from drillapp.models import IncidentReport
    from drillapp.ui.incidents import reports as reports_module

    services = demo_world.services
    incidents = services.incidents
    incident_id = incidents.open_incident(None, "车辆起火")
    report_id = incidents.draft_report(incident_id, ReportKind.INITIAL)
    dialog = _open(qtbot, window, services, incident_id)
    incidents.update_report(report_id, expected_version=incidents.version_of(IncidentReport, report_id),
                            place="另一工作台写的地点")  # another desk, not announced here
    asked: list[str] = []

    def reload(exc, history, entity, entity_id, parent):
        asked.append(f"{entity}:{entity_id}")
        return True

    monkeypatch.setattr(reports_module, "ask_reload", reload)
    place = dialog.form.editors["place"]
    place.setFocus()
    qtbot.keyClicks(place, "mine")
    _chord(qtbot, dialog, K.Key_S)
    assert asked == [f"incident_report:{report_id}"]
    assert place.text() == "另一工作台写的地点" and not dialog.form.dirty(), "theirs, reloaded"
    assert incidents.snapshot(incident_id).reports[0].field("place") == "另一工作台写的地点"


def test_f5_shows_a_report_drafted_elsewhere_and_marks_the_overdue_one(qtbot, window, demo_world, demo_clock):
    from drillapp.clock import to_local

    services = demo_world.services
    incidents = services.incidents
    incident_id = incidents.open_incident(None, "查验区旅客冲突")
    dialog = _open(qtbot, window, services, incident_id)
    line = dialog.table.lines[0]
    assert line.report is None and line.due_at is not None and "OVERDUE" not in dialog.table.item(0, 2).text()
    zone = incidents.snapshot(incident_id).port_zone
    assert dialog.table.item(0, 3).text() == to_local(line.due_at, zone).strftime("%Y-%m-%d %H:%M"), "port time"

    report_id = incidents.draft_report(incident_id, ReportKind.INITIAL)  # at another desk, meanwhile
    demo_clock.advance(minutes=int((line.due_at - demo_clock()).total_seconds() // 60) + 5)
    _chord(qtbot, dialog, K.Key_F5, Qt.KeyboardModifier.NoModifier)
    qtbot.waitUntil(lambda: dialog.table.lines[0].report is not None)
    assert dialog.table.lines[0].report.id == report_id
    status = dialog.table.item(0, 2)
    assert status.text() == "Draft · OVERDUE"
    assert status.foreground().color().name() == "#9b1c1c", "an overdue line in red"
    assert dialog.table.item(0, 4).text() == "—", "not issued"
    dialog.close()


def test_after_the_stand_down_ctrl_n_drafts_the_final_report_and_nothing_after_it(qtbot, window, demo_world,
                                                                                  monkeypatch):
    services = demo_world.services
    incidents = services.incidents
    incident_id = incidents.open_incident(None, "旅检通道停电", location="旅检大厅")
    incidents.stand_down(incident_id, "供电恢复，通关恢复正常")
    dialog = _open(qtbot, window, services, incident_id)
    assert dialog.next_kind() is ReportKind.FINAL and dialog.draft_action.isEnabled()
    _chord(qtbot, dialog, K.Key_N)
    final = incidents.snapshot(incident_id).reports[-1]
    assert final.kind is ReportKind.FINAL and final.status is IncidentReportStatus.DRAFT
    assert dialog.form.report is not None and dialog.form.report.id == final.id and dialog.form.editable
    count = len(incidents.snapshot(incident_id).reports)
    _chord(qtbot, dialog, K.Key_N)
    assert len(incidents.snapshot(incident_id).reports) == count, "no second draft of it"
    assert "open already" in dialog.message.text() and dialog.form.report.id == final.id

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    _chord(qtbot, dialog, K.Key_I)
    issued = incidents.snapshot(incident_id).reports[-1]
    assert issued.id == final.id and issued.status is IncidentReportStatus.ISSUED and issued.number is not None
    assert dialog.next_kind() is None and not dialog.draft_action.isEnabled(), "the final report closes the list"
    count = len(incidents.snapshot(incident_id).reports)
    _chord(qtbot, dialog, K.Key_N)
    assert len(incidents.snapshot(incident_id).reports) == count
    dialog.close()
