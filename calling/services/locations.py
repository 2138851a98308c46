"""Locations of an org's Webex Calling (SPEC §6)."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django.db import IntegrityError, transaction

from calling import errors
from calling.models import Location, violated_constraint
from calling.rules import normalize_e164
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, record
from partnerhub.rules import country_problem, name_problem


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
    fields = _clean(
        name=name, country=country, address=address, time_zone=time_zone, main_number=main_number
    )
    location = _insert(fields, is_default=not Location.objects.exists())
    is_default = location.is_default
    record(
        actor=actor,
        action=AuditAction.CALLING_LOCATION_CREATED,
        target=location,
        after={"name": location.name, "country": location.country, "is_default": is_default},
    )
    return location


EDITABLE = ("name", "country", "address", "time_zone", "main_number")


def _clean(*, location: Location | None = None, **fields: str) -> dict[str, str]:
    """The rules of a location's fields, for create and edit alike."""
    cleaned = {}
    if "name" in fields:
        name = (fields["name"] or "").strip()
        if not name:
            raise errors.InvalidLocation("Give the location a name.", field="name")
        problem = name_problem(name, max_length=Location._meta.get_field("name").max_length)
        if problem is not None:  # control characters, length (partnerhub.rules)
            raise errors.InvalidLocation(f"Name: {problem}", field="name")
        taken = Location.objects.filter(name__iexact=name)
        if location is not None:
            taken = taken.exclude(pk=location.pk)
        if taken.exists():
            raise _name_taken(name)
        cleaned["name"] = name
    if "country" in fields:
        country, problem = country_problem(fields["country"])
        if problem is not None:
            raise errors.InvalidLocation(problem, field="country")
        cleaned["country"] = country
    if "time_zone" in fields:
        time_zone = (fields["time_zone"] or "").strip() or "UTC"
        if time_zone not in available_timezones():
            raise errors.InvalidLocation(
                f"Time zone '{time_zone}' is not known: use an IANA name such as Europe/Oslo.",
                field="time_zone",
            )
        cleaned["time_zone"] = time_zone
    if "address" in fields:
        cleaned["address"] = (fields["address"] or "").strip()
    if "main_number" in fields:
        number = (fields["main_number"] or "").strip()
        cleaned["main_number"] = normalize_e164(number) if number else ""
    return cleaned


@transaction.atomic
def update_location(*, location: Location, actor: Actor, **fields: str) -> Location:
    """Edit a location's name, address, country, time zone or main number."""
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise errors.InvalidLocation(f"These fields cannot be edited: {', '.join(unknown)}.")
    location = Location.objects.select_for_update().get(pk=location.pk)
    cleaned = _clean(location=location, **fields)
    changed = {k: v for k, v in cleaned.items() if getattr(location, k) != v}
    if not changed:
        return location
    before = {k: getattr(location, k) for k in changed}
    for name, value in changed.items():
        setattr(location, name, value)
    try:
        with transaction.atomic():
            location.save(update_fields=list(changed))
    except IntegrityError as error:
        if violated_constraint(error) in (
            "location_name_unique_any_case",
            "calling_location_name_key",
        ):
            raise _name_taken(location.name) from None
        raise
    record(
        actor=actor, action=AuditAction.CALLING_LOCATION_UPDATED, target=location, before=before,
        after=changed,
    )  # fmt: skip
    return location


@transaction.atomic
def make_default(*, location: Location, actor: Actor) -> Location:
    """Make ``location`` the org's default location (the one that cannot be deleted)."""
    current = Location.objects.select_for_update().filter(is_default=True).first()
    if current is not None and current.pk == location.pk:
        return current
    if current is not None:
        Location.objects.filter(pk=current.pk).update(is_default=False)
    Location.objects.filter(pk=location.pk).update(is_default=True)
    record(
        actor=actor, action=AuditAction.CALLING_LOCATION_MADE_DEFAULT, target=location,
        before={"default": current.name if current else None}, after={"default": location.name},
    )  # fmt: skip
    location.refresh_from_db()
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
    location = Location.objects.select_for_update().get(pk=location.pk)
    if location.is_default:
        raise errors.DefaultLocation(
            f"Location {location} is the default location and cannot be deleted: make "
            "another location the default first (Make default on its page)."
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
        action=AuditAction.CALLING_LOCATION_DELETED,
        target=location,
        before={"name": location.name, "country": location.country},
    )
    location.delete()
