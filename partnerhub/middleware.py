"""Request routing by host (django-tenants)."""

from __future__ import annotations

from django_tenants.middleware.main import TenantMainMiddleware


class TenantMiddleware(TenantMainMiddleware):
    """The public site at the base domain, each customer at ``<slug>.<base>``; any
    other host is a 404 (``SHOW_PUBLIC_IF_NO_TENANT_FOUND = False``)."""
