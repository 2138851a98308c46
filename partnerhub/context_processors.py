from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from partnerhub import permissions
from partnerhub.models import PartnerRole
from partnerhub.tenant_access import request_can, tenant_role_of

TENANT_ROLE_LABELS = {
    "full_admin": "Full administrator",
    "user_admin": "User and license administrator",
    "read_only": "Read-only administrator",
}


def partner_hub_url(path: str = "/partner/") -> str:
    """A link from a customer host back to the partner host."""
    port = f":{settings.PARTNERHUB_LINK_PORT}" if settings.PARTNERHUB_LINK_PORT else ""
    return f"{settings.PARTNERHUB_LINK_SCHEME}://{settings.PARTNERHUB_BASE_DOMAIN}{port}{path}"


def portal(request: HttpRequest) -> dict[str, Any]:
    """What the base template needs: which side of the portal this host is, and what
    the signed-in role may use (links a role cannot use are not shown)."""
    tenant = getattr(request, "tenant", None)
    on_tenant = tenant is not None and connection.schema_name != "public"
    launched = request.session.get("launched_as_partner", "") if hasattr(request, "session") else ""
    context: dict[str, Any] = {
        "on_tenant": on_tenant,
        "current_customer": tenant if on_tenant else None,
        "tenant_role": None,
        "launched_as_partner": launched,
        "role_label": "",
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    if on_tenant:
        role = tenant_role_of(request)
        context.update(
            tenant_role=role,
            role_label=TENANT_ROLE_LABELS.get(role or "", ""),
            can_manage_users=request_can(request, permissions.Capability.MANAGE_USERS),
            can_manage_org=request_can(request, permissions.Capability.MANAGE_ORG),
        )
        if launched:
            context["partner_hub_url"] = partner_hub_url(f"/partner/customers/{tenant.pk}/")
        return context
    roles = {m.role for m in permissions.partner_memberships(user)}
    labels = dict(PartnerRole.choices)
    context.update(
        role_label=", ".join(sorted(labels[r] for r in roles)),
        partner_can_provision=bool(
            roles & {PartnerRole.FULL_ADMIN, PartnerRole.PROVISIONING_ADMIN}
        ),
        partner_can_manage_admins=PartnerRole.FULL_ADMIN in roles,
    )
    return context
