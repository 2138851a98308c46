"""Browser flows of issue #11: a partner admin finds a customer on the list, opens its
page, adds a subscription, launches the customer view, changes three users' package
in bulk, watches the task finish and finds the change in the audit log; support staff
open an org's admin from the public admin without a second sign-in. A throw-away org
whose changes commit."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from customers.services import SubscriptionSpec, provision_customer
from licensing.services.users import create_user
from partnerhub.audit.models import AuditEntry
from partnerhub.audit.services import Actor
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.contactcenter.committed import drop_committed_org

pytestmark = pytest.mark.browser

PEOPLE = ["ada@flow.test", "bo@flow.test", "cy@flow.test"]


@pytest.fixture
def flow_org(world, django_db_blocker):  # type: ignore[no-untyped-def]
    """A committed org of Northwind (provisioned by alice) with three users and no
    package yet; Webex Meetings on Sub-FLOW-1."""
    slug = f"flow-{uuid.uuid4().hex[:8]}"
    actor = Actor.system("browser test setup")
    with django_db_blocker.unblock():
        customer = provision_customer(
            partner=world.northwind, name=f"Flow {slug}", slug=slug,
            admin_email=f"admin@{slug}.test", actor=actor, packages=["webex_meetings"],
            subscriptions=[SubscriptionSpec("Sub-FLOW-1", {"webex_meetings": 10})],
            provisioned_by=world.alice,
        )  # fmt: skip
        connection.set_tenant(customer)
        for email in PEOPLE:
            create_user(email=email, first_name=email[:2].title(), last_name="Flow", actor=actor)
        connection.set_schema_to_public()
    yield customer
    with django_db_blocker.unblock():
        drop_committed_org(customer)  # its audit rows, e-mail claims and tickets with it


def test_database_is_the_test_database(db) -> None:
    """(Makes pytest-django create the test database when this module runs alone.)"""
    assert connection.settings_dict["NAME"].startswith("test_")


def test_partner_finds_a_customer_adds_a_subscription_launches_and_bulk_changes_packages(
    flow_org, live_url, page
):
    partner = live_url.format(host="localhost")
    org = live_url.format(host=f"{flow_org.slug}.localhost")
    sign_in(page, partner, "alice@northwind.test", PASSWORD)
    page.wait_for_url(partner + "/partner/")

    # find the customer on the list, open its page
    page.goto(partner + "/partner/customers/")
    page.fill("#q", flow_org.slug)
    page.click("form.filters button[type=submit]")
    page.wait_for_url(f"**q={flow_org.slug}**")
    page.click(f"tr[data-customer={flow_org.slug}] a:has-text('{flow_org.name}')")
    page.wait_for_url(f"**/partner/customers/{flow_org.pk}/")

    # add a subscription from the partner side
    page.click("a:has-text('Add or change subscriptions and packages')")
    page.fill("#id_external_id", "Sub-FLOW-2")
    page.fill("#id_qty_webex_meetings", "5")
    page.click("button:has-text('Add subscription')")
    page.wait_for_load_state()
    assert "Sub-FLOW-2" in page.content()

    # launch the customer view
    page.goto(partner + f"/partner/customers/{flow_org.pk}/")
    page.click("button:has-text('Launch customer view')")
    page.wait_for_url(org + "/overview/")

    # bulk: select the three users, give them Webex Meetings from Sub-FLOW-2
    page.goto(org + "/users/")
    for email in PEOPLE:
        page.check(f"input.select-user[aria-label='Select {email}']")
    assert page.locator("#bulk-count").inner_text() == "3 selected"
    page.select_option("#bulk-action", "change_package")
    page.select_option("#bulk-line", label="Webex Meetings [Sub-FLOW-2]")
    page.click("#bulk-form button:has-text('Apply')")
    page.wait_for_url("**/tasks/*/")

    # the worker runs it; the task page shows it finished, and so does the Tasks page
    call_command("db_worker", "--batch", "--no-startup-delay")
    page.reload()
    assert page.locator("#job-status").inner_text().startswith("Completed")
    page.goto(org + "/tasks/")
    assert page.locator("tr[data-job] .badge").first.inner_text().startswith("Completed")

    # the audit log, filtered to what the partner's admin changed by the task, shows the three
    page.goto(org + "/audit/")
    page.fill("#id_who", "alice")
    page.check("#id_as_partner")
    page.select_option("#id_action", "user.csv_update")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**action=user.csv_update**")
    body = page.locator("main").inner_text()
    assert all(email in body for email in PEOPLE)
    assert "Northwind Partners" in body


@pytest.fixture
def staff_second_factor(world, django_db_blocker):  # type: ignore[no-untyped-def]
    """A confirmed TOTP device of the support account (support staff must use one)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with django_db_blocker.unblock():
        device = TOTPDevice.objects.create(user=world.staff, name="browser", confirmed=True)
    yield device
    with django_db_blocker.unblock():
        TOTPDevice.objects.filter(pk=device.pk).delete()


def _code(device) -> str:  # type: ignore[no-untyped-def]
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


def test_support_staff_open_an_orgs_admin_from_the_public_admin(
    flow_org, staff_second_factor, live_url, page, world
):
    partner = live_url.format(host="localhost")
    page.goto(partner + "/admin/")
    page.fill("#id_username", world.staff.email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url("**/account/mfa/verify/**")
    page.fill("#id_code", _code(staff_second_factor))
    page.click("button:has-text('Verify')")
    page.wait_for_url(partner + "/admin/")
    assert "PartnerHub — support admin" in page.content()

    page.goto(partner + f"/admin/customers/customer/?q={flow_org.slug}")
    page.click(f"a[href$='/customers/customer/{flow_org.pk}/open-org-admin/']")
    page.click("#open-org-admin")
    page.wait_for_url(live_url.format(host=f"{flow_org.slug}.localhost") + "/admin/")

    assert page.locator("#site-name").inner_text() == f"{flow_org.name} — org admin"
    assert page.locator("a[href$='/admin/jobs/orgjob/']").count() >= 1  # its tasks, read-only
    assert AuditEntry.objects.filter(
        action="org_admin.opened_by_support", actor_email=world.staff.email
    ).exists()
