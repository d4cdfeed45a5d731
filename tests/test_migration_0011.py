"""Migration 0011 (real incidents) keeps the data: incidents opened before it get their alarm time and a port
number per port and year of the alarm in the port's time, in the order they were opened; the incident log's
lines and their hash chain survive the rebuild of log_entry, and its append-only guard is back."""

from __future__ import annotations

from datetime import datetime

import test_migrations
from alembic import command
from sqlalchemy import text
from test_migrations import _diffs, _run

from drillapp import audit_guard, schema
from drillapp.services import hashchain, run_chain

empty_db = test_migrations.empty_db  # the fixture: an empty database of each kind


def test_0011_numbers_existing_incidents_and_keeps_their_chained_log(empty_db):
    _run(empty_db, command.upgrade, "0010")
    opened = [datetime(2026, 5, 1, 2, 0), datetime(2026, 12, 31, 17, 0), datetime(2026, 7, 1, 3, 0)]
    owner = run_chain.incident(1)
    values = {"seq": 1, "at": opened[0], "recorded_at": opened[0], "author_id": None, "author_name": "值班员",
              "agency": None, "kind": "system", "text": "事件处置启动", "corrects_id": None}
    link = hashchain.link(owner.genesis, run_chain.log_payload(owner, values))
    with empty_db.engine.begin() as conn:
        conn.execute(text("INSERT INTO port (id, code, name_zh, name_en, kind, neighbour_country, time_zone, "
                          "neighbour_time_zone, row_version) VALUES (1, 'QH', '圈河口岸', '', 'road', '朝鲜', "
                          "'Asia/Shanghai', '', 1), (2, 'HC', '珲春口岸', '', 'road', '俄罗斯', 'Asia/Shanghai', '', 1)"))
        for n, (port, at) in enumerate([(1, opened[0]), (1, opened[1]), (2, opened[2])], start=1):
            conn.execute(text("INSERT INTO incident (id, port_id, title, status, opened_at, summary, chain_seq, "
                              "chain_head, row_version, created_at) VALUES (:id, :port, :title, 'active', :at, '', "
                              ":seq, :head, 1, :at)"),
                         {"id": n, "port": port, "title": f"事件{n}", "at": at, "seq": 1 if n == 1 else 0,
                          "head": link if n == 1 else ""})
        conn.execute(text("INSERT INTO log_entry (id, incident_id, at, recorded_at, author_name, kind, text, seq, "
                          "chain_hash, created_at) VALUES (1, 1, :at, :at, '值班员', 'system', '事件处置启动', 1, "
                          ":hash, :at)"), {"at": opened[0], "hash": link})

    assert schema.upgrade(empty_db.engine) == ("0010", schema.HEAD_REVISION)

    assert _diffs(empty_db) == []
    with empty_db.session() as s:
        rows = s.execute(text("SELECT id, number, year, serial, alarm_at FROM incident ORDER BY id")).all()
        assert [(r.id, r.number, r.year, r.serial) for r in rows] == [
            (1, "QH-2026-001", 2026, 1), (2, "QH-2027-001", 2027, 1), (3, "HC-2026-001", 2026, 1)]
        assert [str(r.alarm_at)[:16] for r in rows] == ["2026-05-01 02:00", "2026-12-31 17:00", "2026-07-01 03:00"]
        report = run_chain.verify(s, owner)
        assert report.intact and report.records == 1
    with empty_db.engine.connect() as conn:
        assert audit_guard.problems(conn) == []
