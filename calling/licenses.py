"""Which licenses carry calling (SPEC §6): a package with calling for a user,
workspace calling for a workspace. Read by the calling services and selectors alike."""

from __future__ import annotations

from typing import Any

from calling.models import Workspace
from licensing import catalogue
from licensing.models import LicenseAssignment

CALLING_LICENSE_TYPES = (*sorted(catalogue.CALLING_PACKAGES), catalogue.WORKSPACE_CALLING)


def holder_has_calling_license(holder: Any) -> bool:
    """Does this user (package with calling) or workspace (workspace calling) hold one?"""
    owner = {"workspace": holder} if isinstance(holder, Workspace) else {"user": holder}
    return LicenseAssignment.objects.filter(
        license_type__in=CALLING_LICENSE_TYPES, **owner
    ).exists()
