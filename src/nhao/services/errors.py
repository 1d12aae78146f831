"""Errors a service refuses with; the message is for people, in Vietnamese."""

from nhao.domain.errors import DomainError


class PermissionDenied(DomainError):
    pass


class NotFound(DomainError):
    pass


class AuthenticationFailed(DomainError):
    pass


class NotInitialized(DomainError):
    pass
