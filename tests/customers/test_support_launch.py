"""Support staff open an org's admin from the public admin without a second sign-in
(issue #11 item 10): a one-time ticket like the partner's launch, audited, and bound
to one org."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.http import Http404
from django.test import Client, override_settings

from customers.models import LaunchTicket
from customers.support_launch import issue_org_admin_ticket
from partnerhub.audit.models import AuditEntry
from tests.conftest import in_schema

pytestmark = pytest.mark.django_db


def open_url(customer) -> str:  # type: ignore[no-untyped-def]
    return f"/admin/customers/customer/{customer.pk}/open-org-admin/"


def hand_off(partner_client, account, customer) -> str:  # type: ignore[no-untyped-def]
    response = partner_client(account).post(open_url(customer))
    assert response.status_code == 302, response.status_code
    return response["Location"]


def on_host(url: str, host: str | None = None) -> tuple[Client, object]:
    url_host, path = url.split("://", 1)[1].split("/", 1)
    client = Client(HTTP_HOST=host or url_host.split(":")[0])
    return client, client.get("/" + path)


def test_support_staff_open_an_orgs_admin_without_a_second_sign_in(partner_client, world):
    confirm = partner_client(world.staff).get(open_url(world.acme))
    url = hand_off(partner_client, world.staff, world.acme)
    client, landing = on_host(url)

    assert "Open Acme Corp's org admin" in confirm.content.decode()
    assert "//acme.localhost" in url and "/admin/open/" in url
    assert landing.status_code == 302 and landing["Location"] == "/admin/"
    index = client.get("/admin/")
    assert index.status_code == 200
    assert "Acme Corp — org admin" in index.content.decode()


def test_the_public_customer_list_links_each_org_to_its_admin(partner_client, world):
    body = partner_client(world.staff).get("/admin/customers/customer/").content.decode()

    assert open_url(world.acme) in body and "Open org admin" in body


def test_opening_an_org_admin_is_audited_on_both_sides_as_support(partner_client, world):
    on_host(hand_off(partner_client, world.staff, world.acme))

    public = AuditEntry.objects.get(action="org_admin.opened_by_support")
    assert public.actor_email == world.staff.email
    assert public.after == {"as": "support staff", "customer": "acme", "org": "Acme Corp"}
    with in_schema(world.acme):
        assert AuditEntry.objects.filter(action="org_admin.opened_by_support").count() == 1


def test_an_account_that_is_not_support_staff_cannot_open_an_org_admin(partner_client, world):
    page = partner_client(world.alice).post(open_url(world.acme))

    assert page.status_code == 302 and "/admin/login/" in page["Location"]
    with pytest.raises(Http404):
        issue_org_admin_ticket(account=world.alice, customer_id=world.acme.pk)
    assert not LaunchTicket.objects.exists()


def test_a_ticket_for_one_org_does_nothing_on_another(partner_client, world):
    url = hand_off(partner_client, world.staff, world.acme)
    client, response = on_host(url, host="globex.localhost")

    assert response.status_code == 404
    assert client.get("/admin/").status_code == 302  # still not signed in on globex
    assert LaunchTicket.objects.get().used_at is None


def test_a_used_ticket_is_refused(partner_client, world):
    url = hand_off(partner_client, world.staff, world.acme)
    on_host(url)
    _, again = on_host(url)

    assert again.status_code == 403
    assert "already used" in again.content.decode()


def test_an_expired_ticket_is_refused(partner_client, world):
    url = hand_off(partner_client, world.staff, world.acme)
    with override_settings(LAUNCH_TICKET_MAX_AGE=-1):
        _, response = on_host(url)

    assert response.status_code == 403 and "expired" in response.content.decode()
    assert LaunchTicket.objects.get().used_at is None


def test_a_ticket_of_an_account_no_longer_staff_is_refused(partner_client, world):
    url = hand_off(partner_client, world.staff, world.acme)
    type(world.staff).objects.filter(pk=world.staff.pk).update(is_staff=False)
    _, response = on_host(url)

    assert response.status_code == 404


def test_a_partners_launch_link_does_not_open_the_org_admin(partner_client, world):
    launch = partner_client(world.alice).post(f"/partner/customers/{world.acme.pk}/launch/")
    token = launch["Location"].rstrip("/").rsplit("/", 1)[1]

    assert Client(HTTP_HOST="acme.localhost").get(f"/admin/open/{token}/").status_code == 404


def test_org_admin_lists_the_orgs_tasks_read_only(org_client, partner_client, world):
    client = org_client(world.acme, world.staff)

    assert client.get("/admin/jobs/orgjob/").status_code == 200
    assert client.get("/admin/jobs/orgjob/add/").status_code == 403
    assert partner_client(world.staff).get("/admin/jobs/orgjob/").status_code in (403, 404)


def test_no_admin_model_has_a_misspelt_plural():
    def naive(singular: str) -> set[str]:
        return {singular + "s"} if singular.endswith(("y", "s", "x", "ch", "sh")) else set()

    wrong = [
        f"{model._meta.label}: {model._meta.verbose_name_plural}"
        for model in apps.get_models()
        if str(model._meta.verbose_name_plural) in naive(str(model._meta.verbose_name))
        and not str(model._meta.verbose_name).endswith(("ay", "ey", "oy"))
    ]

    assert wrong == []
