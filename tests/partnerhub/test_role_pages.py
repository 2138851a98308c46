"""Role-aware pages (issue #11 item 8): links a role cannot use are not shown, and
403 pages say what the role is and what it may do."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_read_only_org_admin_is_told_its_role_and_what_is_needed(org_client, world):
    response = org_client(world.acme, world.rita).post("/users/bulk/", {"action": "export"})
    assert response.status_code == 403
    assert (
        "You are read-only administrator here: you may see everything but change nothing. "
        "This needs a full administrator or a user and license administrator."
    ) in response.content.decode()


def test_provisioning_admin_is_told_why_it_cannot_manage_administrators(partner_client, world):
    response = partner_client(world.bob).get("/partner/admins/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "As provisioning administrator you may provision customers" in text
    assert "Managing partner administrators needs a full administrator." in text


def test_partner_nav_hides_what_the_role_cannot_use(partner_client, world):
    nav_of_bob = partner_client(world.bob).get("/partner/").content.decode()
    nav_of_carol = partner_client(world.carol).get("/partner/").content.decode()
    assert 'href="/partner/admins/"' not in nav_of_bob
    assert 'href="/partner/customers/new/"' in nav_of_bob
    assert 'href="/partner/customers/new/"' not in nav_of_carol


def test_org_nav_hides_the_csv_upload_from_read_only_admins(org_client, world):
    html = org_client(world.acme, world.rita).get("/overview/").content.decode()
    assert 'href="/users/csv/"' not in html and "Read-only administrator" in html


def test_launched_view_links_back_to_the_partners_customer_page(org_client, world):
    html = org_client(world.acme, world.alice, launched=True).get("/overview/").content.decode()
    assert f"/partner/customers/{world.acme.pk}/" in html
    assert "Back to Partner Hub" in html
