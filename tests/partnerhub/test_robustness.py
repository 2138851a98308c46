"""Odd input an admin (or a script) may send gets a clear answer, never a 500."""

from __future__ import annotations

import pytest

from licensing.models import Subscription
from tests.conftest import in_schema

pytestmark = pytest.mark.django_db


def test_a_nul_character_in_a_search_box_is_ignored(org_client, partner_client, world):
    partner = partner_client(world.alice)
    org = org_client(world.acme, world.ann)
    for client, url in [
        (partner, "/partner/customers/?q=%00"),
        (partner, "/api/partner/customers/?search=%00"),
        (org, "/api/users/?search=%00"),
        (org, "/contact-center/?q=%00"),
        (org, "/api/contact-center/agents/?search=%00"),
    ]:
        client.raise_request_exception = False
        assert client.get(url).status_code == 200, url


def test_a_quantity_beyond_a_million_is_refused_clearly(org_client, world):
    with in_schema(world.acme):
        subscription = Subscription.objects.get(external_id="Sub-100234")
    client = org_client(world.acme, world.alice, launched=True)  # subscriptions: partner's

    api = client.patch(
        f"/api/subscriptions/{subscription.pk}/",
        {"quantities": {"webex_calling": 2**31}},
        content_type="application/json",
    )
    page = client.post(
        f"/subscriptions/{subscription.pk}/edit/", {"webex_calling": "99999999999999999999"}
    )

    assert api.status_code == 400
    assert page.status_code == 200 and b"1000000" in page.content.replace(b",", b"")


def test_each_host_documents_its_own_api(partner_client, org_client, world):
    partner_schema = partner_client(world.alice).get("/api/schema/?format=json").json()
    org_schema = org_client(world.acme, world.ann).get("/api/schema/?format=json").json()

    assert any(path.startswith("/api/partner/") for path in partner_schema["paths"])
    assert not any(path.startswith("/api/tasks/") for path in partner_schema["paths"])
    assert any(path.startswith("/api/tasks/") for path in org_schema["paths"])


def test_a_nul_character_in_any_query_parameter_is_never_a_500(org_client, partner_client, world):
    org = org_client(world.acme, world.ann)
    org.raise_request_exception = False
    for url in [
        "/calling/workspaces/?search=%00",
        "/users/?status=%00",
        "/users/?package=%00&group=%00",
        "/api/users/?status=%00",
        "/api/calling/workspaces/?search=%00",
        "/tasks/?status=%00",
    ]:
        assert org.get(url).status_code == 200, url


def test_a_nul_character_in_a_form_field_is_refused_in_place(org_client, world):
    client = org_client(world.acme, world.ann)

    response = client.post("/calling/locations/new/", {"name": "Os\x00lo", "country": "NO"})

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


@pytest.mark.parametrize("host", ["ACME.localhost", "acme.localhost.", "Acme.LOCALHOST.:8000"])
def test_host_names_match_case_insensitively_and_with_a_trailing_dot(org_client, world, host):
    client = org_client(world.acme, world.ann)

    response = client.get("/overview/", HTTP_HOST=host)

    assert response.status_code == 200
    assert "Acme Corp" in response.content.decode()
