"""Calling details asked for when a user gets a package with calling (SPEC §3, §6).

The calling app owns their meaning (``calling.services.profiles``: ``CallingDetails``,
``provision_user_calling``, ``remove_user_calling``, ``calling_loss_preview``). Until it
provides them, licensing validates location + extension/number as plain fields and
stores nothing, so pages and the API already ask for the right things.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from calling import rules
from calling.models import CallingProfile, Location
from licensing.errors import CallingDetailsRequired
from licensing.models import OrgUser
from licensing.services import hooks
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError


@dataclass(frozen=True)
class FieldCallingDetails:
    """Location + extension and/or number, validated as fields only."""

    location: Location
    extension: str = ""
    number: str = ""


def calling_details(*, location: Location, extension: str = "", number: str = "") -> Any:
    """Build the calling app's ``CallingDetails`` (or the field-only stand-in)."""
    details_class = hooks.calling_service("CallingDetails") or FieldCallingDetails
    return details_class(location=location, extension=extension or "", number=number or "")


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
    provision_user_calling = hooks.calling_service("provision_user_calling")
    if provision_user_calling is not None:
        provision_user_calling(user=user, details=details, actor=actor)


def remove(*, user: OrgUser, actor: Actor) -> None:
    """Delete the user's calling data (number released) — irreversible."""
    remove_user_calling = hooks.calling_service("remove_user_calling")
    if remove_user_calling is not None:
        remove_user_calling(user=user, actor=actor)
    else:
        CallingProfile.objects.filter(user=user).delete()


def loss_preview(user: OrgUser) -> list[str]:
    """What the user loses with calling, as sentences a person reads before confirming."""
    preview = hooks.calling_service("calling_loss_preview")
    if preview is not None:
        return list(preview(user=user))
    return ["The calling license and the user's calling data."]
