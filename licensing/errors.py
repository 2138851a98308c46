"""Licensing errors with stable codes (STYLE: Saleor's error codes)."""

from __future__ import annotations

from partnerhub.errors import Conflict, DomainError


class UnknownLicenseType(DomainError):
    code = "unknown_license_type"


class LicenseExhausted(Conflict):
    code = "license_exhausted"
