"""The after-action review of a real incident in the review editor (issue 11): opened from the incident (made if
it has none), a red REAL band over it, the overview in the incident's words, no objectives tab; a drill's review
has no band. The AAR printed from it (Ctrl+P) is marked REAL INCIDENT."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from drillapp.ui.operations import wait_for_all
from drillapp.ui.reviews.editor import REAL_BAND, ReviewEditor


def _stood_down(services) -> int:
    incident = services.incidents.open_incident(None, "旅检大厅旅客突发疾病", location="旅检大厅",
                                                description="一名旅客晕倒")
    services.runs.add_log_entry("120 到场，送医", incident_id=incident)
    services.incidents.stand_down(incident, "旅客已送医，大厅恢复通关")
    return incident


def test_incident_review_shows_the_real_band(qtbot, window, demo_world, monkeypatch, tmp_path):
    services = demo_world.services
    incident = _stood_down(services)
    opened: list[ReviewEditor] = []
    window.review_opener.opened.connect(opened.append)
    window.review_opener.open_for_incident(incident)
    assert len(opened) == 1
    editor = opened[0]
    qtbot.waitExposed(editor)
    qtbot.waitUntil(lambda: editor.doc is not None)
    number = services.incidents.snapshot(incident).number
    assert editor.doc.real and editor.doc.overview.incident_number == number
    assert editor.real_band.isVisible() and editor.real_band.text() == REAL_BAND
    assert "REAL" in editor.windowTitle()
    assert editor.overview.titles["drill"].text() == "Incident"
    assert editor.overview.facts["drill"].text() == f"{number} 旅检大厅旅客突发疾病 · Real incident"
    assert editor.overview.facts["scenario"].text() == "一名旅客晕倒"
    assert not editor.tabs.isTabVisible(editor.tabs.indexOf(editor.objectives))
    assert editor.facts.text().count("alarm") == 1

    window.review_opener.open_for_incident(incident)  # again: the same review, the same window
    assert len(opened) == 1 and len(window.review_opener.editors) == 1

    pdf = tmp_path / "incident-aar.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), "PDF (*.pdf)"))
    editor.activateWindow()
    qtbot.waitUntil(lambda: editor.isActiveWindow())
    qtbot.keyClick(editor, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyRelease(editor, Qt.Key.Key_Control)
    qtbot.waitUntil(lambda: pdf.exists())
    text = "".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert "真实事件" in text and "REAL INCIDENT" in text and "旅检大厅旅客突发疾病" in text
    editor.close()


def test_ctrl_shift_r_at_a_stood_down_console_opens_the_real_review(qtbot, window, demo_world):
    from helpers.console_ui import activate, release_modifiers

    services = demo_world.services
    incident = _stood_down(services)
    assert services.reviews.review_of_incident(incident) is None, "no review yet: the key starts one"
    opened: list[ReviewEditor] = []
    window.review_opener.opened.connect(opened.append)
    window.incident_desk.open_incident(incident)
    console = window.incident_desk.consoles[incident]
    qtbot.waitExposed(console)
    qtbot.waitUntil(lambda: console.snapshot is not None)
    assert console.buttons["review"].isEnabled()
    activate(qtbot, console)
    qtbot.keyClick(console.checklist, Qt.Key.Key_R,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    release_modifiers(qtbot, console.checklist)
    qtbot.waitUntil(lambda: len(opened) == 1)
    editor = opened[0]
    qtbot.waitUntil(lambda: editor.doc is not None)
    review_id = services.reviews.review_of_incident(incident)
    assert review_id is not None and editor.review_id == review_id
    assert editor.doc.real and editor.doc.overview.incident_id == incident
    assert editor.real_band.isVisible() and editor.real_band.text() == REAL_BAND

    activate(qtbot, console)  # again: the review it has now, in the window already open
    qtbot.keyClick(console.checklist, Qt.Key.Key_R,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    release_modifiers(qtbot, console.checklist)
    assert wait_for_all()  # the look-up of the review it has, then (queued) the window raised
    QApplication.processEvents()
    assert len(opened) == 1 and list(window.review_opener.editors) == [review_id]
    assert services.reviews.review_of_incident(incident) == review_id
    editor.close()
    console.close()


def test_a_new_reviews_title_is_in_the_desks_language_when_it_is_made(qtbot, window, demo_world, demo_clock,
                                                                      monkeypatch):
    from helpers.finished_runs import finished_live_run

    from drillapp import i18n

    services = demo_world.services
    opened: list[ReviewEditor] = []
    window.review_opener.opened.connect(opened.append)

    # an English desk: the incident's review is titled in English (the incident's own words stay as typed)
    incident = _stood_down(services)
    window.review_opener.open_for_incident(incident)
    qtbot.waitUntil(lambda: len(opened) == 1 and opened[0].doc is not None)
    number = services.incidents.snapshot(incident).number
    title = f"{number} 旅检大厅旅客突发疾病 — after-action review (real incident)"
    assert opened[0].doc.title == opened[0].heading.text() == title
    assert "评估报告" not in opened[0].windowTitle()
    opened[0].close()

    # a drill's review (made by its hot wash) likewise
    drill = finished_live_run(services, demo_clock, ticks=1)
    window.review_opener.open_for_run(drill.run_id)
    qtbot.waitUntil(lambda: len(opened) == 2 and opened[1].doc is not None)
    drill_title = opened[1].doc.overview.drill_title
    assert opened[1].heading.text() == f"{drill_title} — after-action review" and "评估报告" not in drill_title
    opened[1].close()

    # a Chinese desk: the title is made in Chinese, and stays so (it is the review's data, not a label)
    i18n.set_language("zh_CN")
    monkeypatch.setitem(i18n._catalogue, "{number} {title} — after-action review (real incident)",
                        "{number} {title} 评估报告（实战）")  # as tools/pending_translations_h51.json has it
    second = _stood_down(services)
    review_id = services.reviews.create_from_incident(second)
    i18n.set_language("en")
    second_number = services.incidents.snapshot(second).number
    assert services.review_docs.document(review_id).title == f"{second_number} 旅检大厅旅客突发疾病 评估报告（实战）"
