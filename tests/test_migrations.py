"""The schema: migrations build exactly what the models describe, on SQLite and PostgreSQL, and the app
refuses a database written by a newer version."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from helpers import builders, databases
from sqlalchemy import text

from drillapp import audit_guard, schema
from drillapp.db import Database
from drillapp.models import Base, Member, Port
from drillapp.services import Services
from drillapp.services.context import SYSTEM_ACTOR
from drillapp.services.org import UserService


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db(request: pytest.FixtureRequest, tmp_path):
    """An empty database of each kind (nothing migrated yet)."""
    if request.param == "postgresql":
        yield request.getfixturevalue("pg_empty")
        return
    database = databases.open_sqlite(tmp_path / "empty.sqlite3", upgrade=False)
    yield database
    database.dispose()


def _diffs(db: Database, include_object=None) -> list:
    with db.engine.connect() as conn:
        opts = {"compare_type": True, "render_as_batch": db.is_sqlite}
        if include_object is not None:
            opts["include_object"] = include_object
        return compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)


def _run(db: Database, fn, *args: object) -> str:
    """Run an alembic command on the app's own connection, the way drillapp.schema.upgrade does; returns
    what it printed. (Alembic's Config defaults to the sys.stdout of the moment alembic was imported.)"""
    out = io.StringIO()
    schema.run_alembic(db.engine, fn, *args, stdout=out)
    return out.getvalue()


def test_upgrade_from_empty_matches_the_models(empty_db):
    assert schema.current_revision(empty_db.engine) is None

    assert schema.upgrade(empty_db.engine) == (None, schema.HEAD_REVISION)

    assert schema.current_revision(empty_db.engine) == schema.HEAD_REVISION
    assert _diffs(empty_db) == []
    assert {t.name for t in Base.metadata.sorted_tables} <= databases.table_names(empty_db)


def test_head_revision_constant_is_the_single_head_of_the_scripts():
    heads = ScriptDirectory.from_config(schema.alembic_config()).get_heads()

    assert heads == [schema.HEAD_REVISION]


def test_upgrade_twice_is_a_no_op(db):
    before = databases.table_names(db)

    assert schema.upgrade(db.engine) == (schema.HEAD_REVISION, schema.HEAD_REVISION)

    assert databases.table_names(db) == before
    assert _diffs(db) == []


def test_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path):
    database = databases.open_sqlite(tmp_path / "newer.sqlite3", upgrade=False)
    try:
        with database.engine.begin() as conn:
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
            conn.execute(text("INSERT INTO alembic_version VALUES ('9999')"))
            conn.execute(text("CREATE TABLE future_thing (id INTEGER PRIMARY KEY, note TEXT)"))
            conn.execute(text("INSERT INTO future_thing VALUES (1, 'from the future')"))

        with pytest.raises(schema.SchemaTooNewError, match="newer version of drillapp") as excinfo:
            schema.upgrade(database.engine)

        assert "9999" in excinfo.value.message
        assert databases.table_names(database) == {"alembic_version", "future_thing"}
        assert schema.current_revision(database.engine) == "9999"
        assert databases.scalar(database, "SELECT note FROM future_thing WHERE id = 1") == "from the future"
    finally:
        database.dispose()


def test_downgrade_to_base_then_upgrade_again(db):
    _run(db, command.downgrade, "base")

    assert databases.table_names(db) <= {"alembic_version"}
    assert schema.current_revision(db.engine) is None

    assert schema.upgrade(db.engine) == (None, schema.HEAD_REVISION)
    assert _diffs(db) == []


def test_existing_data_survives_a_second_upgrade(db, clock):
    admin = UserService(db, SYSTEM_ACTOR).ensure_local_user("admin")
    services = Services(db, admin, clock)
    port = builders.port_with_branches(services)
    member_id = builders.member(services, port, "李娜")
    counts = databases.row_counts(db)

    schema.upgrade(db.engine)
    _run(db, command.upgrade, "head")  # alembic itself, past the start-up shortcut

    assert databases.row_counts(db) == counts
    with db.session() as s:
        assert s.get(Member, member_id).name == "李娜"
        assert s.get(Port, port.port_id).code == "QH"


