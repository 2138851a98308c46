"""Who may call ``/scim/v2/``: only an active SCIM connection's token, and only on
its own org's host (issue #13 boundary walk)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from customers.models import Customer
from licensing.models import OrgUser
from licensing.scim.connections import create_connection, revoke_connection, rotate_token
from partnerhub.models import ApiToken
from tests.boundaries import ORG_URLCONF, record_walk
from tests.conftest import host_of, in_schema
from tests.licensing.scim.conftest import ADMIN, Scim, user_body

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("GET", "Users"),
    ("POST", "Users"),
    ("GET", "Users/1"),
    ("PUT", "Users/1"),
    ("PATCH", "Users/1"),
    ("DELETE", "Users/1"),
    ("GET", "Groups"),
    ("POST", "Groups"),
    ("GET", "Groups/1"),
    ("PATCH", "Groups/1"),
    ("DELETE", "Groups/1"),
    ("POST", "Bulk"),
    ("GET", "ServiceProviderConfig"),
    ("GET", "Schemas"),
    ("GET", "ResourceTypes"),
    ("POST", ".search"),
    ("POST", "Users/.search"),
    ("POST", "Groups/.search"),
    ("GET", "Schemas/urn:ietf:params:scim:schemas:core:2.0:User"),
    ("GET", "ResourceTypes/User"),
    ("GET", "NoSuchResource"),
]


def _walk(scim: Scim, allowed: set[int], **headers: str) -> list[str]:
    record_walk(ORG_URLCONF, [(method, f"/scim/v2/{path}") for method, path in ENDPOINTS])
    body = user_body("x@example.com")
    return [
        f"{method} {path}: {status}"
        for method, path in ENDPOINTS
        if (
            status := scim.call(
                method, path, body if method in ("POST", "PUT", "PATCH") else None, **headers
            ).status_code
        )
        not in allowed
    ]


def _acme(token: str, world) -> Scim:  # type: ignore[no-untyped-def]
    return Scim(Client(HTTP_HOST=host_of(world.acme)), token)


def test_scim_without_a_token_is_unauthorised(world):
    response = _acme("", world).get("Users")

    assert response.status_code == 401
    assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert _walk(_acme("", world), {401}) == []


def test_another_orgs_token_does_nothing_here(world):
    with in_schema(world.initech):
        _, token = create_connection(name="Initech Okta", actor=ADMIN)

    assert _walk(_acme(token, world), {401}) == []


def test_a_persons_api_token_never_works_on_scim(world):
    _, token = ApiToken.objects.create(user=world.ann, name="person", org_schema="org_acme")

    client = Scim(Client(HTTP_HOST=host_of(world.acme)), "")
    response = client.client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Token {token}")
    as_bearer = _acme(token, world).get("Users")

    assert (response.status_code, as_bearer.status_code) == (401, 401)
    assert _walk(_acme(token, world), {401}) == []
    assert _walk(_acme("", world), {401}, Authorization=f"Token {token}") == []
    with in_schema(world.acme):
        assert not OrgUser.objects.filter(email="x@example.com").exists()


def test_a_signed_in_admin_session_does_not_open_scim(org_client, world):
    response = org_client(world.acme, world.ann).get("/scim/v2/Users")

    assert response.status_code == 401


def test_a_revoked_token_stops_at_once(world):
    with in_schema(world.acme):
        connection, token = create_connection(name="Okta", actor=ADMIN)
        revoke_connection(connection=connection, actor=ADMIN)

    assert _walk(_acme(token, world), {401}) == []


def test_rotating_gives_a_new_token_and_stops_the_old_one(world):
    with in_schema(world.acme):
        connection, old = create_connection(name="Okta", actor=ADMIN)
        new = rotate_token(connection=connection, actor=ADMIN)

    assert _acme(old, world).get("Users").status_code == 401
    assert _acme(new, world).get("Users").status_code == 200


def test_a_scim_token_does_nothing_on_the_partner_host(world):
    with in_schema(world.acme):
        _, token = create_connection(name="Okta", actor=ADMIN)

    partner = Scim(Client(HTTP_HOST=host_of(None)), token)

    assert partner.get("Users").status_code == 404
    assert partner.post("Users", user_body("x@example.com")).status_code == 404


def test_another_orgs_user_id_is_not_found(world):
    with in_schema(world.initech):
        _, initech_token = create_connection(name="Initech", actor=ADMIN)
    initech = Scim(Client(HTTP_HOST=host_of(world.initech)), initech_token)
    created = initech.post("Users", user_body("ian.user@example.org"))
    assert created.status_code == 201, created.content
    user_id = created.json()["id"]
    with in_schema(world.acme):
        _, acme_token = create_connection(name="Acme", actor=ADMIN)

    response = _acme(acme_token, world).get(f"Users/{user_id}")

    assert response.status_code == 404
    with in_schema(world.initech):
        assert OrgUser.objects.filter(pk=user_id).exists()


def test_scim_token_command_prints_the_token_alone(world, capsys):
    call_command("scim_token", "acme", "--name", "Entra ID")

    token = capsys.readouterr().out.strip()
    assert token.startswith("phscim_") and "\n" not in token
    assert _acme(token, world).get("ServiceProviderConfig").status_code == 200


@pytest.mark.parametrize("status", ["suspended", "expired"])
def test_a_suspended_or_expired_org_answers_scim_403_and_nothing_is_written(world, status):
    with in_schema(world.acme):
        _, token = create_connection(name="Okta", actor=ADMIN)
    Customer.objects.filter(pk=world.acme.pk).update(status=status)
    scim = _acme(token, world)

    assert _walk(scim, {403}) == []
    assert status in scim.get("Users").json()["detail"]
    with in_schema(world.acme):
        assert not OrgUser.objects.filter(email="x@example.com").exists()
