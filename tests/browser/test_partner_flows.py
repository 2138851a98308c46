from __future__ import annotations

import pytest

from customers.models import LaunchTicket
from partnerhub.audit.models import AuditEntry
from partnerhub.tenancy import in_org
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_partner_admin_signs_in_and_sees_the_dashboard(page, live_url):
    partner = live_url.format(host="localhost")
    sign_in(page, partner, "alice@northwind.test", PASSWORD)
    page.wait_for_url(partner + "/partner/")
    assert page.locator("h1").inner_text() == "Dashboard"


def test_wrong_password_is_refused_in_place(page, live_url):
    partner = live_url.format(host="localhost")
    sign_in(page, partner, "alice@northwind.test", "not the password")
    assert "Please enter a correct e-mail address and password." in page.content()


def test_customer_list_search_finds_the_customer(page, live_url):
    partner = live_url.format(host="localhost")
    sign_in(page, partner, "alice@northwind.test", PASSWORD)
    page.goto(partner + "/partner/customers/")
    assert page.locator("tr[data-customer]").count() == 2
    page.fill("#q", "glob")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**q=glob**")
    rows = page.locator("tr[data-customer]")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-customer") == "globex"


def test_launch_customer_view_lands_in_the_right_org(page, live_url, world):
    partner = live_url.format(host="localhost")
    sign_in(page, partner, "alice@northwind.test", PASSWORD)
    page.goto(partner + "/partner/customers/?q=acme")
    try:
        page.click("tr[data-customer=acme] button:has-text('Launch customer view')")
        page.wait_for_url(live_url.format(host="acme.localhost") + "/overview/")
        banner = page.locator(".acting").inner_text()
        assert "Acme Corp" in banner
        assert "Northwind Partners" in banner
    finally:
        LaunchTicket.objects.all().delete()
        AuditEntry.objects.filter(action="customer_view.launched").delete()
        with in_org(world.acme):
            AuditEntry.objects.filter(action="customer_view.launched").delete()