@pytest.mark.sqlite_only("SQLite pragmas: WAL and foreign_keys are SQLite settings; PostgreSQL has neither")
def test_sqlite_runs_in_wal_mode_with_foreign_keys_on(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_0006_adds_the_seal_table_and_drops_the_old_scheduler_job_tables(empty_db):
    """Before 0006 each workstation's scheduler made its own job table at run time (pickled jobs, not data);
    0006 drops them and adds audit_seal with its append-only triggers, keeping the trail."""
    _run(empty_db, command.upgrade, "0005")
    old_table = "apscheduler_jobs_0123456789ab"
    with empty_db.engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE {old_table} (id VARCHAR(191) PRIMARY KEY, next_run_time FLOAT, "
                          "job_state BYTEA)" if not empty_db.is_sqlite else
                          f"CREATE TABLE {old_table} (id VARCHAR(191) PRIMARY KEY, next_run_time FLOAT, job_state BLOB)"))
        conn.execute(text(f"INSERT INTO {old_table} (id, next_run_time) VALUES ('reminder:1', 0)"))
        conn.execute(text("INSERT INTO audit_entry (at, username, operation, action, entity) "
                          "VALUES (:at, 'zhao', 'org.create_port', 'insert', 'port')"), {"at": datetime(2026, 3, 2)})

    assert schema.upgrade(empty_db.engine) == ("0005", schema.HEAD_REVISION)

    tables = databases.table_names(empty_db)
    assert old_table not in tables and "audit_seal" in tables
    assert not any(t.startswith(databases.JOBSTORE_PREFIX) for t in tables)
    assert _diffs(empty_db) == []
    assert "No new upgrade operations detected" in _run(empty_db, command.check)
    assert databases.scalar(empty_db, "SELECT username FROM audit_entry") == "zhao"
    with empty_db.engine.connect() as conn:
        assert audit_guard.problems(conn) == []


def test_roster_migration_keeps_existing_shifts_and_assignments(empty_db, clock):
    """0004 adds on_call_shift.period_id and shift_assignment.manual: shifts made before it (the demo's)
    keep their rows and people, with no period."""
    _run(empty_db, command.upgrade, "0003")
    with empty_db.engine.begin() as conn:
        conn.execute(text("INSERT INTO port (id, code, name_zh, name_en, kind, neighbour_country, row_version) "
                          "VALUES (1, 'QH', '口岸', '', 'road', '', 1)"))
        conn.execute(text("INSERT INTO branch (id, port_id, agency, name_zh, name_en, duty_phone, row_version) "
                          "VALUES (1, 1, 'customs', '海关', '', '', 1)"))
        conn.execute(text("INSERT INTO member (id, branch_id, name, post, rank, phone, mobile, email, status, "
                          "notes, row_version, created_at) VALUES (1, 1, '李娜', '', '', '', '', '', 'active', '', 1, "
                          ":now)"), {"now": clock()})
        conn.execute(text("INSERT INTO on_call_shift (id, port_id, kind, starts_at, ends_at, published, row_version) "
                          "VALUES (7, 1, 'duty_24h', :a, :b, true, 1)"),
                     {"a": clock(), "b": clock()})
        conn.execute(text("INSERT INTO shift_assignment (id, shift_id, member_id, duty, row_version) "
                          "VALUES (3, 7, 1, '值班', 1)"))

    assert schema.upgrade(empty_db.engine) == ("0003", schema.HEAD_REVISION)

    assert _diffs(empty_db) == []
    with empty_db.engine.connect() as conn:
        assert conn.execute(text("SELECT id, period_id FROM on_call_shift")).all() == [(7, None)]
        assert conn.execute(text("SELECT id, shift_id, member_id, duty, manual FROM shift_assignment")).all() == [
            (3, 7, 1, "值班", False)
        ]


