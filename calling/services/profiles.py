"""Calling data of users (SPEC §6), called by licensing through its hooks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from calling import errors
from calling.licenses import CALLING_LICENSE_TYPES
from calling.models import CallingProfile, Location, PhoneNumber, Workspace, violated_constraint
from calling.rules import (  # noqa: F401 - the rules' home is calling.rules; re-exported
    CALLING_NAME_FORBIDDEN,
    CALLING_NAME_MAX,
    E164,
    EXTENSION,
    normalize_e164,
    validated_calling_name,
    validated_extension,
)
from calling.services.snapshots import remove_profiles, snapshot_data, take_snapshots
from licensing.models import LicenseAssignment
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, Change, record, record_many
from partnerhub.bulk import among


@dataclass(frozen=True)
class CallingDetails:
    location: Location
    extension: str = ""
    number: str = ""


def profile_summary(profile: CallingProfile) -> dict[str, Any]:
    number = PhoneNumber.objects.filter(profile=profile).first()
    return {
        "location": profile.location.name,
        "extension": profile.extension or "",
        "number": number.e164 if number else "",
        "voicemail_enabled": profile.voicemail_enabled,
        "settings": profile.settings,
    }


def lock_free_number(
    *, number: str, location: Location, profile: CallingProfile | None = None
) -> PhoneNumber:
    """The inventory number ``number``, locked: in ``location`` and free (or already
    held by ``profile``)."""
    e164 = normalize_e164(number)
    phone = PhoneNumber.objects.select_for_update().filter(e164=e164).first()
    if phone is None:
        raise errors.NumberNotInInventory(
            f"Phone number {e164} is not in this organisation's number inventory: "
            "add it to a location first.",
            field="number",
        )
    if phone.location_id != location.pk:
        raise errors.NumberInOtherLocation(
            f"Phone number {e164} belongs to location {phone.location}, not {location}: "
            f"give a number of {location}, or choose location {phone.location}.",
            field="number",
        )
    held_by_profile = profile is not None and phone.profile_id == profile.pk
    if not phone.is_available and not held_by_profile:
        raise errors.NumberAlreadyAssigned(
            f"Phone number {e164} is already assigned: choose a free number.",
            field="number",
        )
    return phone


def _extension_taken(location: Location, extension: str) -> errors.ExtensionTaken:
    return errors.ExtensionTaken(
        f"Extension {extension} is already used in location {location}: choose another.",
        field="extension",
    )


def check_extension_free(
    *, location: Location, extension: str, profile: CallingProfile | None = None
) -> None:
    """``ExtensionTaken`` when another profile of ``location`` uses ``extension``."""
    if not extension:
        return
    others = CallingProfile.objects.filter(location=location, extension=extension)
    if profile is not None:
        others = others.exclude(pk=profile.pk)
    if others.exists():
        raise _extension_taken(location, extension)


def validated_details(
    details: CallingDetails, *, profile: CallingProfile | None = None
) -> tuple[str, PhoneNumber | None]:
    """The rules of a user's or workspace's calling details (SPEC §6): at least one of
    number/extension; extension of 2–10 digits; number in the inventory, in the
    location and free (or already ``profile``'s). Returns the extension and the
    locked number."""
    extension = (details.extension or "").strip()
    number = (details.number or "").strip()
    if not extension and not number:
        raise errors.NumberOrExtensionRequired(
            "Give an extension and/or a phone number for calling.", field="extension"
        )
    extension = validated_extension(extension)
    phone = None
    if number:
        phone = lock_free_number(number=number, location=details.location, profile=profile)
    return extension, phone


def already_set_up(holder: Any) -> errors.CallingAlreadySetUp:
    if isinstance(holder, Workspace):
        return errors.CallingAlreadySetUp(
            f"Workspace {holder} already has calling set up: change its location, number "
            "or extension on the workspace's page instead."
        )
    return errors.CallingAlreadySetUp(
        f"{holder} already has calling set up: change its location, number or extension "
        "on the user's calling page instead."
    )


def save_extension(profile: CallingProfile, fields: list[str]) -> None:
    """Save ``profile``. Losing a race to another admin ends on a constraint: its
    extension taken meanwhile is ``ExtensionTaken``, its holder set up meanwhile is
    ``CallingAlreadySetUp``; any other broken constraint is a bug and stays one."""
    try:
        with transaction.atomic():
            if fields:
                profile.save(update_fields=fields)
            else:
                profile.save()
    except IntegrityError as error:
        constraint = violated_constraint(error)
        if constraint == "extension_unique_in_location":
            raise _extension_taken(profile.location, profile.extension or "") from None
        if constraint.endswith(("_user_id_key", "_workspace_id_key")):
            raise already_set_up(profile.user or profile.workspace) from None
        raise


@transaction.atomic
def provision_user_calling(*, user: Any, details: CallingDetails, actor: Actor) -> CallingProfile:
    """Create the user's calling profile and assign its number; all or nothing. The
    user's names must be ones calling allows (SPEC §6), on every path that gives
    calling one user at a time (manual add, package change, page, API)."""
    validated_calling_name(user.first_name, field="first_name")
    validated_calling_name(user.last_name, field="last_name")
    return create_profile(
        holder=user, details=details, action=AuditAction.CALLING_USER_PROVISIONED, actor=actor
    )


def create_profile(
    *, holder: Any, details: CallingDetails, action: AuditAction, actor: Actor
) -> CallingProfile:
    """A new calling profile of ``holder`` (an ``OrgUser`` or a ``Workspace``) in
    ``details.location`` with its extension and number (SPEC §6: one profile per holder,
    one extension per location, one holder per number), audited as ``action``. Raises
    the calling errors of ``validated_details`` / ``check_extension_free``, or
    ``already_set_up`` when the holder has calling. Call inside a transaction."""
    holder_field = "workspace" if isinstance(holder, Workspace) else "user"
    extension, phone = validated_details(details)
    if CallingProfile.objects.filter(**{holder_field: holder}).exists():
        raise already_set_up(holder)
    check_extension_free(location=details.location, extension=extension)
    profile = CallingProfile(
        **{holder_field: holder}, location=details.location, extension=extension or None
    )
    save_extension(profile, [])
    if phone is not None:
        phone.profile = profile
        phone.save(update_fields=["profile"])
    record(actor=actor, action=action, target=profile, after=profile_summary(profile))
    return profile


@transaction.atomic
def remove_user_calling(*, user: Any, actor: Actor, reason: str = "license_removed") -> None:
    """Delete the user's calling data; its number goes back to the inventory. The data
    is kept as a snapshot, restorable for 30 days."""
    profile = CallingProfile.objects.select_related("location", "user").filter(user=user).first()
    if profile is None:
        return
    record(
        actor=actor,
        action=AuditAction.CALLING_USER_REMOVED,
        target=profile,
        before=profile_summary(profile),
    )
    remove_profiles([profile], reason=reason)


def check_calling_outside_package(user: Any, *, lock: bool = False) -> None:
    """``CallingComesWithPackage`` while the user's package includes calling: then the
    license and the calling data go together, through a package change that asks for
    confirmation (SPEC §5) — never the data alone."""
    licenses = LicenseAssignment.objects.select_related("line__subscription")
    if lock:
        licenses = licenses.select_for_update(of=("self",))
    current = licenses.filter(user=user, license_type__in=CALLING_LICENSE_TYPES).first()
    if current is not None:
        raise errors.CallingComesWithPackage(
            f"{user}'s calling comes with its package {current.line}: change the user's "
            "package to one without calling (Change package, or POST "
            "/api/users/<id>/package/ with confirm_calling_loss), which removes the "
            "calling data together with the license."
        )


@transaction.atomic
def remove_unlicensed_user_calling(*, user: Any, actor: Actor, reason: str = "removed") -> None:
    """Remove calling data a user holds without a calling license (the API's and the
    admin's *remove calling*); kept as a snapshot for 30 days."""
    check_calling_outside_package(user, lock=True)
    remove_user_calling(user=user, actor=actor, reason=reason)


def calling_loss_preview(*, user: Any) -> list[str]:
    """What the user loses with calling, as sentences."""
    profile = CallingProfile.objects.select_related("location").filter(user=user).first()
    if profile is None:
        return ["The calling license (no calling data is set up yet)."]
    return [f"Location {profile.location}", *profile_loss(profile)]


def profile_loss(profile: CallingProfile) -> list[str]:
    """What goes with a calling profile (user's or workspace's), as sentences."""
    lost = []
    number = PhoneNumber.objects.filter(profile=profile).first()
    if number is not None:
        lost.append(f"Phone number {number.e164} (released)")
    if profile.extension:
        lost.append(f"Extension {profile.extension}")
    if profile.voicemail_enabled:
        lost.append("Voicemail and its PIN")
    if profile.settings:
        lost.append("Call settings")
    return lost


def snapshot_before_user_delete(*, users: list[Any], actor: Actor) -> None:
    """Audit and keep (30 days) the calling data of users about to be deleted."""
    profiles = list(
        CallingProfile.objects.select_related("location", "user", "number").filter(
            user_id__in=among(u.pk for u in users)
        )
    )
    take_snapshots(profiles=profiles, reason="user_deleted")
    record_many(
        actor=actor,
        changes=[
            Change(
                action=AuditAction.CALLING_USER_DELETED,
                target=profile,
                before={"user": str(profile.user), **_summary_without_pin(profile)},
            )
            for profile in profiles
        ],
    )


def _summary_without_pin(profile: CallingProfile) -> dict[str, Any]:
    number = getattr(profile, "number", None)
    data = snapshot_data(profile, number.e164 if number else "")
    data.pop("voicemail_pin_hash")
    return data
