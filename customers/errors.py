from __future__ import annotations

from partnerhub.errors import Conflict, DomainError


class InvalidSlug(DomainError):
    code = "invalid_slug"


class SlugTaken(Conflict):
    code = "slug_taken"


class UnknownPackage(DomainError):
    code = "unknown_package"