def test_0007_gives_the_same_items_of_a_plans_versions_one_lineage(empty_db):
    """0007 back-fills lineage keys version by version: the same content, the same identity, or the only
    unpaired item in the same place shares its key with the version before; anything else gets its own."""
    _run(empty_db, command.upgrade, "0006")
    now = datetime(2026, 3, 2)
    rows = {
        "port": [(1, "QH")],
        "contingency_plan": [(1, "DG-01"), (2, "DG-02")],
        "plan_version": [(1, 1, 1, "superseded"), (2, 1, 2, "approved"), (3, 2, 1, "draft")],
        "plan_action": [
            (1, 1, "customs", 2, "first_response", 0, "封闭货运通道", 10),
            (2, 1, "border_inspection", None, "first_response", 1, "封控大厅", 5),
            (3, 1, "quarantine", 4, "containment", 2, "开设隔离室", 15),
            (11, 2, "border_inspection", None, "first_response", 0, "封控大厅", 5),  # the same
            (12, 2, "customs", 2, "first_response", 1, "封闭货运通道", 8),  # target changed: same agency and text
            (13, 2, "quarantine", 4, "containment", 2, "开设隔离观察室", 15),  # reworded: the only one in its place
            (14, 2, "port_office", None, "alert", 3, "报告市政府", 20),  # new
            (21, 3, "customs", 2, "first_response", 0, "封闭货运通道", 10),  # another plan: its own keys
        ],
        "plan_section": [(1, 1, None, "总则"), (2, 1, 1, "编制依据"), (3, 2, None, "总则"), (4, 2, 3, "编制依据")],
        "plan_contact": [(1, 1, "customs", "王建军", "0433-1"), (2, 2, "customs", "王建军", "0433-2")],
    }
    with empty_db.engine.begin() as conn:
        conn.execute(text("INSERT INTO port (id, code, name_zh, name_en, kind, neighbour_country, row_version) "
                          "VALUES (1, 'QH', '圈河口岸', '', 'road', '', 1)"))
        for pid, code in rows["contingency_plan"]:
            conn.execute(text("INSERT INTO contingency_plan (id, port_id, code, scenario, title_zh, title_en, "
                              "row_version, created_at) VALUES (:id, 1, :code, 'dangerous_goods', '预案', '', 1, :now)"),
                         {"id": pid, "code": code, "now": now})
        for vid, pid, number, status in rows["plan_version"]:
            conn.execute(text("INSERT INTO plan_version (id, plan_id, number, status, change_note, row_version, "
                              "created_at) VALUES (:id, :pid, :n, :status, '', 1, :now)"),
                         {"id": vid, "pid": pid, "n": number, "status": status, "now": now})
        for aid, vid, agency, level, phase, position, action, minutes in rows["plan_action"]:
            conn.execute(text("INSERT INTO plan_action (id, version_id, agency, level, phase, position, text, "
                              "responsible_post, target_minutes, row_version) VALUES (:id, :vid, :agency, :level, "
                              ":phase, :position, :text, '', :minutes, 1)"),
                         {"id": aid, "vid": vid, "agency": agency, "level": level, "phase": phase,
                          "position": position, "text": action, "minutes": minutes})
        for sid, vid, parent, title in rows["plan_section"]:
            conn.execute(text("INSERT INTO plan_section (id, version_id, parent_id, kind, position, title, body, "
                              "row_version) VALUES (:id, :vid, :parent, 'general', :id, :title, '', 1)"),
                         {"id": sid, "vid": vid, "parent": parent, "title": title})
        for cid, vid, agency, name, phone in rows["plan_contact"]:
            conn.execute(text("INSERT INTO plan_contact (id, version_id, agency, position, name, post, phone, mobile, "
                              "notes, row_version) VALUES (:id, :vid, :agency, 0, :name, '', :phone, '', '', 1)"),
                         {"id": cid, "vid": vid, "agency": agency, "name": name, "phone": phone})

    assert schema.upgrade(empty_db.engine) == ("0006", schema.HEAD_REVISION)

    assert _diffs(empty_db) == []
    with empty_db.engine.connect() as conn:
        action = dict(conn.execute(text("SELECT id, lineage FROM plan_action")).all())
        section = dict(conn.execute(text("SELECT id, lineage FROM plan_section")).all())
        contact = dict(conn.execute(text("SELECT id, lineage FROM plan_contact")).all())
        versions = dict(conn.execute(text("SELECT id, row_version FROM plan_action")).all())
    assert (action[11], action[12], action[13]) == (action[2], action[1], action[3])
    assert len({action[i] for i in (1, 2, 3, 14, 21)}) == 5, "a new action and another plan's have their own"
    assert (section[3], section[4]) == (section[1], section[2]) and section[1] != section[2]
    assert contact[2] == contact[1]
    assert all(len(key) == 36 for key in action.values())
    assert set(versions.values()) == {1}, "back-filling is not an edit"


