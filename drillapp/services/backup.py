"""Backup and restore of the embedded SQLite database (SQLite's online backup API: safe while in use).

Both are an administrator's, and both are audited: a backup holds every log-in (password hashes
included, so that a restore brings the log-ins back). A restore never touches the live database until
the backup has proved itself: it is copied to a temporary file beside the live one, checked (SQLite's
integrity check, a schema revision this code knows, every table and the audit trail's triggers),
upgraded there if it is older, and only then swapped in with one atomic rename, the live database's
connections closed and its write-ahead log folded in first. Any failure before the swap leaves the live
database as it was and says why.

A shared PostgreSQL database is backed up by its server's own tools (pg_dump / pg_restore).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from drillapp.clock import to_local, utcnow
from drillapp.i18n import _
from drillapp.services import audit
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError, ReadOnlyDatabaseError

AUTO_PREFIX = "auto-"
log = logging.getLogger(__name__)


def auto_backup_dir() -> Path:
    from drillapp.paths import data_dir

    return data_dir() / "backups"


def latest_auto_backup(folder: Path) -> datetime | None:
    """When the newest automatic backup in `folder` was written (aware UTC), or None when there is none."""
    from datetime import UTC

    times = [p.stat().st_mtime for p in Path(folder).glob(f"{AUTO_PREFIX}*.sqlite3")]
    return datetime.fromtimestamp(max(times), UTC) if times else None


def _require_sqlite(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise DomainError(
            _("Backups of a shared PostgreSQL database are made on the server: use pg_dump (and pg_restore).")
        )
    if not parsed.database or parsed.database == ":memory:":
        raise DomainError(_("This database lives only in memory; there is nothing to back up."))
    return parsed.database


def _sidecars(path: Path) -> tuple[Path, Path]:
    """SQLite's write-ahead log and its index beside a database file."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _not_a_backup(path: Path, why: str) -> DomainError:
    return DomainError(_("{path} is not a drillapp backup that can be restored: {why}. The current database "
                         "was not changed.").format(path=path, why=why))


def _copy_into(source: Path, dest: Path) -> None:
    """Copy the database `source` (opened read-only) into the new file `dest` with the backup API."""
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise _not_a_backup(source, str(exc)) from exc
    try:
        out = sqlite3.connect(dest)
        try:
            src.backup(out)
        finally:
            out.close()
    except sqlite3.Error as exc:
        raise _not_a_backup(source, str(exc)) from exc
    finally:
        src.close()


def _checked_copy(source: Path, tmp: Path) -> None:
    """Copy the backup to `tmp`, prove it sound and bring it to this version's schema, or raise."""
    from drillapp import schema
    from drillapp.db import create_app_engine

    _copy_into(source, tmp)
    try:
        with closing(sqlite3.connect(tmp)) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
            if problems != ["ok"]:
                raise _not_a_backup(source, _("the file is damaged ({problem})").format(problem=problems[0]))
            has_version = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()[0]
            revisions = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")] if has_version else []
    except sqlite3.DatabaseError as exc:  # damaged beyond what the check can report
        raise _not_a_backup(source, str(exc)) from exc
    if len(revisions) != 1:
        raise _not_a_backup(source, _("it has no schema version"))
    if not schema.is_known(revisions[0]):
        raise DomainError(_("{path} was made by a newer drillapp (schema {revision}); install it to restore this "
                            "backup. The current database was not changed.").format(path=source,
                                                                                    revision=revisions[0]))
    engine = create_app_engine(f"sqlite:///{tmp}")
    try:
        try:
            schema.upgrade(engine)
        except DomainError:
            raise
        except Exception as exc:  # a file with a version row but not the tables to go with it
            log.info("restore: upgrading %s failed", source, exc_info=True)
            raise _not_a_backup(source, _("it cannot be brought to this version's schema ({reason})").format(
                reason=str(getattr(exc, "orig", exc)).splitlines()[0])) from exc
        tables, triggers = schema.missing_parts(engine)
        if tables:
            raise _not_a_backup(source, _("tables are missing: {names}").format(names=", ".join(tables)))
        if triggers:
            raise _not_a_backup(source, _("the audit trail's protection is missing (triggers {names})").format(
                names=", ".join(triggers)))
        try:
            schema.check_guard(engine)  # present, enabled and as the migrations made them
        except schema.AuditUnguardedError as exc:
            raise _not_a_backup(source, exc.message) from exc
        with engine.connect() as conn:
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise _not_a_backup(source, _("{n} rows point to records that are not there").format(n=len(broken)))
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()  # the last connection closes: the file stands alone, no -wal beside it
    if any(p.exists() for p in _sidecars(tmp)):
        raise DomainError(_("The checked copy of the backup could not be closed cleanly. The current database was "
                            "not changed."))


