"""Self-service API tokens (SPEC §1, §8): named, shown once, stored hashed by
django-rest-knox, expiring, revocable, with a last-used time.

Where a token works is decided here, once, in ``ApiTokenAuthentication``:

* a **partner-level** token (``org_schema == ""``, made on the partner host) works on
  the partner API, and on the org API of each customer its account may launch —
  with exactly the rights of a launched customer view, audited "as partner X";
* an **org** token (made on an org host) works on that org's API only;
* nowhere else: not on another org, not on ``/scim/`` (SCIM has tokens of its own).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework import exceptions

from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor
from partnerhub.errors import InvalidTokenRequest, TokenNotFound
from partnerhub.models import Account, ApiToken

NOT_VALID_HERE = "Invalid token."
# last_used_at is written at most this often per token (a busy script makes no write
# per request).
LAST_USED_PRECISION = timedelta(minutes=1)


def current_scope() -> str:
    """The scope of tokens made on this host: "" on the partner host, else the org's
    schema."""
    schema = connection.schema_name
    return "" if schema == "public" else schema


def tokens_of(account: Account, *, org_schema: str) -> QuerySet[ApiToken]:
    """The account's live tokens of one scope, newest first."""
    return (
        ApiToken.objects.filter(user=account, org_schema=org_schema)
        .filter(expiry__gt=timezone.now())
        .order_by("-created")
    )


@transaction.atomic
def create_token(
    *, account: Account, name: str, org_schema: str, actor: Actor, expires_days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token; returns the row and the token itself (shown once, never stored)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidTokenRequest(
            "Give the token a name of 1 to 100 characters (what it is for).", field="name"
        )
    max_days = settings.PARTNERHUB_TOKEN_MAX_DAYS
    days = 90 if expires_days is None else expires_days
    if not 1 <= days <= max_days:
        raise InvalidTokenRequest(
            f"A token expires after 1 to {max_days} days; {days} is not allowed.",
            field="expires_days",
        )
    token, secret = ApiToken.objects.create(
        user=account, expiry=timedelta(days=days), name=name, org_schema=org_schema
    )
    audit.record(
        actor=actor,
        action=AuditAction.API_TOKEN_CREATED,
        target_type="partnerhub.ApiToken",
        target_id=token.token_key,
        target_repr=f"token {name} of {account.email}",
        after={"name": name, "expires": token.expiry.isoformat(), "scope": org_schema or "partner"},
    )
    return token, secret


@transaction.atomic
def revoke_token(*, account: Account, token_key: str, org_schema: str, actor: Actor) -> None:
    """Revoke one of the account's tokens of this scope (another's is not found)."""
    token = ApiToken.objects.filter(user=account, org_schema=org_schema, token_key=token_key)
    found = token.first()
    if found is None:
        raise TokenNotFound("No such token.")
    audit.record(
        actor=actor,
        action=AuditAction.API_TOKEN_REVOKED,
        target_type="partnerhub.ApiToken",
        target_id=found.token_key,
        target_repr=f"token {found.name} of {account.email}",
        before={"name": found.name},
    )
    token.delete()


class ApiTokenAuthentication(TokenAuthentication):
    """knox's authentication plus where a token works (see the module docstring)."""

    def authenticate(self, request: Any) -> tuple[Account, ApiToken] | None:
        if request.path.startswith("/scim/"):
            return None  # people's tokens never open SCIM
        found = super().authenticate(request)
        if found is None:
            return None
        account, token = found
        acts_as_partner = self._check_scope(request, account, token)
        if acts_as_partner:
            request._request.partnerhub_token_partner = acts_as_partner
        self._touch(token)
        return account, token

    def _check_scope(self, request: Any, account: Account, token: ApiToken) -> str:
        """Refuse a token outside its scope; returns the partner's name when a
        partner-level token acts in an org (as a launched view), else ""."""
        here = current_scope()
        if token.org_schema:
            if token.org_schema != here:
                raise exceptions.AuthenticationFailed(NOT_VALID_HERE)
            return ""
        if not here:
            return ""
        from partnerhub import permissions

        tenant = request._request.tenant
        if permissions.partner_role_for(account, tenant) is None:
            raise exceptions.AuthenticationFailed(NOT_VALID_HERE)
        return tenant.partner.name

    def _touch(self, token: ApiToken) -> None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes our tokens."""

    target_class = "partnerhub.tokens.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'An API token with the prefix "Token", e.g. "Token ph_…".',
        }
