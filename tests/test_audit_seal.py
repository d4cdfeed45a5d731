"""The sealed audit trail: a hash chain made after the fact over the committed entries, and `audit verify`,
which names the first entry that no longer matches its seal. The tampering here is done the way an owner
of the database could: with the append-only triggers out of the way."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

import psycopg
import pytest
from helpers import audit_trail, builders, databases
from helpers.audit_tamper import as_owner_without_triggers
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from drillapp.db import Database
from drillapp.models import AuditEntry, AuditSeal
from drillapp.models.enums import Role
from drillapp.services import Services, audit_seal, hashchain
from drillapp.services.audit_seal import AuditSealService
from drillapp.services.context import SYSTEM_ACTOR
from drillapp.services.errors import PermissionDeniedError
from drillapp.services.org import UserService


@pytest.fixture(params=["sqlite", "postgresql"])
def trail(request: pytest.FixtureRequest, clock) -> Services:
    """Services on a migrated database of each kind with a few audit entries (PostgreSQL skips when unreachable)."""
    database = request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")
    admin = UserService(database, SYSTEM_ACTOR).ensure_local_user("admin")
    services = Services(database, admin, clock)
    port = builders.port_with_branches(services)
    builders.member(services, port, "李娜")
    return services


def _entry_ids(db: Database) -> list[int]:
    with db.engine.connect() as conn:
        return list(conn.scalars(select(AuditEntry.id).order_by(AuditEntry.id)))


def _seals(db: Database) -> list[tuple[int, int, str]]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(AuditSeal.seq, AuditSeal.audit_id, AuditSeal.chain_hash).order_by(AuditSeal.seq))]


def _documented_chain(db: Database, seal_order: list[int]) -> str:
    """The head hash recomputed from the entries as docs/architecture.md describes the chain, without the app's
    hashing code: SHA-256 over the previous link, a newline and the entry as compact sorted ASCII JSON."""
    previous = hashlib.sha256(b"drillapp hash chain: audit_entry").hexdigest()
    with db.engine.connect() as conn:
        rows = {r["id"]: r for r in conn.execute(select(AuditEntry.__table__)).mappings()}
    for audit_id in seal_order:
        row = dict(rows[audit_id])
        row["at"] = row["at"].strftime("%Y-%m-%dT%H:%M:%S.%f")
        payload = json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
        previous = hashlib.sha256(previous.encode() + b"\n" + payload).hexdigest()
    return previous


# -- sealing -----------------------------------------------------------------------------------------------


def test_sealing_links_every_committed_entry_and_verify_says_intact(trail):
    entries = _entry_ids(trail.db)
    assert len(entries) > 5

    assert trail.audit_seal.seal() == len(entries)

    seals = _seals(trail.db)
    assert [s[0] for s in seals] == list(range(1, len(entries) + 1))
    assert [s[1] for s in seals] == entries
    assert seals[-1][2] == _documented_chain(trail.db, entries)
    assert trail.audit_seal.seal() == 0, "nothing new: nothing sealed"

    report = trail.audit_seal.verify()

    assert (report.intact, report.broken_entry, report.problem) == (True, None, "")
    assert report.sealed == len(entries) and report.unsealed == 0
    assert report.head == audit_seal.SealHead(len(entries), entries[-1], seals[-1][2])
    assert report.message().startswith(f"Audit trail intact: {len(entries)} entries sealed")
    assert seals[-1][2] in report.message(), "the head hash is printed, to be kept elsewhere"


def test_verify_seals_new_entries_first_and_notes_who_checked(trail):
    trail.audit_seal.seal()
    trail.org.create_port("HC", "珲春口岸")

    report = trail.audit_seal.verify()

    assert report.intact and report.sealed == len(_entry_ids(trail.db)) - 1  # all but its own note
    [note] = audit_trail.entries(trail.db, operation="audit.verify")
    assert note["username"] == "admin" and note["entity"] == "audit_seal"
    assert note["after"]["note"].startswith("audit trail verified: intact") and report.head.chain_hash in note["after"]["note"]


def test_sealing_writes_no_audit_entry_and_goes_in_batches(trail):
    entries = _entry_ids(trail.db)

    assert trail.audit_seal.seal(batch=2) == len(entries)

    assert _entry_ids(trail.db) == entries
    assert [s[1] for s in _seals(trail.db)] == entries
    assert _seals(trail.db)[-1][2] == _documented_chain(trail.db, entries), "batches chain on from each other"


def test_an_entry_committed_late_with_a_lower_id_is_sealed_later_and_the_chain_holds(trail):
    """An entry whose transaction commits after entries with higher ids were sealed (ids are drawn at insert,
    not at commit) joins the chain at its end: the chain runs in sealing order."""
    top = max(_entry_ids(trail.db))
    insert = ("INSERT INTO audit_entry (id, at, username, operation, action, entity) "
              "VALUES (:id, :at, 'zhao', 'org.create_port', 'insert', 'port')")
    with trail.db.engine.begin() as conn:  # the later transaction, committed first
        conn.execute(text(insert), {"id": top + 10, "at": datetime(2026, 3, 2, 8, 0, 0, 123456)})
    trail.audit_seal.seal()
    with trail.db.engine.begin() as conn:  # the earlier one, committed only now
        conn.execute(text(insert), {"id": top + 5, "at": datetime(2026, 3, 2, 8, 0, 0, 5)})

    assert trail.audit_seal.seal() == 1

    order = [s[1] for s in _seals(trail.db)]
    assert order[-2:] == [top + 10, top + 5]
    assert _seals(trail.db)[-1][2] == _documented_chain(trail.db, order)
    report = trail.audit_seal.verify()
    assert report.intact and report.unsealed == 0


def test_on_postgresql_an_entry_in_flight_is_sealed_once_its_transaction_commits(pg_db, clock):
    """Real transactions: one holds an audit entry (a lower id) while another's entry commits and is sealed."""
    admin = UserService(pg_db, SYSTEM_ACTOR).ensure_local_user("admin")
    services = Services(pg_db, admin, clock)
    url = pg_db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    insert = ("INSERT INTO audit_entry (at, username, operation, action, entity) "
              "VALUES (%s, 'zhao', 'org.create_port', 'insert', 'port') RETURNING id")
    with psycopg.connect(url) as slow, psycopg.connect(url, autocommit=True) as quick:
        low = slow.execute(insert, [clock()]).fetchone()[0]  # drawn first, not committed
        high = quick.execute(insert, [clock()]).fetchone()[0]
        assert low < high

        services.audit_seal.seal()
        assert [s[1] for s in _seals(pg_db)][-1] == high and low not in [s[1] for s in _seals(pg_db)]

        slow.commit()
    services.audit_seal.seal()

    assert [s[1] for s in _seals(pg_db)][-2:] == [high, low]
    assert services.audit_seal.verify().intact


