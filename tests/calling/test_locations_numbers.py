"""Locations and the number inventory (SPEC §6)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from calling import errors
from calling.models import CallingProfile, Location, PhoneNumber, Workspace
from calling.services.locations import create_location, delete_location
from calling.services.numbers import add_numbers
from partnerhub.audit.models import AuditEntry
from tests.calling.conftest import ACTOR

pytestmark = pytest.mark.django_db


def _names() -> list[tuple[str, bool]]:
    return list(Location.objects.order_by("pk").values_list("name", "is_default"))


def test_first_location_becomes_the_default(acme):
    create_location(name="Oslo", country="no", actor=ACTOR)
    create_location(name="Bergen", country="NO", actor=ACTOR)

    assert _names() == [("Oslo", True), ("Bergen", False)]
    assert Location.objects.get(name="Oslo").country == "NO"
    assert AuditEntry.objects.filter(action="calling.location.created").count() == 2


def test_location_name_is_unique(acme):
    create_location(name="Oslo", country="NO", actor=ACTOR)

    with pytest.raises(errors.LocationNameTaken) as error:
        create_location(name="oslo", country="NO", actor=ACTOR)

    assert error.value.message == "A location named 'oslo' already exists: choose another name."
    assert _names() == [("Oslo", True)]


def test_location_main_number_must_be_e164(acme):
    with pytest.raises(errors.InvalidNumber):
        create_location(name="Oslo", country="NO", main_number="22334455", actor=ACTOR)

    assert _names() == []


def test_default_location_cannot_be_deleted(acme):
    oslo = create_location(name="Oslo", country="NO", actor=ACTOR)

    with pytest.raises(errors.DefaultLocation) as error:
        delete_location(location=oslo, actor=ACTOR)

    assert error.value.message == (
        "Location Oslo is the default location and cannot be deleted: make another "
        "location the default first (Make default on its page)."
    )
    assert _names() == [("Oslo", True)]


def test_unused_location_is_deleted_and_audited(acme):
    create_location(name="Oslo", country="NO", actor=ACTOR)
    bergen = create_location(name="Bergen", country="NO", actor=ACTOR)

    delete_location(location=bergen, actor=ACTOR)

    assert _names() == [("Oslo", True)]
    assert AuditEntry.objects.get(action="calling.location.deleted").before["name"] == "Bergen"


def test_location_with_numbers_cannot_be_deleted(oslo, bergen):
    with pytest.raises(errors.LocationInUse) as error:
        delete_location(location=bergen, actor=ACTOR)

    assert error.value.message == (
        "Location Bergen still has 1 phone number(s): move or remove them first."
    )
    assert Location.objects.filter(pk=bergen.pk).exists()


def test_location_with_profiles_and_workspaces_cannot_be_deleted(oslo, pat):
    bergen = Location.objects.create(name="Bergen", country="NO")
    CallingProfile.objects.create(user=pat, location=bergen, extension="10")
    Workspace.objects.create(name="Lobby", location=bergen)

    with pytest.raises(errors.LocationInUse) as error:
        delete_location(location=bergen, actor=ACTOR)

    assert error.value.message == (
        "Location Bergen still has 1 calling profile(s), 1 workspace(s): move or remove them first."
    )
    assert Location.objects.filter(pk=bergen.pk).exists()


def _inventory() -> list[str]:
    return list(PhoneNumber.objects.values_list("e164", flat=True))


def test_add_numbers_from_a_list(oslo):
    added = add_numbers(location=oslo, numbers=["+4722000010", "+4722000011"], actor=ACTOR)

    assert [n.e164 for n in added] == ["+4722000010", "+4722000011"]
    assert PhoneNumber.objects.get(e164="+4722000011").location == oslo
    assert AuditEntry.objects.get(action="calling.numbers.added").after["count"] == 2


def test_add_numbers_from_a_range(oslo):
    added = add_numbers(location=oslo, numbers="+4722000100-+4722000199", actor=ACTOR)

    assert len(added) == 100
    assert (added[0].e164, added[-1].e164) == ("+4722000100", "+4722000199")


def test_add_numbers_is_all_or_nothing_on_a_bad_number(oslo):
    before = _inventory()

    with pytest.raises(errors.InvalidNumber) as error:
        add_numbers(location=oslo, numbers=["+4722000010", "22000011"], actor=ACTOR)

    assert error.value.message.startswith("Phone number '22000011' is not E.164")
    assert _inventory() == before


def test_duplicates_are_refused_with_the_list(oslo):
    before = _inventory()

    with pytest.raises(errors.DuplicateNumbers) as error:
        add_numbers(
            location=oslo,
            numbers=["+4722000001", "+4722000020", "+4722000020", "+4722000021"],
            actor=ACTOR,
        )

    assert error.value.message == (
        "These numbers are already in the inventory or given twice: "
        "+4722000001, +4722000020. Nothing was added."
    )
    assert error.value.details["numbers"] == ["+4722000001", "+4722000020"]
    assert _inventory() == before


@pytest.mark.parametrize("spec", ["+4722000199-+4722000100", "+4722000000-+4722999999"])
def test_bad_range_is_refused(oslo, spec):
    before = _inventory()

    with pytest.raises(errors.InvalidNumberRange):
        add_numbers(location=oslo, numbers=spec, actor=ACTOR)

    assert _inventory() == before


def test_a_list_of_numbers_is_capped_like_a_range(oslo):
    before = _inventory()
    many = [f"+47230{n:05d}" for n in range(10_001)]

    with pytest.raises(errors.InvalidNumberRange) as error:
        add_numbers(location=oslo, numbers=many, actor=ACTOR)

    assert error.value.message == (
        "10001 numbers given: add at most 10000 at once, in several lists or ranges."
    )
    assert _inventory() == before


def test_location_names_are_unique_in_any_case_in_the_database(oslo):
    with pytest.raises(IntegrityError), transaction.atomic():
        Location.objects.create(name="OSLO", country="NO")
    with pytest.raises(IntegrityError), transaction.atomic():
        Workspace.objects.bulk_create(
            [Workspace(name="Lobby", location=oslo), Workspace(name="lobby", location=oslo)]
        )
