"""30-day snapshots of removed calling data, and restoring them (SPEC §6; beyond the
anchor, issue #4).

Every path that deletes calling data (package change or unassign, CSV, template,
forced subscription cancel, user deleted) goes through ``remove_profiles`` (or, for
users deleted with their profiles, ``take_snapshots``) first, in
the same transaction. ``restore_user_calling`` puts back what it can — location,
extension, number (if still free), voicemail and settings — and says what it could not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from calling import errors
from calling.licenses import holder_has_calling_license
from calling.models import CallingProfile, CallingSnapshot, Location, PhoneNumber
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, record
from partnerhub.bulk import among


def snapshot_data(profile: CallingProfile, number: str) -> dict[str, Any]:
    return {
        "location": profile.location.name,
        "extension": profile.extension or "",
        "number": number,
        "voicemail_enabled": profile.voicemail_enabled,
        "voicemail_pin_hash": profile.voicemail_pin_hash,
        "settings": profile.settings,
    }


def take_snapshots(*, profiles: Iterable[CallingProfile], reason: str) -> list[CallingSnapshot]:
    """Keep the calling data of ``profiles`` (about to be deleted) for 30 days."""
    profiles = list(profiles)
    if not profiles:
        return []
    numbers = dict(
        PhoneNumber.objects.filter(profile_id__in=among(p.pk for p in profiles)).values_list(
            "profile_id", "e164"
        )
    )
    now = timezone.now()
    expires = now + dt.timedelta(days=CallingSnapshot.KEEP_DAYS)
    snapshots = []
    for profile in profiles:
        holder = profile.user if profile.user_id else profile.workspace
        snapshots.append(
            CallingSnapshot(
                user_id=profile.user_id,
                workspace_id=profile.workspace_id,
                holder=holder.email if profile.user_id else holder.name,
                holder_kind="user" if profile.user_id else "workspace",
                data=snapshot_data(profile, numbers.get(profile.pk, "")),
                reason=reason,
                created_at=now,
                expires_at=expires,
            )
        )
    CallingSnapshot.objects.filter(expires_at__lt=now).delete()
    return CallingSnapshot.objects.bulk_create(snapshots)


def profiles_of(
    *, user_ids: Iterable[int] = (), workspace_ids: Iterable[int] = ()
) -> list[CallingProfile]:
    """The calling profiles of these users and workspaces, ready for ``remove_profiles``."""
    return list(
        CallingProfile.objects.select_related("location", "user", "workspace").filter(
            Q(user_id__in=among(user_ids)) | Q(workspace_id__in=among(workspace_ids))
        )
    )


def remove_profiles(profiles: Iterable[CallingProfile], *, reason: str) -> None:
    """The one way calling data goes: kept 30 days as snapshots, numbers back to the
    inventory, profiles deleted — inside the caller's transaction. Auditing (and any
    license to release) is the caller's, who knows why."""
    profiles = list(profiles)
    if not profiles:
        return
    take_snapshots(profiles=profiles, reason=reason)
    ids = [profile.pk for profile in profiles]
    PhoneNumber.objects.filter(profile_id__in=among(ids)).update(profile=None)
    CallingProfile.objects.filter(pk__in=among(ids)).delete()


def snapshot_keep_days() -> int:
    """How many days removed calling data stays restorable."""
    return CallingSnapshot.KEEP_DAYS


def remove_calling_of(*, user_ids: list[int], reason: str) -> list[int]:
    """Remove the calling of these users (``remove_profiles``: snapshots kept); the ids
    of those who had calling. Their licenses and the audit are the caller's."""
    profiles = profiles_of(user_ids=user_ids)
    remove_profiles(profiles, reason=reason)
    return [profile.user_id for profile in profiles]


