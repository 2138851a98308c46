from __future__ import annotations

import pytest
from django.test import Client, override_settings

from customers.models import Customer, LaunchTicket
from partnerhub.audit.models import AuditEntry
from tests.conftest import in_schema

pytestmark = pytest.mark.django_db


def launch(partner_client, account, customer) -> str:
    response = partner_client(account).post(f"/partner/customers/{customer.pk}/launch/")
    assert response.status_code == 302, response.status_code
    return response["Location"]


def follow_on_org_host(url: str) -> tuple[Client, object]:
    host, path = url.split("://", 1)[1].split("/", 1)
    client = Client(HTTP_HOST=host.split(":")[0])
    return client, client.get("/" + path)


def test_launch_opens_the_customer_view_in_the_right_org(partner_client, world):
    url = launch(partner_client, world.alice, world.acme)
    assert "//acme.localhost" in url
    client, response = follow_on_org_host(url)
    assert response.status_code == 302
    assert response["Location"] == "/overview/"
    page = client.get("/overview/")
    assert page.status_code == 200
    assert "Acme Corp" in page.content.decode()
    assert "as partner <strong>Northwind Partners</strong>" in page.content.decode()


def test_launch_refused_for_other_partners_customer(partner_client, world):
    response = partner_client(world.sam).post(f"/partner/customers/{world.acme.pk}/launch/")
    assert response.status_code == 404
    assert not LaunchTicket.objects.exists()


def test_launch_refused_for_unassigned_customer_of_own_partner(partner_client, world):
    assert (
        partner_client(world.carol)
        .post(f"/partner/customers/{world.globex.pk}/launch/")
        .status_code
        == 404
    )
    assert (
        partner_client(world.bob).post(f"/partner/customers/{world.acme.pk}/launch/").status_code
        == 404
    )


def test_launch_refused_for_suspended_customer(partner_client, world):
    Customer.objects.filter(pk=world.acme.pk).update(status="suspended")
    response = partner_client(world.alice).post(
        f"/partner/customers/{world.acme.pk}/launch/", follow=True
    )
    assert (
        "Acme Corp is suspended; reactivate it before launching the customer view."
        in response.content.decode()
    )
    assert not LaunchTicket.objects.exists()


def test_replayed_launch_link_is_refused(partner_client, world):
    url = launch(partner_client, world.alice, world.acme)
    follow_on_org_host(url)
    _, again = follow_on_org_host(url)
    assert again.status_code == 403
    assert "already used" in again.content.decode()


def test_expired_launch_link_is_refused(partner_client, world):
    url = launch(partner_client, world.alice, world.acme)
    with override_settings(LAUNCH_TICKET_MAX_AGE=-1):
        _, response = follow_on_org_host(url)
    assert response.status_code == 403
    assert "expired" in response.content.decode()
    assert LaunchTicket.objects.get().used_at is None


def test_launch_link_for_one_org_does_not_open_another(partner_client, world):
    url = launch(partner_client, world.alice, world.acme)
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    response = Client(HTTP_HOST="globex.localhost").get(path)
    assert response.status_code == 404


def test_every_launch_is_audited_on_both_sides(partner_client, world):
    follow_on_org_host(launch(partner_client, world.alice, world.acme))
    public = AuditEntry.objects.get(action="customer_view.launched")
    assert public.actor_email == "alice@northwind.test"
    assert public.acting_as_partner == "Northwind Partners"
    with in_schema(world.acme):
        assert AuditEntry.objects.filter(action="customer_view.launched").count() == 1


def test_launch_api_returns_a_hand_off_url(partner_client, world):
    response = partner_client(world.alice).post(f"/api/partner/customers/{world.acme.pk}/launch/")
    assert response.status_code == 200
    assert "/launch/" in response.json()["url"]


def test_launch_refused_at_hand_off_when_the_org_was_suspended_after_issue(partner_client, world):
    from customers.models import Customer, LaunchTicket

    url = launch(partner_client, world.alice, world.acme)
    Customer.objects.filter(pk=world.acme.pk).update(status="suspended")

    client, response = follow_on_org_host(url)

    assert response.status_code == 403
    assert (
        "Acme Corp is suspended; reactivate it before launching the customer view."
        in response.content.decode()
    )
    assert "_auth_user_id" not in client.session
    assert LaunchTicket.objects.get().used_at is None
