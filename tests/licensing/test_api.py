from __future__ import annotations

import pytest

from licensing.models import LicenseAssignment, OrgUser, Subscription
from licensing.services.users import create_user
from tests.conftest import in_schema
from tests.licensing.conftest import ACTOR, line, second_subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def pat(world):
    with in_schema(world.acme):
        return create_user(email="pat@acme.test", package_line=line("webex_meetings"), actor=ACTOR)


def test_user_list_filters_and_paginates(org_client, world, pat):
    client = org_client(world.acme, world.rita)

    body = client.get("/api/users/?package=webex_meetings&q=pat").json()

    assert body["count"] == 1
    [user] = body["results"]
    assert (user["email"], user["package"]) == ("pat@acme.test", "webex_meetings")
    assert client.get("/api/users/?package=none").json()["count"] == 0


def test_api_adds_users_and_reports_each(org_client, world):
    client = org_client(world.acme, world.uma)
    with in_schema(world.acme):
        package = line("webex_meetings")

    response = client.post(
        "/api/users/",
        {"entries": [{"email": "a@acme.test"}, {"email": "bad"}], "package_line": package.pk},
        content_type="application/json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["created"], body["failed"]) == (1, 1)
    assert body["outcomes"][1]["reason"] == "'bad' is not a valid e-mail address."


def test_api_refuses_26_users(org_client, world):
    client = org_client(world.acme, world.ann)

    response = client.post(
        "/api/users/",
        {"entries": [{"email": f"u{i}@acme.test"} for i in range(26)]},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "batch_too_large"
    with in_schema(world.acme):
        assert not OrgUser.objects.exists()


def test_api_package_change_needs_calling_details(org_client, world, pat):
    client = org_client(world.acme, world.ann)
    with in_schema(world.acme):
        calling = line("webex_calling")

    response = client.post(
        f"/api/users/{pat.pk}/package/", {"line": calling.pk}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "calling_details_required"
    with in_schema(world.acme):
        assert (
            LicenseAssignment.objects.get(user=pat, kind="package").license_type == "webex_meetings"
        )


def test_api_moves_license_to_another_subscription(org_client, world, pat):
    client = org_client(world.acme, world.uma)
    with in_schema(world.acme):
        target = second_subscription({"webex_meetings": 3}).lines.get()
        source = line("webex_meetings")

    response = client.post(
        f"/api/users/{pat.pk}/licenses/move/",
        {"from_line": source.pk, "to_line": target.pk},
        content_type="application/json",
    )

    assert response.status_code == 200
    package = next(a for a in response.json()["licenses"] if a["kind"] == "package")
    assert package["line"]["subscription"] == "Sub-100999"


def test_api_subscriptions_show_usage(org_client, world, pat):
    client = org_client(world.acme, world.rita)

    [subscription] = client.get("/api/subscriptions/").json()

    usage = {ln["license_type"]: (ln["used"], ln["quantity"]) for ln in subscription["lines"]}
    assert usage["webex_meetings"] == (1, 50)


def test_api_user_admin_cannot_change_subscriptions(org_client, world):
    client = org_client(world.acme, world.uma)
    with in_schema(world.acme):
        sub = Subscription.objects.get()

    response = client.patch(
        f"/api/subscriptions/{sub.pk}/",
        {"quantities": {"webex_calling": 1}},
        content_type="application/json",
    )

    assert response.status_code == 403
    with in_schema(world.acme):
        assert line("webex_calling").quantity == 50


def test_api_read_only_cannot_delete_user(org_client, world, pat):
    client = org_client(world.acme, world.rita)

    assert client.delete(f"/api/users/{pat.pk}/").status_code == 403
    with in_schema(world.acme):
        assert OrgUser.objects.filter(pk=pat.pk).exists()


def test_api_quantity_below_usage_is_refused(org_client, world, pat):
    client = org_client(world.acme, world.alice, launched=True)
    with in_schema(world.acme):
        sub = Subscription.objects.get()

    response = client.patch(
        f"/api/subscriptions/{sub.pk}/",
        {"quantities": {"webex_meetings": 0}},
        content_type="application/json",
    )

    assert response.status_code == 409
    assert response.json()["message"] == (
        "Webex Meetings on Sub-100234 has 1 licenses in use; the quantity cannot go below 1. "
        "Release or move licenses first."
    )
    with in_schema(world.acme):
        assert line("webex_meetings").quantity == 50


def test_api_templates_crud(org_client, world):
    client = org_client(world.acme, world.ann)
    with in_schema(world.acme):
        meetings = line("webex_meetings")

    created = client.post(
        "/api/templates/",
        {"name": "Everyone", "lines": [meetings.pk]},
        content_type="application/json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    patched = client.patch(
        f"/api/templates/{pk}/", {"name": "All"}, content_type="application/json"
    )
    assert patched.json()["name"] == "All"
    assert client.delete(f"/api/templates/{pk}/").status_code == 204
