"""Locations of an org's Webex Calling (SPEC §6)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from calling import errors
from calling.models import Location, violated_constraint
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
        raise _name_taken(name)
    if main_number:
        from calling.services.profiles import normalize_e164

        main_number = normalize_e164(main_number)
    fields = {
        "name": name,
        "country": country.upper(),
        "address": address,
        "time_zone": time_zone,
        "main_number": main_number,
    }
    location = _insert(fields, is_default=not Location.objects.exists())
    is_default = location.is_default
    record(
        actor=actor,
        action="calling.location.created",
        target=location,
        after={"name": name, "country": location.country, "is_default": is_default},
    )
    return location


def _name_taken(name: str) -> errors.LocationNameTaken:
    return errors.LocationNameTaken(
        f"A location named '{name}' already exists: choose another name.", field="name"
    )


def _insert(fields: dict[str, Any], *, is_default: bool) -> Location:
    """Insert the location. Two admins creating an org's first location at once both
    see no location; the one that loses the ``one_default_location`` race gets an
    ordinary location, and a name taken meanwhile is ``LocationNameTaken``."""
    try:
        with transaction.atomic():
            return Location.objects.create(**fields, is_default=is_default)
    except IntegrityError as error:
        constraint = violated_constraint(error)
        if constraint == "one_default_location" and is_default:
            return _insert(fields, is_default=False)
        if constraint in ("location_name_unique_any_case", "calling_location_name_key"):
            raise _name_taken(fields["name"]) from None
        raise


@transaction.atomic
def delete_location(*, location: Location, actor: Actor) -> None:
    """Delete an unused location; the default one stays."""
    if location.is_default:
        raise errors.DefaultLocation(
            f"Location {location} is the default location and cannot be deleted: an "
            "organisation always keeps its default location (its first one). Delete "
            "another location instead, or keep this one."
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
