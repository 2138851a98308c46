"""Browser: a customer admin creates a workspace with calling, moves its license to
another subscription (number kept), and adds a workspace by CSV, watching the task
finish (issue #4 items 6 and 7). A throw-away org whose changes commit."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from calling.models import Location, PhoneNumber, Workspace
from licensing.models import SubscriptionLine
from partnerhub.audit.services import Actor
from partnerhub.models import Account
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.contactcenter.committed import drop_committed_org

pytestmark = pytest.mark.browser


@pytest.fixture
def workspace_org(world, django_db_blocker):  # type: ignore[no-untyped-def]
    """A committed org with Workspace Calling on two subscriptions and Oslo's numbers."""
    from customers.services import SubscriptionSpec, provision_customer

    slug = f"ws-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        customer = provision_customer(
            partner=world.northwind, name=f"Workspaces {slug}", slug=slug,
            admin_email=f"admin@{slug}.test", actor=Actor.system("browser test setup"),
            subscriptions=[SubscriptionSpec("Sub-910001", {"workspace_calling": 5}),
                           SubscriptionSpec("Sub-910002", {"workspace_calling": 5})],
            provisioned_by=world.alice,
        )  # fmt: skip
        connection.set_tenant(customer)
        oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
        for e164 in ("+4722000201", "+4722000202"):
            PhoneNumber.objects.create(e164=e164, location=oslo)
        lines = {
            line.subscription.external_id: line.pk
            for line in SubscriptionLine.objects.select_related("subscription")
        }
        connection.set_schema_to_public()
        admin = Account.objects.get(email=customer.admin_email)
        admin.set_password(PASSWORD)
        admin.save(update_fields=["password"])
    yield customer, lines
    with django_db_blocker.unblock():
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(args_kwargs__args__0=customer.schema_name).delete()
        drop_committed_org(customer)


def test_database_is_the_test_database(db) -> None:
    """(Makes pytest-django create the test database when this module runs alone.)"""
    assert connection.settings_dict["NAME"].startswith("test_")


def test_admin_creates_a_workspace_moves_its_license_and_adds_one_by_csv(
    workspace_org, live_url, page
):
    customer, lines = workspace_org
    org = live_url.format(host=f"{customer.slug}.localhost")
    sign_in(page, org, customer.admin_email, PASSWORD)
    page.wait_for_url("**/overview/")

    # a workspace with calling
    page.click("nav[aria-label=Sections] a:has-text('Workspaces')")
    page.click("#new-workspace")
    page.fill("#id_name", "Lobby")
    page.select_option("#id_location", label="Oslo")
    page.select_option("#id_line", str(lines["Sub-910001"]))
    page.fill("#id_number", "+4722000201")
    page.click("button[type=submit]:has-text('Create workspace')")
    page.wait_for_url("**/calling/workspaces/*/")
    assert page.locator("#workspace-subscription").inner_text() == "Sub-910001"

    # edit licenses: another subscription, the number stays
    page.click("#edit-licenses")
    page.select_option("#id_line", str(lines["Sub-910002"]))
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_url("**/calling/workspaces/*/")
    assert page.locator("#workspace-subscription").inner_text() == "Sub-910002"
    assert "+4722000201" in page.locator("#workspace-calling").inner_text()

    # a second workspace by CSV, run as a task
    page.goto(f"{org}/calling/workspaces/csv/")
    csv = (
        "Workspace Name (Required),Location,Phone Number,Extension,"
        "Workspace Calling [Sub-910001]\nKitchen,Oslo,+4722000202,300,TRUE\n"
    )
    page.set_input_files(
        "#id_file", files=[{"name": "ws.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    page.click("button[type=submit]:has-text('Upload')")
    page.wait_for_url("**/tasks/*/")
    call_command("db_worker", "--batch", "--no-startup-delay")
    connection.set_schema_to_public()
    page.reload()
    assert page.locator("#job-status").inner_text() == "Completed"

    page.goto(f"{org}/calling/workspaces/")
    assert page.locator("tr[data-workspace]").count() == 2
    connection.set_tenant(customer)
    try:
        kitchen = Workspace.objects.get(name="Kitchen")
        assert kitchen.calling.extension == "300"
    finally:
        connection.set_schema_to_public()
