from __future__ import annotations

import pytest
from django.utils.html import escape

from partnerhub import rules
from partnerhub.models import PartnerMembership
from tests.boundaries import assert_partner_urls_closed_to_other_partners

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


# --- the same management through the API ---------------------------------------------


def test_partner_admin_api_lists_adds_changes_and_removes(partner_client, world):
    client = partner_client(world.alice)

    added = client.post(
        "/api/partner/admins/",
        {"email": "Dave@northwind.test", "role": "read_only"},
        content_type="application/json",
    )
    dave = added.json()["id"]
    changed = client.patch(
        f"/api/partner/admins/{dave}/",
        {"role": "provisioning_admin", "customers": [world.acme.pk]},
        content_type="application/json",
    )
    listed = [row["email"] for row in client.get("/api/partner/admins/").json()]
    removed = client.delete(f"/api/partner/admins/{dave}/")

    assert added.status_code == 201 and added.json()["email"] == "dave@northwind.test"
    assert changed.json()["role"] == "provisioning_admin"
    assert changed.json()["customers"] == [world.acme.pk]
    assert "dave@northwind.test" in listed
    assert removed.status_code == 204
    assert not PartnerMembership.objects.filter(pk=dave).exists()


def test_partner_admin_api_refuses_the_last_full_admin_and_changes_nothing(partner_client, world):
    alice = PartnerMembership.objects.get(account=world.alice)

    response = partner_client(world.alice).patch(
        f"/api/partner/admins/{alice.pk}/", {"role": "read_only"}, content_type="application/json"
    )

    assert response.status_code == 409
    assert response.json()["message"] == (
        "alice@northwind.test is the last full administrator of Northwind Partners; make "
        "someone else full administrator first."
    )
    assert PartnerMembership.objects.get(pk=alice.pk).role == "full_admin"


def test_partner_admin_api_refuses_another_partners_customer(partner_client, world):
    carol = PartnerMembership.objects.get(account=world.carol)

    response = partner_client(world.alice).patch(
        f"/api/partner/admins/{carol.pk}/",
        {"role": "read_only", "customers": [world.initech.pk]},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["message"] == "Not customers of Northwind Partners: Initech."
    assert list(carol.assignments.values_list("customer__slug", flat=True)) == ["acme"]


def test_partner_admin_api_is_for_full_admins_of_the_same_partner(partner_client, world):
    carol = PartnerMembership.objects.get(account=world.carol)
    urls = [
        ("GET", f"/api/partner/admins/{carol.pk}/"),
        ("PATCH", f"/api/partner/admins/{carol.pk}/"),
        ("DELETE", f"/api/partner/admins/{carol.pk}/"),
        ("GET", f"/partner/admins/{carol.pk}/"),
        ("POST", f"/partner/admins/{carol.pk}/"),
        ("POST", f"/partner/admins/{carol.pk}/remove/"),
    ]

    assert_partner_urls_closed_to_other_partners(partner_client, world, urls)
    read_only = partner_client(world.carol)
    assert read_only.get("/api/partner/admins/").status_code == 403
    assert (
        read_only.post(
            "/api/partner/admins/", {"email": "x@y.test", "role": "full_admin"}
        ).status_code
        == 403
    )
    assert read_only.delete(f"/api/partner/admins/{carol.pk}/").status_code == 404
    assert PartnerMembership.objects.filter(pk=carol.pk).exists()
    assert not PartnerMembership.objects.filter(account__email="x@y.test").exists()


@pytest.mark.parametrize("address", ["dave\u200b@northwind.test", "dave@northwind\u2024test"])
def test_page_and_api_refuse_an_address_by_the_one_email_rule_with_its_reason(
    partner_client, world, address
):
    client = partner_client(world.alice)
    reason = rules.email_problem(address)[1]

    page = client.post("/partner/admins/", {"email": address, "role": "read_only"})
    api = client.post(
        "/api/partner/admins/", {"email": address, "role": "read_only"},
        content_type="application/json",
    )  # fmt: skip

    assert reason is not None and escape(reason) in page.content.decode()
    assert (api.status_code, api.json()["code"], api.json()["message"]) == (
        400, "invalid_email", reason,
    )  # fmt: skip
    assert not PartnerMembership.objects.filter(account__email__startswith="dave").exists()
