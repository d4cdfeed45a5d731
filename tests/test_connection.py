"""The remembered shared-database connection: URL in the settings, password only in the keyring."""

from __future__ import annotations

import keyring
import pytest
from helpers import databases
from keyring.backend import KeyringBackend
from keyring.backends import fail

from drillapp import connection
from drillapp.services.errors import DomainError


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


def test_url_has_no_password_and_the_keyring_has_it(memory_keyring) -> None:
    url = connection.build_url("db.port.local", 5432, "drillapp", "duty")
    assert url == "postgresql+psycopg://duty@db.port.local:5432/drillapp"
    assert connection.store_password(url, "s3cret:@/x")
    assert list(memory_keyring.store.values()) == ["s3cret:@/x"]
    assert connection.load_password(url) == "s3cret:@/x"
    full = connection.with_password(url, "s3cret:@/x")
    assert "s3cret" not in url and full != url
    from sqlalchemy.engine import make_url

    assert make_url(full).password == "s3cret:@/x"


def test_without_a_keyring_nothing_is_stored(monkeypatch) -> None:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert not connection.keyring_available()
        assert connection.store_password("postgresql+psycopg://u@h/d", "pw") is False
        assert connection.load_password("postgresql+psycopg://u@h/d") is None
    finally:
        keyring.set_keyring(before)


def test_incomplete_form_is_refused() -> None:
    with pytest.raises(DomainError, match="server, the database and the user"):
        connection.build_url("", 5432, "drillapp", "duty")


def test_test_connection_says_what_is_wrong(tmp_path) -> None:
    assert connection.test_connection(f"sqlite:///{tmp_path / 'x.sqlite3'}").startswith("SQLite")
    with pytest.raises(DomainError, match="Could not connect"):
        connection.test_connection("postgresql+psycopg://nobody@127.0.0.1:1/none", timeout_s=2)


def test_test_connection_to_the_real_server() -> None:
    reason = databases.pg_unreachable_reason()
    if reason:
        pytest.skip(reason)
    assert connection.test_connection(databases.PG_URL).startswith("PostgreSQL")
