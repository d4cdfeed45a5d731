"""The audit trail in words: every operation, record type and field has a label (in both languages), values
read as on screen, and log-ins are recorded under the account that logs in (older entries shown so too)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from helpers import builders
from sqlalchemy import insert

from drillapp import audit_labels, i18n
from drillapp.audit_labels import (
    field_label,
    field_value,
    note_text,
    operation_label,
    record_label,
    user_label,
)
from drillapp.models import AuditEntry, Base
from drillapp.models.enums import PlanStatus, Role
from drillapp.services.audit import NOT_AUDITED
from drillapp.services.audit_view import AuditFilter, AuditViewService
from drillapp.services.context import SYSTEM_ACTOR
from drillapp.services.errors import PermissionDeniedError
from drillapp.services.permissions import PERMISSIONS
from drillapp.services.users import LoginError, UserService

RAW_ID = re.compile(r"^[a-z_]+(\.[a-z_]+)?$")  # plans.approve_version, approved_by_id


def _audited_tables():
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_AUDITED]


def test_every_operation_of_the_permission_table_has_words():
    missing = sorted(set(PERMISSIONS) - set(audit_labels.OPERATIONS))
    assert not missing, f"add a label to drillapp/audit_labels.py OPERATIONS for: {missing}"
    unknown = sorted(set(audit_labels.OPERATIONS) - set(PERMISSIONS))
    assert not unknown, f"labels for operations that do not exist: {unknown}"


def test_every_audited_table_and_column_has_words():
    tables = _audited_tables()
    assert len(tables) > 30
    no_record = [t.name for t in tables if t.name not in audit_labels.RECORDS]
    no_field = [f"{t.name}.{c.name}" for t in tables for c in t.columns
                if c.name not in audit_labels.HIDDEN_FIELDS and field_label(t.name, c.name) == c.name]
    assert not no_record and not no_field, f"records: {no_record}; fields: {no_field}"
    stale = [f"{table}.{column}" for table, columns in audit_labels.TABLE_FIELDS.items() for column in columns
             if table not in Base.metadata.tables or column not in Base.metadata.tables[table].columns]
    assert not stale, f"labels for columns that do not exist: {stale}"


def test_in_chinese_no_operation_record_or_field_reads_as_a_raw_id():
    i18n.set_language("zh_CN")
    raw = [op for op in PERMISSIONS if RAW_ID.match(operation_label(op)) or operation_label(op).isascii()]
    raw += [t.name for t in _audited_tables() if record_label(t.name).isascii()]
    raw += [f"{t.name}.{c.name}" for t in _audited_tables() for c in t.columns
            if c.name not in audit_labels.HIDDEN_FIELDS and field_label(t.name, c.name).isascii()]
    assert not raw, raw
    assert operation_label("plans.approve_version") == "批准预案版本"
    assert field_label("plan_version", "approved_by_id") == "批准人"
    assert field_label("member", "name") == "姓名"
    assert field_label("response_level", "name") == "级别名称" and field_label("plan_resource", "name") == "名称"
    assert user_label("system", None) == "系统" and user_label("system", 7) == "system"  # a user named so


def test_values_read_as_on_screen():
    i18n.set_language("zh_CN")
    assert field_value("plan_version", "status", "approved") == "已批准"
    assert field_value("app_user", "role", "team_lead") == "机动队队长"
    assert field_value("app_user", "active", False) == "否"
    assert field_value("drill", "scheduled_start", "2026-03-02T01:30:00") == "2026-03-02 09:30"  # port time
    assert field_value("plan_version", "effective_on", "2026-03-02") == "2026-03-02"
    assert field_value("plan_version", "change_note", None) == "（空）"
    assert field_value("plan_version", "status", "no-such-status") == "no-such-status"  # never fails
    assert note_text("log-in failed: wrong password (failed attempt 2 of 5)") == "登录失败：密码错误（第 2 次失败，共允许 5 次）"
    assert note_text("something new") == "something new"


def test_permission_refusals_name_the_operation_in_words(services):
    viewer = builders.services_as(services, builders.actor(services, Role.VIEWER, "guest"))
    i18n.set_language("zh_CN")
    with pytest.raises(PermissionDeniedError) as refused:
        viewer.users.create_user("x", Role.VIEWER)
    assert "添加用户" in refused.value.message and "users.create_user" not in refused.value.message


def test_log_ins_are_recorded_under_the_account_and_older_ones_show_it_too(db, clock):
    system = UserService(db, SYSTEM_ACTOR, clock)
    admin = system.create_first_administrator("zhao", "port-office-2026")
    users = UserService(db, admin, clock)
    li_id = users.create_user("li", Role.DUTY_OFFICER, password="duty-officer-1")
    system.authenticate("li", "duty-officer-1")
    with pytest.raises(LoginError):
        system.authenticate("li", "wrong")
    with pytest.raises(LoginError):
        system.authenticate("nobody", "wrong")
    with db.engine.begin() as conn:  # an entry as this app wrote log-ins before: by "system", about li
        conn.execute(insert(AuditEntry).values(
            at=clock.now, user_id=None, username="system", operation="users.authenticate", action="note",
            entity="app_user", entity_id=li_id, before=None, after='{"note": "logged in"}'))

    view = AuditViewService(db, admin, clock)
    logins = view.page(AuditFilter(username="li"), 0, 100)
    assert len(logins) == 3, "two new entries under li, and the older one about li"
    assert {r.shown_username for r in logins} == {"li"}
    assert sum(r.username == "li" and r.user_id == li_id for r in logins) == 2  # how they are stored now
    nobody = [r for r in view.page(AuditFilter(text="nobody"), 0, 100) if r.operation == "users.authenticate"]
    assert [(r.username, r.user_id) for r in nobody] == [("system", None)]  # no account: still the app's
    i18n.set_language("zh_CN")
    assert note_text(nobody[0].after["note"]) == "拒绝登录：没有账号 'nobody'"
    assert {r.shown_username for r in view.page(AuditFilter(text="登录"), 0, 100)} >= {"li"}  # found by words


def test_an_approval_reads_in_words(services):
    port = builders.port_with_branches(services)
    plan = builders.approved_plan(services, port)
    rows = AuditViewService(services.db, services.actor, services.clock).page(
        AuditFilter(entity="plan_version"), 0, 10)
    approval = next(r for r in rows if r.operation == "plans.approve_version")
    assert approval.entity_id == plan.version_id and approval.after["status"] == PlanStatus.APPROVED.value
    i18n.set_language("zh_CN")
    assert field_value("plan_version", "effective_on", approval.after["effective_on"]) == str(date(2026, 3, 2))
    assert field_value("plan_version", "status", approval.after["status"]) == "已批准"
