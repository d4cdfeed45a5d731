"""The paged, searchable lists behind the UI's tables and `drillapp list`."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import builders

from drillapp.models import PlanVersion
from drillapp.models.enums import Agency, MemberStatus, PlanStatus
from drillapp.services.lists import SOURCES


@pytest.fixture
def port(services):
    return builders.port_with_branches(services)


def test_every_list_opens_on_a_new_database(services):
    for name in set(SOURCES) - {"audit"}:
        assert services.lists.page(name) == [], name
    [(_id, _at, username, operation, entity, _entity_id)] = services.lists.page("audit")
    assert (username, operation, entity) == ("system", "users.ensure_local_user", "app_user")


def test_members_list_searches_name_post_and_mobile(services, port):
    ids = {
        name: builders.member(services, port, name, agency, post=post, mobile=mobile)
        for name, agency, post, mobile in [
            ("王伟", Agency.CUSTOMS, "关员", "13900000001"),
            ("李娜", Agency.QUARANTINE, "检疫员", "13900000002"),
            ("王芳", Agency.BORDER_INSPECTION, "科长", "13800000003"),
        ]
    }

    assert [r[1] for r in services.lists.page("members", "王")] == ["王伟", "王芳"]
    assert [r[0] for r in services.lists.page("members", "检疫")] == [ids["李娜"]]
    assert [r[1] for r in services.lists.page("members", " 138 ")] == ["王芳"]
    assert services.lists.page("members", "李娜") == [
        (ids["李娜"], "李娜", Agency.QUARANTINE, "检疫员", None, "13900000002", MemberStatus.ACTIVE)
    ]


def test_search_wildcards_are_taken_literally(services, port):
    builders.member(services, port, "百分之百", post="100%")
    builders.member(services, port, "下划线", post="a_b")
    builders.member(services, port, "普通", post="axb 1000")

    assert [r[1] for r in services.lists.page("members", "%")] == ["百分之百"]
    assert [r[1] for r in services.lists.page("members", "a_b")] == ["下划线"]


def test_pages_follow_the_order(services, port):
    names = [f"队员{i:02d}" for i in range(7)]
    for name in reversed(names):
        builders.member(services, port, name)

    pages = [services.lists.page("members", offset=o, limit=3) for o in (0, 3, 6)]

    assert [[r[1] for r in page] for page in pages] == [names[0:3], names[3:6], names[6:]]


def test_plans_list_shows_the_version_in_force_with_the_draft_beside_it(services, port):
    """Issue 14 item 1: a new revision does not hide the version in force."""
    keys = ["id"] + [c.key for c in SOURCES["plans"].columns]

    def rows(**filters):
        return [dict(zip(keys, r, strict=True)) for r in services.lists.page("plans", filters=filters)]

    plan = builders.approved_plan(services, port)
    other = builders.draft_plan(services, port, "QH-02")
    draft = services.revisions.new_revision(plan.plan_id)

    by_code = {r["code"]: r for r in rows()}
    assert [by_code["QH-01"][k] for k in ("id", "version", "status", "draft")] == [
        plan.plan_id, 1, PlanStatus.APPROVED, 2]
    assert [by_code["QH-02"][k] for k in ("id", "version", "status", "draft")] == [
        other.plan_id, 1, PlanStatus.DRAFT, None], "a new plan: its draft is what there is"
    assert {r["code"] for r in rows(status=PlanStatus.DRAFT)} == {"QH-01", "QH-02"}, "either version matches"
    assert {r["code"] for r in rows(status=PlanStatus.APPROVED)} == {"QH-01"}

    services.revisions.submit_for_review(draft, expected_version=services.revisions.version_of(PlanVersion, draft))
    services.plans.approve_version(draft, date(2026, 4, 1), date(2027, 4, 1), expected_version=services.plans.version_of(PlanVersion, draft))
    assert [rows()[0][k] for k in ("version", "status", "draft", "review_due_on")] == [
        2, PlanStatus.APPROVED, None, date(2027, 4, 1)]


def test_audit_list_newest_first(services, port):
    rows = services.lists.page("audit", "create_branch")

    assert len(rows) == 4
    assert [r[0] for r in rows] == sorted((r[0] for r in rows), reverse=True)
    assert {r[3] for r in rows} == {"org.create_branch"}


def test_incidents_list_shows_the_alarm_time_newest_first_and_filters_by_status(services, port, clock):
    from datetime import timedelta

    from drillapp.models.enums import IncidentStatus

    sv = builders.on_port(services, port)
    older = sv.incidents.open_incident(None, "旅检大厅可疑包裹", alarm_at=clock.now - timedelta(hours=30))
    newer = sv.incidents.open_incident(None, "货运通道危化品泄漏", alarm_at=clock.now - timedelta(minutes=20))
    sv.incidents.stand_down(older, "误报，已解除")

    rows = sv.lists.page("incidents")
    assert [r[0] for r in rows] == [newer, older]
    assert rows[0][2] == clock.now - timedelta(minutes=20), "the alarm time, not when it was recorded"
    assert rows[1][5] is IncidentStatus.STOOD_DOWN and rows[1][6] is not None
    assert [r[0] for r in sv.lists.page("incidents", filters={"status": IncidentStatus.ACTIVE})] == [newer]
    assert [r[0] for r in sv.lists.page("incidents", filters={"status": IncidentStatus.STOOD_DOWN})] == [older]
