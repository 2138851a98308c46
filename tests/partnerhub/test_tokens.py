"""Self-service API tokens (issue 10 §5): named, shown once, hashed, expiring,
revocable, last used; a partner admin's token works on the partner API and, as a
launched view audited "as partner X", on the org API of customers it may launch —
nowhere else; an org's token works on that org only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from licensing.models import Subscription
from partnerhub.audit.models import AuditEntry
from partnerhub.models import ApiToken
from tests.conftest import PASSWORD, in_schema

pytestmark = pytest.mark.django_db

INVALID = {"detail": "Invalid token."}


def _api(host: str, token: str) -> APIClient:
    client = APIClient(HTTP_HOST=host)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _token(account, org_schema: str = "", **fields) -> str:
    _, secret = ApiToken.objects.create(user=account, name="test", org_schema=org_schema, **fields)
    return secret


def test_token_page_shows_a_new_token_once_and_stores_only_its_hash(partner_client, world):
    client = partner_client(world.alice)

    created = client.post("/tokens/", {"name": "nightly export", "expires_days": "30"})
    secret = created.context["created"]
    listed = client.get("/tokens/")

    assert created["Cache-Control"] == "no-store"
    assert secret.startswith("ph_") and secret in created.content.decode()
    assert secret not in listed.content.decode()
    stored = ApiToken.objects.get(user=world.alice)
    assert stored.name == "nightly export"
    assert secret not in (stored.digest, stored.token_key)
    assert timedelta(days=29) < stored.expiry - timezone.now() <= timedelta(days=30)
    assert _api("localhost", secret).get("/api/partner/customers/").status_code == 200


def test_token_api_creates_lists_and_revokes(partner_client, world):
    client = partner_client(world.alice)

    made = client.post("/api/tokens/", {"name": "ci"}, content_type="application/json").json()
    listed = client.get("/api/tokens/").json()
    revoked = client.delete(f"/api/tokens/{made['id']}/")

    assert [t["name"] for t in listed] == ["ci"] and "token" not in listed[0]
    assert revoked.status_code == 204
    assert _api("localhost", made["token"]).get("/api/partner/customers/").json() == INVALID
    assert AuditEntry.objects.filter(action="api_token.revoked").count() == 1


def test_token_records_when_it_was_last_used(world):
    secret = _token(world.alice)

    _api("localhost", secret).get("/api/partner/customers/")

    assert ApiToken.objects.get(user=world.alice).last_used_at is not None


def test_an_expired_token_does_nothing(world):
    secret = _token(world.alice, expiry=timedelta(seconds=-1))

    assert _api("localhost", secret).get("/api/partner/customers/").status_code == 401


def test_bad_token_requests_are_refused_and_nothing_is_made(partner_client, world):
    client = partner_client(world.alice)

    too_long = client.post(
        "/api/tokens/", {"name": "x", "expires_days": 400}, content_type="application/json"
    )
    no_name = client.post("/tokens/", {"name": " ", "expires_days": "5"})

    assert too_long.status_code == 400
    assert too_long.json()["message"] == "A token expires after 1 to 365 days; 400 is not allowed."
    assert no_name.status_code == 400
    assert not ApiToken.objects.exists()


def test_partner_token_acts_in_a_launchable_org_as_the_launched_view(world):
    secret = _token(world.alice)
    with in_schema(world.acme):
        subscription = Subscription.objects.get()

    users = _api("acme.localhost", secret).get("/api/users/")
    changed = _api("acme.localhost", secret).patch(
        f"/api/subscriptions/{subscription.pk}/",
        {"quantities": {"webex_calling": 55}},
        format="json",
    )

    assert users.status_code == 200
    assert changed.status_code == 200
    with in_schema(world.acme):
        entry = AuditEntry.objects.get(action="subscription.quantities_changed")
        assert (entry.actor_email, entry.acting_as_partner) == (
            "alice@northwind.test",
            "Northwind Partners",
        )


def test_read_only_partner_token_reads_but_cannot_write_in_the_org(world):
    secret = _token(world.carol)

    assert _api("acme.localhost", secret).get("/api/users/").status_code == 200
    assert (
        _api("acme.localhost", secret)
        .post("/api/groups/", {"name": "Ops"}, format="json")
        .status_code
        == 403
    )


def test_partner_token_does_nothing_in_an_org_it_may_not_launch(world):
    alice = _token(world.alice)
    carol = _token(world.carol)  # read-only, assigned Acme only

    assert _api("initech.localhost", alice).get("/api/users/").json() == INVALID
    assert _api("globex.localhost", carol).get("/api/users/").json() == INVALID


def test_org_token_works_on_its_org_only(world):
    secret = _token(world.ann, org_schema=world.acme.schema_name)

    assert _api("acme.localhost", secret).get("/api/users/").status_code == 200
    assert _api("globex.localhost", secret).get("/api/users/").json() == INVALID
    assert _api("initech.localhost", secret).get("/api/users/").status_code == 401
    assert _api("localhost", secret).get("/api/partner/customers/").status_code == 401


def test_customer_admins_token_cannot_change_subscriptions(world):
    secret = _token(world.ann, org_schema=world.acme.schema_name)
    with in_schema(world.acme):
        subscription = Subscription.objects.get()

    response = _api("acme.localhost", secret).patch(
        f"/api/subscriptions/{subscription.pk}/",
        {"quantities": {"webex_calling": 1}},
        format="json",
    )

    assert response.status_code == 403


def test_tokens_of_people_never_open_scim(world):
    secret = _token(world.ann, org_schema=world.acme.schema_name)

    response = _api("acme.localhost", secret).get("/scim/v2/Users")

    assert response.status_code in (401, 403, 404)


def test_token_from_credentials_is_throttled_and_says_one_thing(world):
    def ask(password: str, email: str = "alice@northwind.test"):
        return Client(HTTP_HOST="localhost", REMOTE_ADDR="10.1.1.1").post(
            "/api/auth/token/",
            {"email": email, "password": password, "name": "script"},
            content_type="application/json",
        )

    good = ask(PASSWORD)
    unknown = ask(PASSWORD, email="nobody@northwind.test")
    no_role_here = ask(PASSWORD, email="ann@acme.test")
    for _ in range(5):
        ask("guess")
    locked = ask(PASSWORD)

    assert good.status_code == 201 and good.json()["token"].startswith("ph_")
    assert (
        unknown.json()
        == no_role_here.json()
        == {"detail": "Please enter a correct e-mail address and password."}
    )
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
    assert ApiToken.objects.filter(user=world.alice).count() == 1


def test_api_token_command_prints_the_token_alone(world, capsys):
    call_command(
        "api_token", "--email", "alice@northwind.test", "--name", "cron", "--expires-days", "7"
    )

    printed = capsys.readouterr().out.strip()
    assert printed.startswith("ph_") and "\n" not in printed
    assert _api("localhost", printed).get("/api/partner/customers/").status_code == 200
    assert ApiToken.objects.get(user=world.alice).name == "cron"


def test_api_token_command_for_a_customer_admin_makes_an_org_token(world, capsys):
    call_command("api_token", "--email", "ann@acme.test")

    printed = capsys.readouterr().out.strip()
    assert _api("acme.localhost", printed).get("/api/users/").status_code == 200
    assert _api("localhost", printed).get("/api/partner/customers/").status_code == 401


def test_token_urls_show_only_ones_own_tokens(partner_client, world):
    alice_token = ApiToken.objects.create(user=world.alice, name="alice's")[0]

    other = partner_client(world.sam)
    assert other.delete(f"/api/tokens/{alice_token.token_key}/").status_code == 404
    assert other.post(f"/tokens/{alice_token.token_key}/revoke/").status_code == 404
    assert other.get("/api/tokens/").json() == []
    assert partner_client().get("/api/tokens/").status_code in (401, 403)
    assert partner_client().get("/tokens/").status_code == 302
    assert ApiToken.objects.filter(pk=alice_token.pk).exists()
