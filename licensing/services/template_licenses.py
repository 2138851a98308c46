"""Giving users the licenses of their auto-license templates (SPEC §5, §7): new users
(manual add, CSV, directory sync, SCIM) and users who just joined a group.

Which template applies, and how conflicts in a union of templates are settled, is
``licensing.services.templates``; here the chosen lines become assignments under
the license protocol (lines locked, capacity checked, audited in bulk, usage summary
on commit, agents reconciled for contact-center licenses).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.db import transaction
from django.utils import timezone

from licensing import catalogue
from licensing.models import LicenseAssignment, OrgUser, SubscriptionLine
from licensing.services import hooks
from licensing.services.licenses import (
    ensure_capacity,
    grant_included_licenses,
    line_usage,
    lock_lines,
)
from licensing.services.summary import schedule_usage_summary
from licensing.services.templates import licenses_from_templates, org_template_package
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, Change
from partnerhub.bulk import among, copy_insert


def lines_to_add(
    *,
    lines: Iterable[SubscriptionLine],
    held: set[str],
    decided: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[SubscriptionLine]:
    """What a template adds to a user holding ``held`` license types: only what the
    user has no license for yet and what no explicit choice (``decided``) settled.
    An explicitly chosen package wins over the template's package."""
    held_package = bool(held & set(catalogue.PACKAGES)) or bool(decided & set(catalogue.PACKAGES))
    held_cc = bool((held | decided) & set(catalogue.CONTACT_CENTER_LICENSES))
    result = []
    for line in lines:
        code = line.license_type
        if code in held or code in decided:
            continue
        if code in catalogue.PACKAGES and held_package:
            continue
        if code in catalogue.CONTACT_CENTER_LICENSES and held_cc:
            continue
        result.append(line)
    return result


def _template_additions(
    users: Sequence[OrgUser], decided: Mapping[int, set[str]] | None
) -> tuple[dict[int, set[str]], dict[int, list[SubscriptionLine]]]:
    """``(held, added)``: the license types each user holds now, and the lines its
    templates add on top (``lines_to_add``) — the one rule of both appliers."""
    wanted = licenses_from_templates(users)
    held: dict[int, set[str]] = {user.pk: set() for user in users}
    for user_id, code in LicenseAssignment.objects.filter(
        user_id__in=among(u.pk for u in users)
    ).values_list("user_id", "license_type"):
        held[user_id].add(code)
    added = {
        user.pk: lines_to_add(
            lines=wanted.get(user.pk, []),
            held=held[user.pk],
            decided=set((decided or {}).get(user.pk, ())),
        )
        for user in users
    }
    return held, added


@transaction.atomic
def apply_templates_to_new_users(
    *,
    users: Sequence[OrgUser],
    actor: Actor,
    decided: Mapping[int, set[str]] | None = None,
    included: bool = True,
) -> dict[int, list[SubscriptionLine]]:
    """Give new users the licenses of their template (SPEC §5), on top of what they
    already hold. ``decided`` maps a user id to license types an explicit choice settled
    (a CSV cell, a package picked on the page): the template leaves those alone.
    ``included``: the users are new, so they also get the basic licenses every org
    includes (``grant_included_licenses``) — whatever the org's subscriptions.

    Follows the license protocol; ``LicenseExhausted`` rolls the whole call back.
    Returns the lines added per user."""
    users = list(users)
    held, added = _template_additions(users, decided)
    _write_assignments(added=added, actor=actor)
    if included:
        _grant_included(users=users, held=held, decided=decided, actor=actor)
    return added


def _grant_included(
    *,
    users: Sequence[OrgUser],
    held: Mapping[int, set[str]],
    decided: Mapping[int, set[str]] | None,
    actor: Actor,
) -> None:
    grant_included_licenses(
        licenses={
            user.pk: [
                code
                for code in catalogue.DEFAULT_BASIC_LICENSES
                if code not in held[user.pk] and code not in (decided or {}).get(user.pk, ())
            ]
            for user in users
        },
        actor=actor,
    )


