"""The calling org API (SPEC §6)."""

from __future__ import annotations

import pytest

from calling.models import CallingProfile, Location, PhoneNumber
from calling.services.profiles import CallingDetails, provision_user_calling
from tests.calling.conftest import ACTOR, make_user
from tests.conftest import in_schema

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def setup(world):  # type: ignore[no-untyped-def]
    with in_schema(world.acme):
        oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
        for e164 in ("+4722000001", "+4722000002"):
            PhoneNumber.objects.create(e164=e164, location=oslo)
        pat = make_user("pat@acme.test")
    return oslo, pat


def test_locations_list_and_create(org_client, world, setup):
    client = org_client(world.acme, world.ann)

    response = client.post(
        "/api/calling/locations/", {"name": "Bergen", "country": "no"}, content_type=JSON
    )

    assert response.status_code == 201
    assert response.json()["is_default"] is False
    names = [loc["name"] for loc in client.get("/api/calling/locations/").json()]
    assert names == ["Bergen", "Oslo"]


def test_location_create_duplicate_is_409(org_client, world, setup):
    client = org_client(world.acme, world.ann)

    response = client.post(
        "/api/calling/locations/", {"name": "Oslo", "country": "NO"}, content_type=JSON
    )

    assert response.status_code == 409
    assert response.json()["code"] == "location_name_taken"


def test_location_delete(org_client, world, setup):
    client = org_client(world.acme, world.ann)
    with in_schema(world.acme):
        bergen = Location.objects.create(name="Bergen", country="NO")

    assert client.delete(f"/api/calling/locations/{bergen.pk}/").status_code == 204
    response = client.delete(f"/api/calling/locations/{setup[0].pk}/")
    assert response.status_code == 409
    assert response.json()["code"] == "default_location"


def test_writes_need_manage_org(org_client, world, setup):
    for account in (world.uma, world.rita):
        client = org_client(world.acme, account)
        response = client.post(
            "/api/calling/locations/", {"name": "Bergen", "country": "NO"}, content_type=JSON
        )
        assert response.status_code == 403
    assert org_client(world.acme, world.rita).get("/api/calling/numbers/").status_code == 200
    with in_schema(world.acme):
        assert not Location.objects.filter(name="Bergen").exists()


def test_numbers_add_and_filter(org_client, world, setup):
    oslo, pat = setup
    client = org_client(world.acme, world.ann)
    with in_schema(world.acme):
        provision_user_calling(
            user=pat, details=CallingDetails(location=oslo, number="+4722000001"), actor=ACTOR
        )

    response = client.post(
        "/api/calling/numbers/",
        {"location": oslo.pk, "range": "+4722000010-+4722000012"},
        content_type=JSON,
    )
    assert response.status_code == 201
    assert len(response.json()) == 3

    def numbers(query: str) -> list[str]:
        return [n["e164"] for n in client.get(f"/api/calling/numbers/{query}").json()]

    assert numbers("?state=assigned") == ["+4722000001"]
    assert numbers(f"?location={oslo.pk}&state=available") == [
        "+4722000002",
        "+4722000010",
        "+4722000011",
        "+4722000012",
    ]
    assert client.get("/api/calling/numbers/?state=lost").status_code == 400


def test_numbers_add_duplicates_lists_them(org_client, world, setup):
    client = org_client(world.acme, world.ann)

    response = client.post(
        "/api/calling/numbers/",
        {"location": setup[0].pk, "numbers": ["+4722000002", "+4722000003"]},
        content_type=JSON,
    )

    assert response.status_code == 409
    assert response.json()["numbers"] == ["+4722000002"]
    with in_schema(world.acme):
        assert not PhoneNumber.objects.filter(e164="+4722000003").exists()


def test_user_calling_put_get(org_client, world, setup):
    oslo, pat = setup
    client = org_client(world.acme, world.ann)

    response = client.put(
        f"/api/calling/users/{pat.pk}/",
        {"location": oslo.pk, "extension": "1234", "number": "+4722000001"},
        content_type=JSON,
    )

    assert response.status_code == 200
    body = client.get(f"/api/calling/users/{pat.pk}/").json()
    assert (body["extension"], body["number"], body["location"]["name"]) == (
        "1234",
        "+4722000001",
        "Oslo",
    )


def test_user_calling_put_refused_changes_nothing(org_client, world, setup):
    oslo, pat = setup
    client = org_client(world.acme, world.ann)

    response = client.put(
        f"/api/calling/users/{pat.pk}/",
        {"location": oslo.pk, "number": "+4722999999"},
        content_type=JSON,
    )

    assert response.status_code == 400
    assert response.json()["code"] == "number_not_in_inventory"
    assert client.get(f"/api/calling/users/{pat.pk}/").status_code == 404


def test_user_calling_delete_needs_confirm(org_client, world, setup):
    oslo, pat = setup
    client = org_client(world.acme, world.ann)
    with in_schema(world.acme):
        provision_user_calling(
            user=pat,
            details=CallingDetails(location=oslo, extension="1234", number="+4722000001"),
            actor=ACTOR,
        )

    response = client.delete(f"/api/calling/users/{pat.pk}/")

    assert response.status_code == 400
    assert response.json()["code"] == "calling_loss_not_confirmed"
    assert response.json()["lost"] == [
        "Location Oslo",
        "Phone number +4722000001 (released)",
        "Extension 1234",
    ]
    with in_schema(world.acme):
        assert CallingProfile.objects.filter(user=pat).exists()

    assert client.delete(f"/api/calling/users/{pat.pk}/?confirm=true").status_code == 204
    with in_schema(world.acme):
        assert not CallingProfile.objects.filter(user=pat).exists()
        assert PhoneNumber.objects.get(e164="+4722000001").profile is None
