"""Giving licenses back without a deadlock (SPEC §5; issue #13's ``units_used``).

Every change of license assignments updates the lines' ``units_used`` (a trigger,
licensing migration 0007), and so takes those lines' row locks. Writers that draw
from lines lock them first, in id order (``licenses.lock_lines``); a writer that gives
licenses back (a license released, a package dropped, users deleted with their
assignments by cascade, calling packages taken back) would otherwise lock the lines
its statements touch in whatever order they run — and two writers holding a line the
other waits for fail on PostgreSQL's deadlock detection. So every such writer first
calls ``lock_lines_of`` with the holders (and any lines it will draw from): all of
their lines locked in id order, in one statement, before any assignment changes.
The trigger then only updates lines its transaction already holds.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from licensing.models import LicenseAssignment, SubscriptionLine
from partnerhub.bulk import pg_array


def lock_lines_of(
    *,
    user_ids: Iterable[int] = (),
    workspace_ids: Iterable[int] = (),
    line_ids: Iterable[int] = (),
    license_types: Iterable[str] = (),
) -> None:
    """Row-lock, in id order, until the end of the transaction: every line these users
    and workspaces hold a license of, ``line_ids``, and every line of ``license_types``
    (a draw whose line is chosen later, e.g. a contact-center license's first line with
    a unit left). Nothing to lock: no statement."""
    users, workspaces, lines = list(user_ids), list(workspace_ids), list(line_ids)
    types = list(license_types)
    if not (users or workspaces or lines or types):
        return
    line = connection.ops.quote_name(SubscriptionLine._meta.db_table)
    assignment = connection.ops.quote_name(LicenseAssignment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {line} WHERE id = ANY(%s::bigint[]) OR id IN ("  # noqa: S608
            f"SELECT line_id FROM {assignment} WHERE user_id = ANY(%s::bigint[]) "
            "OR workspace_id = ANY(%s::bigint[])) OR license_type = ANY(%s::varchar[]) "
            "ORDER BY id FOR UPDATE",
            [pg_array(lines), pg_array(users), pg_array(workspaces), pg_array(types)],
        )
