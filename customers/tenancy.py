"""The one way partner-level code works inside an org's schema.

Partner code never reads tenant tables itself (STYLE): it calls a tenant app's
services or selectors inside ``inside_org(customer)``, which switches the connection
to the org (``connection.tenant`` is the org, as services expect) and always switches
back, also when the call raises.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from customers.models import Customer


@contextmanager
def inside_org(customer: Customer) -> Iterator[Customer]:
    """Run the block in ``customer``'s schema, then return to the previous one."""
    previous = connection.tenant
    connection.set_tenant(customer)
    try:
        yield customer
    finally:
        if previous is None or previous.schema_name == "public":
            connection.set_schema_to_public()
        else:
            connection.set_tenant(previous)
