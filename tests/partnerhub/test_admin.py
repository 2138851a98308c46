from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PUBLIC_CHANGELISTS = [
    "/admin/partnerhub/account/",
    "/admin/partnerhub/partner/",
    "/admin/partnerhub/partnermembership/",
    "/admin/customers/customer/",
    "/admin/customers/domain/",
    "/admin/customers/customermembership/",
    "/admin/customers/customersummary/",
    "/admin/customers/launchticket/",
    "/admin/audit/auditentry/",
]


@pytest.mark.parametrize("url", PUBLIC_CHANGELISTS)
def test_support_staff_sees_public_changelists(partner_client, world, url):
    assert partner_client(world.staff).get(url).status_code == 200


def test_partner_admin_without_staff_flag_cannot_enter_admin(partner_client, world):
    response = partner_client(world.alice).get("/admin/customers/customer/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_org_admin_shows_the_orgs_audit_log(org_client, world):
    client = org_client(world.acme, world.staff)
    assert client.get("/admin/audit/auditentry/").status_code == 200


def test_tenant_models_are_hidden_on_the_public_admin(partner_client, world):
    assert partner_client(world.staff).get("/admin/licensing/orguser/").status_code in (403, 404)
