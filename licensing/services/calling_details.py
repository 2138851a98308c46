"""Calling details asked for when a user gets a package with calling (SPEC §3, §6).

The calling app owns their meaning (``CallingDetails``, ``provision_user_calling``,
``remove_user_calling``, ``calling_loss_preview``), reached through licensing's seam
(``licensing/services/hooks.py``, bound at start-up).
"""

from __future__ import annotations

from typing import Any

from calling import rules
from calling.models import Location
from licensing.errors import CallingDetailsRequired
from licensing.models import OrgUser
from licensing.services import hooks
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError


def calling_details(*, location: Location, extension: str = "", number: str = "") -> Any:
    """Build the calling app's ``CallingDetails``."""
    return hooks.calling().CallingDetails(
        location=location, extension=extension or "", number=number or ""
    )


def validate_fields(details: Any, *, package_name: str) -> None:
    missing = details is None or getattr(details, "location", None) is None
    extension = (getattr(details, "extension", "") or "") if details is not None else ""
    number = (getattr(details, "number", "") or "") if details is not None else ""
    if missing or not (extension or number):
        raise CallingDetailsRequired(
            f"{package_name} includes calling: give a location and an extension and/or a "
            "phone number.",
            field="location" if missing else "extension",
        )
    try:  # the calling app's rules (calling.rules), as every path checks them
        rules.validated_extension(str(extension))
        rules.normalize_e164(str(number)) if number else None
    except DomainError as error:
        raise CallingDetailsRequired(error.message, **error.details) from error


def provision(*, user: OrgUser, details: Any, package_name: str, actor: Actor) -> None:
    """Give the user calling with these details (inside the caller's transaction)."""
    validate_fields(details, package_name=package_name)
    hooks.calling().provision_user_calling(user=user, details=details, actor=actor)


def remove(*, user: OrgUser, actor: Actor) -> None:
    """Delete the user's calling data (number released) — irreversible."""
    hooks.calling().remove_user_calling(user=user, actor=actor)


def loss_preview(user: OrgUser) -> list[str]:
    """What the user loses with calling, as sentences a person reads before confirming."""
    return list(hooks.calling().calling_loss_preview(user=user))
