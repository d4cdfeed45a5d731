"""The shared database connection a workstation remembers: the URL in the settings file, the password in
the system keyring (never in plain text). Plain Python: the Settings page and start-up both use it."""

from __future__ import annotations

import logging

from sqlalchemy import URL, create_engine, text
from sqlalchemy.engine import make_url

from drillapp.i18n import _
from drillapp.services.errors import DomainError

log = logging.getLogger(__name__)
KEYRING_SERVICE = "drillapp"


def build_url(host: str, port: int, database: str, user: str, require_tls: bool = False) -> str:
    """A PostgreSQL URL without the password (that goes to the keyring). Without `require_tls` the
    connection still asks for TLS (sslmode=prefer, see db.postgresql_connect_args); with it, a server
    that cannot encrypt is refused (sslmode=require)."""
    if not host.strip() or not database.strip() or not user.strip():
        raise DomainError(_("Give the server, the database and the user name."))
    return URL.create("postgresql+psycopg", username=user.strip(), host=host.strip(), port=port,
                      database=database.strip(), query={"sslmode": "require"} if require_tls else {},
                      ).render_as_string(hide_password=False)


def requires_tls(url: str) -> bool:
    return make_url(url).query.get("sslmode") in ("require", "verify-ca", "verify-full")


def _key(url: str) -> str:
    return make_url(url).set(password=None).render_as_string(hide_password=False)


def keyring_available() -> bool:
    try:
        import keyring
        from keyring.backends import fail

        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:  # a broken keyring install: behave as if there is none
        return False


def store_password(url: str, password: str) -> bool:
    """Keep the password in the system keyring; False (and nothing written anywhere) without a keyring."""
    if not keyring_available():
        return False
    import keyring

    keyring.set_password(KEYRING_SERVICE, _key(url), password)
    return True


def load_password(url: str) -> str | None:
    if not keyring_available():
        return None
    import keyring

    try:
        return keyring.get_password(KEYRING_SERVICE, _key(url))
    except Exception:
        log.exception("keyring read failed")
        return None


def with_password(url: str, password: str | None) -> str:
    if not password:
        return url
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def test_connection(url: str, password: str | None = None, timeout_s: int = 5) -> str:
    """Connect once and return the server's version; a DomainError saying what is wrong otherwise."""
    from drillapp.db import parse_url, postgresql_connect_args, resolve_url

    full = resolve_url(with_password(url, password))
    parsed = parse_url(full)
    args: dict = {}
    if parsed.get_backend_name() == "postgresql":
        args = {"connect_timeout": timeout_s, **postgresql_connect_args(parsed)}
    engine = create_engine(full, connect_args=args, pool_pre_ping=False)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                return str(conn.execute(text("SELECT version()")).scalar()).split(",")[0]
            return f"SQLite {conn.execute(text('select sqlite_version()')).scalar()}"
    except Exception as exc:
        first = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DomainError(_("Could not connect: {reason}").format(reason=first)) from exc
    finally:
        engine.dispose()
