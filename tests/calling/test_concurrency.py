"""Two admins assigning the same number at once, with real commits: exactly one wins."""

from __future__ import annotations

import pytest

from calling.errors import (
    CallingAlreadySetUp,
    DuplicateNumbers,
    LocationNameTaken,
    NumberAlreadyAssigned,
)
from calling.models import CallingProfile, Location, PhoneNumber
from calling.services.locations import create_location
from calling.services.numbers import add_numbers
from calling.services.profiles import CallingDetails, provision_user_calling
from customers.services import SubscriptionSpec
from licensing.models import OrgUser
from tests.committed import ACTOR, in_org, race, throwaway_org


def _users_and_location(slug: str) -> tuple[list[int], int]:
    location = Location.objects.create(name="Oslo", country="NO", is_default=True)
    PhoneNumber.objects.create(e164="+4722000001", location=location)
    return [OrgUser.objects.create(email=f"u{i}@{slug}.test").pk for i in range(2)], location.pk


def _provision(user_id: int, location_id: int):  # type: ignore[no-untyped-def]
    def attempt() -> None:
        details = CallingDetails(
            location=Location.objects.get(pk=location_id), number="+4722000001"
        )
        provision_user_calling(user=OrgUser.objects.get(pk=user_id), details=details, actor=ACTOR)

    return attempt


@pytest.mark.django_db
def test_two_admins_assigning_one_number_exactly_one_wins(world):
    with throwaway_org(
        world, prefix="numrace", subscriptions=[SubscriptionSpec("Sub-1", {"webex_meetings": 1})],
        prepare=_users_and_location,
    ) as (org, (user_ids, location_id)):  # fmt: skip
        outcomes = race(
            org, [_provision(uid, location_id) for uid in user_ids], NumberAlreadyAssigned
        )

        assert sorted(outcomes) == [
            "Phone number +4722000001 is already assigned: choose a free number.",
            "done",
        ]
        holders = in_org(org, lambda: PhoneNumber.objects.filter(profile__isnull=False).count())
        assert holders == 1


def _empty_org(slug: str) -> None:
    return None


@pytest.mark.django_db
def test_two_admins_creating_the_first_location_both_succeed_with_one_default(world):
    with throwaway_org(
        world, prefix="locrace", subscriptions=[SubscriptionSpec("Sub-1", {"webex_meetings": 1})],
        prepare=_empty_org,
    ) as (org, _):  # fmt: skip
        attempts = [
            lambda name=name: create_location(name=name, country="NO", actor=ACTOR)
            for name in ("Oslo", "Bergen")
        ]

        assert race(org, attempts, LocationNameTaken) == ["done", "done"]
        defaults = in_org(org, lambda: Location.objects.filter(is_default=True).count())
        assert defaults == 1


@pytest.mark.django_db
def test_two_admins_creating_one_location_name_in_any_case_one_is_told_the_name_is_taken(world):
    with throwaway_org(
        world, prefix="locname", subscriptions=[SubscriptionSpec("Sub-1", {"webex_meetings": 1})],
        prepare=_empty_org,
    ) as (org, _):  # fmt: skip
        attempts = [
            lambda name=name: create_location(name=name, country="NO", actor=ACTOR)
            for name in ("Oslo", "oslo")
        ]

        outcomes = race(org, attempts, LocationNameTaken)

        assert "done" in outcomes
        assert [o for o in outcomes if o != "done"][0].endswith(
            "already exists: choose another name."
        )
        assert in_org(org, lambda: Location.objects.count()) == 1


def _location(slug: str) -> int:
    return Location.objects.create(name="Oslo", country="NO", is_default=True).pk


@pytest.mark.django_db
def test_two_admins_adding_overlapping_numbers_one_is_told_which_are_taken(world):
    with throwaway_org(
        world, prefix="numadd", subscriptions=[SubscriptionSpec("Sub-1", {"webex_meetings": 1})],
        prepare=_location,
    ) as (org, location_id):  # fmt: skip
        attempts = [
            lambda numbers=numbers: add_numbers(
                location=Location.objects.get(pk=location_id), numbers=numbers, actor=ACTOR
            )
            for numbers in (["+4722000001", "+4722000002"], ["+4722000002", "+4722000003"])
        ]

        outcomes = race(org, attempts, DuplicateNumbers)

        assert sorted(outcomes) == [
            "These numbers are already in the inventory or given twice: +4722000002. "
            "Nothing was added.",
            "done",
        ]
        assert in_org(org, lambda: PhoneNumber.objects.count()) == 2


def _user_and_location(slug: str) -> tuple[int, int]:
    location = Location.objects.create(name="Oslo", country="NO", is_default=True)
    return OrgUser.objects.create(email=f"pat@{slug}.test").pk, location.pk


@pytest.mark.django_db
def test_two_admins_setting_up_one_user_one_is_told_calling_is_set_up(world):
    with throwaway_org(
        world, prefix="setup2", subscriptions=[SubscriptionSpec("Sub-1", {"webex_meetings": 1})],
        prepare=_user_and_location,
    ) as (org, (user_id, location_id)):  # fmt: skip

        def attempt(extension: str):  # type: ignore[no-untyped-def]
            def set_up() -> None:
                details = CallingDetails(
                    location=Location.objects.get(pk=location_id), extension=extension
                )
                user = OrgUser.objects.get(pk=user_id)
                provision_user_calling(user=user, details=details, actor=ACTOR)

            return set_up

        outcomes = race(org, [attempt("11"), attempt("12")], CallingAlreadySetUp)

        refused = [outcome for outcome in outcomes if outcome != "done"]
        assert len(refused) == 1
        assert refused[0].endswith(
            "already has calling set up: change its location, number or extension on the "
            "user's calling page instead."
        )
        assert in_org(org, lambda: CallingProfile.objects.count()) == 1