def test_a_second_sealer_from_the_same_head_is_refused_and_writes_nothing(trail, monkeypatch):
    """Two desks sealing at once both start from the same head: the second one's first link takes a number
    already taken (the primary key), and its whole batch is rolled back."""
    trail.audit_seal.seal()
    trail.org.create_port("HC", "珲春口岸")
    stale = trail.audit_seal.head()
    trail.audit_seal.seal()  # the other desk got there first
    before = _seals(trail.db)
    trail.org.create_port("DN", "东宁口岸")
    monkeypatch.setattr(audit_seal, "_head", lambda conn: stale)

    assert trail.audit_seal.seal() == 0

    assert _seals(trail.db) == before
    monkeypatch.undo()
    assert trail.audit_seal.seal() == 1
    assert trail.audit_seal.verify().intact


def test_on_postgresql_a_sealer_steps_aside_while_another_seals(pg_db, clock):
    admin = UserService(pg_db, SYSTEM_ACTOR).ensure_local_user("admin")
    service = AuditSealService(pg_db, admin, clock)
    url = pg_db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [audit_seal.LOCK_KEY])

        assert service.seal() == 0  # no waiting

        other.execute("SELECT pg_advisory_unlock(%s)", [audit_seal.LOCK_KEY])
    assert service.seal() == 1


def test_seals_are_append_only(trail):
    trail.audit_seal.seal()
    before = _seals(trail.db)

    with pytest.raises(DBAPIError, match="append-only"), trail.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_seal SET chain_hash = 'x'"))
    with pytest.raises(DBAPIError, match="append-only"), trail.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_seal"))

    assert _seals(trail.db) == before


# -- what verify catches -----------------------------------------------------------------------------------


def test_an_entry_changed_after_sealing_is_named(trail):
    trail.audit_seal.seal()
    victim = _entry_ids(trail.db)[3]
    as_owner_without_triggers(trail.db, "UPDATE audit_entry SET username = 'mallory' WHERE id = :id", id=victim)

    report = trail.audit_seal.verify()

    assert (report.intact, report.broken_entry, report.problem) == (False, victim, "changed")
    assert report.sealed == 3, "the three entries before it still hold"
    assert report.message().startswith(f"Audit trail broken at entry {victim}:")
    [note] = audit_trail.entries(trail.db, operation="audit.verify")
    assert note["after"]["note"] == f"audit trail verified: broken (changed) at entry {victim}"


def test_a_change_to_the_json_of_an_entry_is_caught_too(trail):
    trail.audit_seal.seal()
    victim = _entry_ids(trail.db)[-1]
    as_owner_without_triggers(trail.db, "UPDATE audit_entry SET after = replace(after, '李娜', '李那') WHERE id = :id",
                               id=victim)

    assert trail.audit_seal.verify().broken_entry == victim


def test_a_deleted_entry_is_named(trail):
    trail.audit_seal.seal()
    victim = _entry_ids(trail.db)[2]
    as_owner_without_triggers(trail.db, "DELETE FROM audit_entry WHERE id = :id", id=victim)

    report = trail.audit_seal.verify()

    assert (report.intact, report.broken_entry, report.problem) == (False, victim, "entry_missing")
    assert "deleted" in report.message()


