"""Reading the audit trail: filters by user, record type, time and text, newest first, values decoded;
the CSV export (BOM, exact text, streamed in batches, nothing half-written on failure)."""

from __future__ import annotations

import csv
import json
import os
import time
from datetime import datetime, timedelta

import pytest
from helpers import builders
from sqlalchemy import insert

from drillapp import i18n
from drillapp.clock import to_local
from drillapp.io.csv_cells import restore
from drillapp.models import AuditEntry, Member
from drillapp.models.enums import Agency, Role, Scenario
from drillapp.services import audit, audit_view
from drillapp.services.audit_view import CSV_COLUMNS, AuditFilter, AuditViewService
from drillapp.services.context import Actor, ServiceBase
from drillapp.services.errors import DomainError, ValidationError

TRICKY = 'quote " and <&> on\ntwo lines, a comma, 中文 “引号”'
LONG = "长" * 5000 + "x" * 5000  # 10,000 characters


def note(services, who: Actor, text: str, entity: str = "log_entry", entity_id: int | None = None) -> None:
    """An audit note with any text (no field validation in the way), as `who`."""
    with ServiceBase(services.db, who, services.clock).write("runs.add_log_entry") as s:
        audit.note(s, entity, entity_id, text)


@pytest.fixture
def trail(services, clock):
    """admin builds a port at the start; li (a coordinator) drafts a plan an hour later; a day later admin
    renames a member."""
    start = clock.now
    port = builders.port_with_branches(services)
    member_id = builders.member(services, port, "王芳", mobile="13900000001")
    clock.advance(hours=1)
    li = builders.actor(services, Role.COORDINATOR, "li")
    plan_id, _version_id = builders.services_as(services, li).plans.create_plan(
        port.port_id, "QH-07", Scenario.FIRE_EVACUATION, "火灾疏散预案", owner_branch_id=port.branches[Agency.PORT_OFFICE]
    )
    clock.advance(days=1)
    services.team.update_member(member_id, name="王芳芳", expected_version=services.team.version_of(Member, member_id))
    return {"start": start, "member_id": member_id, "plan_id": plan_id, "li": li}


@pytest.fixture
def view(services) -> AuditViewService:
    return AuditViewService(services.db, services.actor, services.clock)


def _all(view: AuditViewService, f: AuditFilter = AuditFilter()) -> list:  # noqa: B008
    return view.page(f, 0, 100_000)


# -- reading ---------------------------------------------------------------------------------------------


def test_page_is_newest_first_with_before_and_after_decoded(view, trail, clock):
    rows = _all(view)

    assert [(r.at, r.id) for r in rows] == sorted(((r.at, r.id) for r in rows), reverse=True)
    newest = _all(view, AuditFilter(username="admin"))[0]  # (the system's entry is on the real clock)
    assert (newest.at, newest.username, newest.operation, newest.action) == (
        clock.now, "admin", "team.update_member", "update"
    )
    assert (newest.entity, newest.entity_id) == ("member", trail["member_id"])
    assert newest.before == {"name": "王芳"}
    assert newest.after == {"name": "王芳芳"}
    inserted = next(r for r in rows if r.entity == "contingency_plan")
    assert inserted.before is None
    assert inserted.after["code"] == "QH-07" and inserted.after["title_zh"] == "火灾疏散预案"


def test_pages_follow_on_without_gaps_or_repeats(view, trail):
    rows = _all(view)

    assert view.page(AuditFilter(), 0, 5) + view.page(AuditFilter(), 5, 5) == rows[:10]
    assert view.page(AuditFilter(), len(rows), 5) == []


def test_filter_by_user(view, trail):
    assert view.usernames() == ["admin", "li", "system"]

    rows = _all(view, AuditFilter(username="li"))

    assert rows and {r.username for r in rows} == {"li"}
    assert {r.operation for r in rows} == {"plans.create_plan"}
    assert _all(view, AuditFilter(username="nobody")) == []


def test_filter_by_record_type(view, trail):
    assert {"member", "contingency_plan", "plan_version", "branch", "port", "app_user"} <= set(view.entities())
    assert view.entities() == sorted(view.entities())

    rows = _all(view, AuditFilter(entity="member"))

    assert [(r.action, r.entity_id) for r in rows] == [("update", trail["member_id"]), ("insert", trail["member_id"])]
    assert _all(view, AuditFilter(username="li", entity="member")) == []


