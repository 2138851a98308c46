from __future__ import annotations

import pytest

from calling.demo import CALLING_USERS, NUMBERS_PER_LOCATION, load_demo
from calling.models import CallingProfile, Location, PhoneNumber
from licensing.demo import load_demo as load_licensing_demo
from tests.calling.conftest import ACTOR

pytestmark = pytest.mark.django_db


def test_calling_demo_is_idempotent_and_gives_some_users_calling(acme):
    load_licensing_demo(customer=acme, actor=ACTOR)
    load_demo(customer=acme, actor=ACTOR)
    load_demo(customer=acme, actor=ACTOR)

    assert list(Location.objects.values_list("name", flat=True)) == [
        "Branch office",
        "Headquarters",
    ]
    assert PhoneNumber.objects.count() == 2 * NUMBERS_PER_LOCATION
    assert CallingProfile.objects.count() == CALLING_USERS
    assert PhoneNumber.objects.filter(profile__isnull=False).count() == CALLING_USERS
