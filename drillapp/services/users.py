"""Users, roles and log-in: argon2 password hashes, lock-out after repeated failures, password changes.

The first start creates the administrator (`create_first_administrator`). Until then a database has
only password-less local users (as made by `ensure_local_user` for the command line on a new
database); once any user has a password, everyone logs in.

An account without a password is the command line's own (the local user it acted as while nobody had a
password): it is not one of the app's users (not listed under Settings → Users) and cannot log in; the
log-in says so plainly instead of the usual words, as such an account can never be guessed into. An
administrator who wants it as a real account gives it a password (`drillapp users reset-password NAME`).

Log-in attempts are recorded under the account they are for (the user logging in), not the system actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update

from drillapp.i18n import _
from drillapp.models import Branch, Port, User
from drillapp.models.enums import Role
from drillapp.services import audit, validate
from drillapp.services.context import Actor, ServiceBase
from drillapp.services.errors import (
    DomainError,
    NotFoundError,
    PermissionDeniedError,
    ReadOnlyDatabaseError,
    ValidationError,
)
from drillapp.services.password_policy import MIN_PASSWORD as MIN_PASSWORD  # re-exported

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)


class LoginError(DomainError):
    """Wrong user name or password, locked, or deactivated: said without telling which names exist."""


def _login_failed() -> str:
    """The one message for every failed log-in (the reason is in the audit trail)."""
    return _("Wrong user name or password, or the account is locked: wait {minutes} minutes or ask an "
             "administrator.").format(minutes=int(LOCK_FOR.total_seconds() // 60))


_DUMMY_HASH: list[str] = []


#: What `_count_attempt` returns for the command line's password-less account.
_LOCAL = "local"


def _dummy_hash() -> str:
    """The hash checked when there is no account's hash to check: made once, with the same parameters."""
    if not _DUMMY_HASH:
        import secrets

        _DUMMY_HASH.append(hash_password(secrets.token_hex(16)))
    return _DUMMY_HASH[0]


def prepare_password_check() -> None:
    """Make the dummy hash ahead (an argon2 hash, slow on purpose): the desktop start does it while the user
    types, so pressing Enter costs one argon2 check, not two."""
    _dummy_hash()


