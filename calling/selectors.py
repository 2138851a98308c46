"""Reads of the calling pages (SPEC §6): locations with their use, the number
inventory with who holds each number."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from calling.licenses import holder_has_calling_license
from calling.models import CallingProfile, Location, PhoneNumber
from calling.services.snapshots import restorable_snapshot
from licensing.models import OrgUser

NUMBER_STATES = [("available", "Available"), ("assigned", "Assigned")]


def location_list() -> QuerySet[Location]:
    return Location.objects.annotate(
        number_count=Count("numbers", distinct=True),
        assigned_count=Count(
            "numbers",
            filter=Q(numbers__profile__isnull=False) | ~Q(numbers__service=""),
            distinct=True,
        ),
        profile_count=Count("profiles", distinct=True),
        workspace_count=Count("workspaces", distinct=True),
    ).order_by("name")


def number_list(
    *, search: str = "", location: int | None = None, state: str = ""
) -> QuerySet[PhoneNumber]:
    """The inventory, with who holds each number; ``state`` is available/assigned."""
    found = PhoneNumber.objects.select_related(
        "location", "profile__user", "profile__workspace"
    ).order_by("e164")
    if search:
        found = found.filter(
            Q(e164__icontains=search.replace(" ", ""))
            | Q(profile__user__email__icontains=search)
            | Q(profile__workspace__name__icontains=search)
            | Q(service__icontains=search)
        )
    if location is not None:
        found = found.filter(location_id=location)
    if state == "available":
        found = found.filter(profile__isnull=True, service="")
    elif state == "assigned":
        found = found.exclude(profile__isnull=True, service="")
    return found


def profiles_in(location: Location) -> QuerySet[CallingProfile]:
    """Who uses calling in ``location`` (users and workspaces), with their numbers."""
    return (
        CallingProfile.objects.filter(location=location)
        .select_related("user", "workspace", "number")
        .order_by("user__email", "workspace__name")
    )


def user_calling(user: OrgUser) -> dict[str, Any]:
    """What the user's calling page shows: the profile and its number, call settings,
    the calling license, and whether removed calling data can be restored."""
    from calling.services.settings import call_settings_of

    profile = CallingProfile.objects.select_related("location", "number").filter(user=user).first()
    has_license = holder_has_calling_license(user)
    snapshot = None
    if profile is None and has_license:
        snapshot = restorable_snapshot(email=user.email)
    return {
        "profile": profile,
        "number": getattr(profile, "number", None) if profile else None,
        "call_settings": call_settings_of(profile) if profile else None,
        "has_calling_license": has_license,
        "restorable": snapshot,
    }
