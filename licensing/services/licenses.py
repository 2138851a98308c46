"""Consuming subscription lines without ever over-consuming them (SPEC §5).

The protocol every writer follows (single user, manual batch, CSV, templates,
directory sync, workspaces): inside one transaction,
1. ``lock_lines`` the lines it will draw from (row locks, in id order: no deadlocks),
2. write its ``LicenseAssignment`` changes,
3. ``ensure_capacity`` on those lines — raises ``LicenseExhausted`` (and so rolls
   the whole change back) when a line would be over-consumed.
Two concurrent writers on one line are serialised by the lock in step 1.

The basic licenses every org includes (SPEC §5) are outside the protocol: they are
entitlements without a line, stored on the user (``OrgUser.basic_licenses``), so
nothing is locked or counted (``grant_included_licenses``; ``basic_licenses``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone

from licensing import catalogue
from licensing.errors import (
    LicenseAlreadyHeld,
    LicenseExhausted,
    LicenseNotHeld,
    LicenseTypeMismatch,
    SubscriptionNotUsable,
)
from licensing.models import LicenseAssignment, OrgUser, Subscription, SubscriptionLine
from licensing.services.line_order import lock_lines_of
from licensing.services.summary import schedule_usage_summary
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, Change
from partnerhub.bulk import SMALL_BATCH, pg_array
from partnerhub.prepared import hot_cursor

if TYPE_CHECKING:  # the type only: licensing never imports calling (README, the seam)
    from calling.models import Workspace


def lock_lines(line_ids: Iterable[int]) -> dict[int, SubscriptionLine]:
    """Row-lock these lines until the end of the transaction and return them."""
    return _lock(line_ids, count=False)[0]


def lock_lines_in_use(
    line_ids: Iterable[int],
) -> tuple[dict[int, SubscriptionLine], dict[int, int]]:
    """``lock_lines`` and ``line_usage`` of the lines, in two statements (not three):
    the units are counted with the subscriptions, after the lock is held."""
    return _lock(line_ids, count=True)


def _lock(
    line_ids: Iterable[int], *, count: bool
) -> tuple[dict[int, SubscriptionLine], dict[int, int]]:
    ids = sorted(set(line_ids))
    if not ids:
        return {}, {}
    lock, read = _lock_sql(count)
    with hot_cursor() as cursor:  # a few lines: fixed text, prepared
        cursor.execute(lock, [pg_array(ids)])
        lines = {
            line.id: line for line in (_built(SubscriptionLine, row) for row in cursor.fetchall())
        }
        # Their subscriptions (and units) read by a second statement once the lock is
        # held, so a status changed or units taken by whoever held it before are seen.
        cursor.execute(read, [pg_array(lines)])
        usage = dict.fromkeys(lines, 0)
        for line_id, *values in cursor.fetchall():
            subscription = _built(Subscription, values[: len(values) - count])
            lines[line_id].subscription = subscription
            if count:
                usage[line_id] = values[-1]
    return lines, usage


def _built(model: type[models.Model], values: Sequence[object]) -> Any:
    return model.from_db("default", [f.attname for f in model._meta.concrete_fields], values)


@functools.cache
def _lock_sql(count: bool) -> tuple[str, str]:
    """The lock statement and the read of subscriptions (with units when ``count``)."""
    quote = connection.ops.quote_name
    line, subscription = quote(SubscriptionLine._meta.db_table), quote(Subscription._meta.db_table)
    line_columns = ", ".join(quote(f.column) for f in SubscriptionLine._meta.concrete_fields)
    columns = ", ".join(f"s.{quote(f.column)}" for f in Subscription._meta.concrete_fields)
    if count:
        columns += ", l.units_used"
    lock = (
        f"SELECT {line_columns} FROM {line} WHERE id = ANY(%s::bigint[]) "  # noqa: S608
        "ORDER BY id FOR UPDATE"
    )
    read = (
        f"SELECT l.id, {columns} FROM {line} AS l "  # noqa: S608 - our tables
        f"JOIN {subscription} AS s ON s.id = l.subscription_id WHERE l.id = ANY(%s::bigint[])"
    )
    return lock, read


def line_usage(line_ids: Iterable[int]) -> dict[int, int]:
    """Units used per line (assignments held by users and workspaces): the line's
    ``units_used``, which the database keeps equal to its assignments (migration
    ``0007_line_units_used``), this transaction's own changes included."""
    ids = sorted(set(line_ids))
    usage = dict.fromkeys(ids, 0)
    if not ids:
        return usage
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.id, l.units_used "  # noqa: S608
            f"FROM {connection.ops.quote_name(SubscriptionLine._meta.db_table)} AS l "
            "WHERE l.id = ANY(%s::bigint[])",
            [ids],
        )
        usage.update(dict(cursor.fetchall()))
    return usage


