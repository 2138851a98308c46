"""The caller's role inside the org of the current host, for pages and API alike."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission

from partnerhub import permissions
from partnerhub.permissions import Capability

_UNSET = object()


def _resolve_tenant_role(request: HttpRequest) -> str | None:
    tenant = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    if tenant is None or connection.schema_name == "public" or user is None:
        return None
    if not user.is_authenticated:
        return None
    session = getattr(request, "session", None)
    if session is not None and session.get("launched_customer_id") == tenant.pk:
        # Checked on every request: a revoked partner admin loses the view at once.
        partner_role = permissions.partner_role_for(user, tenant)
        return permissions.tenant_role(user, tenant, launched_partner_role=partner_role or "")
    return permissions.customer_role(user, tenant)


def tenant_role_of(request: HttpRequest) -> str | None:
    """The role the signed-in account acts with in this host's org, or None."""
    cached = getattr(request, "_partnerhub_tenant_role", _UNSET)
    if cached is _UNSET:
        cached = _resolve_tenant_role(request)
        request._partnerhub_tenant_role = cached
    return cached


def org_closed_reason(request: HttpRequest) -> str | None:
    """Why this host's org is closed to its admins (suspended or expired), if it is."""
    tenant = getattr(request, "tenant", None)
    status = getattr(tenant, "status", "active")
    if status in ("suspended", "expired"):
        return f"{tenant.name} is {status}. Ask your partner to reactivate the organisation."
    return None


def request_can(request: HttpRequest, capability: Capability) -> bool:
    return permissions.role_can(tenant_role_of(request), capability)


class TenantCapabilityRequiredMixin(AccessMixin):
    """Page views of a customer org: signed in, a role in this org, and the capability.

    Reading needs ``Capability.VIEW``; set ``capability`` for writes, or
    ``write_capability`` to require more for POST than for GET.
    """

    capability: Capability = Capability.VIEW
    write_capability: Capability | None = None

    def required_capability(self, request: HttpRequest) -> Capability:
        if request.method not in ("GET", "HEAD", "OPTIONS") and self.write_capability:
            return self.write_capability
        return self.capability

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        closed = org_closed_reason(request)
        if closed:
            raise PermissionDenied(closed)
        role = tenant_role_of(request)
        needed = self.required_capability(request)
        if role is None or not permissions.role_can(role, needed):
            raise PermissionDenied(permissions.capability_refusal(role, needed))
        return super().dispatch(request, *args, **kwargs)


class HasTenantCapability(BasePermission):
    """DRF: the caller holds a role in this org; reads need VIEW, writes the view's
    ``write_capability`` (default ``MANAGE_USERS``)."""

    message = "Your role in this organisation does not allow this."

    def has_permission(self, request: Any, view: Any) -> bool:
        closed = org_closed_reason(request)
        if closed:
            self.message = closed
            return False
        role = tenant_role_of(request)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            needed = getattr(view, "read_capability", Capability.VIEW)
        else:
            needed = getattr(view, "write_capability", Capability.MANAGE_USERS)
        return permissions.role_can(role, needed)
