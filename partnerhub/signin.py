"""Who may sign in with a password on this host, and what a refused sign-in says
(SPEC §1; issue 10 "sign-in that resists guessing").

Every password check — the partner and org sign-in pages, ``/admin/``, token
creation — goes through ``django.contrib.auth.authenticate`` and so through
django-axes (``AxesStandaloneBackend``, first in ``AUTHENTICATION_BACKENDS``), which
locks an account + address pair after ``AXES_FAILURE_LIMIT`` failures.
``HostRoleBackend`` then refuses an account without a role on this host exactly as it
refuses a wrong password: ``authenticate`` returns ``None``, axes counts a failure,
and the caller shows the one message ``SIGN_IN_REFUSED`` — so no host confirms a
password, or an account's existence, for the rest of the platform.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

SIGN_IN_REFUSED = "Please enter a correct e-mail address and password."
BACKEND = "partnerhub.signin.HostRoleBackend"


def locked_out_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        "Too many failed sign-in attempts for this account from your address. Try again "
        f"in {minutes} minutes, or reset your password."
    )


def may_sign_in_here(account: Any, request: HttpRequest | None) -> bool:
    """Support staff anywhere; on the partner host a partner admin; on an org host one
    of the org's admins (partner admins reach orgs by launching, not by password)."""
    from partnerhub import permissions

    if request is None or not account.is_active:
        return False
    if account.is_staff:
        return True
    if connection.schema_name == "public":
        return account.partner_memberships.exists()
    tenant = getattr(request, "tenant", None)
    return tenant is not None and permissions.customer_role(account, tenant) is not None


class HostRoleBackend(ModelBackend):
    """The password backend: Django's, refusing (``None``) accounts without a role on
    the host asked, exactly as for a wrong password."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is not None:
            username = username.strip().lower()
        account = super().authenticate(request, username=username, password=password, **kwargs)
        if account is None or not may_sign_in_here(account, request):
            return None
        return account


def username_of(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The account part of axes' lockout key: the e-mail as typed, lower-cased, so
    ``Alice@…`` and ``alice@…`` share one counter."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """axes' lockout answer (HTTP 429): JSON on the API, the sign-in page elsewhere."""
    message = locked_out_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "message": message}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