class BackupService(ServiceBase):
    def backup(self, out: Path) -> Path:
        """Copy the live database to `out` (administrators; audited). A consistent snapshot, even while
        others write."""
        self.check_access("data.backup")
        out = Path(out)
        if not out.is_dir():
            try:
                out.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DomainError(_("Could not write the backup: {error}").format(error=exc)) from exc
        out = self._copy(out)
        self._note("data.backup", f"backup written to {out}")
        return out

    def auto_backup(self, folder: Path, keep: int) -> Path | None:
        """The scheduled backup: a dated copy in `folder`, keeping the newest `keep`; None for PostgreSQL."""
        if not self.db.is_sqlite:
            return None
        if keep < 1:
            raise DomainError(_("Keep at least one automatic backup."))
        self.check_access("data.auto_backup")
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        now = self.clock()
        out = self._copy(folder / f"{AUTO_PREFIX}{now:%Y%m%d-%H%M%S}.sqlite3")
        for old in sorted(folder.glob(f"{AUTO_PREFIX}*.sqlite3"))[:-keep]:
            old.unlink(missing_ok=True)
        self._note("data.auto_backup", f"automatic backup written to {out}")
        return out

    def restore(self, source: Path) -> Path:
        """Replace the live database with a backup (administrators; audited); the current one is saved
        beside it first. Returns where it was saved."""
        self.check_access("data.restore")  # before anything is touched
        live = Path(_require_sqlite(self.db.url))
        source = Path(source)
        if not source.is_file():
            raise DomainError(_("The backup file {path} does not exist.").format(path=source))
        if source.resolve() == live.resolve():
            raise DomainError(_("{path} is the database in use; choose a backup file.").format(path=source))
        stamp = to_local(utcnow())
        tmp = live.with_name(f"{live.name}.restoring-{stamp:%Y%m%d-%H%M%S}")
        safety = live.with_name(f"{live.name}.before-restore-{stamp:%Y%m%d-%H%M%S}")
        try:
            _checked_copy(source, tmp)
            self._copy(safety)
            self._swap_in(tmp, live)
        finally:
            for leftover in (tmp, *_sidecars(tmp)):
                leftover.unlink(missing_ok=True)
        # the restored database may not know this user yet: the note names them without the link
        with self.write("data.restore", recheck_account=False) as s:
            audit.note(s, "database", None, f"restored from {source}; previous database saved as {safety}",
                       link_user=False)
        return safety

    # -- the parts --------------------------------------------------------------------------------
    def _copy(self, out: Path) -> Path:
        live = _require_sqlite(self.db.url)
        if out.is_dir():
            raise DomainError(_("{path} is a folder; give a file name for the backup.").format(path=out))
        if not out.parent.is_dir():
            raise DomainError(_("The folder {path} does not exist.").format(path=out.parent))
        if out.exists() and out.resolve() == Path(live).resolve():
            raise DomainError(_("{path} is the database in use; give another file name.").format(path=out))
        tmp = out.with_name(out.name + ".part")
        raw = self.db.engine.raw_connection()
        try:
            dest = sqlite3.connect(tmp)
            try:
                raw.driver_connection.backup(dest)  # type: ignore[union-attr]  # SQLite only (checked above): the driver connection is sqlite3's
            finally:
                dest.close()
            tmp.replace(out)
        except (OSError, sqlite3.Error) as exc:
            tmp.unlink(missing_ok=True)
            raise DomainError(_("Could not write the backup: {error}").format(error=exc)) from exc
        finally:
            raw.close()
        return out

    def _swap_in(self, checked: Path, live: Path) -> None:
        """Put the checked copy in place of the live database with one rename.

        The engine's connections are closed and the write-ahead log folded into the file first; a log
        still there afterwards means another program has the database open, and the swap is refused.
        """
        self.db.engine.dispose()
        try:
            conn = sqlite3.connect(live)
            try:
                busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise DomainError(_("The current database could not be closed for the restore: {error}").format(
                error=exc)) from exc
        wal, shm = _sidecars(live)
        if busy or wal.exists():
            raise DomainError(_("Another program (another drillapp window?) has the database open. Close it, then "
                                "restore again. The current database was not changed."))
        shm.unlink(missing_ok=True)
        try:
            os.replace(checked, live)
        except OSError as exc:
            raise DomainError(_("The database could not be replaced ({error}). The current database was not "
                                "changed.").format(error=exc.strerror or exc)) from exc
        self.db.engine.dispose()

    def _note(self, operation: str, text: str) -> None:
        """The audit line of a backup (after the copy exists); a read-only database cannot take it."""
        try:
            with self.write(operation) as s:
                audit.note(s, "database", None, text)
        except ReadOnlyDatabaseError:
            log.warning("%s not audited: the database is read-only", operation)
