"""Acme shaped like the demo org the real-world files were made for (``manage.py demo``:
subscription ``Sub-578814`` with every package, locations ``Headquarters`` and
``Branch office``, 36 demo users, four contact-center agents), loaded once per
test module and rolled back after it. The world's own ``Sub-100234`` is suspended so that the demo
draws from ``Sub-578814`` as it does in a fresh demo org."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection, transaction

from calling.models import CallingProfile
from contactcenter.models import Agent
from licensing.models import LicenseAssignment, OrgUser, Subscription
from partnerhub.audit.services import Actor
from tests.conftest import in_schema

FILES = Path(__file__).resolve().parent.parent / "data" / "files"
ACTOR = Actor.system("real-world files test")


def snapshot() -> tuple:
    """Everything an import could change: users, licenses, calling, agents."""
    return (
        sorted(OrgUser.objects.values_list("email", "first_name", "last_name", "display_name")),
        sorted(LicenseAssignment.objects.values_list("user__email", "license_type", "line_id")),
        sorted(
            CallingProfile.objects.values_list(
                "user__email", "number__e164", "extension", "location__name"
            )
        ),
        sorted(Agent.objects.values_list("user__email", "license_type")),
    )


def load_demo_acme(customer: object) -> None:
    from calling import demo as calling_demo
    from contactcenter import demo as contactcenter_demo
    from customers.management.commands.demo import FULL_SUBSCRIPTION
    from licensing import demo as licensing_demo
    from licensing.services.subscriptions import create_subscription, suspend_subscription

    suspend_subscription(
        subscription=Subscription.objects.get(external_id="Sub-100234"), actor=ACTOR
    )
    create_subscription(external_id="Sub-578814", quantities=FULL_SUBSCRIPTION, actor=ACTOR)
    for module in (licensing_demo, calling_demo, contactcenter_demo):
        module.load_demo(customer=customer, actor=ACTOR)


@pytest.fixture(scope="module")
def demo_acme_loaded(django_db_setup: None, django_db_blocker, world) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The demo shape, loaded once per module in a transaction that is rolled back
    after the module: each test's own transaction is a savepoint inside it (as in
    Django's ``TestCase.setUpTestData``), so loading the demo (seconds) happens once."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with in_schema(world.acme):
                load_demo_acme(world.acme)
            connection.set_schema_to_public()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            connection.set_schema_to_public()


@pytest.fixture
def demo_acme(demo_acme_loaded: None, db: None, world) -> Iterator[Actor]:  # type: ignore[no-untyped-def]
    """Runs the test in Acme's schema, shaped like the demo; yields the actor."""
    with in_schema(world.acme):
        yield ACTOR