def exhausted_message(line: SubscriptionLine, used: int, *, added: int | None = None) -> str:
    """``used`` counts the change's own units. With ``added`` (the units this change
    took from the line) the message tells what was left before the change."""
    name = catalogue.license_type(line.license_type).name
    sub = line.subscription.external_id
    if added is not None:
        before = used - added
        if before >= line.quantity:
            return f"No {name} licenses left on {sub}: {before} of {line.quantity} used."
        return (
            f"Not enough {name} licenses on {sub}: this change needs {added} but only "
            f"{line.quantity - before} are left ({before} of {line.quantity} used)."
        )
    if used <= line.quantity:
        return f"No {name} licenses left on {sub}: {used} of {line.quantity} used."
    return (
        f"Not enough {name} licenses on {sub}: this change needs {used} "
        f"but {line.quantity} were bought."
    )


def ensure_capacity(
    lines: dict[int, SubscriptionLine], *, added: Mapping[int, int] | None = None
) -> None:
    """Raise ``LicenseExhausted`` if any of these (locked) lines is over-consumed.

    ``added``: units per line this change took, so the message can say "No Webex
    Calling licenses left on Sub-100234: 50 of 50 used." (SPEC §5)."""
    usage = line_usage(lines)
    for line_id, used in usage.items():
        line = lines[line_id]
        if used > line.quantity:
            took = added.get(line_id) if added is not None else None
            raise LicenseExhausted(
                exhausted_message(line, used, added=took),
                line_id=line_id,
                subscription=line.subscription.external_id,
                license_type=line.license_type,
                used=used,
                quantity=line.quantity,
            )


def grant_included_licenses(
    *, licenses: Mapping[int, Sequence[str]], actor: Actor, audited: bool = True
) -> int:
    """Give users basic licenses (``{user id: [license type]}``, types of
    ``catalogue.BASIC_LICENSES`` the users do not hold yet): entitlements included
    with the org, drawn from no line, so never exhausted, stored on the user
    (``OrgUser.basic_licenses``). One statement and one audit row per user
    (``LICENSE_INCLUDED``), whatever the number of users; ``audited=False``:
    the caller lists the licenses in its own audit row of each user (the user CSV's
    creation entry, SPEC §8). Returns the number of licenses given."""
    count = insert_assignments(included=licenses)
    if audited:
        audit_included(licenses, actor=actor)
    return count


def insert_assignments(
    *,
    drawn: Sequence[tuple[int, SubscriptionLine]] = (),
    included: Mapping[int, Sequence[str]] | None = None,
) -> int:
    """Write licenses in one statement (a SCIM POST's template and basic licenses: one
    statement, one run of the ``units_used`` trigger): ``drawn``, units of lines as
    ``(user id, line)`` rows (protocol step 2: the caller holds the lines' locks), and
    ``included`` basic licenses, set on the users (``OrgUser.basic_licenses``). Returns
    the rows written plus the basic licenses given; ValueError for an ``included``
    type that is not a basic license."""
    given = {user_id: codes for user_id, codes in (included or {}).items() if codes}
    if not drawn and not given:
        return 0
    if not all(catalogue.is_included(code) for codes in given.values() for code in codes):
        raise ValueError("Only the included basic licenses are granted without a line.")
    kinds = {line.license_type: catalogue.license_type(line.license_type).kind for _, line in drawn}
    with hot_cursor(prepared=len(drawn) + len(given) <= SMALL_BATCH) as cursor:
        cursor.execute(
            _INSERT_ASSIGNMENTS_SQL,
            [pg_array(given), pg_array(catalogue.basic_mask(codes) for codes in given.values()),
             timezone.now(), pg_array(user_id for user_id, _ in drawn),
             pg_array(line.pk for _, line in drawn),
             pg_array(line.license_type for _, line in drawn),
             pg_array(kinds[line.license_type] for _, line in drawn)],
        )  # fmt: skip
        written = cursor.rowcount
    return written + sum(len(set(codes)) for codes in given.values())


def audit_included(licenses: Mapping[int, Sequence[str]], *, actor: Actor) -> None:
    """One ``LICENSE_INCLUDED`` entry per user given basic licenses."""
    audit.record_many(
        actor=actor,
        changes=(
            Change(
                action=AuditAction.LICENSE_INCLUDED,
                target_type="licensing.OrgUser",
                target_id=str(user_id),
                after={"licenses": list(codes)},
            )
            for user_id, codes in licenses.items()
            if codes
        ),
    )


# The lines' units in the order given (ORDINALITY); with them, in the same statement,
# the users' basic licenses: bits set on the user rows (no license rows).
_INSERT_ASSIGNMENTS_SQL = f"""
WITH basic AS (
    UPDATE {OrgUser._meta.db_table} AS u SET basic_licenses = u.basic_licenses | v.mask
    FROM unnest(%s::bigint[], %s::int[]) AS v(id, mask)
    WHERE u.id = v.id AND (u.basic_licenses | v.mask) <> u.basic_licenses
)
INSERT INTO {LicenseAssignment._meta.db_table}
    (user_id, line_id, license_type, kind, assigned_at)
SELECT d.user_id, d.line_id, d.license_type, d.kind, %s
FROM unnest(%s::bigint[], %s::bigint[], %s::varchar[], %s::varchar[])
     WITH ORDINALITY AS d(user_id, line_id, license_type, kind, position)
ORDER BY d.position
"""  # noqa: S608 - our table


