"""Request routing by host (django-tenants)."""

from __future__ import annotations

import time
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


SEEN_AT = "seen_at"


class IdleSessionMiddleware:
    """Sessions expire after ``SESSION_COOKIE_AGE`` seconds without a request: a
    signed-in request renews the session (its stored expiry and the cookie), at most
    once a minute so that most requests write nothing."""

    RENEW_EVERY = 60  # seconds

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            now = int(time.time())
            if now - session.get(SEEN_AT, 0) >= self.RENEW_EVERY:
                session[SEEN_AT] = now  # saved by SessionMiddleware on the way out
        return response
