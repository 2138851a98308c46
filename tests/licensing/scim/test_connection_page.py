"""The SCIM connection page: a full admin's, the token shown once, rotation and
revocation, the last requests and the counts (issue #13 item 5)."""

from __future__ import annotations

import pytest

from licensing.scim.models import ScimConnection
from tests.boundaries import assert_org_urls_closed_to_outsiders
from tests.conftest import in_schema
from tests.licensing.scim.conftest import ADMIN, Scim, user_body

pytestmark = pytest.mark.django_db
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"


def test_full_admin_creates_a_connection_and_sees_its_token_once(org_client, world):
    admin = org_client(world.acme, world.ann)

    created = admin.post("/scim/", {"name": "Okta"})
    later = admin.get("/scim/")

    assert created.status_code == 200
    token = created.context["token"]
    assert token.startswith("phscim_") and token in created.content.decode()
    assert "http://acme.localhost/scim/v2/" in created.content.decode()
    assert token not in later.content.decode()
    with in_schema(world.acme):
        connection = ScimConnection.objects.get()
        assert connection.token_hash != token and token.endswith(connection.token_hint)


def test_the_page_lists_requests_and_what_the_connection_provisioned(org_client, world):
    from django.test import Client

    from tests.conftest import host_of

    admin = org_client(world.acme, world.ann)
    token = admin.post("/scim/", {"name": "Okta"}).context["token"]
    scim = Scim(Client(HTTP_HOST=host_of(world.acme)), token)
    scim.post("Users", user_body("kim@example.com"))
    scim.post("Users", user_body("kim@example.com"))
    scim.post("Groups", {"schemas": [GROUP], "displayName": "Sales"})

    page = admin.get("/scim/").content.decode()

    assert "<strong>1</strong> users, <strong>1</strong> groups" in page
    assert "POST /scim/v2/Users" in page and "created kim@example.com" in page
    assert "A user with the e-mail kim@example.com already exists." in page


def test_the_request_log_lists_changes_and_failures_only_and_says_so(org_client, world):
    from django.test import Client

    from tests.conftest import host_of

    admin = org_client(world.acme, world.ann)
    token = admin.post("/scim/", {"name": "Okta"}).context["token"]
    scim = Scim(Client(HTTP_HOST=host_of(world.acme)), token)
    body = user_body("kim@example.com")
    user_id = scim.post("Users", body).json()["id"]
    scim.put(f"Users/{user_id}", body)  # unchanged
    scim.get(f"Users/{user_id}")
    scim.get("Users/999999")  # fails

    page = admin.get("/scim/").content.decode()

    assert "changed something or failed; reads and unchanged re-sends are not listed" in page
    assert f"PUT /scim/v2/Users/{user_id}" not in page
    assert page.count("GET /scim/v2/Users/") == 1 and "GET /scim/v2/Users/999999" in page


def test_rotate_and_revoke_from_the_page(org_client, world):
    admin = org_client(world.acme, world.ann)
    admin.post("/scim/", {"name": "Okta"})
    with in_schema(world.acme):
        pk = ScimConnection.objects.get().pk
    page = admin.get("/scim/").content.decode()
    assert 'data-confirm="Rotate the token of Okta? Its current token stops working at once' in page
    assert 'data-confirm="Revoke Okta? Its token stops working; the users and groups' in page

    rotated = admin.post(f"/scim/{pk}/rotate/")
    revoked = admin.post(f"/scim/{pk}/revoke/")

    assert rotated.context["token"].startswith("phscim_")
    assert revoked.status_code == 302
    with in_schema(world.acme):
        assert ScimConnection.objects.get().revoked_at is not None


@pytest.mark.parametrize("who", ["uma", "rita"])
def test_only_full_admins_reach_the_connection_page(org_client, world, who):
    client = org_client(world.acme, getattr(world, who))

    assert client.get("/scim/").status_code == 403
    assert client.post("/scim/", {"name": "Sneaky"}).status_code == 403
    with in_schema(world.acme):
        assert not ScimConnection.objects.exists()


def test_connection_page_closed_to_outsiders(org_client, world):
    with in_schema(world.acme):
        from licensing.scim.connections import create_connection

        connection, _ = create_connection(name="Okta", actor=ADMIN)
    urls = [
        ("GET", "/scim/"),
        ("POST", "/scim/"),
        ("POST", f"/scim/{connection.pk}/rotate/"),
        ("POST", f"/scim/{connection.pk}/revoke/"),
    ]
    assert_org_urls_closed_to_outsiders(org_client, world, urls)
    with in_schema(world.acme):
        assert ScimConnection.objects.get().revoked_at is None
