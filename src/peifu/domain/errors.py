"""Errors the rules raise, each with a stable machine-readable code and a sentence for people.

The kind decides how an adapter reports it (the API maps kinds to HTTP statuses); the domain
itself knows nothing about HTTP.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorKind(StrEnum):
    not_found = "not_found"  # the thing named does not exist (or is not yours to see)
    invalid = "invalid"  # the request is malformed or breaks a rule about its own content
    ineligible = "ineligible"  # well-formed, but the rules do not allow it for this order/case now
    conflict = "conflict"  # the object is in a state where this action is not allowed
    forbidden = "forbidden"  # the actor may not do this to this object
    unauthenticated = "unauthenticated"  # no valid credentials
    too_large = "too_large"  # an upload over its size limit
    unsupported_type = "unsupported_type"  # an upload of a type not accepted for its kind
    too_many_attempts = "too_many_attempts"  # the caller must wait before trying again (details: retry_after_seconds)
    busy = "busy"  # no capacity for this right now; retry shortly (details: retry_after_seconds)


class DomainError(Exception):
    """A refusal by the rules. Raising it must leave every stored thing unchanged."""

    kind: ErrorKind = ErrorKind.invalid

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


class NotFound(DomainError):
    kind = ErrorKind.not_found


class Invalid(DomainError):
    kind = ErrorKind.invalid


class Ineligible(DomainError):
    kind = ErrorKind.ineligible


class Conflict(DomainError):
    kind = ErrorKind.conflict


class Forbidden(DomainError):
    kind = ErrorKind.forbidden


class Unauthenticated(DomainError):
    kind = ErrorKind.unauthenticated


class TooLarge(DomainError):
    kind = ErrorKind.too_large


class UnsupportedType(DomainError):
    kind = ErrorKind.unsupported_type


class TooManyAttempts(DomainError):
    kind = ErrorKind.too_many_attempts


class Busy(DomainError):
    kind = ErrorKind.busy