def test_0009_keeps_the_drills_and_widens_their_statuses(empty_db, clock):
    """0009 gives existing drills a calendar uid and numbers their injects; every old kind and status stays,
    and the new statuses and role can be stored afterwards."""
    _run(empty_db, command.upgrade, "0006")
    with empty_db.engine.begin() as conn:
        conn.execute(text("INSERT INTO port (id, code, name_zh, name_en, kind, neighbour_country, row_version, "
                          "time_zone) VALUES (1, 'QH', '口岸', '', 'road', '', 1, 'Asia/Shanghai')"))
        conn.execute(text("INSERT INTO contingency_plan (id, port_id, code, scenario, title_zh, title_en, "
                          "row_version, created_at) VALUES (5, 1, 'QH-01', 'other', '预案', '', 1, :now)"),
                     {"now": clock()})
        for drill_id, kind, status in ((1, "live", "completed"), (2, "tabletop", "planned"),
                                       (3, "full_scale", "cancelled"), (4, "functional", "in_progress")):
            conn.execute(text(
                "INSERT INTO drill (id, port_id, plan_id, title, kind, scope, level, scheduled_start, "
                "duration_minutes, location, status, scenario_text, safety_notes, row_version, created_at) "
                "VALUES (:id, 1, 5, :title, :kind, 'single', 2, :at, 50, '大厅', :status, '', '', 1, :at)"),
                {"id": drill_id, "title": f"演练{drill_id}", "kind": kind, "status": status, "at": clock()})
        for inject_id, offset in ((10, 30), (11, 5), (12, 5)):
            conn.execute(text("INSERT INTO inject (id, drill_id, offset_minutes, sender, recipient, message, "
                              "expected_action, row_version) VALUES (:id, 1, :m, '导调组', '值班', '消息', '', 1)"),
                         {"id": inject_id, "m": offset})

    assert schema.upgrade(empty_db.engine) == ("0006", schema.HEAD_REVISION)

    assert _diffs(empty_db) == []
    with empty_db.engine.begin() as conn:
        rows = conn.execute(text("SELECT id, kind, status, uid, detached, series_id FROM drill ORDER BY id")).all()
        assert [(r.id, r.kind, r.status) for r in rows] == [
            (1, "live", "completed"), (2, "tabletop", "planned"), (3, "full_scale", "cancelled"),
            (4, "functional", "in_progress")]
        assert len({r.uid for r in rows}) == 4 and all(len(r.uid) == 32 for r in rows)
        assert all(not r.detached and r.series_id is None for r in rows)
        assert conn.execute(text("SELECT id, number FROM inject ORDER BY id")).all() == [(10, 3), (11, 1), (12, 2)]
        assert conn.execute(text("SELECT exercise_interval_months FROM contingency_plan")).scalar() == 12
        conn.execute(text("UPDATE drill SET status = 'postponed' WHERE id = 2"))
        conn.execute(text("INSERT INTO drill_participant (drill_id, role, row_version) VALUES (2, 'safety_officer', 1)"))


