"""The middleware only people's pages and the session API need, skipped on the SCIM
API (issue #13, SPEC §9: a ``POST /Users`` each request).

``/scim/v2/`` of an org host is a JSON API authenticated by a connection's bearer
token alone (``licensing.scim.views``): it reads no session, no signed-in user, no
second factor and no flash messages. So these middleware let a SCIM request through
untouched — no session is loaded, no ``request.user`` is set. Everything else still runs for it: the tenant, the NUL guard,
the security headers (``SecurityMiddleware``, CSP, ``X-Frame-Options``,
``Cache-Control``), ``CommonMiddleware`` and CSRF (the SCIM views are exempt).

Each class here *is* the library's middleware (a subclass), so Django's and the
libraries' checks that look for them in ``MIDDLEWARE`` still find them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.middleware import AuthenticationMiddleware as _AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware as _MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware as _SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django_otp.middleware import OTPMiddleware as _OTPMiddleware
from django_tenants.utils import get_public_schema_name

from partnerhub.mfa import SecondFactorMiddleware as _SecondFactorMiddleware
from partnerhub.middleware import IdleSessionMiddleware as _IdleSessionMiddleware

SCIM_PREFIX = "/scim/v2/"  # the SCIM API (partnerhub/urls_tenant.py); /scim/ is a page


def is_scim_api(request: HttpRequest) -> bool:
    """A request to the SCIM API of an org host (the partner host has none: there the
    path is a 404 page, which keeps every middleware)."""
    tenant = getattr(request, "tenant", None)
    return (
        request.path_info.startswith(SCIM_PREFIX)
        and tenant is not None
        and tenant.schema_name != get_public_schema_name()
    )


class _PagesOnly:
    """Mixin: the middleware it precedes is skipped for ``is_scim_api`` requests."""

    get_response: Any

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_scim_api(request):
            return self.get_response(request)
        return super().__call__(request)  # type: ignore[misc]


class SessionMiddleware(_PagesOnly, _SessionMiddleware):
    pass


class IdleSessionMiddleware(_PagesOnly, _IdleSessionMiddleware):
    pass


class AuthenticationMiddleware(_PagesOnly, _AuthenticationMiddleware):
    pass


class OTPMiddleware(_PagesOnly, _OTPMiddleware):
    pass


class SecondFactorMiddleware(_PagesOnly, _SecondFactorMiddleware):
    pass


class MessageMiddleware(_PagesOnly, _MessageMiddleware):
    pass
