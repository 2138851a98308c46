"""The one way code works inside an org's schema: ``in_org(customer)``.

Partner-level code never reads tenant tables itself (STYLE): it calls a tenant app's
services or selectors inside ``in_org(customer)``. Workers, commands and tenant
services that push figures use it too. It switches the connection to the org
(``connection.tenant`` is the org, as services expect) and always switches back to
the previous schema, also when the block raises.

It lives in ``partnerhub`` (the ground floor) so every app can use it, and it takes
the tenant row without importing ``customers``: ``org_by_schema`` loads one through
django-tenants' ``get_tenant_model()``. No other module calls django-tenants'
``tenant_context`` / ``schema_context`` or ``connection.set_tenant``
(``tests/structure/test_tenancy_helper.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import connection
from django_tenants.utils import get_public_schema_name, get_tenant_model

if TYPE_CHECKING:
    from django_tenants.models import TenantMixin

Org = TypeVar("Org", bound="TenantMixin")


@contextmanager
def in_org(customer: Org) -> Iterator[Org]:
    """Run the block in ``customer``'s schema, then return to the previous one.

    Yields the same ``customer``; nesting is allowed (the inner block returns to the
    outer org, the outermost to wherever the connection was, public by default). When
    the connection is in ``customer`` already (the very object), nothing is switched.
    """
    previous = connection.tenant
    if previous is customer:  # already there: no switch, no search_path to set again
        yield customer
        return
    connection.set_tenant(customer)
    try:
        yield customer
    finally:
        if previous is None or previous.schema_name == get_public_schema_name():
            connection.set_schema_to_public()
        else:
            connection.set_tenant(previous)


def enter_request_tenant(tenant: TenantMixin) -> None:
    """The request's tenant, read by ``partnerhub.middleware.TenantMiddleware``: the
    connection is in its schema for the rest of the request (its ``SET search_path``
    goes with the first statement there)."""
    connection.set_tenant(tenant)


@contextmanager
def schema_qualified_cursor() -> Iterator[Any]:
    """A cursor for statements that name the schema of every table they read (the
    request's tenant look-up, before the request's schema is known): opening it issues
    no ``SET search_path``, whatever schema the connection is on (django-tenants skips
    it while it sets one itself). So a request sets its search path once, for its org,
    not first to public and then to the org (issue #13)."""
    setting = connection._setting_search_path
    connection._setting_search_path = True
    try:
        cursor = connection.cursor()
    finally:
        connection._setting_search_path = setting
    with cursor:
        yield cursor


def org_by_schema(schema_name: str) -> TenantMixin:
    """The tenant row of ``schema_name`` (raises ``DoesNotExist`` when there is none)."""
    return get_tenant_model().objects.get(schema_name=schema_name)


@contextmanager
def in_public() -> Iterator[None]:
    """Run the block in the public schema (partner-level tables), then return to the
    org the connection was in — for the few org-side actions audited in both places."""
    previous = connection.tenant
    connection.set_schema_to_public()
    try:
        yield
    finally:
        if previous is not None and previous.schema_name != get_public_schema_name():
            connection.set_tenant(previous)
