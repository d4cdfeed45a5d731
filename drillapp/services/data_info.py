"""What the Settings page says about where the data lives, and the database checks it offers: plain data for
the screen, so the settings widgets do not reach into the database plumbing (db.py, connection.py)."""

from __future__ import annotations

from dataclasses import dataclass

from drillapp.services.context import ServiceBase


@dataclass(frozen=True)
class DataInfo:
    database: str  # the URL, any password hidden
    schema: str
    shared: bool  # a PostgreSQL server (backed up there with pg_dump), not the local SQLite file
    data_folder: str
    log_file: str
    auto_backup_folder: str


class DataInfoService(ServiceBase):
    def info(self) -> DataInfo:
        from drillapp import schema
        from drillapp.bootstrap import log_file
        from drillapp.paths import data_dir
        from drillapp.services.backup import auto_backup_dir

        return DataInfo(self.db.display_url, schema.HEAD_REVISION, not self.db.is_sqlite, str(data_dir()),
                        log_file(), str(auto_backup_dir()))

    @staticmethod
    def print_font_status() -> str:
        """Which font the print-outs embed (reads the 4 MB font file: call it off the GUI thread)."""
        from drillapp.reports.fonts import font_status

        return font_status()

    @staticmethod
    def test_connection(url: str, password: str | None = None) -> str:
        """Connect to a shared database and say which server answered (a DomainError saying why not)."""
        from drillapp import connection

        return connection.test_connection(url, password)