def test_filter_by_time_range_is_inclusive_at_both_ends(view, trail, clock):
    start = trail["start"]
    an_hour_in = start + timedelta(hours=1)

    assert {r.operation for r in _all(view, AuditFilter(since=an_hour_in, until=an_hour_in))} == {
        "plans.create_plan", "users.create_user"
    }
    assert {r.at for r in _all(view, AuditFilter(since=an_hour_in, until=clock.now))} == {an_hour_in, clock.now}
    assert {r.at for r in _all(view, AuditFilter(until=start))} == {start}
    assert _all(view, AuditFilter(since=clock.now + timedelta(seconds=1), until=clock.now + timedelta(days=1))) == []


def test_text_search_looks_in_user_operation_record_and_values(view, trail, services):
    note(services, services.actor, TRICKY)
    note(services, services.actor, "100% done_by")

    assert {r.entity_id for r in _all(view, AuditFilter(text="王芳芳"))} == {trail["member_id"]}
    assert {r.operation for r in _all(view, AuditFilter(text="CREATE_PLAN"))} == {"plans.create_plan"}
    assert {r.username for r in _all(view, AuditFilter(text="li"))} >= {"li"}
    # a quote and a line break are stored escaped in the JSON; searching for them still finds the note
    assert len(_all(view, AuditFilter(text='quote " and <&> on\ntwo'))) == 1
    # % and _ are plain characters, not wildcards
    assert [r.after for r in _all(view, AuditFilter(text="0% done_"))] == [{"note": "100% done_by"}]
    assert _all(view, AuditFilter(text="0%_done")) == []
    # digits also match the record's id
    assert trail["plan_id"] in {r.entity_id for r in _all(view, AuditFilter(text=str(trail["plan_id"])))}
    assert _all(view, AuditFilter(text="   ")) == _all(view)


def test_a_range_that_ends_before_it_starts_is_refused_in_the_current_language(view, trail, tmp_path):
    backwards = AuditFilter(since=trail["start"] + timedelta(days=1), until=trail["start"])

    with pytest.raises(ValidationError, match="before its start") as excinfo:
        view.page(backwards)
    assert excinfo.value.field == "until"

    i18n.set_language("zh_CN")
    with pytest.raises(ValidationError) as excinfo:
        view.export_csv(backwards, tmp_path / "out.csv")
    assert excinfo.value.message == "时间范围的结束早于开始。"
    assert not (tmp_path / "out.csv").exists()


# -- CSV export ------------------------------------------------------------------------------------------


