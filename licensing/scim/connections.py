"""SCIM connections and their bearer tokens (issue #13 item 5).

A token is 32 random bytes, shown once; only its SHA-256 is stored (a token that
strong needs no slow hash: nothing to brute-force). Revoking a connection stops its
token at once; rotating gives a new token and stops the old one. Tokens live in the
org's schema, so a token of org A is simply unknown on org B and on the partner host;
people's API tokens are another table and never reach SCIM.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from licensing.errors import InvalidUserEntry
from licensing.scim.models import KEEP_REQUESTS, ScimConnection, ScimRequest
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor
from partnerhub.prepared import hot_cursor

TOKEN_PREFIX = "phscim_"  # noqa: S105 — a prefix, not a secret
LAST_USED_EVERY = timedelta(minutes=1)  # last_used_at is refreshed at most this often


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def connection_actor(connection: ScimConnection) -> Actor:
    """Who SCIM changes are audited as: the connection, not a person."""
    return Actor(account_id=None, email=f"SCIM connection {connection.name} (#{connection.pk})")


@transaction.atomic
def create_connection(*, name: str, actor: Actor) -> tuple[ScimConnection, str]:
    """A new connection and its token (the only time the token is seen)."""
    name = (name or "").strip() or "SCIM"
    if len(name) > 120:
        raise InvalidUserEntry("A connection name has at most 120 characters.", field="name")
    token = _new_token()
    connection = ScimConnection.objects.create(
        name=name, token_hash=_hash(token), token_hint=token[-4:], created_by=actor.email
    )
    audit.record(actor=actor, action=AuditAction.SCIM_CONNECTION_CREATED, target=connection)
    return connection, token


@transaction.atomic
def rotate_token(*, connection: ScimConnection, actor: Actor) -> str:
    """A new token for the connection; the old one stops working now."""
    token = _new_token()
    connection.token_hash, connection.token_hint = _hash(token), token[-4:]
    connection.rotated_at, connection.revoked_at = timezone.now(), None
    connection.save(update_fields=["token_hash", "token_hint", "rotated_at", "revoked_at"])
    audit.record(actor=actor, action=AuditAction.SCIM_TOKEN_ROTATED, target=connection)
    return token


@transaction.atomic
def revoke_connection(*, connection: ScimConnection, actor: Actor) -> None:
    """Its token stops working; users and groups it provisioned stay."""
    if connection.revoked_at is not None:
        return
    connection.revoked_at = timezone.now()
    connection.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action=AuditAction.SCIM_CONNECTION_REVOKED, target=connection)


def connection_for_token(token: str) -> ScimConnection | None:
    """The active connection this bearer token belongs to, in the current org."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    connection = _by_token_hash(_hash(token))
    if connection is None or connection.revoked_at is not None:
        return None
    now = timezone.now()
    if connection.last_used_at is None or now - connection.last_used_at > LAST_USED_EVERY:
        ScimConnection.objects.filter(pk=connection.pk).update(last_used_at=now)
    return connection


def _by_token_hash(token_hash: str) -> ScimConnection | None:
    """One statement of fixed text (every SCIM request asks)."""
    fields = [f.attname for f in ScimConnection._meta.concrete_fields]
    quote = db_connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in ScimConnection._meta.concrete_fields)
    with hot_cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {quote(ScimConnection._meta.db_table)} "  # noqa: S608
            "WHERE token_hash = %s LIMIT 1",
            [token_hash],
        )
        row = cursor.fetchone()
    return None if row is None else ScimConnection.from_db("default", fields, row)


def log_request(
    *, connection: ScimConnection, method: str, path: str, status: int, outcome: str
) -> None:
    """Keep the request on the connection's list (the last ``KEEP_REQUESTS``). A NUL
    the client put in the path (echoed in the outcome) is dropped: text cannot hold it."""
    path, outcome = path.replace("\x00", ""), outcome.replace("\x00", "")
    with hot_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {db_connection.ops.quote_name(ScimRequest._meta.db_table)} "  # noqa: S608
            "(connection_id, at, method, path, status, outcome) "
            "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
            [connection.pk, timezone.now(), method, path[:200], status, outcome[:254]],
        )
        (entry_id,) = cursor.fetchone()
    if entry_id % 50 == 0:
        mine = ScimRequest.objects.filter(connection=connection)
        oldest_kept = mine.order_by("-pk").values_list("pk", flat=True)[KEEP_REQUESTS - 1 :].first()
        if oldest_kept is not None:
            mine.filter(pk__lt=oldest_kept).delete()


def connection_list() -> list[ScimConnection]:
    """The org's connections with the users and groups each provisioned."""
    return list(
        ScimConnection.objects.annotate(
            user_count=Count("users", distinct=True),
            group_count=Count("groups", distinct=True),
        ).order_by(F("revoked_at").asc(nulls_first=True), "name", "pk")
    )


def recent_requests(connection: ScimConnection, limit: int = 20) -> list[ScimRequest]:
    return list(connection.requests.order_by("-pk")[:limit])
