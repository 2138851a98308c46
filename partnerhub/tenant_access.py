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

SUBSCRIPTIONS_ARE_THE_PARTNERS = (
    "Subscriptions and enabled packages are managed by your partner; ask your partner "
    "to change them."
)


def launched_partner_role(request: HttpRequest) -> str:
    """The partner role the caller acts with in this host's org when it launched the
    customer view (checked on every request: a revoked partner admin loses the view at
    once), else ""."""
    tenant = getattr(request, "tenant", None)
    if tenant is None:
        return ""
    # A partner-level API token acts as a launched view (partnerhub.tokens).
    token_partner = getattr(request, "partnerhub_token_partner", "")
    session = getattr(request, "session", None)
    launched = session is not None and session.get("launched_customer_id") == tenant.pk
    if not (token_partner or launched):
        return ""
    return permissions.partner_role_for(request.user, tenant) or ""


def _resolve(request: HttpRequest) -> tuple[str | None, frozenset[Capability]]:
    tenant = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    if tenant is None or connection.schema_name == "public" or user is None:
        return None, frozenset()
    if not user.is_authenticated:
        return None, frozenset()
    partner_role = launched_partner_role(request)
    role = permissions.tenant_role(user, tenant, launched_partner_role=partner_role)
    capabilities = permissions.capabilities_of_role(role, launched_partner_role=partner_role)
    return role, capabilities


def _cached(request: HttpRequest) -> tuple[str | None, frozenset[Capability]]:
    cached = getattr(request, "_partnerhub_tenant_access", _UNSET)
    if cached is _UNSET:
        cached = _resolve(request)
        request._partnerhub_tenant_access = cached
    return cached


def tenant_role_of(request: HttpRequest) -> str | None:
    """The role the signed-in account acts with in this host's org, or None."""
    return _cached(request)[0]


def capabilities_of(request: HttpRequest) -> frozenset[Capability]:
    """What the signed-in account may do in this host's org."""
    return _cached(request)[1]


def org_closed_reason(request: HttpRequest) -> str | None:
    """Why this host's org is closed to its admins (suspended or expired), if it is."""
    tenant = getattr(request, "tenant", None)
    status = getattr(tenant, "status", "active")
    if status in ("suspended", "expired"):
        return f"{tenant.name} is {status}. Ask your partner to reactivate the organisation."
    return None


def request_can(request: HttpRequest, capability: Capability) -> bool:
    return capability in capabilities_of(request)


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
        if (
            role is not None
            and needed == Capability.MANAGE_SUBSCRIPTIONS
            and needed not in capabilities_of(request)
        ):
            raise PermissionDenied(SUBSCRIPTIONS_ARE_THE_PARTNERS)
        if role is None or needed not in capabilities_of(request):
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
        if needed in capabilities_of(request):
            return True
        if role is not None and needed == Capability.MANAGE_SUBSCRIPTIONS:
            self.message = SUBSCRIPTIONS_ARE_THE_PARTNERS
        return False
