from __future__ import annotations

import pytest

from partnerhub.models import PartnerMembership

pytestmark = pytest.mark.django_db


def test_full_admin_adds_a_partner_admin_and_it_is_invited(partner_client, world, mailoutbox):
    client = partner_client(world.alice)
    response = client.post(
        "/partner/admins/", {"email": "dave@northwind.test", "role": "read_only"}
    )
    assert response.status_code == 302
    membership = PartnerMembership.objects.get(account__email="dave@northwind.test")
    assert membership.partner == world.northwind and membership.role == "read_only"


def test_full_admin_assigns_customers_to_a_read_only_admin(partner_client, world):
    carol = PartnerMembership.objects.get(account=world.carol)
    response = partner_client(world.alice).post(
        f"/partner/admins/{carol.pk}/", {"role": "read_only", "customers": [world.globex.pk]}
    )
    assert response.status_code == 302
    listed = partner_client(world.carol).get("/partner/customers/").context["rows"]
    assert [row["customer"].name for row in listed] == ["Globex"]


def test_customer_of_another_partner_cannot_be_assigned(partner_client, world):
    carol = PartnerMembership.objects.get(account=world.carol)
    response = partner_client(world.alice).post(
        f"/partner/admins/{carol.pk}/", {"role": "read_only", "customers": [world.initech.pk]}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert list(carol.assignments.values_list("customer__slug", flat=True)) == ["acme"]


def test_last_full_admin_cannot_be_demoted_or_removed(partner_client, world):
    alice = PartnerMembership.objects.get(account=world.alice)
    client = partner_client(world.alice)
    response = client.post(f"/partner/admins/{alice.pk}/", {"role": "read_only"})
    assert "is the last full administrator of Northwind Partners" in response.content.decode()
    client.post(f"/partner/admins/{alice.pk}/remove/")
    alice.refresh_from_db()
    assert alice.role == "full_admin"


def test_only_full_admins_manage_partner_admins(partner_client, world):
    assert partner_client(world.bob).get("/partner/admins/").status_code == 403
    assert (
        partner_client(world.carol)
        .post("/partner/admins/", {"email": "x@y.test", "role": "full_admin"})
        .status_code
        == 403
    )
    assert not PartnerMembership.objects.filter(account__email="x@y.test").exists()


def test_another_partners_admin_cannot_see_or_change_ours(partner_client, world):
    carol = PartnerMembership.objects.get(account=world.carol)
    client = partner_client(world.sam)
    assert client.get(f"/partner/admins/{carol.pk}/").status_code == 404
    assert client.post(f"/partner/admins/{carol.pk}/remove/").status_code == 404
    assert "carol@northwind.test" not in client.get("/partner/admins/").content.decode()
    assert PartnerMembership.objects.filter(pk=carol.pk).exists()