def _verify(stored_hash: str | None, password: str) -> bool:
    """One argon2 check, against the dummy hash when there is no account (so that costs the same)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        stored_hash = stored_hash or _dummy_hash()
        return bool(_hasher().verify(stored_hash, password or ""))
    except (VerificationError, InvalidHashError):
        return False


def _shown(name: str) -> str:
    """A typed user name for the audit trail: quoted, bounded."""
    return repr(name[:64])


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: Role
    branch_id: int | None
    active: bool
    has_password: bool
    locked_until: datetime | None
    row_version: int = 0
    port_id: int | None = None

    @classmethod
    def of(cls, u: User) -> UserRow:
        return cls(u.id, u.username, u.display_name, u.role, u.branch_id, u.active, bool(u.password_hash),
                   u.locked_until, u.row_version, u.port_id)


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _check_new_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(
            _("A password needs at least {n} characters.").format(n=MIN_PASSWORD), "password"
        )
    if len(password) > 1000:
        raise ValidationError(_("That password is too long (at most 1,000 characters)."), "password")
    return password


def _new_username(s: Any, username: str) -> str:
    """A user name for a new account: no line breaks or other control characters (they would forge lines
    in the audit trail and lists), and not one that differs from an existing name only in case."""
    import unicodedata

    name = validate.text(username, "username", _("User name"), max_len=64)
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise ValidationError(_("A user name cannot contain line breaks, tabs or other control characters."),
                              "username")
    folded = name.casefold()
    for taken in s.scalars(select(User.username)):
        if taken.casefold() == folded:
            raise ValidationError(_("The user name {name} is taken.").format(name=taken), "username")
    return name


def _actor(user: User) -> Actor:
    return Actor(user.id, user.username, user.role, user.branch_id, user.display_name, user.port_id)


class UserService(ServiceBase):
    # -- start-up -----------------------------------------------------------------------------------
    def login_required(self) -> bool:
        """True once any user has a password: from then on everyone logs in."""
        with self.read() as s:
            return (s.scalar(select(func.count()).where(User.password_hash.is_not(None))) or 0) > 0

    def is_command_line_account(self, username: str) -> bool:
        """Whether `username` is the command line's password-less account (which cannot log in; the log-in
        says as much, so asking tells nothing more)."""
        with self.read() as s:
            query = select(User.id).where(User.username == username, User.password_hash.is_(None))
            return s.scalar(query) is not None

    def ensure_local_user(self, username: str, display_name: str = "") -> Actor:
        """The user a database without passwords acts as (the command line on a new database, tests);
        the first user becomes administrator."""
        with self.read() as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is not None:
                return _actor(user)
        with self.write("users.ensure_local_user") as s:
            first = (s.scalar(select(func.count()).select_from(User)) or 0) == 0
            user = User(
                username=_new_username(s, username),
                display_name=display_name or username,
                role=Role.ADMINISTRATOR if first else Role.VIEWER,
            )
            s.add(user)
            s.flush()
            return _actor(user)

    def create_first_administrator(self, username: str, password: str, display_name: str = "") -> Actor:
        """The first start: make (or give a password to) the administrator. Refused once anyone has a password."""
        _check_new_password(password)
        with self.write("users.create_first_administrator") as s:
            if (s.scalar(select(func.count()).where(User.password_hash.is_not(None))) or 0) > 0:
                raise DomainError(_("An administrator already exists; log in instead."))
            name = validate.text(username, "username", _("User name"), max_len=64)
            user = s.scalar(select(User).where(User.username == name))
            if user is None:
                user = User(username=_new_username(s, name))
                s.add(user)
            user.display_name = validate.text(display_name or name, "display_name", _("Name"), max_len=200)
            user.role, user.active = Role.ADMINISTRATOR, True
            user.password_hash = hash_password(password)
            s.flush()
            return _actor(user)

    # -- log-in -------------------------------------------------------------------------------------
    def authenticate(self, username: str, password: str) -> Actor:
        """The actor for a correct user name and password; LoginError otherwise.

        Every failure says the same words and costs the same (one argon2 check, against a dummy hash when
        there is no account to check), so a failure never tells whether an account exists, is locked or
        deactivated; the reason goes to the audit trail for the administrator.

        An attempt is counted before the password is checked, with one atomic UPDATE (failed_logins + 1,
        only while the account is not locked): whatever the concurrency, only the first MAX_FAILURES
        attempts of a lock-out window get a password check, and the one that makes the MAX_FAILURES-th
        failure locks the account. A right password resets the count.
        """
        name = (username or "").strip()
        _dummy_hash()  # made before anything is timed
        try:
            attempt = self._count_attempt(name)
        except ReadOnlyDatabaseError:
            return self._authenticate_read_only(name, password)
        if attempt is None or isinstance(attempt, str):  # None, or _LOCAL  # refused (no account, deactivated, locked, the command line's)
            _verify(None, password)
            raise LoginError(_login_failed())  # the same words for every failure (the reason is in the trail)
        user_id, count, stored_hash = attempt
        if count > MAX_FAILURES:  # attempts made at the same time used up this window: no check at all
            _verify(None, password)
            self._failed(user_id, count, f"more than {MAX_FAILURES} attempts at once")
            raise LoginError(_login_failed())
        if not _verify(stored_hash, password):
            self._failed(user_id, count, "wrong password")
            raise LoginError(_login_failed())
        return self._succeeded(user_id, password, stored_hash)

    def _count_attempt(self, name: str) -> tuple[int, int, str] | str | None:
        """Count one attempt on the account `name`: (id, attempts counted now, hash), or None (refused), or
        _LOCAL (the command line's password-less account). Written under that account when there is one."""
        with self.write("users.authenticate") as s:
            now = audit.operation_time(s)
            counted = s.execute(
                update(User)
                .where(User.username == name, User.password_hash.is_not(None), User.active.is_(True),
                       or_(User.locked_until.is_(None), User.locked_until <= now))
                .values(failed_logins=User.failed_logins + 1)
                .returning(User.id, User.failed_logins, User.password_hash)
                .execution_options(synchronize_session=False)
            ).one_or_none()
            if counted is not None:
                return counted.id, counted.failed_logins, counted.password_hash
            user = s.scalar(select(User).where(User.username == name))
            if user is None:
                audit.note(s, "app_user", None, f"log-in refused: no account {_shown(name)}", link_user=False)
                return None
            audit.act_as(s, _actor(user))
            if not user.password_hash:
                audit.note(s, "app_user", user.id, "log-in refused: the command line's account has no password")
                return _LOCAL
            if not user.active:
                audit.note(s, "app_user", user.id, "log-in refused: the account is deactivated")
            else:
                audit.note(s, "app_user", user.id,
                           f"log-in refused: the account is locked until {user.locked_until:%Y-%m-%d %H:%M} UTC")
            return None

    def _failed(self, user_id: int, count: int, reason: str) -> None:
        """Record a failed attempt (already counted); the MAX_FAILURES-th locks the account."""
        with self.write("users.authenticate") as s:
            now = audit.operation_time(s)
            audit.act_as(s, _actor(validate.get(s, User, user_id, _("User"))))
            if count == MAX_FAILURES:
                s.execute(
                    update(User)
                    .where(User.id == user_id, or_(User.locked_until.is_(None), User.locked_until <= now))
                    .values(locked_until=now + LOCK_FOR, failed_logins=0)
                    .execution_options(synchronize_session=False)
                )
                audit.note(s, "app_user", user_id, f"log-in failed: {reason}; locked for "
                           f"{int(LOCK_FOR.total_seconds() // 60)} minutes after {MAX_FAILURES} failed attempts")
            elif count > MAX_FAILURES:
                audit.note(s, "app_user", user_id, f"log-in refused: {reason}")
            else:
                audit.note(s, "app_user", user_id,
                           f"log-in failed: {reason} (failed attempt {count} of {MAX_FAILURES})")

    def _succeeded(self, user_id: int, password: str, stored_hash: str) -> Actor:
        """A right password, within the attempts allowed: the count starts again (a lock made meanwhile by
        attempts at the same time is lifted: this one was among the first MAX_FAILURES)."""
        with self.write("users.authenticate") as s:
            user = validate.get(s, User, user_id, _("User"))
            audit.act_as(s, _actor(user))
            if not user.active:  # deactivated while the password was checked
                audit.note(s, "app_user", user.id, "log-in refused after the password check: deactivated")
                actor = None
            else:
                s.execute(update(User).where(User.id == user_id).values(failed_logins=0, locked_until=None)
                          .execution_options(synchronize_session=False))
                if user.password_hash == stored_hash and _hasher().check_needs_rehash(stored_hash):
                    user.password_hash = hash_password(password)
                audit.note(s, "app_user", user.id, "logged in")
                actor = _actor(user)
        if actor is None:
            raise LoginError(_login_failed())
        return actor

    def _authenticate_read_only(self, name: str, password: str) -> Actor:
        """A database that cannot be written (a read-only copy): check the password, count and audit
        nothing (there is nowhere to write it), still refusing locked and deactivated accounts."""
        with self.read() as s:
            user = s.scalar(select(User).where(User.username == name))
            if user is not None and not user.password_hash:
                _verify(None, password)
                raise LoginError(_login_failed())
            usable = (user is not None and user.password_hash and user.active
                      and (user.locked_until is None or user.locked_until <= self.clock()))
            if not _verify(user.password_hash if usable else None, password):  # type: ignore[union-attr]  # usable implies a user with a hash
                raise LoginError(_login_failed())
            assert user is not None
            return _actor(user)

    def unlock(self, user_id: int) -> None:
        """An administrator lifts a lock-out at once (and forgets the failed attempts)."""
        with self.write("users.unlock") as s:
            user = validate.get(s, User, user_id, _("User"))
            user.failed_logins, user.locked_until = 0, None
            audit.note(s, "app_user", user.id, "lock-out lifted by an administrator")

    def find(self, username: str) -> UserRow:
        """The user with exactly this user name (administration by name, e.g. the command line)."""
        with self.read() as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is None:
                raise NotFoundError(_("There is no user {name}.").format(name=username))
            return UserRow.of(user)

    def change_password(self, old_password: str, new_password: str) -> None:
        """The acting user changes their own password."""
        from argon2.exceptions import InvalidHashError, VerificationError

        _check_new_password(new_password)
        with self.write("users.change_password") as s:
            user = validate.get(s, User, self.actor.user_id, _("User"))
            if user.password_hash:
                try:
                    _hasher().verify(user.password_hash, old_password)
                except (VerificationError, InvalidHashError) as exc:
                    raise ValidationError(_("The current password is not right."), "old_password") from exc
            user.password_hash = hash_password(new_password)

    # -- administration -----------------------------------------------------------------------------
    def create_user(
        self, username: str, role: Role, display_name: str = "", branch_id: int | None = None,
        password: str | None = None,
    ) -> int:
        with self.write("users.create_user") as s:
            if branch_id is not None:
                validate.get(s, Branch, branch_id, _("Branch"))
            name = _new_username(s, username)
            user = User(
                username=name,
                display_name=validate.text(display_name or name, "display_name", _("Name"), max_len=200),
                role=role,
                branch_id=branch_id,
                password_hash=hash_password(_check_new_password(password)) if password is not None else None,
            )
            s.add(user)
            s.flush()
            return user.id

    def update_user(self, user_id: int, expected_version: int, **values: Any) -> None:
        allowed = {"display_name", "role", "branch_id", "active", "port_id"}
        with self.write("users.update_user") as s:
            user = validate.get(s, User, user_id, _("User"))
            validate.expect_version(user, expected_version)
            for key, value in values.items():
                if key not in allowed:
                    raise ValidationError(_("Unknown user field: {field}").format(field=key), key)
                if key == "branch_id" and value is not None:
                    validate.get(s, Branch, value, _("Branch"))
                if key == "port_id" and value is not None:
                    validate.get(s, Port, value, _("Port"))
                if key == "display_name":
                    value = validate.text(value, key, _("Name"), max_len=200)
                setattr(user, key, value)
            if user.id == self.actor.user_id and (user.role is not Role.ADMINISTRATOR or not user.active):
                raise PermissionDeniedError(_("You cannot remove your own administrator rights."))
            s.flush()
            if not _an_active_administrator_remains(s):
                raise DomainError(_("At least one active administrator must remain."))

    def reset_password(self, user_id: int, new_password: str) -> None:
        """An administrator sets a new password (and lifts a lock-out)."""
        _check_new_password(new_password)
        with self.write("users.reset_password") as s:
            user = validate.get(s, User, user_id, _("User"))
            user.password_hash = hash_password(new_password)
            user.failed_logins, user.locked_until = 0, None

    def users(self, *, include_local: bool = False) -> list[UserRow]:
        """The app's users; the command line's password-less accounts only with `include_local`."""
        query = select(User).order_by(User.username)
        if not include_local:
            query = query.where(User.password_hash.is_not(None))
        with self.read() as s:
            return [UserRow.of(u) for u in s.scalars(query)]


def _an_active_administrator_remains(s: Any) -> bool:
    count = s.scalar(select(func.count()).where(User.role == Role.ADMINISTRATOR, User.active.is_(True)))
    return (count or 0) > 0
