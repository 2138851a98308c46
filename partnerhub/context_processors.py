from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest

from partnerhub.tenant_access import tenant_role_of


def portal(request: HttpRequest) -> dict[str, Any]:
    """What the base template needs: which side of the portal this host is."""
    tenant = getattr(request, "tenant", None)
    on_tenant = tenant is not None and connection.schema_name != "public"
    return {
        "on_tenant": on_tenant,
        "current_customer": tenant if on_tenant else None,
        "tenant_role": tenant_role_of(request) if on_tenant else None,
        "launched_as_partner": request.session.get("launched_as_partner", "")
        if hasattr(request, "session")
        else "",
    }
