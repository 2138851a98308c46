"""Two admins assigning the same number at once, with real commits: exactly one wins."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection, connections

from calling.errors import NumberAlreadyAssigned
from calling.models import Location, PhoneNumber
from calling.services.profiles import CallingDetails, provision_user_calling
from customers.services import SubscriptionSpec, provision_customer
from licensing.models import OrgUser
from partnerhub.models import Account
from tests.calling.conftest import ACTOR
from tests.licensing.test_concurrency import _in_own_connection


def _race(org, user_ids: list[int], location_id: int) -> list[str]:
    barrier = threading.Barrier(len(user_ids))
    outcomes: list[str] = []

    def work(user_id: int) -> None:
        try:
            connection.set_tenant(org)
            user = OrgUser.objects.get(pk=user_id)
            location = Location.objects.get(pk=location_id)
            details = CallingDetails(location=location, number="+4722000001")
            barrier.wait(timeout=10)
            provision_user_calling(user=user, details=details, actor=ACTOR)
            outcomes.append("assigned")
        except NumberAlreadyAssigned as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db
def test_two_admins_assigning_one_number_exactly_one_wins(world):
    slug = f"numrace-{uuid.uuid4().hex[:8]}"

    def provision():  # type: ignore[no-untyped-def]
        org = provision_customer(
            partner=world.northwind,
            name="Number race",
            slug=slug,
            admin_email=f"admin@{slug}.test",
            actor=ACTOR,
            packages=["webex_meetings"],
            subscriptions=[SubscriptionSpec("Sub-1", {"basic_messaging": 1})],
        )
        connection.set_tenant(org)
        location = Location.objects.create(name="Oslo", country="NO", is_default=True)
        PhoneNumber.objects.create(e164="+4722000001", location=location)
        users = [OrgUser.objects.create(email=f"u{i}@{slug}.test").pk for i in range(2)]
        return org, users, location.pk

    def holders(org):  # type: ignore[no-untyped-def]
        connection.set_tenant(org)
        return PhoneNumber.objects.filter(profile__isnull=False).count()

    def drop(org):  # type: ignore[no-untyped-def]
        org.delete(force_drop=True)
        Account.objects.filter(email=f"admin@{slug}.test").delete()

    org, user_ids, location_id = _in_own_connection(provision)
    try:
        outcomes = _race(org, user_ids, location_id)

        assert sorted(outcomes) == [
            "Phone number +4722000001 is already assigned: choose a free number.",
            "assigned",
        ]
        assert _in_own_connection(lambda: holders(org)) == 1
    finally:
        _in_own_connection(lambda: drop(org))
