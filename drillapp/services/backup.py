"""Backup and restore of the embedded SQLite database (SQLite's online backup API: safe while in use).

A shared PostgreSQL database is backed up by its server's own tools (pg_dump / pg_restore).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from drillapp.i18n import _
from drillapp.services import audit
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError
from drillapp.services.permissions import check_permission

AUTO_PREFIX = "auto-"


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


def _check_backup_file(path: Path) -> None:
    from drillapp.schema import HEAD_REVISION, _known

    if not path.is_file():
        raise DomainError(_("The backup file {path} does not exist.").format(path=path))
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DomainError(_("{path} is not a drillapp backup ({error}).").format(path=path, error=exc)) from exc
    if not revision:
        raise DomainError(_("{path} is not a drillapp backup (no schema version).").format(path=path))
    if revision[0] != HEAD_REVISION and not _known(revision[0]):
        raise DomainError(_("{path} was made by a newer drillapp; install it to restore this backup.").format(path=path))


class BackupService(ServiceBase):
    def backup(self, out: Path) -> Path:
        """Copy the live database to `out` (a consistent snapshot, even while others write)."""
        _require_sqlite(self.db.url)
        out = Path(out)
        if out.exists() and out.is_dir():
            raise DomainError(_("{path} is a folder; give a file name for the backup.").format(path=out))
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".part")
        raw = self.db.engine.raw_connection()
        try:
            dest = sqlite3.connect(tmp)
            try:
                raw.driver_connection.backup(dest)  # type: ignore[union-attr]
            finally:
                dest.close()
        except OSError as exc:
            raise DomainError(_("Could not write the backup: {error}").format(error=exc)) from exc
        finally:
            raw.close()
        tmp.replace(out)
        return out

    def auto_backup(self, folder: Path, keep: int) -> Path | None:
        """The scheduled backup: a dated copy in `folder`, keeping the newest `keep`; None for PostgreSQL."""
        if not self.db.is_sqlite:
            return None
        if keep < 1:
            raise DomainError(_("Keep at least one automatic backup."))
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        now = self.clock()
        out = self.backup(folder / f"{AUTO_PREFIX}{now:%Y%m%d-%H%M%S}.sqlite3")
        for old in sorted(folder.glob(f"{AUTO_PREFIX}*.sqlite3"))[:-keep]:
            old.unlink(missing_ok=True)
        return out

    def restore(self, source: Path) -> Path:
        """Replace the live database with a backup; the current one is saved beside it first."""
        check_permission(self.actor, "data.restore")  # before anything is touched
        live = Path(_require_sqlite(self.db.url))
        source = Path(source)
        _check_backup_file(source)
        safety = live.with_name(f"{live.name}.before-restore-{datetime.now():%Y%m%d-%H%M%S}")
        self.backup(safety)
        self.db.engine.dispose()
        raw = self.db.engine.raw_connection()
        try:
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                src.backup(raw.driver_connection)  # type: ignore[arg-type]
            finally:
                src.close()
        finally:
            raw.close()
        self.db.engine.dispose()
        from drillapp.schema import upgrade

        upgrade(self.db.engine)
        with self.write("data.restore") as s:
            # the restored database may not know this user yet: the note names them without the link
            audit.note(s, "database", None, f"restored from {source}; previous database saved as {safety}",
                       link_user=False)
        return safety
