"""The tamper-evident run record: log entries and checklist events are append-only in the database and chained
by SHA-256 per run; `drillapp log verify RUN_ID` says "intact" or names the first record that breaks the chain.
The tampering is done as the database's owner could, with the triggers out of the way
(helpers/audit_tamper.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers import builders
from helpers.audit_tamper import as_owner_without_triggers
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from drillapp.models import ChecklistEntry, ChecklistEvent, LogEntry
from drillapp.services import hashchain, run_chain
from drillapp.services.errors import ConflictError, DomainError


@pytest.fixture
def run_id(services, clock):
    port = builders.port_with_branches(services)
    plan = builders.approved_plan(services, port)
    run_id = services.runs.start_run(builders.drill(services, port, plan, level=None, starts_in=timedelta(0)))
    with services.db.session() as s:
        items = list(s.scalars(select(ChecklistEntry.id).where(ChecklistEntry.drill_run_id == run_id)))
    for n, item in enumerate(items):
        clock.advance(minutes=2)
        services.runs.tick(item, note=f"第{n}项完成", expected_version=services.runs.version_of(ChecklistEntry, item))
        services.runs.add_log_entry(f"现场报告{n}", drill_run_id=run_id)
    services.runs.end_run(run_id)
    return run_id


def _ids(services, model, run_id) -> list[int]:
    with services.db.session() as s:
        return list(s.scalars(select(model.id).where(model.drill_run_id == run_id).order_by(model.seq)))


def test_an_untouched_log_is_intact(services, run_id):
    report = services.console.verify_log(run_id)

    assert report.intact and report.problem == "" and report.records == 10
    assert "intact" in report.message()


def test_the_chain_is_documented_sha256_over_the_previous_link_and_canonical_content(services, run_id):
    """Recomputed by hand from the rows, as docs/architecture.md describes it."""
    with services.db.engine.connect() as conn:
        rows = [("log_entry", r) for r in conn.execute(select(LogEntry.__table__).where(
            LogEntry.drill_run_id == run_id)).mappings()]
        rows += [("checklist_event", r) for r in conn.execute(select(ChecklistEvent.__table__).where(
            ChecklistEvent.drill_run_id == run_id)).mappings()]
    previous = hashchain.genesis(f"drill_run:{run_id}")
    for table, row in sorted(rows, key=lambda r: r[1]["seq"]):
        fields = run_chain.LOG_FIELDS if table == "log_entry" else run_chain.EVENT_FIELDS
        payload = hashchain.canonical({"record": table, "owner": f"drill_run:{run_id}", **{k: row[k] for k in fields}})
        previous = hashchain.link(previous, payload)
        assert row["chain_hash"] == previous
    assert services.console.verify_log(run_id).head == previous


@pytest.mark.parametrize("table", ["log_entry", "checklist_event"])
def test_the_database_refuses_to_change_or_delete_a_record(services, run_id, table):
    with pytest.raises(DBAPIError, match="append-only"), services.db.engine.begin() as conn:
        conn.execute(text(f"UPDATE {table} SET text = 'x' WHERE drill_run_id = :r"), {"r": run_id})
    with pytest.raises(DBAPIError, match="append-only"), services.db.engine.begin() as conn:
        conn.execute(text(f"DELETE FROM {table} WHERE drill_run_id = :r"), {"r": run_id})


def test_verify_catches_a_log_line_edited_in_the_database(services, run_id):
    lines = _ids(services, LogEntry, run_id)
    target = lines[2]
    as_owner_without_triggers(services.db, "UPDATE log_entry SET text = '现场一切正常' WHERE id = :id", id=target)

    report = services.console.verify_log(run_id)

    assert (report.intact, report.problem, report.table, report.record_id) == (False, "changed", "log_entry", target)
    assert f"log entry {target}" in report.message()


def test_verify_catches_a_tick_moved_earlier(services, run_id):
    event = _ids(services, ChecklistEvent, run_id)[1]
    with services.db.session() as s:
        at = s.get(ChecklistEvent, event).happened_at
    as_owner_without_triggers(services.db, "UPDATE checklist_event SET happened_at = :at WHERE id = :id",
                              at=at - timedelta(minutes=1), id=event)

    report = services.console.verify_log(run_id)

    assert (report.intact, report.problem, report.table, report.record_id) == (False, "changed", "checklist_event",
                                                                              event)


def test_verify_catches_a_deleted_record_and_a_cut_off_end(services, run_id):
    lines = _ids(services, LogEntry, run_id)
    as_owner_without_triggers(services.db, "DELETE FROM log_entry WHERE id = :id", id=lines[1])

    report = services.console.verify_log(run_id)
    assert (report.intact, report.problem) == (False, "missing")

    port = builders.port_with_branches(services, "HC", "珲春口岸")
    other = services.runs.start_run(builders.drill(services, port, level=None, starts_in=timedelta(0)))
    services.runs.add_log_entry("最后一条", drill_run_id=other)
    last = _ids(services, LogEntry, other)[-1]
    as_owner_without_triggers(services.db, "DELETE FROM log_entry WHERE id = :id", id=last)
    cut = services.console.verify_log(other)
    assert (cut.intact, cut.problem, cut.records, cut.seq) == (False, "cut_short", 1, 2)


def test_an_incidents_log_is_chained_too(services, run_id):
    incident = services.incidents.open_incident(1, "货运通道危险品泄漏")
    services.runs.add_log_entry("初报已报送", incident_id=incident)

    report = services.console.verify_log(incident_id=incident)

    assert report.intact and report.records == 3  # opened, "no plan: the generic checklist", the line


def test_two_desks_writing_the_same_run_at_once_take_turns_and_the_chain_holds(services, clock):
    """Each desk's operations wait on the run's row (PostgreSQL) or the write lock (SQLite) for a moment; none
    fails, none forks the chain."""
    import threading

    from drillapp.services import Services

    port = builders.port_with_branches(services)
    plan = builders.approved_plan(services, port)
    run = services.runs.start_run(builders.drill(services, port, plan, level=None, starts_in=timedelta(0)))
    with services.db.session() as s:
        items = list(s.scalars(select(ChecklistEntry.id).where(ChecklistEntry.drill_run_id == run)))
    errors: list[BaseException] = []
    go = threading.Barrier(2)

    def desk(n: int) -> None:
        mine = Services(services.db, services.actor, clock)
        try:
            go.wait()
            for i in range(10):
                mine.runs.add_log_entry(f"{n}号台第{i}条", drill_run_id=run)
                item = items[(n + i) % len(items)]
                seen = mine.runs.version_of(ChecklistEntry, item)  # as this desk shows the item
                try:
                    if i % 2 == 0:
                        mine.runs.tick(item, expected_version=seen)
                    else:
                        mine.runs.note_entry(item, f"{n}号台备注", expected_version=seen)
                except ConflictError:  # the other desk changed it since: refused in words, nothing written
                    pass
                except DomainError as exc:  # the other desk ticked it first
                    if "already ticked" not in str(exc):
                        raise
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    report = services.console.verify_log(run)
    assert report.intact, report.message()
    with services.db.session() as s:
        lines = len(list(s.scalars(select(LogEntry.id).where(LogEntry.drill_run_id == run))))
    assert lines == 1 + 20
