"""Two admins assigning the same number at once, with real commits: exactly one wins."""

from __future__ import annotations

import pytest

from calling.errors import NumberAlreadyAssigned
from calling.models import Location, PhoneNumber
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
        world, prefix="numrace", subscriptions=[SubscriptionSpec("Sub-1", {"basic_messaging": 1})],
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
