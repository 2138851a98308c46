"""Cancelling a subscription that still carries calling (SPEC §5, issue #4 item 8)."""

from __future__ import annotations

import pytest

from calling import errors
from calling.models import CallingProfile, CallingSnapshot
from calling.services.profiles import CallingDetails
from calling.services.snapshots import restorable_snapshot
from licensing.models import LicenseAssignment, Subscription
from licensing.services.packages import change_package
from licensing.services.subscriptions import cancel_subscription
from tests.calling.conftest import ACTOR, make_user, numbers_of
from tests.licensing.conftest import line, second_subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def sub_b(acme) -> Subscription:
    return second_subscription({"webex_calling": 5, "webex_meetings": 5})


@pytest.fixture
def pat_on_b(oslo, sub_b):  # type: ignore[no-untyped-def]
    pat = make_user("pat@acme.test")
    change_package(
        user=pat,
        line=line("webex_calling", "Sub-100999"),
        actor=ACTOR,
        calling=CallingDetails(location=oslo, extension="1234", number="+4722000001"),
    )
    return pat


def test_cancelling_a_subscription_carrying_calling_is_refused_with_its_users(pat_on_b, sub_b):
    with pytest.raises(errors.SubscriptionCarriesCalling) as refused:
        cancel_subscription(subscription=sub_b, actor=ACTOR)

    assert refused.value.details["holders"] == ["pat@acme.test"]
    assert "pat@acme.test" in refused.value.message
    assert "type Sub-100999" in refused.value.message
    sub_b.refresh_from_db()
    assert sub_b.status == "active"
    assert CallingProfile.objects.filter(user=pat_on_b).exists()


def test_a_wrong_typed_confirmation_is_refused(pat_on_b, sub_b):
    with pytest.raises(errors.SubscriptionCarriesCalling):
        cancel_subscription(subscription=sub_b, actor=ACTOR, confirmation="Sub-100234")


def test_forced_cancel_removes_calling_through_the_snapshot_path(pat_on_b, sub_b, oslo):
    cancel_subscription(subscription=sub_b, actor=ACTOR, confirmation="Sub-100999")

    sub_b.refresh_from_db()
    assert sub_b.status == "cancelled"
    assert not CallingProfile.objects.filter(user=pat_on_b).exists()
    assert not LicenseAssignment.objects.filter(user=pat_on_b, kind="package").exists()
    assert numbers_of(oslo)["+4722000001"] is None
    snapshot = restorable_snapshot(email="pat@acme.test")
    assert snapshot.reason == "subscription_cancelled"
    assert snapshot.data["number"] == "+4722000001"
    assert snapshot.data["extension"] == "1234"


def test_users_moved_away_first_keep_calling_and_the_cancel_goes_through(pat_on_b, sub_b):
    change_package(user=pat_on_b, line=line("webex_calling"), actor=ACTOR)

    cancel_subscription(subscription=sub_b, actor=ACTOR)

    assert CallingProfile.objects.filter(user=pat_on_b).exists()
    assert not CallingSnapshot.objects.exists()


def test_a_subscription_without_calling_holders_cancels_without_confirmation(acme, sub_b):
    make_user("kim@acme.test")
    cancel_subscription(subscription=sub_b, actor=ACTOR)
    sub_b.refresh_from_db()
    assert sub_b.status == "cancelled"


def test_cancel_page_lists_who_loses_calling_and_asks_for_the_typed_id(
    pat_on_b, sub_b, org_client, world
):
    client = org_client(world.acme, world.alice, launched=True)
    url = f"/subscriptions/{sub_b.pk}/cancel/"

    refused = client.post(url)
    assert refused.status_code == 409
    assert b"pat@acme.test" in refused.content
    assert b'name="confirmation"' in refused.content

    client.post(url, {"confirmation": "Sub-100999"})
    sub_b.refresh_from_db()
    assert sub_b.status == "cancelled"


def test_cancel_api_needs_the_typed_id(pat_on_b, sub_b, org_client, world):
    client = org_client(world.acme, world.alice, launched=True)
    url = f"/api/subscriptions/{sub_b.pk}/status/"

    refused = client.post(url, {"action": "cancel"}, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["holders"] == ["pat@acme.test"]

    done = client.post(
        url, {"action": "cancel", "confirmation": "Sub-100999"}, content_type="application/json"
    )
    assert done.status_code == 200
    assert done.json()["status"] == "cancelled"
