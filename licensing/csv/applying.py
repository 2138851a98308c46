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
from licensing.services.active_templates import active_templates
from licensing.services.basic_licenses import included_for_new_users, set_basic_licenses
from licensing.services.bulk_users import NEW_USER_FIELDS, NewUser, create_users, update_users
from licensing.services.licenses import ensure_capacity, lock_lines
from licensing.services.line_order import lock_lines_of
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
    """Through the one user-writing service (its audit rows are the CSV's, per row in
    ``_audit``), each user written with its basic licenses (``_basic_licenses``); each
    row gets its user's id. Returns ``{user id: [included license type]}`` the default
    rule gave (listed in each new user's audit entry)."""
    masks, given = _basic_licenses(rows)
    ids = create_users(
        users=[NewUser(email=r.email, basic_licenses=mask,
                       **{k: v for k, v in r.fields.items() if k in _NEW_USER_FIELDS})
               for r, mask in zip(rows, masks, strict=True)],
        actor=actor, audit_action=None,
    )  # fmt: skip
    for row, user_id in zip(rows, ids, strict=True):
        row.user_id = user_id
    return dict(zip(ids, given, strict=True))


def _basic_licenses(rows: list[RowPlan]) -> tuple[list[int], list[list[str]]]:
    """New users' basic licenses (SPEC §4, §5), known before they are written: what the
    row's columns add, and the defaults every new user gets unless the row settled them
    (``included_for_new_users``, the rule every path shares; templates give no basic
    license). Per row: the bit mask to write and the defaults given."""
    included = included_for_new_users(
        held={i: set(r.add) for i, r in enumerate(rows)},
        decided={i: r.decided for i, r in enumerate(rows)},
    )
    given = [included[i] for i in range(len(rows))]
    masks = [
        catalogue.basic_mask(r.add) | catalogue.basic_mask(codes)
        for r, codes in zip(rows, given, strict=True)
    ]
    return masks, given


_STAND_IN_FIELDS = ["id", "email"]
_NEW_USER_FIELDS = frozenset(NEW_USER_FIELDS)


CSV_FIELDS = ["first_name", "last_name", "display_name", "preferred_site", "jabber_calling",
              "jabber_with_teams"]  # fmt: skip


def _update_users(rows: list[RowPlan], actor: Actor) -> None:
    update_users(
        changes={r.user_id: {k: v for k, v in r.fields.items() if k in CSV_FIELDS} for r in rows},
        actor=actor, audit_action=None,
    )  # fmt: skip


def _write_licenses(plan: Plan, rows: list[RowPlan]) -> None:
    """The rows' license changes: assignments removed, moved and added in three bulk
    statements; an existing user's basic licenses in one more (``set_basic_licenses``;
    a new user's were written with it)."""
    removals = [
        plan.held[r.user_id][code][0]
        for r in rows
        for code in r.remove
        if code in plan.held.get(r.user_id, {}) and not catalogue.is_included(code)
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
        ((r.user_id, line_id, code, kinds[code], now) for r in rows
         for code, line_id in r.add.items() if line_id is not None),
    )  # fmt: skip
    _write_basic_licenses([r for r in rows if r.action != "create"])


def _write_basic_licenses(rows: list[RowPlan]) -> None:
    given, taken = {}, {}
    for r in rows:
        added, removed = catalogue.basic_mask(r.add), catalogue.basic_mask(r.remove)
        if added or removed:
            given[r.user_id], taken[r.user_id] = added, removed
    set_basic_licenses(given=given, taken=taken)


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
    created = [r for r in rows if r.action == "create"]
    included = _create_users(created, actor)
    kept = [r for r in rows if r.action != "delete"]
    _update_users([r for r in kept if r.action != "create"], actor)
    if progress:
        progress(len(plan.rows) // 2, len(plan.rows))
    _write_licenses(plan, kept)
    ensure_capacity(locked, added=_units_added(kept))
    hooks.calling().write_calling(
        plan.calling, user_ids={r.number: r.user_id for r in kept}, actor=actor, reason="csv"
    )
    _apply_templates(created, actor)
    cc = {catalogue.CC_STANDARD, catalogue.CC_PREMIUM}
    cc_users = [r.user_id for r in kept if not (cc.isdisjoint(r.add) and cc.isdisjoint(r.remove))]
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


def _apply_templates(created: list[RowPlan], actor: Actor) -> None:
    """New users (their rows, written): where the row left a service blank, the
    auto-license template decides (the basic licenses were settled with the users'
    rows: ``_basic_licenses``). An org without an active template has nothing to
    decide: no stand-in user is built, nor the templates' walk over them (a tenth of a
    20,000-user apply's Python)."""
    if not created or not active_templates():
        return
    # Deferred instances (as ``.only("id", "email")`` builds them): no field defaults
    # computed, a fraction of ``OrgUser(id=…, email=…)``'s cost at 20,000 rows.
    users = [OrgUser.from_db(None, _STAND_IN_FIELDS, (r.user_id, r.email)) for r in created]
    decided = {}
    for r in created:
        settled = set(r.decided)
        if "package" in settled:
            settled |= set(catalogue.PACKAGES)
        decided[r.user_id] = settled
    apply_templates_to_new_users(users=users, actor=actor, decided=decided, included=False)
