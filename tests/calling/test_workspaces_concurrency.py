"""Two admins creating workspaces at once, with real commits: no line is over-consumed
and a number goes to exactly one workspace."""

from __future__ import annotations

import pytest

from calling.models import Location, PhoneNumber, Workspace
from calling.workspaces.services import create_workspace
from customers.services import SubscriptionSpec
from licensing import catalogue
from licensing.errors import LicenseExhausted
from licensing.models import LicenseAssignment, SubscriptionLine
from partnerhub.errors import DomainError
from tests.committed import ACTOR, in_org, race, throwaway_org


def _location(slug: str) -> int:
    location = Location.objects.create(name="Oslo", country="NO", is_default=True)
    for e164 in ("+4722000001", "+4722000002"):
        PhoneNumber.objects.create(e164=e164, location=location)
    return location.pk


def _create(name: str, number: str, location_id: int):  # type: ignore[no-untyped-def]
    def attempt() -> None:
        create_workspace(
            name=name, location=Location.objects.get(pk=location_id), actor=ACTOR,
            line=SubscriptionLine.objects.get(license_type=catalogue.WORKSPACE_CALLING),
            number=number,
        )  # fmt: skip

    return attempt


@pytest.mark.django_db
def test_two_admins_taking_the_last_workspace_license_exactly_one_wins(world):
    with throwaway_org(
        world, prefix="wsrace", subscriptions=[SubscriptionSpec("Sub-1", {"workspace_calling": 1})],
        prepare=_location,
    ) as (org, location_id):  # fmt: skip
        outcomes = race(
            org,
            [_create("A", "+4722000001", location_id), _create("B", "+4722000002", location_id)],
            LicenseExhausted,
        )

        assert sorted(outcomes) == [
            "No Workspace Calling licenses left on Sub-1: 1 of 1 used.",
            "done",
        ]
        assert in_org(org, lambda: LicenseAssignment.objects.count()) == 1
        assert in_org(org, lambda: Workspace.objects.count()) == 1


@pytest.mark.django_db
def test_two_admins_giving_one_number_to_two_workspaces_exactly_one_wins(world):
    with throwaway_org(
        world, prefix="wsnum", subscriptions=[SubscriptionSpec("Sub-1", {"workspace_calling": 5})],
        prepare=_location,
    ) as (org, location_id):  # fmt: skip
        outcomes = race(
            org,
            [_create("A", "+4722000001", location_id), _create("B", "+4722000001", location_id)],
            DomainError,
        )

        assert sorted(outcomes) == [
            "Phone number +4722000001 is already assigned: choose a free number.",
            "done",
        ]
        holders = in_org(org, lambda: PhoneNumber.objects.filter(profile__isnull=False).count())
        assert holders == 1
