"""Locations of an org's Webex Calling (SPEC §6)."""

from __future__ import annotations

from django.db import transaction

from calling import errors
from calling.models import Location
from partnerhub.audit.services import Actor, record


@transaction.atomic
def create_location(
    *,
    name: str,
    country: str,
    actor: Actor,
    address: str = "",
    time_zone: str = "UTC",
    main_number: str = "",
) -> Location:
    """A new location; the org's first location becomes its default."""
    name = name.strip()
    if Location.objects.filter(name__iexact=name).exists():
        raise errors.LocationNameTaken(
            f"A location named '{name}' already exists: choose another name.", field="name"
        )
    if main_number:
        from calling.services.profiles import normalize_e164

        main_number = normalize_e164(main_number)
    is_default = not Location.objects.select_for_update().exists()
    location = Location.objects.create(
        name=name,
        country=country.upper(),
        address=address,
        time_zone=time_zone,
        main_number=main_number,
        is_default=is_default,
    )
    record(
        actor=actor,
        action="calling.location.created",
        target=location,
        after={"name": name, "country": location.country, "is_default": is_default},
    )
    return location


@transaction.atomic
def delete_location(*, location: Location, actor: Actor) -> None:
    """Delete an unused location; the default one stays."""
    if location.is_default:
        raise errors.DefaultLocation(
            f"Location {location} is the default location and cannot be deleted: "
            "make another location the default first."
        )
    in_use = []
    profiles = location.profiles.count()
    workspaces = location.workspaces.count()
    numbers = location.numbers.count()
    if profiles:
        in_use.append(f"{profiles} calling profile(s)")
    if workspaces:
        in_use.append(f"{workspaces} workspace(s)")
    if numbers:
        in_use.append(f"{numbers} phone number(s)")
    if in_use:
        raise errors.LocationInUse(
            f"Location {location} still has {', '.join(in_use)}: move or remove them first."
        )
    record(
        actor=actor,
        action="calling.location.deleted",
        target=location,
        before={"name": location.name, "country": location.country},
    )
    location.delete()
