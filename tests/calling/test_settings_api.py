"""API of a user's calling after set-up: details, voicemail (the PIN goes in, never
out), call settings (SPEC §6, issue #4)."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password

from calling.models import CallingProfile, Location, PhoneNumber
from calling.services.profiles import CallingDetails
from licensing.services.packages import change_package
from tests.calling.conftest import ACTOR, make_user
from tests.conftest import in_schema
from tests.licensing.conftest import line

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def setup(world):  # type: ignore[no-untyped-def]
    with in_schema(world.acme):
        oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
        for e164 in ("+4722000001", "+4722000002"):
            PhoneNumber.objects.create(e164=e164, location=oslo)
        pat = make_user("pat@acme.test")
        change_package(
            user=pat,
            line=line("webex_calling"),
            actor=ACTOR,
            calling=CallingDetails(location=oslo, extension="1234", number="+4722000001"),
        )
    return oslo, pat


def test_voicemail_api_turns_voicemail_on_and_never_returns_the_pin(org_client, world, setup):
    pat = setup[1]
    client = org_client(world.acme, world.uma)

    response = client.put(
        f"/api/calling/users/{pat.pk}/voicemail/", {"enabled": True, "pin": "4711"}, JSON
    )

    assert response.status_code == 200
    assert response.json() == {"enabled": True, "pin_set": True}
    assert client.get(f"/api/calling/users/{pat.pk}/voicemail/").json() == {
        "enabled": True,
        "pin_set": True,
    }
    with in_schema(world.acme):
        assert check_password("4711", CallingProfile.objects.get(user=pat).voicemail_pin_hash)


def test_voicemail_api_refuses_a_bad_pin_with_its_code(org_client, world, setup):
    pat = setup[1]

    response = org_client(world.acme, world.ann).put(
        f"/api/calling/users/{pat.pk}/voicemail/", {"enabled": True, "pin": "12"}, JSON
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_voicemail_pin"
    assert response.json()["field"] == "pin"
    with in_schema(world.acme):
        assert not CallingProfile.objects.get(user=pat).voicemail_enabled


def test_voicemail_api_of_a_user_without_calling_is_refused(org_client, world, setup):
    with in_schema(world.acme):
        kim = make_user("kim@acme.test")

    response = org_client(world.acme, world.ann).get(f"/api/calling/users/{kim.pk}/voicemail/")

    assert response.status_code == 400
    assert response.json()["code"] == "calling_not_set_up"


def test_settings_api_reads_and_writes_call_settings(org_client, world, setup):
    pat = setup[1]
    client = org_client(world.acme, world.ann)
    assert client.get(f"/api/calling/users/{pat.pk}/settings/").json() == {
        "forwarding": "off",
        "forward_to": "",
        "do_not_disturb": False,
        "caller_id": "own_number",
    }

    response = client.put(
        f"/api/calling/users/{pat.pk}/settings/",
        {"forwarding": "always", "forward_to": "+4799887766", "caller_id": "hidden"},
        JSON,
    )

    assert response.status_code == 200
    assert client.get(f"/api/calling/users/{pat.pk}/settings/").json() == {
        "forwarding": "always",
        "forward_to": "+4799887766",
        "do_not_disturb": False,
        "caller_id": "hidden",
    }


def test_settings_api_refuses_a_bad_destination_with_its_code(org_client, world, setup):
    pat = setup[1]

    response = org_client(world.acme, world.ann).put(
        f"/api/calling/users/{pat.pk}/settings/",
        {"forwarding": "busy", "forward_to": "99", "caller_id": "hidden"},
        JSON,
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_forwarding"
    with in_schema(world.acme):
        assert CallingProfile.objects.get(user=pat).settings == {}


def test_details_api_changes_the_number(org_client, world, setup):
    oslo, pat = setup

    response = org_client(world.acme, world.ann).put(
        f"/api/calling/users/{pat.pk}/details/",
        {"location": oslo.pk, "number": "+4722000002", "extension": "1234"},
        JSON,
    )

    assert response.status_code == 200
    assert response.json()["number"] == "+4722000002"


def test_details_api_refuses_a_taken_number_with_409(org_client, world, setup):
    oslo, pat = setup
    with in_schema(world.acme):
        kim = make_user("kim@acme.test")
        change_package(
            user=kim,
            line=line("webex_calling"),
            actor=ACTOR,
            calling=CallingDetails(location=oslo, number="+4722000002"),
        )

    response = org_client(world.acme, world.ann).put(
        f"/api/calling/users/{pat.pk}/details/",
        {"location": oslo.pk, "number": "+4722000002"},
        JSON,
    )

    assert response.status_code == 409
    assert response.json()["code"] == "number_already_assigned"


def test_settings_api_writes_are_refused_to_read_only_roles(org_client, world, setup):
    oslo, pat = setup
    for client in (
        org_client(world.acme, world.rita),
        org_client(world.acme, world.carol, launched=True),
    ):
        assert client.get(f"/api/calling/users/{pat.pk}/settings/").status_code == 200
        for path, body in (
            ("voicemail", {"enabled": True, "pin": "4711"}),
            ("settings", {"forwarding": "off", "caller_id": "hidden"}),
            ("details", {"location": oslo.pk, "extension": "55"}),
        ):
            response = client.put(f"/api/calling/users/{pat.pk}/{path}/", body, JSON)
            assert response.status_code == 403, path

    with in_schema(world.acme):
        profile = CallingProfile.objects.get(user=pat)
        assert (profile.extension, profile.voicemail_enabled, profile.settings) == (
            "1234",
            False,
            {},
        )
