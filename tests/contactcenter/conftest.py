"""Fixtures of the contact-center tests: users of Acme and the actor."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from licensing.models import OrgUser
from partnerhub.audit.services import Actor
from tests.contactcenter.committed import (
    drop_committed_org,
    provision_committed_org,
)

ACTOR = Actor(account_id=None, email="ann@acme.test")


@pytest.fixture
def actor() -> Actor:
    return ACTOR


@pytest.fixture
def make_user(acme) -> Callable[..., OrgUser]:  # type: ignore[no-untyped-def]
    def make(email: str, **fields: object) -> OrgUser:
        return OrgUser.objects.create(email=email.lower(), **fields)

    return make


@pytest.fixture(scope="module")
def committed_cc_org(world, django_db_blocker):  # type: ignore[no-untyped-def]
    """A throw-away org whose changes really commit, made once per module."""
    with django_db_blocker.unblock():
        customer = provision_committed_org(world)
    yield customer
    with django_db_blocker.unblock():
        drop_committed_org(customer)


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