def restorable_snapshot(*, email: str = "", workspace_name: str = "") -> CallingSnapshot | None:
    """The newest unexpired, unrestored snapshot of this user or workspace."""
    holder = {"holder": email.lower(), "holder_kind": "user"} if email else {
        "holder": workspace_name, "holder_kind": "workspace",
    }  # fmt: skip
    return (
        CallingSnapshot.objects.filter(
            **holder, restored_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-created_at", "-pk")
        .first()
    )


@dataclass
class RestoreResult:
    profile: CallingProfile
    restored: list[str] = field(default_factory=list)
    not_restored: list[str] = field(default_factory=list)


@transaction.atomic
def restore_calling(*, holder: Any, actor: Actor) -> RestoreResult:
    """Put back the holder's (user or workspace) last removed calling data.

    Needs a calling license and no calling data set up now. What cannot come back (the
    number was given to someone else, the extension is taken, the location is gone) is
    listed in the result; the rest is restored."""
    is_user = hasattr(holder, "email")
    snapshot = (
        restorable_snapshot(email=holder.email)
        if is_user
        else restorable_snapshot(workspace_name=holder.name)
    )
    if snapshot is None:
        raise errors.NothingToRestore(
            f"{holder} has no calling data removed in the last {CallingSnapshot.KEEP_DAYS} "
            "days: set up calling instead."
        )
    owner = {"user": holder} if is_user else {"workspace": holder}
    if CallingProfile.objects.filter(**owner).exists():
        raise errors.CallingAlreadySetUp(
            f"{holder} already has calling set up: remove it first to restore the old data."
        )
    if not holder_has_calling_license(holder):
        raise errors.CallingLicenseRequired(
            f"{holder} has no calling license: assign a package with calling (or workspace "
            "calling) first, then restore."
        )
    data = snapshot.data
    result = _restore(owner=owner, data=data)
    snapshot.restored_at = timezone.now()
    snapshot.save(update_fields=["restored_at"])
    record(
        actor=actor,
        action=AuditAction.CALLING_RESTORED,
        target=result.profile,
        before={"snapshot": snapshot.pk},
        after={"restored": result.restored, "not_restored": result.not_restored},
    )
    return result


def _restore(*, owner: dict[str, Any], data: dict[str, Any]) -> RestoreResult:
    not_restored: list[str] = []
    location = Location.objects.filter(name=data["location"]).first()
    if location is None:
        location = Location.objects.filter(is_default=True).first()
        if location is None:
            raise errors.NothingToRestore(
                f"Location {data['location']} no longer exists and the org has no location: "
                "create a location first."
            )
        not_restored.append(
            f"Location {data['location']} no longer exists: placed in {location} instead."
        )
    extension = data.get("extension") or None
    if extension and CallingProfile.objects.filter(location=location, extension=extension).exists():
        not_restored.append(f"Extension {extension} is now used by someone else in {location}.")
        extension = None
    phone = None
    if data.get("number"):
        phone = PhoneNumber.objects.select_for_update().filter(e164=data["number"]).first()
        if phone is None:
            not_restored.append(f"Phone number {data['number']} is no longer in the inventory.")
        elif not phone.is_available:
            not_restored.append(f"Phone number {data['number']} is now assigned elsewhere.")
            phone = None
        elif phone.location_id != location.pk:
            not_restored.append(
                f"Phone number {data['number']} now belongs to location {phone.location}."
            )
            phone = None
    if not extension and phone is None:
        raise errors.NothingToRestore(
            "Neither the number nor the extension can be restored: "
            + " ".join(not_restored)
            + " Set up calling with a new number or extension instead."
        )
    profile = CallingProfile.objects.create(
        **owner,
        location=location,
        extension=extension,
        voicemail_enabled=data.get("voicemail_enabled", False),
        voicemail_pin_hash=data.get("voicemail_pin_hash", ""),
        settings=data.get("settings") or {},
    )
    if phone is not None:
        phone.profile = profile
        phone.save(update_fields=["profile"])
    restored = [f"Location {location}"]
    if phone is not None:
        restored.append(f"Phone number {phone.e164}")
    if extension:
        restored.append(f"Extension {extension}")
    if data.get("voicemail_enabled"):
        restored.append("Voicemail and its PIN")
    if data.get("settings"):
        restored.append("Call settings")
    return RestoreResult(profile=profile, restored=restored, not_restored=not_restored)
