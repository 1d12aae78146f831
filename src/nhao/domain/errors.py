"""Exceptions raised by the domain rules."""

from __future__ import annotations


class DomainError(Exception):
    """Base class for every rule violation the domain layer reports."""


class ValidationError(DomainError):
    """A value given by a person is not acceptable.

    ``message`` is in Vietnamese and meant to be shown as is; ``field`` names the
    input it concerns so a form can put the message next to it.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"ValidationError(field={self.field!r}, message={self.message!r})"
