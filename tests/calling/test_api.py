"""The calling org API (SPEC §6)."""

from __future__ import annotations

import pytest

from calling.models import CallingProfile, Location, PhoneNumber
from calling.services.profiles import CallingDetails, provision_user_calling, remove_user_calling
from licensing.models import LicenseAssignment
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


def _licensed_without_calling_data(pat, oslo):  # type: ignore[no-untyped-def]
    """A user whose package includes calling but whose calling data was removed."""
    change_package(
        user=pat,
        line=line("webex_calling"),
        actor=ACTOR,
        calling=CallingDetails(location=oslo, extension="99"),
    )
    remove_user_calling(user=pat, actor=ACTOR)


def test_numbers_api_caps_a_list_like_a_range(org_client, world, setup):
    many = [f"+47230{n:05d}" for n in range(20_000)]

    response = org_client(world.acme, world.ann).post(
        "/api/calling/numbers/", {"location": setup[0].pk, "numbers": many}, JSON
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_number_range"
    with in_schema(world.acme):
        assert PhoneNumber.objects.count() == 2


def test_user_calling_put_get(org_client, world, setup):
    oslo, pat = setup
    with in_schema(world.acme):
        _licensed_without_calling_data(pat, oslo)
    client = org_client(world.acme, world.uma)  # a user admin: a user's calling is user data

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
    with in_schema(world.acme):
        _licensed_without_calling_data(pat, oslo)
    client = org_client(world.acme, world.ann)

    response = client.put(
        f"/api/calling/users/{pat.pk}/",
        {"location": oslo.pk, "number": "+4722999999"},
        content_type=JSON,
    )

    assert response.status_code == 400
    assert response.json()["code"] == "number_not_in_inventory"
    assert client.get(f"/api/calling/users/{pat.pk}/").status_code == 404


def test_api_put_refuses_calling_for_a_user_without_a_calling_license(org_client, world, setup):
    oslo, pat = setup  # Webex Meetings

    response = org_client(world.acme, world.ann).put(
        f"/api/calling/users/{pat.pk}/", {"location": oslo.pk, "number": "+4722000001"}, JSON
    )

    assert response.status_code == 400
    assert response.json()["code"] == "calling_license_required"
    assert response.json()["message"] == (
        "pat@acme.test has no calling license: give the user a package with calling first "
        "(Change package), which asks for these details."
    )
    with in_schema(world.acme):
        assert not CallingProfile.objects.filter(user=pat).exists()
        assert PhoneNumber.objects.get(e164="+4722000001").profile_id is None


def test_api_delete_calling_does_not_leave_a_calling_package_without_calling_data(
    org_client, world, setup
):
    oslo, pat = setup
    with in_schema(world.acme):
        change_package(
            user=pat,
            line=line("webex_calling"),
            actor=ACTOR,
            calling=CallingDetails(location=oslo, extension="1234", number="+4722000001"),
        )
    client = org_client(world.acme, world.ann)

    for confirm in ("", "?confirm=true"):
        response = client.delete(f"/api/calling/users/{pat.pk}/{confirm}")

        assert response.status_code == 409
        assert response.json()["code"] == "calling_comes_with_package"
        assert response.json()["message"].startswith(
            "pat@acme.test's calling comes with its package Webex Calling [Sub-100234]: "
            "change the user's package to one without calling"
        )
    with in_schema(world.acme):
        assert CallingProfile.objects.filter(user=pat).exists()
        assert PhoneNumber.objects.get(e164="+4722000001").profile_id is not None
        assert LicenseAssignment.objects.filter(user=pat, license_type="webex_calling").exists()


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
