"""The base of every domain error: a stable ``code`` for API clients and a message a
person can act on (STYLE: Saleor's error codes). One DRF exception handler
(``partnerhub.api.exception_handler``) and one form helper turn them into answers."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule said no. ``status`` is the HTTP status the API answers with."""

    code: str = "invalid"
    status: int = 400

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.details}


class Conflict(DomainError):
    """The request is valid but the current state forbids it (HTTP 409)."""

    code = "conflict"
    status = 409


class NotFound(DomainError):
    """Missing, or not the caller's: the same answer for both (HTTP 404)."""

    code = "not_found"
    status = 404


class InvalidEmail(DomainError):
    """An e-mail address the one rule refuses (``partnerhub.rules``)."""

    code = "invalid_email"


class InvalidName(DomainError):
    """A name with a control character or over its length (``partnerhub.rules``)."""

    code = "invalid_name"


class InvalidCountry(DomainError):
    """Not an ISO 3166-1 alpha-2 country code (``partnerhub.rules``)."""

    code = "invalid_country"


class InvitationLinkInvalid(DomainError):
    """The link exists but can no longer set a password: used, replaced or expired."""

    code = "invitation_link_invalid"
    status = 410


class ResendTooSoon(Conflict):
    code = "invitation_resend_too_soon"


class WrongCode(DomainError):
    code = "wrong_second_factor_code"


class SecondFactorRequired(Conflict):
    code = "second_factor_required"


class InvalidTokenRequest(DomainError):
    code = "invalid_token_request"


class TokenNotFound(NotFound):
    code = "token_not_found"
