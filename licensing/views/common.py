from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from licensing import selectors
from licensing.models import OrgUser
from partnerhub.permissions import Capability
from partnerhub.tenant_access import request_can


def get_user(pk: int) -> OrgUser:
    """A user of this org (another org's ids do not exist in this schema: 404)."""
    return get_object_or_404(selectors.user_list(), pk=pk)


def capabilities(request: HttpRequest) -> dict[str, Any]:
    return {
        "can_manage_users": request_can(request, Capability.MANAGE_USERS),
        "can_manage_org": request_can(request, Capability.MANAGE_ORG),
        "can_manage_subscriptions": request_can(request, Capability.MANAGE_SUBSCRIPTIONS),
    }
