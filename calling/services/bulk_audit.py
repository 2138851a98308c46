"""The audit entries of calling data set up or changed in bulk (SPEC §8, §9): one per
holder, in the changes' order, written in the caller's transaction with one statement.

The database builds each entry (``INSERT … SELECT``) from what was just written:
Python passes a few arrays — profile, action, holder e-mail or name, location, number
and extension of each change — instead of 10,000 JSON documents. An entry's
after-data is the holder's calling state as written (``location`` name, ``number``
e164 or ``""``, ``extension`` or ``""``) and ``via`` (the reason); its before-data
is the state validation found (none for a new profile).
"""

from __future__ import annotations

import json

from django.db import connection
from django.utils import timezone

from calling.models import Location, PhoneNumber
from calling.services.calling_batch import CallingChange
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.models import AuditEntry
from partnerhub.audit.services import Actor, write_held
from partnerhub.bulk import pg_array

TARGET_TYPE = "calling.CallingProfile"


def audit_written(
    changes: list[CallingChange], actions: list[AuditAction], actor: Actor, *, reason: str
) -> None:
    """One entry per change (``actions[i]`` is the i-th change's) with one statement,
    once the changes are written (each has its ``profile_id``)."""
    if not changes:
        return
    write_held()  # entries held by ``one_insert`` first: the log keeps the order
    with connection.cursor() as cursor:
        cursor.execute(
            _SQL,
            [timezone.now(), actor.account_id, actor.email, actor.acting_as_partner,
             connection.schema_name, TARGET_TYPE, reason, json.dumps([c.before for c in changes]),
             pg_array(c.profile_id for c in changes), pg_array(actions),
             pg_array(c.email for c in changes), pg_array(c.location_id for c in changes),
             pg_array(c.number_id for c in changes), pg_array(c.extension for c in changes)],
        )  # fmt: skip


# Parameters: created_at, actor id / e-mail / acting as partner, schema, target type,
# reason, the before-data of every change (a JSON array, null for none); then the
# changes' arrays: profile id, action, holder e-mail or name, location id, number id
# (NULL: none), extension (NULL: none).
_SQL = f"""
WITH p AS (
    SELECT %s::timestamptz AS created_at, %s::bigint AS actor_id, %s::varchar AS actor_email,
           %s::varchar AS acting, %s::varchar AS schema, %s::varchar AS target_type,
           %s::varchar AS via, %s::jsonb AS befores
)
INSERT INTO {AuditEntry._meta.db_table}
    (created_at, actor_id, actor_email, acting_as_partner, customer_schema, action,
     target_type, target_id, target_repr, before, after)
SELECT p.created_at, p.actor_id, p.actor_email, p.acting, p.schema, v.action,
       p.target_type, coalesce(v.profile_id::text, ''), left('calling of ' || v.email, 254),
       nullif(p.befores -> (v.position::int - 1), 'null'::jsonb),
       jsonb_build_object('location', l.name, 'number', coalesce(n.e164, ''),
                          'extension', coalesce(v.extension, ''), 'via', p.via)
FROM p,
     unnest(%s::bigint[], %s::varchar[], %s::varchar[], %s::bigint[], %s::bigint[],
            %s::varchar[]) WITH ORDINALITY
         AS v(profile_id, action, email, location_id, number_id, extension, position)
     LEFT JOIN {Location._meta.db_table} l ON l.id = v.location_id
     LEFT JOIN {PhoneNumber._meta.db_table} n ON n.id = v.number_id
ORDER BY v.position
"""  # noqa: S608 - our tables and columns
