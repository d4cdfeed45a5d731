"""A restore proves the backup before it touches the live database (issue 13, item 3): damaged pages, a
file holding only alembic_version, a file that is no database, a backup of a newer drillapp, one without
the audit trail's triggers are all refused with the reason, and the live database still logs in. A sound
backup, older ones too, is checked and upgraded in a temporary copy and swapped in whole.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers import builders, databases

from drillapp import schema
from drillapp.models.enums import Role
from drillapp.services.backup import BackupService
from drillapp.services.context import SYSTEM_ACTOR
from drillapp.services.errors import DomainError
from drillapp.services.users import UserService

pytestmark = pytest.mark.sqlite_only("restore replaces the SQLite file: PostgreSQL is restored with pg_restore")

PASSWORD = "port-office-2026"


@pytest.fixture
def live(services):
    """A live database with data and a log-in, and a sound backup of it."""
    port = builders.port_with_branches(services)
    for n in range(40):
        builders.member(services, port, f"队员{n:02d}")
    services.users.create_user("zhao", Role.ADMINISTRATOR, password=PASSWORD)
    return services


def _members(services) -> int:
    return databases.row_counts(services.db)["member"]


def _assert_live_untouched(services, members: int, tmp_path: Path) -> None:
    assert _members(services) == members
    assert UserService(services.db, SYSTEM_ACTOR).authenticate("zhao", PASSWORD).username == "zhao"
    live = Path(services.db.engine.url.database)
    assert not list(live.parent.glob(f"{live.name}.restoring-*")), "a temporary copy was left behind"
    assert not list(live.parent.glob(f"{live.name}.before-restore-*")), "nothing was replaced, nothing to keep"


def _restore(services, path: Path) -> Path:
    return BackupService(services.db, services.actor).restore(path)


def _corrupt(path: Path, table: str) -> None:
    """Overwrite the middle of `table`'s first page with garbage, as a bad sector would."""
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page_size + 16)
        fh.write(b"\xa5" * (page_size // 2))


def test_a_backup_with_damaged_pages_is_refused(live, tmp_path):
    backup = BackupService(live.db, live.actor).backup(tmp_path / "b.sqlite3")
    _corrupt(backup, "member")
    members = _members(live)

    with pytest.raises(DomainError, match="not a drillapp backup that can be restored") as refused:
        _restore(live, backup)

    assert "damaged" in refused.value.message or "malformed" in refused.value.message
    assert "was not changed" in refused.value.message
    _assert_live_untouched(live, members, tmp_path)


@pytest.mark.parametrize("revision", [schema.HEAD_REVISION, "0001"])
def test_a_file_holding_only_alembic_version_is_refused(live, tmp_path, revision):
    fake = tmp_path / "only-version.sqlite3"
    with sqlite3.connect(fake) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    conn.close()
    members = _members(live)

    with pytest.raises(DomainError, match="not a drillapp backup") as refused:
        _restore(live, fake)

    assert ("tables are missing" in refused.value.message
            or "cannot be brought to this version's schema" in refused.value.message)
    _assert_live_untouched(live, members, tmp_path)


def test_a_file_that_is_not_a_database_is_refused(live, tmp_path):
    notes = tmp_path / "notes.sqlite3"
    notes.write_bytes(("这不是数据库\n" * 500).encode("utf-8"))
    members = _members(live)

    with pytest.raises(DomainError, match="not a drillapp backup"):
        _restore(live, notes)

    _assert_live_untouched(live, members, tmp_path)


def test_a_backup_of_a_newer_drillapp_is_refused(live, tmp_path):
    backup = BackupService(live.db, live.actor).backup(tmp_path / "newer.sqlite3")
    with sqlite3.connect(backup) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    members = _members(live)

    with pytest.raises(DomainError, match="newer drillapp"):
        _restore(live, backup)

    _assert_live_untouched(live, members, tmp_path)


def test_a_backup_whose_audit_triggers_were_dropped_is_refused(live, tmp_path):
    backup = BackupService(live.db, live.actor).backup(tmp_path / "open.sqlite3")
    with sqlite3.connect(backup) as conn:
        conn.execute("DROP TRIGGER audit_entry_no_delete")
    conn.close()
    members = _members(live)

    with pytest.raises(DomainError, match="audit trail's protection is missing"):
        _restore(live, backup)

    _assert_live_untouched(live, members, tmp_path)


def test_restore_is_refused_while_another_program_has_the_database_open(live, tmp_path):
    backup = BackupService(live.db, live.actor).backup(tmp_path / "b.sqlite3")
    members = _members(live)
    other = sqlite3.connect(live.db.engine.url.database)  # another drillapp window, say
    try:
        other.execute("SELECT count(*) FROM member").fetchone()
        with pytest.raises(DomainError, match="Another program"):
            _restore(live, backup)
    finally:
        other.close()
    assert _members(live) == members
    assert UserService(live.db, SYSTEM_ACTOR).authenticate("zhao", PASSWORD).username == "zhao"


def test_a_sound_backup_replaces_the_live_database_whole(live, tmp_path):
    backup = BackupService(live.db, live.actor).backup(tmp_path / "b.sqlite3")
    port = builders.port_with_branches(live, "NEW", "新口岸")
    builders.member(live, port, "备份之后才来的人")
    live_file = Path(live.db.engine.url.database)

    safety = _restore(live, backup)

    assert _members(live) == 40
    kept = databases.open_sqlite(safety, upgrade=False)  # the replaced database, kept beside it
    try:
        assert databases.row_counts(kept)["member"] == 41
    finally:
        kept.dispose()
    assert UserService(live.db, SYSTEM_ACTOR).authenticate("zhao", PASSWORD).username == "zhao"
    leftovers = sorted(p.name for p in live_file.parent.iterdir() if ".restoring-" in p.name)
    assert leftovers == []
    with sqlite3.connect(live_file) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()


def test_an_older_backup_is_upgraded_in_the_temporary_copy_then_swapped_in(live, tmp_path):
    from alembic import command

    old = tmp_path / "old.sqlite3"
    old_db = databases.open_sqlite(old, upgrade=False)
    try:
        cfg = schema.alembic_config(old_db.engine)
        with old_db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0003")
    finally:
        old_db.dispose()
    before = old.read_bytes()

    _restore(live, old)

    assert schema.current_revision(live.db.engine) == schema.HEAD_REVISION
    assert old.read_bytes() == before, "the backup file itself is never changed"
    assert _members(live) == 0