def test_an_entry_deleted_with_its_seal_breaks_the_chain_at_the_next_entry(trail):
    trail.audit_seal.seal()
    entries = _entry_ids(trail.db)
    as_owner_without_triggers(trail.db, "DELETE FROM audit_entry WHERE id = :id", id=entries[2])
    as_owner_without_triggers(trail.db, "DELETE FROM audit_seal WHERE audit_id = :id", id=entries[2])

    report = trail.audit_seal.verify()

    assert (report.intact, report.broken_entry, report.problem) == (False, entries[3], "seal_missing")
    assert "seal number 3 is missing" in report.message()


def test_entries_and_seals_renumbered_to_hide_a_deletion_break_the_chain(trail):
    trail.audit_seal.seal()
    entries = _entry_ids(trail.db)
    as_owner_without_triggers(trail.db, "DELETE FROM audit_seal WHERE audit_id = :id", id=entries[1])
    as_owner_without_triggers(trail.db, "DELETE FROM audit_entry WHERE id = :id", id=entries[1])
    as_owner_without_triggers(trail.db, "UPDATE audit_seal SET seq = -(seq - 1) WHERE seq > 2")
    as_owner_without_triggers(trail.db, "UPDATE audit_seal SET seq = -seq WHERE seq < 0")

    report = trail.audit_seal.verify()

    assert (report.intact, report.broken_entry, report.problem) == (False, entries[2], "changed")


def test_a_cut_off_tail_is_seen_only_against_a_kept_head(trail):
    """The limit of a chain kept in the same database: the newest entries removed together with their seals
    leave a shorter chain that holds. The head hash kept elsewhere shows it."""
    kept = trail.audit_seal.verify().head
    trail.org.create_port("HC", "珲春口岸")
    assert trail.audit_seal.verify(expect=kept.chain_hash).intact
    as_owner_without_triggers(trail.db, "DELETE FROM audit_entry WHERE id IN (SELECT audit_id FROM audit_seal "
                                         "WHERE seq >= :seq)", seq=kept.seq)
    as_owner_without_triggers(trail.db, "DELETE FROM audit_seal WHERE seq >= :seq", seq=kept.seq)

    assert trail.audit_seal.verify().intact, "without the kept head the shorter chain looks whole"
    report = trail.audit_seal.verify(expect=kept.chain_hash.upper())

    assert (report.intact, report.problem, report.broken_entry) == (False, "expected_unknown", None)
    assert kept.chain_hash in report.message()


def test_checking_the_trail_is_for_administrators_and_coordinators(trail):
    viewer = builders.services_as(trail, builders.actor(trail, Role.VIEWER))
    before = databases.row_counts(trail.db)

    with pytest.raises(PermissionDeniedError):
        viewer.audit_seal.verify()

    assert databases.row_counts(trail.db) == before
    coordinator = builders.services_as(trail, builders.actor(trail, Role.COORDINATOR))
    assert coordinator.audit_seal.verify().intact


# -- the shared hashing helper -----------------------------------------------------------------------------


def test_canonical_form_is_pinned():
    record = {"b": 2, "a": "李 <&> \"q\"", "at": datetime(2026, 3, 2, 8, 0), "none": None, "list": (1, "x")}

    assert hashchain.canonical(record) == (
        b'{"a":"\\u674e <&> \\"q\\"","at":"2026-03-02T08:00:00.000000","b":2,"list":[1,"x"],"none":null}'
    )
    assert hashchain.canonical({"s": "\ud800"}) == b'{"s":"\\ud800"}', "text that is not UTF-8 still serialises"
    with pytest.raises(ValueError):
        hashchain.canonical({"x": float("nan")})


def test_links_and_first_break():
    start = hashchain.genesis("drill_log")
    assert start != hashchain.genesis("audit_entry")
    payloads = [hashchain.canonical({"n": n}) for n in range(4)]
    links = list(hashchain.chain(start, payloads))
    assert links[0] == hashlib.sha256(start.encode() + b"\n" + payloads[0]).hexdigest()

    records = [(n, p, h) for n, (p, h) in enumerate(zip(payloads, links, strict=True))]
    assert hashchain.first_break(start, records) == (None, links[-1], 4)
    changed = [*records[:2], (2, hashchain.canonical({"n": 99}), links[2]), records[3]]
    assert hashchain.first_break(start, changed) == (2, links[1], 2)
    assert hashchain.first_break(start, [*records[:1], (1, None, links[1])]) == (1, links[0], 1)
    assert hashchain.first_break(links[1], records[2:]) == (None, links[3], 2), "goes on from a batch's end"


def test_verify_in_small_chunks_finds_the_same(trail):
    """Large trails are read a chunk at a time: chunk boundaries change nothing."""
    trail.audit_seal.seal()
    count = len(_seals(trail.db))

    report = trail.audit_seal.verify(chunk=2)

    assert report.intact and report.sealed == count
    victim = _entry_ids(trail.db)[4]
    as_owner_without_triggers(trail.db, "UPDATE audit_entry SET entity = 'x' WHERE id = :id", id=victim)
    assert trail.audit_seal.verify(chunk=2).broken_entry == victim
