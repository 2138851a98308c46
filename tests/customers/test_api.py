from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from customers.models import Customer
from partnerhub.models import ApiToken

pytestmark = pytest.mark.django_db


def test_customer_api_lists_only_visible_customers_with_token_auth(world):
    _, token = ApiToken.objects.create(user=world.sam, name="test")
    client = APIClient(HTTP_HOST="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/partner/customers/")
    assert response.status_code == 200
    assert [c["name"] for c in response.json()["results"]] == ["Initech"]


def test_customer_api_search_and_detail(partner_client, world):
    client = partner_client(world.alice)
    assert [
        c["org_id"] for c in client.get("/api/partner/customers/?search=glob").json()["results"]
    ] == ["globex"]
    detail = client.get(f"/api/partner/customers/{world.acme.pk}/").json()
    assert detail["name"] == "Acme Corp"
    assert client.get(f"/api/partner/customers/{world.initech.pk}/").status_code == 404


def test_api_requires_authentication(partner_client, world):
    assert partner_client().get("/api/partner/customers/").status_code in (401, 403)


def test_read_only_admin_cannot_provision_through_api(partner_client, world):
    response = partner_client(world.carol).post(
        "/api/partner/customers/provision/",
        {"name": "Nope", "org_id": "nope", "admin_email": "n@nope.test"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Customer.objects.filter(slug="nope").exists()


def test_provision_api_reports_a_bad_org_id_with_its_code(partner_client, world):
    response = partner_client(world.alice).post(
        "/api/partner/customers/provision/",
        {"name": "Bad", "org_id": "Bad_Id", "admin_email": "a@bad.test"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_slug"
    assert not Customer.objects.filter(name="Bad").exists()


def test_provision_api_creates_the_org(partner_client, world):
    response = partner_client(world.bob).post(
        "/api/partner/customers/provision/",
        {
            "name": "Hooli",
            "org_id": "hooli",
            "admin_email": "gavin@hooli.test",
            "packages": ["webex_calling"],
            "subscriptions": ["Sub-900001:webex_calling=10"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["org_id"] == "hooli"
    assert Customer.objects.get(slug="hooli").provisioned_by == world.bob
