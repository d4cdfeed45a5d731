"""What an operation changed, told to every screen here and at the other desks, and nothing lost.

- a write operation's change set names the kinds of record and the ids it touched;
- a read reports the tables it looked at (so a screen knows which change sets concern it);
- on SQLite the feed polls the audit trail; on PostgreSQL every commit is announced (LISTEN/NOTIFY), so a
  transaction that took its audit id early and committed late still reaches the other desk;
- the rules every session obeys are installed with the session factory, not by an accident of imports.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from helpers import builders

from drillapp.models import PlanVersion, Port
from drillapp.models.enums import PortKind, Scenario
from drillapp.services import Services, changes
from drillapp.services.change_feed import ListeningFeed, PollingFeed, parse
from drillapp.services.changes import ChangeSet
from drillapp.services.context import SYSTEM_ACTOR, ServiceBase
from drillapp.services.lists import ListService
from drillapp.services.org import UserService


def test_a_write_reports_what_it_changed(services) -> None:
    with changes.recording() as recorder:
        port = builders.port_with_branches(services)
    assert {"port", "branch"} <= recorder.changes.entities
    assert port.port_id in recorder.changes.ids["port"]
    assert any(op.startswith("org.") for op in recorder.changes.operations)
    assert recorder.changes.touches({"branch"}) and not recorder.changes.touches({"drill"})
    assert recorder.changes.touches({"audit_entry"}), "every change writes the audit trail"


def test_a_failed_write_reports_nothing(services) -> None:
    with changes.recording() as recorder:
        try:
            services.org.create_port("", "")  # refused: a code is required
        except Exception:  # noqa: BLE001 - the refusal itself is another test's business
            pass
    assert not recorder.changes


def test_a_read_reports_the_tables_it_looked_at(services) -> None:
    builders.port_with_branches(services)
    with changes.reading() as reads:
        ListService(services.db, services.actor).page("members")
    assert {"member", "branch"} <= reads.tables


def test_the_polling_feed_names_what_changed_elsewhere(services) -> None:
    feed = PollingFeed(services.db)
    assert not feed.poll()  # the first look only learns where the trail ends
    port = builders.port_with_branches(services)
    builders.member(services, port)
    seen = feed.poll()
    assert seen.remote and {"port", "branch", "member"} <= seen.entities
    assert port.port_id in seen.ids["port"]
    assert not feed.poll(), "what was reported once is not reported again"


def test_the_change_set_of_a_notification_round_trips() -> None:
    from drillapp.services.change_feed import DESK, _payload

    change = ChangeSet.of(ids={"member": [3, 4]}, operation="team.save_member")
    desk, parsed, audit = parse(_payload(change, [10, 11, 12, 20]))
    assert desk == DESK and parsed.remote
    assert parsed.entities == {"member"} and parsed.ids["member"] == {3, 4}
    assert parsed.operations == {"team.save_member"} and audit == [[10, 12], [20, 20]]
    huge = ChangeSet.of(ids={"member": range(5000)})
    assert parse(_payload(huge, []))[1].entities == {"member"}, "too many ids: the kinds still arrive"


def _new_port(service: ServiceBase, code: str, flushed: threading.Event | None = None,
              release: threading.Event | None = None) -> None:
    with service.write("org.create_port") as s:
        s.add(Port(code=code, name_zh=code, kind=PortKind.ROAD))
        s.flush()  # the audit entry (and its id) is written now, the commit comes later
        if flushed is not None and release is not None:
            flushed.set()
            assert release.wait(30)


def test_a_late_commit_with_an_early_audit_id_reaches_the_other_desk(pg_db) -> None:
    """Desk A takes audit id N and commits after desk B's N+1: polling "ids above the last seen" would miss
    A's change for good; the PostgreSQL feed (LISTEN/NOTIFY, in commit order) reports both."""
    admin = UserService(pg_db, SYSTEM_ACTOR).ensure_local_user("admin")
    service = ServiceBase(pg_db, admin)
    listening, polling = ListeningFeed(pg_db, include_own=True), PollingFeed(pg_db)
    try:
        listening.poll(0)
        polling.poll()
        flushed, release = threading.Event(), threading.Event()
        slow = threading.Thread(target=_new_port, args=(service, "EARLY", flushed, release))
        slow.start()
        assert flushed.wait(30)
        _new_port(service, "LATE")  # a later audit id, committed first
        assert polling.poll().entities == {"port"}  # the poller has now moved past the early id
        release.set()
        slow.join(30)

        assert not polling.poll(), "the early id committed late: polling by id has lost it"
        with pg_db.session() as s:
            ids = {p.code: p.id for p in s.query(Port)}
        seen = ChangeSet()
        for _ in range(20):
            seen = seen.merge(listening.poll(0.2))
            if seen.ids.get("port", frozenset()) >= {ids["EARLY"], ids["LATE"]}:
                break
        assert {ids["EARLY"], ids["LATE"]} <= seen.ids["port"]
    finally:
        listening.close()


