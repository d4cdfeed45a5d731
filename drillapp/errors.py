"""The two kinds of error (STYLE.md): a DomainError is something the user can act on and is shown as
a plain message; anything else is a bug, logged with its traceback.
"""

from __future__ import annotations


class DomainError(Exception):
    """An error the user can act on. The message is already translated and says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    """Invalid input; `field` names the offending field when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(DomainError):
    pass


class PermissionDeniedError(DomainError):
    pass


class AccountDeactivatedError(PermissionDeniedError):
    """The acting account was deactivated (or removed) while its session was open: the session ends."""


class ReadOnlyDatabaseError(DomainError):
    """The database cannot be written (a read-only file or server): reading still works."""


class ConflictError(DomainError):
    """Someone else changed the record since it was read (optimistic locking)."""

    def __init__(self, message: str, changed_by: str | None = None, changed_at: object = None) -> None:
        super().__init__(message)
        self.changed_by = changed_by
        self.changed_at = changed_at