@transaction.atomic
def apply_templates_within_capacity(
    *,
    users: Sequence[OrgUser],
    actor: Actor,
    decided: Mapping[int, set[str]] | None = None,
    included: bool = True,
) -> dict[int, list[SubscriptionLine]]:
    """Like ``apply_templates_to_new_users``, but a line that runs out is never
    over-consumed and never fails the change: users (in the order given) take the
    free units; the others get the rest of their template without that license.
    Used where an identity provider creates users one by one (SCIM, SPEC §5) and a
    refusal would leave it retrying forever. ``included`` as there (basic licenses,
    never short). Returns the lines withheld per user."""
    users = list(users)
    held, added = _template_additions(users, decided)
    locked = lock_lines({line.pk for lines in added.values() for line in lines})
    free = {
        line_id: locked[line_id].quantity - used for line_id, used in line_usage(locked).items()
    }
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
    _write_assignments(added=added, actor=actor)
    if included:
        _grant_included(users=users, held=held, decided=decided, actor=actor)
    return withheld


@transaction.atomic
def yield_to_group_templates(*, users: Sequence[OrgUser], actor: Actor) -> list[int]:
    """Users who just joined a group: what their templates now settle differently
    gives way, so the new template's license follows (SPEC §5, §7):

    * group wins over org — a package held from the org-level template's line yields
      to the package of the group's template (a user with calling keeps it: calling
      is never taken away behind an admin's back);
    * Premium wins over Standard — a contact-center Standard license yields when the
      templates now give Premium.

    Returns the ids of the users who gave a license back."""
    org_line = org_template_package()
    wanted = licenses_from_templates(users)
    released: list[LicenseAssignment] = []
    packages = {
        user_id: next((line for line in lines if line.license_type in catalogue.PACKAGES), None)
        for user_id, lines in wanted.items()
    }
    if org_line is not None:
        candidates = [u for u, p in packages.items() if p is not None and p.pk != org_line.pk]
        released += LicenseAssignment.objects.filter(
            user_id__in=among(candidates), line_id=org_line.pk, user__calling__isnull=True
        )
    premium = [
        u
        for u, lines in wanted.items()
        if any(line.license_type == catalogue.CC_PREMIUM for line in lines)
    ]
    released += LicenseAssignment.objects.filter(
        user_id__in=among(premium), license_type=catalogue.CC_STANDARD
    )
    if not released:
        return []
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
    return sorted({a.user_id for a in released})


def _write_assignments(*, added: dict[int, list[SubscriptionLine]], actor: Actor) -> None:
    line_ids = {line.pk for lines in added.values() for line in lines}
    if not line_ids:
        return
    locked = lock_lines(line_ids)
    now = timezone.now()
    copy_insert(
        LicenseAssignment,
        ["user", "line", "license_type", "kind", "assigned_at"],
        (
            [
                user_id,
                line.pk,
                line.license_type,
                catalogue.license_type(line.license_type).kind,
                now,
            ]
            for user_id, lines in added.items()
            for line in lines
        ),
    )
    taken: dict[int, int] = {}
    for lines in added.values():
        for line in lines:
            taken[line.pk] = taken.get(line.pk, 0) + 1
    ensure_capacity(locked, added=taken)
    audit.record_many(
        actor=actor,
        changes=[
            Change(
                action=AuditAction.LICENSE_ASSIGNED_BY_TEMPLATE,
                target_type="licensing.OrgUser",
                target_id=str(user_id),
                after={"lines": [str(line) for line in lines]},
            )
            for user_id, lines in added.items()
            if lines
        ],
    )
    schedule_usage_summary()
    cc_users = [
        user_id
        for user_id, lines in added.items()
        if any(line.license_type in catalogue.CONTACT_CENTER_LICENSES for line in lines)
    ]
    if cc_users:
        hooks.reconcile_agents(user_ids=cc_users, actor=actor)