def test_0010_keeps_past_runs_chains_their_records_and_maps_the_ratings(empty_db, clock):
    """A database at 0006 with a past drill run (ticked and open items, log lines), an incident's log and a
    review rated the old way: after 0010 every run's record is a hash chain that verifies, ticked items are done
    with a "done" event at their time, and met / partly / not met are P / S / M."""
    from drillapp.models.enums import EventAction, ItemState, Rating
    from drillapp.services import run_chain
    from drillapp.services.review_read import load_review

    _run(empty_db, command.upgrade, "0006")
    t = clock()
    rows = [
        ("INSERT INTO port (id, code, name_zh, name_en, kind, neighbour_country, row_version) VALUES "
         "(1, 'QH', '圈河口岸', '', 'road', '朝鲜', 1), (2, 'HC', '珲春口岸', '', 'road', '俄罗斯', 1)", {}),
        ("INSERT INTO app_user (id, username, display_name, role, active, failed_logins, row_version, created_at) "
         "VALUES (1, 'li', '李强', 'duty_officer', true, 0, 1, :t)", {}),
        ("INSERT INTO contingency_plan (id, port_id, code, scenario, title_zh, title_en, row_version, created_at) "
         "VALUES (1, 1, 'QH-01', 'violent_attack', '预案', '', 1, :t)", {}),
        ("INSERT INTO plan_version (id, plan_id, number, status, change_note, row_version, created_at) "
         "VALUES (1, 1, 1, 'approved', '', 1, :t)", {}),
        ("INSERT INTO plan_action (id, version_id, agency, phase, position, text, responsible_post, target_minutes, "
         "level, row_version) VALUES (1, 1, 'border_inspection', 'first_response', 0, '封控旅检大厅', '', 5, 2, 1), "
         "(2, 1, 'quarantine', 'containment', 1, '开设隔离观察室', '', 15, NULL, 1)", {}),
        ("INSERT INTO drill (id, port_id, plan_id, title, kind, scope, scheduled_start, duration_minutes, location, "
         "status, scenario_text, safety_notes, row_version, created_at) VALUES (1, 1, 1, '实战演练', 'live', "
         "'single', :t, 50, '', 'completed', '', '', 1, :t)", {}),
        ("INSERT INTO drill_objective (id, drill_id, position, text, row_version) VALUES (1, 1, 0, '5分钟内封控', 1), "
         "(2, 1, 1, '15分钟内启用隔离室', 1), (3, 1, 2, '30分钟内初报', 1)", {}),
        ("INSERT INTO drill_run (id, drill_id, plan_version_id, level, status, started_at, ended_at, started_by_id, "
         "row_version) VALUES (1, 1, 1, 2, 'ended', :t, :end, 1, 1)", {}),
        ("INSERT INTO checklist_entry (id, drill_run_id, plan_action_id, agency, position, text, target_minutes, "
         "done_at, done_by_id, note, row_version) VALUES (1, 1, 1, 'border_inspection', 0, '封控旅检大厅', 5, :d4, 1, "
         "'北侧', 2), (2, 1, 2, 'quarantine', 1, '开设隔离观察室', 15, NULL, NULL, '', 1)", {}),
        ("INSERT INTO log_entry (id, drill_run_id, at, author_id, author_name, kind, text, created_at) VALUES "
         "(1, 1, :t, 1, 'li', 'system', '演练开始', :t), (2, 1, :d9, 1, 'li', 'muster', '机动队集结完毕', :t), "
         "(3, 1, :end, 1, 'li', 'system', '演练结束', :t)", {}),
        ("INSERT INTO incident (id, port_id, title, status, opened_at, summary, row_version, created_at) "
         "VALUES (1, 1, '危险品泄漏', 'active', :t, '', 1, :t)", {}),
        ("INSERT INTO log_entry (id, incident_id, at, author_name, kind, text, created_at) VALUES "
         "(4, 1, :t, '值班员', 'system', '事件处置启动', :t)", {}),
        ("INSERT INTO after_action_review (id, port_id, drill_run_id, title, summary, status, row_version, created_at) "
         "VALUES (1, 1, 1, '评估', '', 'draft', 1, :t)", {}),
        ("INSERT INTO objective_rating (id, review_id, objective_id, rating, note, row_version) VALUES "
         "(1, 1, 1, 'met', '', 1), (2, 1, 2, 'partly', '', 1), (3, 1, 3, 'not_met', '', 1)", {}),
    ]
    times = {"t": t, "d4": t.replace(minute=4), "d9": t.replace(minute=9), "end": t.replace(minute=50)}
    with empty_db.engine.begin() as conn:
        for sql, _ in rows:
            conn.execute(text(sql), {k: v for k, v in times.items() if f":{k}" in sql})

    assert schema.upgrade(empty_db.engine) == ("0006", schema.HEAD_REVISION)

    assert _diffs(empty_db) == []
    with empty_db.session() as s:
        run = run_chain.verify(s, run_chain.run(1))
        incident = run_chain.verify(s, run_chain.incident(1))
        assert (run.intact, run.records, incident.intact, incident.records) == (True, 4, True, 1)
        events = s.execute(text("SELECT entry_id, action, happened_at, author_name, text, seq FROM checklist_event"))
        [(entry, action, happened, author, note, seq)] = events.all()
        assert (entry, action, author, note, seq) == (1, EventAction.DONE.value, "li", "北侧", 2)
        states = dict(s.execute(text("SELECT id, state FROM checklist_entry")).all())
        assert states == {1: ItemState.DONE.value, 2: ItemState.OPEN.value}
        assert s.execute(text("SELECT phase, action_level FROM checklist_entry WHERE id = 1")).one() == (
            "first_response", 2)
        assert dict(s.execute(text("SELECT objective_id, rating FROM objective_rating")).all()) == {
            1: Rating.P.value, 2: Rating.S.value, 3: Rating.M.value}
        assert dict(s.execute(text("SELECT code, neighbour_time_zone FROM port")).all()) == {
            "QH": "Asia/Pyongyang", "HC": "Asia/Vladivostok"}
        doc = load_review(s, 1, t.date())
        assert [r.rating for r in doc.ratings] == [Rating.P, Rating.S, Rating.M]
        [seal] = [m for m in doc.record.measures if m.text == "封控旅检大厅"]
        assert (seal.minutes_taken, seal.late) == (4, False)
    with empty_db.engine.connect() as conn:
        assert audit_guard.problems(conn) == []
