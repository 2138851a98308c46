"""The user CSV's audit: one entry per changed row (SPEC §8, §9), in the rows' order,
written in the import's transaction with one statement.

The database builds each entry (``INSERT … SELECT``) from the user row just written:
Python passes a few integer arrays — which fields, license types and calling change
each row has — instead of 20,000 JSON documents (formatting them was a third of the
import's Python time). A row's after-data: ``fields`` set (their values as written),
license types ``add``ed and ``remove``d (sorted), the number of assignments ``moved``,
for a new user the ``included`` basic licenses it was given, and ``calling`` (the kind
of change) when the row changes calling data; a deleted user's entry has none.
"""

from __future__ import annotations

import json

from django.db import connection
from django.utils import timezone

from licensing.csv.plans import RowPlan
from licensing.models import OrgUser
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.models import AuditEntry
from partnerhub.audit.services import Actor
from partnerhub.bulk import pg_array

# What each planned row records (``unchanged`` rows record nothing).
CSV_AUDIT_ACTION = {
    "create": AuditAction.USER_CSV_CREATE,
    "update": AuditAction.USER_CSV_UPDATE,
    "move": AuditAction.USER_CSV_MOVE,
    "delete": AuditAction.USER_CSV_DELETE,
}
# The user columns a row's ``fields`` may hold (the CSV's user fields and flags).
FIELD_COLUMNS = ["first_name", "last_name", "display_name", "preferred_site", "jabber_calling",
                 "jabber_with_teams"]  # fmt: skip
TARGET_TYPE = "licensing.OrgUser"


def audit_rows(rows: list[RowPlan], actor: Actor, included: dict[int, list[str]]) -> None:
    """One entry per changed row (``unchanged`` rows record nothing), in the rows'
    order, with one statement."""
    rows = [r for r in rows if r.action != "unchanged"]
    if not rows:
        return
    field_bit = {name: 1 << i for i, name in enumerate(FIELD_COLUMNS)}
    tails: dict[str, int] = {}  # the distinct after-data but fields, as JSON -> index
    arrays: tuple[list, ...] = ([], [], [], [], [])
    tail_of: dict[tuple, int | None] = {}  # a row's after-data but fields -> index
    for r in rows:
        given = included.get(r.user_id, ()) if r.action == "create" else ()
        key = (r.action, tuple(r.add), tuple(r.remove), len(r.move), tuple(given),
               r.calling_change.kind if r.calling_change else None)  # fmt: skip
        tail = tail_of.get(key, -1)
        if tail == -1:
            text = json.dumps(_tail(r, included.get(r.user_id))) if r.action != "delete" else ""
            tail = tail_of[key] = tails.setdefault(text, len(tails)) if text else None
        arrays[0].append(r.user_id)
        arrays[1].append(str(CSV_AUDIT_ACTION[r.action]))
        arrays[2].append(sum(field_bit[name] for name in r.fields))
        arrays[3].append(tail)
        arrays[4].append(r.email if r.action == "delete" else None)  # its user row is gone
    with connection.cursor() as cursor:
        cursor.execute(
            _SQL,
            [timezone.now(), actor.account_id, actor.email, actor.acting_as_partner,
             connection.schema_name, TARGET_TYPE, f"[{', '.join(tails)}]",
             *map(pg_array, arrays)],
        )  # fmt: skip


def _tail(r: RowPlan, included: list[str] | None) -> dict:
    """A kept row's after-data but its ``fields`` (the database adds them)."""
    return {
        "add": sorted(r.add),
        "remove": sorted(r.remove),
        "moved": len(r.move),
        **({"included": included or []} if r.action == "create" else {}),
        **({"calling": r.calling_change.kind} if r.calling_change else {}),
    }


# A row's fields: the user columns whose bit is set (a field's value is never NULL).
_FIELDS = ", ".join(
    f"'{name}', CASE WHEN v.fields & {1 << i} <> 0 THEN u.{name} END"
    for i, name in enumerate(FIELD_COLUMNS)
)
# Parameters: created_at, actor id / e-mail / acting as partner, schema, target type,
# the distinct after-data but fields (a JSON array); then the rows' arrays: user id,
# action, fields bits, after-data index (NULL: a deleted user, no after-data), and the
# e-mail of a deleted user.
_SQL = f"""
WITH p AS (
    SELECT %s::timestamptz AS created_at, %s::bigint AS actor_id, %s::varchar AS actor_email,
           %s::varchar AS acting, %s::varchar AS schema, %s::varchar AS target_type,
           %s::jsonb AS tails
)
INSERT INTO {AuditEntry._meta.db_table}
    (created_at, actor_id, actor_email, acting_as_partner, customer_schema, action,
     target_type, target_id, target_repr, before, after)
SELECT p.created_at, p.actor_id, p.actor_email, p.acting, p.schema, v.action,
       p.target_type, coalesce(v.user_id::text, ''), left(coalesce(u.email, v.email), 254),
       NULL,
       CASE WHEN v.tail IS NOT NULL THEN (p.tails -> v.tail)
           || jsonb_build_object('fields', jsonb_strip_nulls(jsonb_build_object({_FIELDS})))
       END
FROM p,
     unnest(%s::bigint[], %s::varchar[], %s::int[], %s::int[], %s::varchar[]) WITH ORDINALITY
         AS v(user_id, action, fields, tail, email, position)
     LEFT JOIN {OrgUser._meta.db_table} u ON u.id = v.user_id
ORDER BY v.position
"""  # noqa: S608 - our tables and columns
