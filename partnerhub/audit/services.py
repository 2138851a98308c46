"""Writing the audit log: services call these explicitly, in their own transaction
(STYLE: audit without signals). Bulk paths use ``record_many``."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.http import HttpRequest
from django.utils import timezone

from partnerhub.audit.actions import AuditAction
from partnerhub.audit.models import AuditEntry
from partnerhub.bulk import copy_insert


@dataclass(frozen=True)
class Actor:
    """Who makes a change: an account, possibly acting as a partner in a customer view."""

    account_id: int | None
    email: str
    acting_as_partner: str = ""

    @classmethod
    def system(cls, what: str = "system") -> Actor:
        return cls(account_id=None, email=what)

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        user = request.user
        if not user.is_authenticated:
            return cls.system("anonymous")
        # A launched customer view (session) or a partner-level API token in an org.
        acting = getattr(request, "partnerhub_token_partner", "") or request.session.get(
            "launched_as_partner", ""
        )
        return cls(account_id=user.pk, email=user.email, acting_as_partner=acting)

    def as_dict(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "email": self.email,
            "acting_as_partner": self.acting_as_partner,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Actor:
        return cls(**data)


@dataclass(frozen=True)
class Change:
    action: AuditAction
    target: models.Model | None = None
    target_type: str = ""
    target_id: str = ""
    target_repr: str = ""
    before: Any = None
    after: Any = None


def _target_of(change: Change) -> tuple[str, str, str]:
    """``(target_type, target_id, target_repr)`` of a change."""
    target = change.target
    return (
        change.target_type or (target._meta.label if target is not None else ""),
        change.target_id or (str(target.pk) if target is not None else ""),
        (change.target_repr or (str(target) if target is not None else ""))[:254],
    )


def _entry(actor: Actor, change: Change) -> AuditEntry:
    target_type, target_id, target_repr = _target_of(change)
    return AuditEntry(
        actor_id=actor.account_id,
        actor_email=actor.email,
        acting_as_partner=actor.acting_as_partner,
        customer_schema=connection.schema_name,
        action=change.action,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        before=change.before,
        after=change.after,
    )


def record(
    *,
    actor: Actor,
    action: AuditAction,
    target: models.Model | None = None,
    before: Any = None,
    after: Any = None,
    **target_fields: str,
) -> AuditEntry:
    """Write one audit entry in the current schema (public or the org's)."""
    change = Change(action=action, target=target, before=before, after=after, **target_fields)
    entry = _entry(actor, change)
    _flush()  # rows kept by ``one_insert`` first: the log keeps the order of the changes
    entry.save()
    return entry


COLUMNS = [
    "created_at", "actor_id", "actor_email", "acting_as_partner", "customer_schema", "action",
    "target_type", "target_id", "target_repr", "before", "after",
]  # fmt: skip


class _Kept(threading.local):
    """The rows ``one_insert`` holds back on this thread, and the schema and savepoint
    depth they are for."""

    schema: str | None = None
    rows: list[tuple] | None = None
    savepoints: int = 0


def _savepoints() -> int:
    """How many savepoints are open on the connection (atomic blocks that made one)."""
    return sum(1 for sid in connection.savepoint_ids if sid)


_kept = _Kept()


@contextmanager
def one_insert() -> Iterator[None]:
    """Within the block, ``record_many`` rows of the current schema are held back and
    written as one INSERT (or COPY) when it ends — a SCIM POST's four audit rows in
    one statement. Use it inside the service's transaction, around the whole change:
    the rows are written before the transaction ends, so they commit or roll back with
    it. An exception out of the block drops them (the change rolls back with it).
    ``record`` writes what is held first, so the log keeps the order of the changes.
    Nested blocks write once, at the end of the outermost. Rows recorded inside a
    savepoint opened within the block are not held but written at once (held, they
    would outlive a rollback to that savepoint that the caller recovers from); the
    held rows are not written into such a savepoint either, so the log's ids may then
    not follow the changes' order (``created_at`` still does)."""
    if _kept.rows is not None:
        yield
        return
    _kept.schema, _kept.rows, _kept.savepoints = connection.schema_name, [], _savepoints()
    try:
        yield
        if _kept.rows and connection.schema_name != _kept.schema:
            raise RuntimeError("one_insert: the block must end in the schema it began in.")
        _flush()
    finally:
        _kept.schema, _kept.rows = None, None


def write_held() -> None:
    """Write what ``one_insert`` holds now: call it before writing audit entries with a
    statement of your own, so the log keeps the order of the changes."""
    _flush()


def _holding() -> bool:
    """Inside ``one_insert``, in its schema and at its savepoint depth."""
    return (
        _kept.rows is not None
        and connection.schema_name == _kept.schema
        and _savepoints() == _kept.savepoints
    )


def _flush() -> None:
    """Write the held rows (in their schema and savepoint: the block's)."""
    rows = _kept.rows
    if rows and _holding():
        _kept.rows = []
        copy_insert(AuditEntry, COLUMNS, rows)


def record_many(*, actor: Actor, changes: Iterable[Change]) -> int:
    """Write many audit entries with one COPY (bulk imports): rows built as tuples, no
    model instances (20,000 of those cost seconds). Inside ``one_insert``: held back
    to the end of its block. Returns the number of entries."""
    now, schema = timezone.now(), connection.schema_name
    rows = (
        (
            now,
            actor.account_id,
            actor.email,
            actor.acting_as_partner,
            schema,
            change.action,
            *_target_of(change),
            change.before,
            change.after,
        )  # fmt: skip
        for change in changes
    )
    held = _kept.rows
    if held is not None and _holding():
        before = len(held)
        held.extend(rows)
        return len(held) - before
    return copy_insert(AuditEntry, COLUMNS, rows)
