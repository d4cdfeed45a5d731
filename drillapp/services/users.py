"""Users, roles and log-in: argon2 password hashes, lock-out after repeated failures, password changes.

The first start creates the administrator (`create_first_administrator`). Until then a database has
only password-less local users (as made by `ensure_local_user` for the command line on a new
database); once any user has a password, everyone logs in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from drillapp.i18n import _
from drillapp.models import Branch, Port, User
from drillapp.models.enums import Role
from drillapp.services import audit, validate
from drillapp.services.context import Actor, ServiceBase
from drillapp.services.errors import DomainError, PermissionDeniedError, ValidationError

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
MIN_PASSWORD = 8


class LoginError(DomainError):
    """Wrong user name or password, locked, or deactivated: said without telling which names exist."""


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


def _actor(user: User) -> Actor:
    return Actor(user.id, user.username, user.role, user.branch_id, user.display_name, user.port_id)


class UserService(ServiceBase):
    # -- start-up -----------------------------------------------------------------------------------
    def login_required(self) -> bool:
        """True once any user has a password: from then on everyone logs in."""
        with self.read() as s:
            return (s.scalar(select(func.count()).where(User.password_hash.is_not(None))) or 0) > 0

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
                username=validate.text(username, "username", _("User name"), max_len=64),
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
                user = User(username=name)
                s.add(user)
            user.display_name = validate.text(display_name or name, "display_name", _("Name"), max_len=200)
            user.role, user.active = Role.ADMINISTRATOR, True
            user.password_hash = hash_password(password)
            s.flush()
            return _actor(user)

    # -- log-in -------------------------------------------------------------------------------------
    def authenticate(self, username: str, password: str) -> Actor:
        """The actor for a correct user name and password; LoginError otherwise.

        Each failure is counted (and audited); the fifth in a row locks the account for 15 minutes.
        """
        from argon2.exceptions import InvalidHashError, VerificationError

        failure: str | None = None
        actor: Actor | None = None
        with self.write("users.authenticate") as s:
            now = audit.operation_time(s)
            user = s.scalar(select(User).where(User.username == (username or "").strip()))
            if user is None or not user.password_hash:
                failure = _("Wrong user name or password.")
            elif not user.active:
                failure = _("This account is deactivated. Ask an administrator.")
            elif user.locked_until is not None and user.locked_until > now:
                failure = _("Too many failed attempts: this account is locked until {time}. "
                            "Wait, or ask an administrator to reset the password.").format(
                    time=_local_time(user.locked_until))
            else:
                try:
                    _hasher().verify(user.password_hash, password)
                except (VerificationError, InvalidHashError):
                    user.failed_logins += 1
                    if user.failed_logins >= MAX_FAILURES:
                        user.locked_until = now + LOCK_FOR
                        user.failed_logins = 0
                        failure = _("Too many failed attempts: this account is locked for {minutes} minutes.").format(
                            minutes=int(LOCK_FOR.total_seconds() // 60))
                    else:
                        failure = _("Wrong user name or password.")
                else:
                    if user.failed_logins or user.locked_until:
                        user.failed_logins, user.locked_until = 0, None
                    if _hasher().check_needs_rehash(user.password_hash):
                        user.password_hash = hash_password(password)
                    audit.note(s, "app_user", user.id, "logged in")
                    actor = _actor(user)
        if failure is not None:  # raised after the commit, so the failure count is kept
            raise LoginError(failure)
        assert actor is not None
        return actor

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
            name = validate.text(username, "username", _("User name"), max_len=64)
            if s.scalar(select(User.id).where(User.username == name)) is not None:
                raise ValidationError(_("The user name {name} is taken.").format(name=name), "username")
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

    def update_user(self, user_id: int, expected_version: int | None = None, **values: Any) -> None:
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

    def users(self) -> list[UserRow]:
        with self.read() as s:
            return [UserRow.of(u) for u in s.scalars(select(User).order_by(User.username))]


def _an_active_administrator_remains(s: Any) -> bool:
    count = s.scalar(select(func.count()).where(User.role == Role.ADMINISTRATOR, User.active.is_(True)))
    return (count or 0) > 0


def _local_time(value: datetime) -> str:
    from drillapp.clock import to_local

    return to_local(value).strftime("%H:%M")
