"""Browser: a customer admin uploads a directory export; the worker syncs it; users
whose work phone is free in a location get calling, the others are listed with their
reason in the provisioning failure report (SPEC §6, issue #4). A throw-away org whose
changes commit."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from calling.models import Location, PhoneNumber
from licensing.models import SubscriptionLine
from licensing.services.templates import create_template
from partnerhub.audit.services import Actor
from partnerhub.models import Account
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.contactcenter.committed import drop_committed_org

pytestmark = pytest.mark.browser

SUBSCRIPTION = "Sub-900003"


@pytest.fixture
def directory_org(world, django_db_blocker):  # type: ignore[no-untyped-def]
    """A committed org with Oslo's numbers and an org template giving Webex Calling."""
    from customers.services import SubscriptionSpec, provision_customer

    slug = f"dir-{uuid.uuid4().hex[:8]}"
    actor = Actor.system("browser test setup")
    with django_db_blocker.unblock():
        customer = provision_customer(
            partner=world.northwind, name=f"Directory {slug}", slug=slug,
            admin_email=f"admin@{slug}.test", actor=actor, packages=["webex_calling"],
            subscriptions=[SubscriptionSpec(SUBSCRIPTION, {"webex_calling": 5})],
            provisioned_by=world.alice,
        )  # fmt: skip
        connection.set_tenant(customer)
        oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
        PhoneNumber.objects.create(e164="+4722000301", location=oslo)
        create_template(
            name="Everyone calls",
            lines=[SubscriptionLine.objects.get(license_type="webex_calling")],
            actor=actor,
        )
        connection.set_schema_to_public()
        admin = Account.objects.get(email=customer.admin_email)
        admin.set_password(PASSWORD)
        admin.save(update_fields=["password"])
    yield customer
    with django_db_blocker.unblock():
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(args_kwargs__args__0=customer.schema_name).delete()
        drop_committed_org(customer)


def test_database_is_the_test_database(db) -> None:
    """(Makes pytest-django create the test database when this module runs alone.)"""
    assert connection.settings_dict["NAME"].startswith("test_")


def test_directory_sync_provisions_from_work_phones_and_reports_the_rest(
    directory_org, live_url, page
):
    org = live_url.format(host=f"{directory_org.slug}.localhost")
    sign_in(page, org, directory_org.admin_email, PASSWORD)
    page.wait_for_url("**/overview/")

    page.click("nav[aria-label=Sections] a:has-text('Calling')")
    page.click("a:has-text('Directory sync')")
    export = (
        "email,givenName,sn,telephoneNumber\n"
        "kim@dir.test,Kim,Lee,+4722000301\n"
        "lee@dir.test,Lee,Park,22000302\n"
    )
    page.set_input_files(
        "#id_file", files=[{"name": "ad.csv", "mimeType": "text/csv", "buffer": export.encode()}]
    )
    page.click("button[type=submit]:has-text('Sync')")
    page.wait_for_url("**/tasks/*/")
    call_command("db_worker", "--batch", "--no-startup-delay")
    connection.set_schema_to_public()
    page.reload()
    assert page.locator("#job-status").inner_text() == "Completed with warnings"
    assert page.locator("[data-count=provisioned]").inner_text() == "1"

    page.goto(f"{org}/calling/provisioning-failures/")
    failure = page.locator("tr[data-reason]")
    assert failure.count() == 1
    assert failure.get_attribute("data-reason") == "invalid_format"
    assert "lee@dir.test" in failure.inner_text()
    page.goto(f"{org}/calling/numbers/")
    assert "kim@dir.test" in page.content()
