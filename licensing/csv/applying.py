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
from licensing.csv.early import EarlyCreates, create_with_included, decided_of
from licensing.csv.validation import Plan, RowPlan
from licensing.models import LicenseAssignment, OrgUser
from licensing.services import hooks
from licensing.services.bulk_users import update_users
from licensing.services.licenses import ensure_capacity, lock_lines
from licensing.services.summary import schedule_usage_summary
from licensing.services.templates import apply_templates_to_new_users
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


def _create_users(rows: list[RowPlan], actor: Actor) -> dict[int, list[str]]:
    """Through the one user-writing path (its audit rows are the CSV's, per row, written
    by ``audit_rows``), with the included basic licenses; sets ``row.user_id`` and
    returns ``{user id: [included license type given]}``."""
    ids, given = create_with_included(rows, actor)
    for row, user_id in zip(rows, ids, strict=True):
        row.user_id = user_id
    return given


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
def apply_plan(
    plan: Plan,
    *,
    actor: Actor,
    progress: Progress | None = None,
    early: EarlyCreates | None = None,
) -> None:
    """Apply every row of a plan without errors (the caller refuses plans with errors).
    ``early``: the new users written during validation (in this transaction)."""
    rows = [r for r in plan.rows if r.action != "unchanged"]
    line_ids = {lid for r in rows for lid in r.add.values() if lid is not None} | {
        lid for r in rows for lid in r.move.values()
    }
    locked = lock_lines(line_ids)
    # Calling data lost (package without calling, user deleted): snapshot, then removed.
    hooks.calling().remove_calling(plan.calling, actor=actor, reason="csv")
    _delete_users([r for r in rows if r.action == "delete"], actor)
    included = dict(early.included) if early else {}
    if early:
        early.assign(rows)
    creates = [r for r in rows if r.action == "create"]
    included |= _create_users([r for r in creates if r.user_id is None], actor)
    kept = [r for r in rows if r.action != "delete"]
    _update_users([r for r in kept if r.action != "create"], actor)
    if progress:
        progress(len(plan.rows) // 2, len(plan.rows))
    _write_licenses(plan, kept)
    ensure_capacity(locked, added=_units_added(kept))
    hooks.calling().write_calling(
        plan.calling, user_ids={r.number: r.user_id for r in kept}, actor=actor, reason="csv"
    )
    _apply_templates(creates, actor)
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


def _apply_templates(rows: list[RowPlan], actor: Actor) -> None:
    """New users: where the row left a service blank, the auto-license template decides
    (the included basic licenses were given with the users)."""
    if not rows:
        return
    users = [OrgUser.from_db(None, ["id", "email"], (r.user_id, r.email)) for r in rows]
    decided = {r.user_id: decided_of(r) for r in rows}
    apply_templates_to_new_users(users=users, actor=actor, decided=decided, included=False)
