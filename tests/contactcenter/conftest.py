"""Fixtures of the contact-center tests: users of Acme and the actor."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from licensing.models import OrgUser
from partnerhub.audit.services import Actor

ACTOR = Actor(account_id=None, email="ann@acme.test")


@pytest.fixture
def actor() -> Actor:
    return ACTOR


@pytest.fixture
def make_user(acme) -> Callable[..., OrgUser]:  # type: ignore[no-untyped-def]
    def make(email: str, **fields: object) -> OrgUser:
        return OrgUser.objects.create(email=email.lower(), **fields)

    return make


@pytest.fixture(scope="session")
def test_database_guard(request):  # type: ignore[no-untyped-def]
    """pytest-django creates the test database only when a selected test uses ``db``;
    a run of committed-org tests alone would otherwise build the world in the REAL
    database. Refuse that before ``world`` is built."""
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, _ = _get_databases_for_setup(request.session.items)
    if "default" not in aliases:
        pytest.fail(
            "No selected test uses the test database: select at least one `db` test "
            "with the committed-org tests (e.g. the whole module)."
        )


@pytest.fixture(scope="module")
def committed_cc_org(test_database_guard, world, django_db_blocker):  # type: ignore[no-untyped-def]
    """A throw-away org whose changes really commit (the worker, the browser): made
    once per module, dropped afterwards with everything it left in public tables."""
    import uuid

    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from customers.services import SubscriptionSpec, provision_customer
    from partnerhub.audit.models import AuditEntry
    from partnerhub.models import Account

    slug = f"cc-{uuid.uuid4().hex[:8]}"
    admin_email = f"admin@{slug}.test"
    with django_db_blocker.unblock():
        customer = provision_customer(
            partner=world.northwind,
            name=f"Contact center {slug}",
            slug=slug,
            admin_email=admin_email,
            actor=Actor.system("test setup"),
            subscriptions=[SubscriptionSpec("Sub-900001", {"cc_standard": 50, "cc_premium": 50})],
            provisioned_by=world.alice,
        )
        connection.set_schema_to_public()
    yield customer
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        DBTaskResult.objects.filter(args_kwargs__kwargs__schema_name=customer.schema_name).delete()
        AuditEntry.objects.filter(
            target_type="customers.Customer", target_id=str(customer.pk)
        ).delete()
        customer.delete(force_drop=True)
        Account.objects.filter(email=admin_email).delete()


@pytest.fixture
def in_committed_org(committed_cc_org, django_db_blocker):  # type: ignore[no-untyped-def]
    """Run the test inside the committed org, with real commits; its users (and so
    agents), roster and sync runs are cleared afterwards."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from contactcenter.models import RosterEntry, SyncRun

    with django_db_blocker.unblock():
        connection.set_tenant(committed_cc_org)
        yield committed_cc_org
        connection.set_tenant(committed_cc_org)
        OrgUser.objects.all().delete()
        RosterEntry.objects.all().delete()
        SyncRun.objects.all().delete()
        connection.set_schema_to_public()
        DBTaskResult.objects.filter(
            args_kwargs__kwargs__schema_name=committed_cc_org.schema_name
        ).delete()