def test_the_listening_feed_leaves_out_its_own_desk_and_rereads_the_silent_ones(pg_db) -> None:
    admin = UserService(pg_db, SYSTEM_ACTOR).ensure_local_user("admin")
    services = Services(pg_db, admin)
    feed = ListeningFeed(pg_db)  # include_own=False: this desk's runner told its screens already
    try:
        feed.poll(0)
        builders.port_with_branches(services)
        for _ in range(3):
            assert not feed.poll(0.1)
        with pg_db.engine.begin() as conn:  # a change made without the app's announcement (e.g. by hand)
            conn.exec_driver_sql(
                "INSERT INTO audit_entry (at, username, operation, action, entity, entity_id) "
                "VALUES (now(), 'psql', 'by.hand', 'update', 'member', 7)")
        seen = ChangeSet()
        for _ in range(12):  # the safety re-read runs every few polls
            seen = seen.merge(feed.poll(0.01)) if seen else feed.poll(0.01)
        assert seen.entities == {"member"} and seen.ids["member"] == {7}
    finally:
        feed.close()


FRESH_PROCESS = """
import sys
from datetime import date
from drillapp.db import Database
from drillapp.services.context import SYSTEM_ACTOR
from drillapp.services.context import ServiceBase
from drillapp.models import PlanVersion
db = Database.open(sys.argv[1])
service = ServiceBase(db, SYSTEM_ACTOR)
try:
    with service.write("plans.update_version") as s:
        version = s.get(PlanVersion, int(sys.argv[2]))
        version.change_note = "rewritten behind the committee's back"
except Exception as exc:
    print("REFUSED", type(exc).__name__)
else:
    print("CHANGED")
print("PLAN SERVICES IMPORTED:", "drillapp.services.plans" in sys.modules)
"""


def test_approved_versions_are_frozen_in_a_process_that_never_imported_the_plan_services(services, tmp_path) -> None:
    """The rule lives with the session factory: a fresh process that imports only the database layer and the
    service base (not services/plans.py) still cannot change an approved version."""
    port = builders.port_with_branches(services)
    plan_id, version_id = services.plans.create_plan(port.port_id, "FROZEN-1", Scenario.FIRE_EVACUATION, "火灾")
    services.revisions.submit_for_review(version_id, expected_version=services.revisions.version_of(PlanVersion, version_id))
    from datetime import date

    services.plans.approve_version(version_id, date(2026, 3, 1), date(2027, 3, 1), expected_version=services.plans.version_of(PlanVersion, version_id))
    script = tmp_path / "fresh.py"
    script.write_text(FRESH_PROCESS, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), services.db.url, str(version_id)], capture_output=True,
                            text=True, timeout=120, cwd=Path(__file__).parent.parent)
    assert "REFUSED DomainError" in result.stdout, result.stdout + result.stderr
    assert "PLAN SERVICES IMPORTED: False" in result.stdout
