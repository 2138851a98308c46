"""Browser: *Synchronize users* turns Invalid contact-center rows into synced
(SPEC §7, issue 5). A throw-away org whose changes commit; the worker drains the
queue in the test thread while the run page refreshes itself in Chromium."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from partnerhub.models import Account
from tests.conftest import PASSWORD
from tests.contactcenter.browser_flow import prepare_invalid_agents, synchronize_users_in_browser
from tests.contactcenter.committed import (
    drop_committed_org,
    provision_committed_org,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def cc_org(world, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        customer = provision_committed_org(world)
        admin = Account.objects.get(email=customer.admin_email)
        admin.set_password(PASSWORD)
        admin.save(update_fields=["password"])
        prepare_invalid_agents(customer)
    yield customer
    with django_db_blocker.unblock():
        drop_committed_org(customer)


def test_database_is_the_test_database(db) -> None:
    """(Makes pytest-django create the test database when this module runs alone.)"""
    assert connection.settings_dict["NAME"].startswith("test_")


def test_synchronize_users_turns_invalid_rows_into_synced(cc_org, live_url, page):
    def drain_queue() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay")
        connection.set_schema_to_public()

    synchronize_users_in_browser(
        page,
        live_url.format(host=f"{cc_org.slug}.localhost"),
        email=cc_org.admin_email,
        password=PASSWORD,
        drain_queue=drain_queue,
    )
