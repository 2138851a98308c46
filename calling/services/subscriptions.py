"""Cancelling a subscription that still carries calling (SPEC §5, issue #4 item 8).

Cancelling destroys the calling data of everyone whose calling license is on that
subscription, so it is refused with the list of those users and workspaces until they
are moved (edit licenses, CSV) — or forced with the subscription id typed as the
confirmation. A forced cancel goes through the usual removal path: each holder's
calling data is kept as a 30-day snapshot, then its calling license is released.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from calling import errors
from calling.licenses import CALLING_LICENSE_TYPES
from calling.services.snapshots import profiles_of, remove_profiles
from licensing.models import LicenseAssignment
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, record

LISTED = 20


def calling_holders(subscription: Any) -> list[LicenseAssignment]:
    """The calling licenses still held on ``subscription``, users first, by name."""
    return list(
        LicenseAssignment.objects.filter(
            line__subscription=subscription, license_type__in=CALLING_LICENSE_TYPES
        )
        .select_related("user", "workspace", "line")
        .order_by("workspace_id", "user__email", "workspace__name")
    )


def holder_names(assignments: list[LicenseAssignment]) -> list[str]:
    return [a.user.email if a.user_id else f"workspace {a.workspace.name}" for a in assignments]


def ensure_cancel_allowed(*, subscription: Any, confirmation: str, actor: Actor) -> None:
    """Refuse to cancel while calling licenses are held on ``subscription``, unless the
    admin typed the subscription id; then remove their calling (snapshots kept)."""
    held = calling_holders(subscription)
    if not held:
        return
    names = holder_names(held)
    if (confirmation or "").strip() != subscription.external_id:
        listed = ", ".join(names[:LISTED]) + (
            f" and {len(names) - LISTED} more" if len(names) > LISTED else ""
        )
        raise errors.SubscriptionCarriesCalling(
            f"{subscription.external_id} still carries calling for {len(names)} user(s) or "
            f"workspace(s): {listed}. Move them to another subscription (edit licenses or "
            f"the CSV) first; or, to cancel anyway and delete their calling data (restorable "
            f"for 30 days), type {subscription.external_id} as the confirmation.",
            holders=names,
        )
    _remove_calling_of(held, subscription=subscription, actor=actor)


@transaction.atomic
def _remove_calling_of(held: list[LicenseAssignment], *, subscription: Any, actor: Actor) -> None:
    profiles = profiles_of(
        user_ids=[a.user_id for a in held if a.user_id],
        workspace_ids=[a.workspace_id for a in held if a.workspace_id],
    )
    remove_profiles(profiles, reason="subscription_cancelled")
    LicenseAssignment.objects.filter(pk__in=[a.pk for a in held]).delete()
    record(
        actor=actor,
        action=AuditAction.CALLING_REMOVED_BY_CANCEL,
        target=subscription,
        before={"holders": holder_names(held)},
    )
    from licensing.services.summary import schedule_usage_summary

    schedule_usage_summary()
