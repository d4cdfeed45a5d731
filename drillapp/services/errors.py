"""The domain errors, as the services name them. They live in drillapp/errors.py, below every layer (io,
reports, the database plumbing and the services all raise them); this module keeps the services' import
path."""

from drillapp.errors import (  # noqa: F401
    AccountDeactivatedError,
    ConflictError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
    ReadOnlyDatabaseError,
    ValidationError,
)
