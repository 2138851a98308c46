"""SCIM's error answer (RFC 7644 §3.12): what every SCIM view, filter and service
raises for the client to read."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


class ScimError(Exception):
    """An answer in SCIM's error shape (RFC 7644 §3.12). ``scim_type`` is one of the
    RFC's (invalidFilter, invalidValue, uniqueness, mutability, invalidSyntax,
    invalidPath, noTarget, invalidVers, tooMany, …) or empty."""

    def __init__(self, status: int, detail: str, scim_type: str = "") -> None:
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "schemas": [ERROR_SCHEMA],
            "status": str(self.status),
            "detail": self.detail,
        }
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body
