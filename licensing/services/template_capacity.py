"""Applying templates where a refusal is no answer (SPEC §5, §7): an identity
provider creating users one by one (SCIM) or moving them between groups cannot be
asked to pick another subscription, so

* ``apply_templates_within_capacity``: a line that runs out is never over-consumed
  and never fails the change — the users it cannot serve are told apart;
* ``yield_to_group_templates``: members who join a group give back what their new
  templates settle differently (group wins over org, Premium over Standard).

The strict variant (``LicenseExhausted`` rolls back) is ``templates.apply_templates_to_new_users``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction

from licensing import catalogue
from licensing.models import LicenseAssignment, OrgUser, SubscriptionLine
from licensing.services.basic_licenses import included_for
from licensing.services.licenses import line_usage, lock_lines, lock_lines_in_use
from licensing.services.summary import schedule_usage_summary
from licensing.services.templates import (
    Wanted,
    held_licenses,
    licenses_from_templates,
    lines_added,
    org_template_package,
    write_template_assignments,
)
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, Change
from partnerhub.bulk import among


@transaction.atomic(savepoint=False)  # nothing raised here is recovered from: no savepoint
def apply_templates_within_capacity(
    *,
    users: Sequence[OrgUser],
    actor: Actor,
    decided: Mapping[int, set[str]] | None = None,
    included: bool = True,
    wanted: Wanted | None = None,
    created: bool = False,
) -> dict[int, list[SubscriptionLine]]:
    """Like ``apply_templates_to_new_users``, but a line that runs out is never
    over-consumed and never fails the change: users (in the order given) take the
    free units; the others get the rest of their template without that license.
    Used where an identity provider creates users one by one (SCIM, SPEC §5) and a
    refusal would leave it retrying forever. ``included``, ``wanted`` as there;
    ``created``: the users were created in this transaction and hold nothing yet.
    Returns the lines withheld per user."""
    users = list(users)
    wanted = licenses_from_templates(users) if wanted is None else wanted
    held = {u.pk: set() for u in users} if created else held_licenses(users)
    added = lines_added(users, wanted, held, decided)
    # The lines stay locked to the end of the transaction, so the free units counted
    # here are the free units when the assignments are written.
    locked, usage = lock_lines_in_use({line.pk for lines in added.values() for line in lines})
    free = {line_id: locked[line_id].quantity - used for line_id, used in usage.items()}
    withheld: dict[int, list[SubscriptionLine]] = {}
    for user_id, lines in added.items():
        kept = []
        for line in lines:
            if free[line.pk] > 0:
                free[line.pk] -= 1
                kept.append(line)
            else:
                withheld.setdefault(user_id, []).append(line)
        added[user_id] = kept
    write_template_assignments(
        added=added, actor=actor, within=locked,
        included=included_for(users=users, held=held, decided=decided) if included else None,
    )  # fmt: skip
    return withheld


@transaction.atomic
def yield_to_group_templates(*, users: Sequence[OrgUser], actor: Actor) -> list[int]:
    """Users who just joined a group: what their templates now settle differently
    gives way, so the new template's license follows (SPEC §5, §7):

    * group wins over org — a package held from the org-level template's line yields
      to the package of the group's template. A user with calling keeps calling: when
      the group's package has calling too, the package moves to the group's line (its
      calling data stays, as between any two calling packages); when it has none, the
      user keeps the package it has (calling is never taken away behind an admin's back);
    * Premium wins over Standard — a contact-center Standard license yields when the
      templates now give Premium.

    Lines are never over-consumed: a move or an upgrade happens while the target line
    has units free; the users it has none for keep what they hold. All lines the
    templates give are locked first, in one go (the later steps lock no new line, so
    two group changes at once cannot deadlock). Returns the ids of the users who gave
    a license back or moved their package."""
    org_line = org_template_package()
    wanted = licenses_from_templates(users)
    packages = {
        user_id: next((line for line in lines if line.license_type in catalogue.PACKAGES), None)
        for user_id, lines in wanted.items()
    }
    premium = {
        user_id: line
        for user_id, lines in wanted.items()
        for line in lines
        if line.license_type == catalogue.CC_PREMIUM
    }
    candidates = [
        u for u, p in packages.items() if org_line and p is not None and p.pk != org_line.pk
    ]
    if not candidates and not premium:
        return []
    locked = lock_lines({line.pk for lines in wanted.values() for line in lines})
    free = {
        line_id: locked[line_id].quantity - used for line_id, used in line_usage(locked).items()
    }
    released: list[LicenseAssignment] = []
    moved: list[int] = []
    if candidates:
        holders = LicenseAssignment.objects.filter(
            user_id__in=among(candidates),
            line_id=org_line.pk,  # type: ignore[union-attr]
        )
        released += holders.filter(user__calling__isnull=True)
        moved = _move_calling_packages(
            list(holders.filter(user__calling__isnull=False)), packages, locked, free,
            org_line=org_line, actor=actor,
        )  # fmt: skip
    for standard in LicenseAssignment.objects.filter(
        user_id__in=among(premium), license_type=catalogue.CC_STANDARD
    ).order_by("user_id"):
        line_id = premium[standard.user_id].pk
        if free[line_id] > 0:  # else Standard stays: Premium has no unit for it
            free[line_id] -= 1
            released.append(standard)
    _release(released, actor=actor)
    return sorted({a.user_id for a in released} | set(moved))


def _release(released: Sequence[LicenseAssignment], *, actor: Actor) -> None:
    if not released:
        return
    LicenseAssignment.objects.filter(pk__in=[a.pk for a in released]).delete()
    audit.record_many(
        actor=actor,
        changes=[
            Change(
                action=AuditAction.LICENSE_RELEASED_FOR_GROUP_TEMPLATE,
                target_type="licensing.OrgUser",
                target_id=str(a.user_id),
                before={"license_type": a.license_type, "line": a.line_id},
            )
            for a in released
        ],
    )
    schedule_usage_summary()


def _move_calling_packages(
    held: Sequence[LicenseAssignment],
    packages: Mapping[int, SubscriptionLine | None],
    locked: Mapping[int, SubscriptionLine],
    free: dict[int, int],
    *,
    org_line: SubscriptionLine,
    actor: Actor,
) -> list[int]:
    """Members with calling on the org template's package whose group template gives
    a package with calling: the package moves to the group's (locked) line while it
    has ``free`` units. Returns who moved."""
    moves: dict[int, list[LicenseAssignment]] = {}
    for assignment in held:
        target = packages.get(assignment.user_id)
        if target is None or target.license_type not in catalogue.CALLING_PACKAGES:
            continue
        if locked[target.pk].subscription.is_usable and free[target.pk] > 0:
            free[target.pk] -= 1
            moves.setdefault(target.pk, []).append(assignment)
    if not moves:
        return []
    for line_id, assignments in moves.items():
        LicenseAssignment.objects.filter(pk__in=[a.pk for a in assignments]).update(
            line_id=line_id, license_type=locked[line_id].license_type
        )
    audit.record_many(
        actor=actor,
        changes=[
            Change(
                action=AuditAction.USER_PACKAGE_CHANGED,
                target_type="licensing.OrgUser",
                target_id=str(a.user_id),
                before={"package": str(org_line)},
                after={"package": str(locked[line_id]), "calling_removed": False},
            )
            for line_id, assignments in moves.items()
            for a in assignments
        ],
    )
    schedule_usage_summary()
    return [a.user_id for assignments in moves.values() for a in assignments]
