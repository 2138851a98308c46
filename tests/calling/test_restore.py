"""*Restore calling* from the user's calling page and the API (issue #4, beyond the
anchor): what comes back, and what is listed as not restored."""

from __future__ import annotations

import pytest

from calling.models import CallingProfile, CallingSnapshot, Location, PhoneNumber
from calling.services.profiles import (
    CallingDetails,
    provision_user_calling,
    remove_user_calling,
)
from calling.services.settings import CallSettings, set_voicemail, update_call_settings
from licensing.services.packages import change_package
from tests.calling.conftest import ACTOR, make_user
from tests.conftest import in_schema
from tests.licensing.conftest import line

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def removed(world):  # type: ignore[no-untyped-def]
    """pat keeps a Webex Calling license, but its calling data (+4722000001, 1234,
    voicemail, forwarding) was removed and kept as a snapshot."""
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
        set_voicemail(user=pat, enabled=True, pin="4711", actor=ACTOR)
        update_call_settings(
            user=pat,
            settings=CallSettings(forwarding="busy", forward_to="+4799887766"),
            actor=ACTOR,
        )
        remove_user_calling(user=pat, actor=ACTOR, reason="test")
    return oslo, pat


def _take_the_number(world) -> None:  # type: ignore[no-untyped-def]
    with in_schema(world.acme):
        kim = make_user("kim@acme.test")
        provision_user_calling(
            user=kim,
            details=CallingDetails(
                location=Location.objects.get(name="Oslo"), number="+4722000001"
            ),
            actor=ACTOR,
        )


def test_calling_page_offers_restore_for_a_licensed_user_without_calling(
    org_client, world, removed
):
    pat = removed[1]

    page = org_client(world.acme, world.ann).get(f"/calling/users/{pat.pk}/").content.decode()

    assert 'id="restore-calling"' in page


def test_calling_page_offers_no_restore_without_a_snapshot(org_client, world, removed):
    pat = removed[1]
    with in_schema(world.acme):
        CallingSnapshot.objects.all().delete()

    page = org_client(world.acme, world.ann).get(f"/calling/users/{pat.pk}/").content.decode()

    assert 'id="restore-calling"' not in page
    assert "Set up calling" in page


def test_calling_page_offers_no_restore_while_calling_is_set_up(org_client, world, removed):
    oslo, pat = removed
    with in_schema(world.acme):
        provision_user_calling(
            user=pat, details=CallingDetails(location=oslo, extension="55"), actor=ACTOR
        )

    page = org_client(world.acme, world.ann).get(f"/calling/users/{pat.pk}/").content.decode()

    assert 'id="restore-calling"' not in page


def test_restore_page_restores_a_number_still_free(org_client, world, removed):
    oslo, pat = removed

    response = org_client(world.acme, world.ann).post(f"/calling/users/{pat.pk}/restore/")

    assert response.status_code == 200
    result = response.context["result"]
    assert result.restored == [
        "Location Oslo",
        "Phone number +4722000001",
        "Extension 1234",
        "Voicemail and its PIN",
        "Call settings",
    ]
    assert result.not_restored == []
    assert "Everything was restored." in response.content.decode()
    with in_schema(world.acme):
        profile = CallingProfile.objects.get(user=pat)
        assert profile.number.e164 == "+4722000001" and profile.voicemail_enabled
        assert profile.settings["forwarding"] == {"mode": "busy", "destination": "+4799887766"}


def test_restore_page_lists_a_taken_number_as_not_restored(org_client, world, removed):
    pat = removed[1]
    _take_the_number(world)

    response = org_client(world.acme, world.ann).post(f"/calling/users/{pat.pk}/restore/")

    page = response.content.decode()
    assert "Extension 1234" in page
    assert "Phone number +4722000001 is now assigned elsewhere." in page
    with in_schema(world.acme):
        profile = CallingProfile.objects.get(user=pat)
        assert profile.extension == "1234"
        assert not PhoneNumber.objects.filter(profile=profile).exists()


def test_restore_page_with_nothing_to_restore_says_so(org_client, world, removed):
    pat = removed[1]
    with in_schema(world.acme):
        CallingSnapshot.objects.all().delete()

    response = org_client(world.acme, world.ann).post(
        f"/calling/users/{pat.pk}/restore/", follow=True
    )

    assert "has no calling data removed in the last 30 days" in response.content.decode()


def test_restore_api_restores_a_number_still_free(org_client, world, removed):
    pat = removed[1]

    response = org_client(world.acme, world.uma).post(f"/api/calling/users/{pat.pk}/restore/")

    assert response.status_code == 200
    body = response.json()
    assert "Phone number +4722000001" in body["restored"]
    assert body["not_restored"] == []
    assert body["calling"]["number"] == "+4722000001"
    assert "voicemail_pin_hash" not in body["calling"] and "pbkdf2" not in str(body)


def test_restore_api_lists_a_taken_number_as_not_restored(org_client, world, removed):
    pat = removed[1]
    _take_the_number(world)

    body = org_client(world.acme, world.ann).post(f"/api/calling/users/{pat.pk}/restore/").json()

    assert body["not_restored"] == ["Phone number +4722000001 is now assigned elsewhere."]
    assert body["calling"]["number"] is None and body["calling"]["extension"] == "1234"


def test_restore_api_twice_is_refused(org_client, world, removed):
    pat = removed[1]
    client = org_client(world.acme, world.ann)
    client.post(f"/api/calling/users/{pat.pk}/restore/")

    response = client.post(f"/api/calling/users/{pat.pk}/restore/")

    assert response.status_code == 400
    assert response.json()["code"] == "nothing_to_restore"


def test_restore_api_is_refused_to_read_only_roles(org_client, world, removed):
    pat = removed[1]

    for client in (
        org_client(world.acme, world.rita),
        org_client(world.acme, world.carol, launched=True),
    ):
        assert client.post(f"/api/calling/users/{pat.pk}/restore/").status_code == 403

    with in_schema(world.acme):
        assert not CallingProfile.objects.filter(user=pat).exists()