# --- single changes built on the protocol ------------------------------------------


def _holder_filter(*, user: OrgUser | None = None, workspace: Workspace | None = None) -> dict:
    if (user is None) == (workspace is None):
        raise ValueError("Pass exactly one holder: a user or a workspace.")
    return {"user": user} if user is not None else {"workspace": workspace}


def ensure_usable(line: SubscriptionLine) -> None:
    """Licenses are drawn only from active subscriptions (SPEC §4, §5)."""
    subscription = line.subscription
    if not subscription.is_usable:
        raise SubscriptionNotUsable(
            f"{subscription.external_id} is {subscription.get_status_display().lower()}: "
            "no licenses can be assigned from it. Choose a line of an active subscription.",
            subscription=subscription.external_id,
        )


def assign_license(
    *,
    line: SubscriptionLine,
    actor: Actor,
    user: OrgUser | None = None,
    workspace: Workspace | None = None,
) -> LicenseAssignment:
    """Give the holder one unit of ``line`` (SPEC §5), never over-consuming it."""
    holder = _holder_filter(user=user, workspace=workspace)
    with transaction.atomic():
        locked = lock_lines([line.pk])
        line = locked[line.pk]
        ensure_usable(line)
        lt = catalogue.license_type(line.license_type)
        if LicenseAssignment.objects.filter(license_type=lt.code, **holder).exists():
            raise LicenseAlreadyHeld(
                f"{user or workspace} already holds a {lt.name} license. "
                "Use edit licenses to move it to another subscription."
            )
        assignment = LicenseAssignment.objects.create(
            line=line, license_type=lt.code, kind=lt.kind, **holder
        )
        ensure_capacity(locked, added={line.pk: 1})
        audit.record(
            actor=actor,
            action=AuditAction.LICENSE_ASSIGNED,
            target=assignment,
            after={"line": str(line)},
        )
        schedule_usage_summary()
        _after_license_change(user=user, license_types={lt.code}, actor=actor)
    return assignment


def release_license(
    *,
    license_type: str,
    actor: Actor,
    user: OrgUser | None = None,
    workspace: Workspace | None = None,
) -> None:
    """Take the holder's license of this type back (frees a unit of its line).

    Services that came with it (calling data, agents) are the caller's to remove
    first: this only releases the unit."""
    holder = _holder_filter(user=user, workspace=workspace)
    with transaction.atomic():
        lock_lines_of(**{f"{kind}_ids": [h.pk] for kind, h in holder.items()})  # line_order
        assignment = (
            LicenseAssignment.objects.select_related("line__subscription")
            .filter(license_type=license_type, **holder)
            .first()
        )
        if assignment is None:
            name = catalogue.license_type(license_type).name
            raise LicenseNotHeld(f"{user or workspace} holds no {name} license.")
        assignment.delete()
        audit.record(
            actor=actor,
            action=AuditAction.LICENSE_RELEASED,
            target_type="licensing.LicenseAssignment",
            target_repr=f"{catalogue.license_type(license_type).name} → {user or workspace}",
            before={"line": str(assignment.line)},
        )
        schedule_usage_summary()
        _after_license_change(user=user, license_types={license_type}, actor=actor)


def move_license(
    *,
    holder: OrgUser | Workspace,
    from_line: SubscriptionLine,
    to_line: SubscriptionLine,
    actor: Actor,
) -> LicenseAssignment:
    """Edit licenses (SPEC §5): move the holder's unit of ``from_line`` to ``to_line``
    of another subscription, WITHOUT touching its services (number, extension,
    voicemail, settings stay). Same license type only."""
    field = "user" if isinstance(holder, OrgUser) else "workspace"
    if from_line.license_type != to_line.license_type:
        raise LicenseTypeMismatch(
            f"A {from_line.get_license_type_display()} license can only move to a "
            f"{from_line.get_license_type_display()} line, not to {to_line}."
        )
    with transaction.atomic():
        locked = lock_lines([from_line.pk, to_line.pk])
        ensure_usable(locked[to_line.pk])
        assignment = (
            LicenseAssignment.objects.select_for_update()
            .filter(line_id=from_line.pk, **{field: holder})
            .first()
        )
        if assignment is None:
            raise LicenseNotHeld(f"{holder} holds no license of {from_line}.")
        if from_line.pk == to_line.pk:
            return assignment
        assignment.line = locked[to_line.pk]
        assignment.save(update_fields=["line"])
        ensure_capacity(locked, added={to_line.pk: 1})
        audit.record(
            actor=actor,
            action=AuditAction.LICENSE_MOVED,
            target=assignment,
            before={"line": str(from_line)},
            after={"line": str(to_line)},
        )
        schedule_usage_summary()
    return assignment


def _after_license_change(*, user: OrgUser | None, license_types: set[str], actor: Actor) -> None:
    """Agents follow contact-center licenses (SPEC §7)."""
    if user is not None and license_types & set(catalogue.CONTACT_CENTER_LICENSES):
        from licensing.services.hooks import reconcile_agents

        reconcile_agents(user_ids=[user.pk], actor=actor)
