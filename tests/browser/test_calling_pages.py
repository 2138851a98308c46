"""Browser: a customer admin creates a location, adds a range of numbers to it, sets
up calling for a user from the user page, and sees the number assigned on the numbers
page (SPEC §6, issue #4). A throw-away org whose changes commit."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection

from licensing.models import OrgUser, SubscriptionLine
from licensing.services.users import create_user
from partnerhub.audit.services import Actor
from partnerhub.models import Account
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.contactcenter.committed import drop_committed_org

pytestmark = pytest.mark.browser

SUBSCRIPTION = "Sub-900002"


@pytest.fixture
def calling_org(world, django_db_blocker):  # type: ignore[no-untyped-def]
    """A committed org with Webex Calling, its admin (password set) and a user on
    Webex Meetings; yields the org, the user's id and the Webex Calling line's id."""
    from customers.services import SubscriptionSpec, provision_customer

    slug = f"calling-{uuid.uuid4().hex[:8]}"
    actor = Actor.system("browser test setup")
    with django_db_blocker.unblock():
        customer = provision_customer(
            partner=world.northwind,
            name=f"Calling {slug}",
            slug=slug,
            admin_email=f"admin@{slug}.test",
            actor=actor,
            packages=["webex_calling", "webex_meetings"],
            subscriptions=[
                SubscriptionSpec(SUBSCRIPTION, {"webex_calling": 5, "webex_meetings": 5})
            ],
            provisioned_by=world.alice,
        )
        connection.set_tenant(customer)
        lines = {
            line.license_type: line
            for line in SubscriptionLine.objects.filter(subscription__external_id=SUBSCRIPTION)
        }
        user = create_user(
            email="pat@browser.test", package_line=lines["webex_meetings"], actor=actor
        )
        calling_line = lines["webex_calling"].pk
        connection.set_schema_to_public()
        admin = Account.objects.get(email=customer.admin_email)
        admin.set_password(PASSWORD)
        admin.save(update_fields=["password"])
    yield customer, user.pk, calling_line
    with django_db_blocker.unblock():
        drop_committed_org(customer)


def test_admin_adds_a_number_range_and_sets_up_calling_for_a_user(calling_org, live_url, page):
    customer, user_id, calling_line = calling_org
    org = live_url.format(host=f"{customer.slug}.localhost")
    sign_in(page, org, customer.admin_email, PASSWORD)
    page.wait_for_url("**/overview/")

    # a location, from the calling pages
    page.click("nav[aria-label=Sections] a:has-text('Calling')")
    page.click("#new-location")
    page.fill("#id_name", "Oslo")
    page.select_option("#id_country", label="Norway")  # pickers, not free text
    page.select_option("#id_time_zone", "Europe/Oslo")
    page.click("button[type=submit]:has-text('Create location')")
    page.wait_for_url("**/calling/locations/*/")

    # a range of ten numbers, added to that location
    page.click("a:has-text('Add numbers')")
    page.fill("#id_numbers", "+4722000100-+4722000109")
    page.click("button[type=submit]:has-text('Add numbers')")
    page.wait_for_url("**/calling/numbers/?location=*")
    assert page.locator("tr[data-number] [data-state=available]").count() == 10
    assert "10 number(s) added to Oslo." in page.content()

    # calling for the user, from the user page
    page.goto(f"{org}/users/{user_id}/")
    page.click("a:has-text('Change package')")
    page.wait_for_url("**/package/")
    page.wait_for_load_state("load")  # the picker's deferred script listens from here on
    page.select_option("#id_line", str(calling_line))
    page.select_option("#id_location", label="Oslo")
    # the picker now offers Oslo's free numbers (the script follows the location)
    offered = page.locator("#id_number").get_attribute("list")
    assert page.locator(f"datalist#{offered} option").count() == 10
    page.fill("#id_number", "+4722000105")
    page.fill("#id_extension", "1234")
    page.click("button[type=submit]:has-text('Change package')")
    page.wait_for_url(f"**/users/{user_id}/")
    page.click("a.btn:has-text('Calling')")
    page.wait_for_url(f"**/calling/users/{user_id}/")
    assert page.locator("[data-field=number]").inner_text() == "+4722000105"
    assert page.locator("[data-field=extension]").inner_text() == "1234"

    # and the numbers page shows it assigned to the user
    page.click("a:has-text('Numbers')")
    page.select_option("#id_state", "assigned")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**state=assigned**")
    rows = page.locator("tr[data-number]")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-number") == "+4722000105"
    assert rows.first.locator(".holder").inner_text() == "pat@browser.test"

    connection.set_tenant(customer)
    try:
        assert OrgUser.objects.get(pk=user_id).calling.extension == "1234"
    finally:
        connection.set_schema_to_public()
