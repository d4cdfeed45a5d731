"""Shared fixtures for the whole suite: an isolated environment, a fresh database, an admin, a still clock.

The fresh database is SQLite, or with DRILLAPP_TEST_BACKEND=postgresql the PostgreSQL server at PG_URL
(every test needing it is skipped, saying why, where no server answers). A test that only makes sense on
SQLite says so with @pytest.mark.sqlite_only("why"), and is skipped, with that reason, on the PostgreSQL run.

Builders live in tests/helpers (builders.py: a port, a plan, a drill ...; databases.py: SQLite and
PostgreSQL plumbing), not here.
"""

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt (the GUI tests)

import shutil  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from helpers import databases  # noqa: E402

from drillapp import clock as port_clock  # noqa: E402
from drillapp import i18n, schema  # noqa: E402
from drillapp.clock import FixedClock  # noqa: E402
from drillapp.db import Database  # noqa: E402
from drillapp.services import Services  # noqa: E402
from drillapp.services.context import SYSTEM_ACTOR, Actor  # noqa: E402
from drillapp.services.org import UserService  # noqa: E402

#: A Monday morning, naive UTC like everything stored.
START = datetime(2026, 3, 2, 8, 0)


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Never touch the real user folder or database; speak English whatever the machine speaks."""
    monkeypatch.setenv("DRILLAPP_HOME", str(tmp_path_factory.mktemp("drillapp-home")))
    monkeypatch.delenv("DRILLAPP_DB", raising=False)
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("DRILLAPP_PORT", raising=False)
    i18n.set_language("en")
    port_clock.use_zone(None)  # the port's zone (Asia/Shanghai) until a test chooses another
    yield
    i18n.set_language("en")
    port_clock.use_zone(None)


def pytest_configure(config: pytest.Config) -> None:
    if databases.BACKEND not in databases.BACKENDS:
        raise pytest.UsageError(
            f"{databases.BACKEND_VAR}={databases.BACKEND!r}: use one of {', '.join(databases.BACKENDS)}"
        )
    config.addinivalue_line(
        "markers", "sqlite_only(reason): needs SQLite itself; skipped, with the reason, on the PostgreSQL run"
    )


def pytest_report_header(config: pytest.Config) -> str:
    if databases.ON_POSTGRESQL:
        where = f"the run's own database on the server of {databases.PG_URL}"
    else:
        where = "a SQLite file per test"
    return f"drillapp test database ({databases.BACKEND_VAR}): {databases.BACKEND}, {where}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not databases.ON_POSTGRESQL:
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            item.add_marker(pytest.mark.skip(reason=marker.args[0] if marker.args else marker.kwargs["reason"]))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database migrated from empty per session; each test gets a copy (a migration costs ~0.15 s)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    databases.open_sqlite(path).dispose()  # the last connection to close checkpoints the WAL into the file
    return path


@pytest.fixture(scope="session")
def cli_demo_file(_migrated_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file on which `drillapp demo` ran once this session, as the CLI tests' login user (duty-desk):
    tests of the command line that need the demo copy it instead of running `demo` again (4-6 s
    each on a 2-core machine). Made in the environment the tests have; the CLI's log handler is taken away again."""
    import logging

    from drillapp.cli import main

    path = tmp_path_factory.mktemp("cli-demo") / "cli.sqlite3"
    shutil.copyfile(_migrated_sqlite_template, path)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DRILLAPP_HOME", str(tmp_path_factory.mktemp("cli-demo-home")))
        patch.setenv("LOGNAME", "duty-desk")
        patch.setenv("LANG", "en_US.UTF-8")
        for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "DRILLAPP_DB", "DRILLAPP_PORT", "DRILLAPP_USER"):
            patch.delenv(var, raising=False)
        i18n.set_language("en")
        port_clock.use_zone(None)
        try:
            assert main(["--db", databases.sqlite_url(path), "demo"]) == 0
        finally:
            for handler in [h for h in root.handlers if h not in handlers]:
                root.removeHandler(handler)
                handler.close()
            root.setLevel(level)
            port_clock.use_zone(None)
    return path


@pytest.fixture(scope="session")
def _suite_postgres():
    """The PostgreSQL run's database (skips every test that needs it, saying why, when no server answers)."""
    reason = databases.pg_unreachable_reason()
    if reason:
        pytest.skip(reason)
    suite = databases.SuitePostgres().open()
    yield suite
    suite.close()


@pytest.fixture
def fresh_pg_url(_suite_postgres) -> str:
    """On the PostgreSQL run: the session's database on PG_URL's server, emptied, at the current schema."""
    return _suite_postgres.fresh()


@pytest.fixture
def db(request: pytest.FixtureRequest, tmp_path):
    """A fresh database at the current schema: a SQLite file of its own, or the emptied PostgreSQL one."""
    if databases.ON_POSTGRESQL:
        url = request.getfixturevalue("fresh_pg_url")
    else:
        path = tmp_path / "t.sqlite3"
        shutil.copyfile(request.getfixturevalue("_migrated_sqlite_template"), path)
        url = databases.sqlite_url(path)
    database = Database.open(url)
    schema.upgrade(database.engine)  # at head already: one query to prove it
    yield database
    database.dispose()


@pytest.fixture
def admin(db) -> Actor:
    return UserService(db, SYSTEM_ACTOR).ensure_local_user("admin")


@pytest.fixture
def services(db, admin, clock) -> Services:
    return Services(db, admin, clock)


@pytest.fixture
def pg_empty():
    """A PostgreSQL database with an empty public schema (not migrated); skips when no server answers."""
    reason = databases.pg_unreachable_reason()
    if reason:
        pytest.skip(reason)
    databases.reset_pg_schema()
    database = databases.open_pg()
    yield database
    database.dispose()


@pytest.fixture
def pg_db(pg_empty):
    """A clean PostgreSQL database upgraded to the current schema."""
    schema.upgrade(pg_empty.engine)
    return pg_empty
