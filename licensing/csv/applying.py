"""Applying a validated user CSV: all or nothing, in bulk (SPEC §4, §5).

One transaction: lock every line the file draws from, write users and license
assignments with a handful of bulk statements, check no line is over-consumed,
then audit and schedule the partner summary. Any error rolls everything back.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from customers.usage import release_user_emails
from licensing import catalogue
from licensing.csv.auditing import audit_rows
from licensing.csv.validation import Plan, RowPlan
from licensing.models import LicenseAssignment, OrgUser
from licensing.services import hooks
from licensing.services.bulk_users import NEW_USER_FIELDS, NewUser, create_users, update_users
from licensing.services.licenses import ensure_capacity, lock_lines
from licensing.services.line_order import lock_lines_of
from licensing.services.summary import schedule_usage_summary
from licensing.services.templates import apply_templates_to_new_users, grant_included
from partnerhub.audit.services import Actor
from partnerhub.bulk import copy_insert, update_from_values

Progress = Callable[[int, int], None]  # rows done, rows of the file


def _delete_users(rows: list[RowPlan], actor: Actor) -> None:
    users = list(OrgUser.objects.filter(pk__in=[r.user_id for r in rows]))
    if not users:
        return
    hooks.snapshot_before_user_delete(users=users, actor=actor)
    release_user_emails(customer=connection.tenant, emails=[u.email for u in users])
    OrgUser.objects.filter(pk__in=[u.pk for u in users]).delete()


def _create_users(rows: list[RowPlan], actor: Actor) -> list[OrgUser]:
    """Through the one user-writing service (its audit rows are the CSV's, per row in
    ``_audit``); returns id-and-e-mail stand-ins for the templates."""
    ids = create_users(
        users=[NewUser(email=r.email, **{k: v for k, v in r.fields.items() if k in NEW_USER_FIELDS})
               for r in rows],  # fmt: skip
        actor=actor, audit_action=None,
    )  # fmt: skip
    for row, user_id in zip(rows, ids, strict=True):
        row.user_id = user_id
    # Deferred instances (as ``.only("id", "email")`` builds them): no field defaults
    # computed, a fraction of ``OrgUser(id=…, email=…)``'s cost at 20,000 rows.
    return [OrgUser.from_db(None, _STAND_IN_FIELDS, (r.user_id, r.email)) for r in rows]


_STAND_IN_FIELDS = ["id", "email"]


CSV_FIELDS = ["first_name", "last_name", "display_name", "preferred_site", "jabber_calling",
              "jabber_with_teams"]  # fmt: skip


def _update_users(rows: list[RowPlan], actor: Actor) -> None:
    update_users(
        changes={r.user_id: {k: v for k, v in r.fields.items() if k in CSV_FIELDS} for r in rows},
        actor=actor, audit_action=None,
    )  # fmt: skip


def _write_licenses(plan: Plan, rows: list[RowPlan]) -> None:
    removals = [
        plan.held[r.user_id][code][0]
        for r in rows
        for code in r.remove
        if code in plan.held.get(r.user_id, {})
    ]
    LicenseAssignment.objects.filter(pk__in=removals).delete()
    moves = [(a_id, line_id) for r in rows for a_id, line_id in r.move.items()]
    if moves:
        update_from_values(
            LicenseAssignment._meta.db_table, moves, ["id", "line_id"], ["bigint", "bigint"]
        )
    now = timezone.now()
    kinds = {code: catalogue.license_type(code).kind for r in rows for code in r.add}
    copy_insert(
        LicenseAssignment, ["user_id", "line_id", "license_type", "kind", "assigned_at"],
        ((r.user_id, line_id, code, kinds[code], now) for r in rows for code, line_id in r.add.items()),
    )  # fmt: skip


@transaction.atomic
def apply_plan(plan: Plan, *, actor: Actor, progress: Progress | None = None) -> None:
    """Apply every row of a plan without errors (the caller refuses plans with errors)."""
    rows = [r for r in plan.rows if r.action != "unchanged"]
    line_ids = {lid for r in rows for lid in r.add.values() if lid is not None} | {
        lid for r in rows for lid in r.move.values()
    }
    # The lines of licenses given back (deletes, removals, moves) first: line_order.
    releasing = [r.user_id for r in rows if r.action == "delete" or r.remove or r.move]
    lock_lines_of(user_ids=releasing, line_ids=line_ids if releasing else ())
    locked = lock_lines(line_ids)
    # Calling data lost (package without calling, user deleted): snapshot, then removed.
    hooks.calling().remove_calling(plan.calling, actor=actor, reason="csv")
    _delete_users([r for r in rows if r.action == "delete"], actor)
    created = _create_users([r for r in rows if r.action == "create"], actor)
    kept = [r for r in rows if r.action != "delete"]
    _update_users([r for r in kept if r.action != "create"], actor)
    if progress:
        progress(len(plan.rows) // 2, len(plan.rows))
    _write_licenses(plan, kept)
    ensure_capacity(locked, added=_units_added(kept))
    hooks.calling().write_calling(
        plan.calling, user_ids={r.number: r.user_id for r in kept}, actor=actor, reason="csv"
    )
    included = _apply_templates(created, {r.user_id: r for r in kept}, actor)
    cc_users = [
        r.user_id
        for r in kept
        if {catalogue.CC_STANDARD, catalogue.CC_PREMIUM} & (set(r.add) | r.remove)
    ]
    if cc_users:
        hooks.reconcile_agents(user_ids=cc_users, actor=actor)
    audit_rows(rows, actor, included)
    schedule_usage_summary()


def _units_added(rows: list[RowPlan]) -> dict[int, int]:
    added: dict[int, int] = {}
    for r in rows:
        for line_id in [*r.add.values(), *r.move.values()]:
            if line_id is not None:  # an included basic license takes no unit
                added[line_id] = added.get(line_id, 0) + 1
    return added


def _apply_templates(
    created: list[OrgUser], rows: dict[int, RowPlan], actor: Actor
) -> dict[int, list[str]]:
    """New users: where the row left a service blank, the auto-license template decides;
    then the basic licenses included with the org, audited in each user's CSV entry.
    Returns ``{user id: [included license type]}`` given."""
    if not created:
        return {}
    decided = {}
    for user in created:
        settled = set(rows[user.pk].decided)
        if "package" in settled:
            settled |= set(catalogue.PACKAGES)
        decided[user.pk] = settled
    apply_templates_to_new_users(users=created, actor=actor, decided=decided, included=False)
    # A new user holds what its row added (templates add only licenses of a line).
    held = {user.pk: set(rows[user.pk].add) for user in created}
    return grant_included(users=created, held=held, decided=decided, actor=actor, audited=False)
