"""The SCIM connection page (issue #13 item 5): an org's full admin creates a
connection, sees its base URL and — once — its bearer token, rotates or revokes it,
and follows what it did: the users and groups it provisioned and its last requests."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from licensing.scim import connections
from licensing.scim.models import ScimConnection
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError
from partnerhub.permissions import Capability
from partnerhub.tenant_access import TenantCapabilityRequiredMixin


def _page(
    request: HttpRequest, *, token: str = "", token_for: ScimConnection | None = None
) -> HttpResponse:
    listed = connections.connection_list()
    return render(
        request,
        "licensing/scim/connections.html",
        {
            "base_url": request.build_absolute_uri("/scim/v2/"),
            "connections": [(c, connections.recent_requests(c)) for c in listed],
            "token": token,
            "token_for": token_for,
        },
    )


class ConnectionListView(TenantCapabilityRequiredMixin, View):
    """Tokens are an org-wide key: full admins only, reading included."""

    capability = Capability.MANAGE_ORG

    def get(self, request: HttpRequest) -> HttpResponse:
        return _page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            connection, token = connections.create_connection(
                name=request.POST.get("name", ""), actor=Actor.from_request(request)
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("scim-connections")
        # Shown on this answer only: the token is stored hashed.
        return _page(request, token=token, token_for=connection)


class ConnectionActionView(TenantCapabilityRequiredMixin, View):
    capability = Capability.MANAGE_ORG

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        connection = get_object_or_404(ScimConnection, pk=pk)
        actor = Actor.from_request(request)
        if action == "rotate":
            token = connections.rotate_token(connection=connection, actor=actor)
            return _page(request, token=token, token_for=connection)
        if action == "revoke":
            connections.revoke_connection(connection=connection, actor=actor)
            messages.success(request, f"{connection.name}'s token no longer works.")
            return redirect("scim-connections")
        return redirect("scim-connections")
