"""A throw-away org whose changes really commit (the worker, the browser), shared by
``tests/contactcenter/conftest.py`` and ``tests/browser/test_contactcenter_sync.py``."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection

from partnerhub.audit.services import Actor


def provision_committed_org(world: Any) -> Any:
    from customers.services import SubscriptionSpec, provision_customer

    slug = f"cc-{uuid.uuid4().hex[:8]}"
    customer = provision_customer(
        partner=world.northwind,
        name=f"Contact center {slug}",
        slug=slug,
        admin_email=f"admin@{slug}.test",
        actor=Actor.system("test setup"),
        subscriptions=[SubscriptionSpec("Sub-900001", {"cc_standard": 50, "cc_premium": 50})],
        provisioned_by=world.alice,
    )
    connection.set_schema_to_public()
    return customer


def drop_committed_org(customer: Any) -> None:
    """Drop the org and everything it left in public tables."""
    from django_tasks_db.models import DBTaskResult

    from partnerhub.audit.models import AuditEntry
    from partnerhub.models import Account

    connection.set_schema_to_public()
    DBTaskResult.objects.filter(args_kwargs__kwargs__schema_name=customer.schema_name).delete()
    AuditEntry.objects.filter(target_type="customers.Customer", target_id=str(customer.pk)).delete()
    admin_email = customer.admin_email
    customer.delete(force_drop=True)
    Account.objects.filter(email=admin_email).delete()