@pytest.fixture
def shanghai_time():
    """Local time is UTC+8 for the test (a POSIX TZ string: no time zone database needed)."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "CST-8"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def _read_csv(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_csv_round_trip_keeps_every_value_exactly(view, trail, services, clock, tmp_path, shanghai_time):
    odd_user = Actor(None, '=zhao, "the night shift"\n值班员', Role.ADMINISTRATOR)  # "=": a formula to Excel
    clock.advance(minutes=5, seconds=7, microseconds=123456)
    note(services, odd_user, TRICKY, entity_id=7)
    clock.advance(minutes=1)
    note(services, services.actor, LONG)
    out = tmp_path / "exports" / "审计 日志.csv"
    out.parent.mkdir()

    count = view.export_csv(AuditFilter(), out)
    exported = _all(view)
    assert [e.after for e in exported if e.operation == "audit.export"] == [
        {"note": f"{count} audit entries exported to {out}"}]  # the export itself is in the trail

    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and not raw[3:].startswith(b"\xef\xbb\xbf")
    header, *rows = _read_csv(out)
    assert tuple(header) == CSV_COLUMNS == ("time", "user", "operation", "action", "record", "id", "before", "after")
    assert count == len(rows) == len(exported) - 1
    [long_row] = [r for r in rows if r[2] == "runs.add_log_entry" and r[1] == "admin"]
    [tricky_row] = [r for r in rows if r[2] == "runs.add_log_entry" and r[1] != "admin"]
    assert rows.index(long_row) == rows.index(tricky_row) - 1  # newest first
    assert json.loads(long_row[7]) == {"note": LONG}
    assert tricky_row[:7] == [
        "2026-03-03 17:05:07", "'" + odd_user.username, "runs.add_log_entry", "note", "log_entry", "7", ""
    ]  # stored 09:05:07.123456 UTC, shown in local time (UTC+8) to the second; the user name neutralised
    assert restore(tricky_row[1]) == odd_user.username
    assert json.loads(tricky_row[7]) == {"note": TRICKY}
    assert datetime.fromisoformat(tricky_row[0]) == to_local(clock.now - timedelta(minutes=1)).replace(microsecond=0)
    member_update = next(r for r in rows if r[2] == "team.update_member")
    assert (member_update[3], member_update[4], member_update[5]) == ("update", "member", str(trail["member_id"]))
    assert (json.loads(member_update[6]), json.loads(member_update[7])) == ({"name": "王芳"}, {"name": "王芳芳"})
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left behind


def test_export_follows_the_filter_and_replaces_an_older_file(view, trail, tmp_path):
    out = tmp_path / "li.csv"
    out.write_text("old contents", encoding="utf-8")

    count = view.export_csv(AuditFilter(username="li"), out)

    rows = _read_csv(out)[1:]
    assert count == len(rows) == len(_all(view, AuditFilter(username="li"))) > 0
    assert {r[1] for r in rows} == {"li"}


def test_empty_export_writes_the_header_only(view, trail, tmp_path):
    out = tmp_path / "none.csv"

    assert view.export_csv(AuditFilter(username="nobody"), out) == 0
    assert _read_csv(out) == [list(CSV_COLUMNS)]


def test_a_failed_export_leaves_nothing_half_written(view, trail, tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(DomainError, match="Could not write"):
        view.export_csv(AuditFilter(), folder / "missing-folder" / "out.csv")
    with pytest.raises(DomainError, match="is a folder"):
        view.export_csv(AuditFilter(), folder)

    out = folder / "out.csv"
    out.write_text("the previous export", encoding="utf-8")
    real = AuditViewService._export_batches

    def failing(self, f):
        yield from real(self, f)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(AuditViewService, "_export_batches", failing)
    with pytest.raises(DomainError, match="No space left on device"):
        view.export_csv(AuditFilter(), out)

    assert out.read_text(encoding="utf-8") == "the previous export"
    assert [p.name for p in folder.iterdir()] == ["out.csv"]


def test_a_large_export_streams_in_batches(view, services, tmp_path, monkeypatch):
    total = 20_000
    base = datetime(2025, 1, 1)
    with services.db.engine.begin() as conn:  # test data written directly; several entries share a time
        conn.execute(insert(AuditEntry), [
            {"at": base + timedelta(seconds=i // 7), "user_id": None, "username": f"user{i % 5}",
             "operation": "test.bulk", "action": "note", "entity": "log_entry", "entity_id": i,
             "before": None, "after": json.dumps({"note": f"第 {i} 条"}, ensure_ascii=False)}
            for i in range(total)
        ])
    batch_sizes: list[int] = []
    real = AuditViewService._export_batches

    def counting(self, f):
        for batch in real(self, f):
            batch_sizes.append(len(batch))
            yield batch

    monkeypatch.setattr(AuditViewService, "_export_batches", counting)
    out = tmp_path / "big.csv"
    count = view.export_csv(AuditFilter(text="test.bulk"), out)

    assert count == total
    assert max(batch_sizes) <= audit_view.EXPORT_BATCH and len(batch_sizes) >= total // audit_view.EXPORT_BATCH
    ids = [int(r[5]) for r in _read_csv(out)[1:]]
    assert ids == list(range(total - 1, -1, -1))  # newest first, none lost or repeated at batch edges


def test_password_hashes_are_never_shown_or_exported(view, services, tmp_path):
    with services.db.engine.begin() as conn:  # as the flush hook records a user with a password
        conn.execute(insert(AuditEntry), [
            {"at": datetime(2026, 3, 2, 9, 0), "user_id": None, "username": "admin", "operation": "users.create_user",
             "action": "insert", "entity": "app_user", "entity_id": 9, "before": None,
             "after": json.dumps({"username": "wang", "password_hash": "$argon2id$v=19$secret"})},
            {"at": datetime(2026, 3, 2, 9, 1), "user_id": None, "username": "admin", "operation": "users.update_user",
             "action": "update", "entity": "app_user", "entity_id": 9,
             "before": json.dumps({"password_hash": None}), "after": json.dumps({"password_hash": "$argon2id$new"})},
        ])
    out = tmp_path / "users.csv"

    changed, created = _all(view, AuditFilter(username="admin", entity="app_user"))
    view.export_csv(AuditFilter(username="admin", entity="app_user"), out)

    assert created.after == {"username": "wang", "password_hash": "(hidden)"}
    assert (changed.before, changed.after) == ({"password_hash": None}, {"password_hash": "(hidden)"})
    assert "argon2" not in out.read_text(encoding="utf-8-sig")
    assert json.loads(_read_csv(out)[1][7]) == {"password_hash": "(hidden)"}
