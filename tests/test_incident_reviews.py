"""The after-action review of a real incident (issue 11): made once stood down, read as a drill's is, marked real:
the overview from the incident, each timed action measured from when it was owed (the alarm, or the escalation
that brought it), the timeline of its log; findings and corrective actions as for a drill; the AAR/IP marked
真实事件 / REAL INCIDENT; `drillapp reviews print` on it."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from helpers import builders
from pypdf import PdfReader
from test_incidents import dg_plan

from drillapp.models.enums import FindingKind, ItemState
from drillapp.reports.aar_pdf import write_aar
from drillapp.services.errors import DomainError


@pytest.fixture
def port(services):
    return builders.port_with_branches(services)


@pytest.fixture
def sv(services, port):
    return builders.on_port(services, port)


def _stood_down_incident(sv, port, clock) -> int:
    plan = dg_plan(sv, port)
    incident = sv.incidents.open_incident(port.port_id, "危险品泄漏 <A&B>", plan_id=plan, level=3,
                                          location="货运通道3号", description="货车所载化学品泄漏")
    items = {i.row.text: i.row for i in sv.incidents.snapshot(incident).items}
    clock.advance(minutes=4)
    sv.runs.tick(items["封控货运通道"].id, expected_version=items["封控货运通道"].row_version)
    clock.advance(minutes=20)
    sv.runs.tick(items["查验泄漏车辆及货物"].id, expected_version=items["查验泄漏车辆及货物"].row_version)
    sv.runs.add_log_entry("一人吸入不适，已送医", incident_id=incident)
    clock.advance(hours=2)
    sv.incidents.stand_down(incident, "泄漏已处置完毕")
    return incident


def test_an_incident_review_reads_as_a_drills_marked_real(sv, port, clock):
    incident = _stood_down_incident(sv, port, clock)
    review = sv.reviews.create_from_incident(incident)
    doc = sv.review_docs.document(review)
    ov = doc.overview
    snap = sv.incidents.snapshot(incident)
    assert doc.real and ov.real and ov.incident_id == incident and ov.incident_number == snap.number
    assert ov.drill_title == f"{snap.number} 危险品泄漏 <A&B>" and ov.location == "货运通道3号"
    assert ov.scenario == "货车所载化学品泄漏" and ov.level == 3 and ov.plan_code == "QH-DG"
    assert (ov.started_at, ov.ended_at) == (snap.alarm_at, snap.closed_at)
    assert doc.ratings == (), "an incident has no exercise objectives"
    measured = {m.text: m for m in doc.record.measures}
    assert measured["封控货运通道"].late is False and round(measured["封控货运通道"].minutes_taken) == 4
    assert measured["查验泄漏车辆及货物"].late is True and round(measured["查验泄漏车辆及货物"].minutes_taken) == 24
    assert (doc.record.on_target, doc.record.timed) == (1, 3), "the initial report left open counts as missed"
    texts = [t.text for t in doc.record.timeline]
    assert "一人吸入不适，已送医" in texts and any(t.startswith("复盘评估启动") for t in texts)
    assert doc.record.snapshot.port_zone == snap.port_zone
    assert not any(i.row.state is ItemState.OPEN and i.row.text == "封控货运通道" for i in snap.items)


def test_findings_and_actions_on_an_incident_review_and_its_aar(sv, port, clock, tmp_path):
    incident = _stood_down_incident(sv, port, clock)
    review = sv.reviews.create_from_incident(incident)
    finding = sv.reviews.add_finding(review, FindingKind.IMPROVEMENT, "查验到场晚于目标 & \"引号\"")
    sv.reviews.add_corrective_action(finding, "修订查验到场流程", due_on=sv.clock().date() + timedelta(days=30))
    doc = sv.review_docs.document(review)
    assert [f.text for f in doc.improvements] == ["查验到场晚于目标 & \"引号\""]
    assert len(doc.improvements[0].actions) == 1

    out = write_aar(doc, tmp_path / "aar.pdf")
    text = "".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "真实事件" in text and "REAL INCIDENT" in text and "DRILL" not in text.replace("DRAFT", "")
    assert "危险品泄漏 <A&B>" in text and "查验到场晚于目标 & \"引号\"" in text


def test_an_incident_still_active_has_no_review_yet(sv, port, clock):
    plan = dg_plan(sv, port)
    incident = sv.incidents.open_incident(port.port_id, "车辆起火", plan_id=plan, level=3)
    with pytest.raises(DomainError, match="still active"):
        sv.reviews.create_from_incident(incident)


def test_reviews_print_on_an_incident_review(sv, port, clock, tmp_path, capsys):
    from drillapp.cli import main

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level

    incident = _stood_down_incident(sv, port, clock)
    review = sv.reviews.create_from_incident(incident)
    out = tmp_path / "incident-aar.pdf"
    code = main(["--db", sv.db.url, "--user", "admin", "reviews", "print", str(review), "--out", str(out)])
    assert code == 0 and out.exists()
    text = "".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "REAL INCIDENT" in text and "危险品泄漏" in text
    for handler in [h for h in root.handlers if h not in handlers]:  # the CLI's log file handler goes again
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def test_a_duty_officer_opens_the_incidents_review_a_coordinator_started(sv, port, clock):
    """The console's review key: a duty officer may not start a review, but finds and reads the one there is."""
    from drillapp.models.enums import Role
    from drillapp.services.errors import PermissionDeniedError

    incident = _stood_down_incident(sv, port, clock)
    officer = builders.on_port(builders.services_as(sv, builders.actor(sv, Role.DUTY_OFFICER, "duty")), port)
    assert officer.reviews.review_of_incident(incident) is None
    with pytest.raises(PermissionDeniedError):
        officer.reviews.create_from_incident(incident)
    review = sv.reviews.create_from_incident(incident)
    assert officer.reviews.review_of_incident(incident) == review
    assert officer.review_docs.document(review).real
