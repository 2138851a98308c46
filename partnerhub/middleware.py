"""Request routing by host (django-tenants)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django_tenants.middleware.main import TenantMainMiddleware


class TenantMiddleware(TenantMainMiddleware):
    """The public site at the base domain, each customer at ``<slug>.<base>``; any
    other host is a 404 (``SHOW_PUBLIC_IF_NO_TENANT_FOUND = False``)."""


class NoStoreDataMiddleware:
    """Data never lands in a shared or browser cache: every download (an attachment)
    and every API answer gets ``Cache-Control: no-store`` unless its view set one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        is_download = "attachment" in response.get("Content-Disposition", "")
        if (is_download or request.path.startswith("/api/")) and not response.has_header(
            "Cache-Control"
        ):
            response["Cache-Control"] = "no-store"
        return response
