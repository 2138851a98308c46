"""Helpers for licensing tests (all inside Acme's schema unless said otherwise)."""

from __future__ import annotations

import pytest

from calling.models import Location, PhoneNumber
from licensing.models import Subscription, SubscriptionLine
from partnerhub.audit.services import Actor

ACTOR = Actor.system("licensing test")


def line(license_type: str, subscription: str = "Sub-100234") -> SubscriptionLine:
    return SubscriptionLine.objects.select_related("subscription").get(
        subscription__external_id=subscription, license_type=license_type
    )


def second_subscription(
    quantities: dict[str, int], external_id: str = "Sub-100999"
) -> Subscription:
    from licensing.services.subscriptions import create_subscription

    return create_subscription(external_id=external_id, quantities=quantities, actor=ACTOR)


@pytest.fixture
def oslo(acme) -> Location:
    """Oslo, with +4722334455 in its number inventory."""
    location = Location.objects.create(name="Oslo", country="NO", is_default=True)
    PhoneNumber.objects.create(e164="+4722334455", location=location)
    return location
