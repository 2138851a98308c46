"""A user's wholesale package: change, unassign, reassign (SPEC §3 "Change a user's
package", seed 002).

All or nothing: each call is one transaction, so a failure (no license left, bad
calling details, a calling-app error) leaves the user exactly as before, and the
error says what to do. Unassign + reassign is the documented remedy for "Unable to
update the user license".
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from licensing import catalogue
from licensing.errors import (
    CallingLossNotConfirmed,
    LicenseAlreadyHeld,
    LicenseExhausted,
    LicenseNotHeld,
    NotAPackage,
)
from licensing.models import LicenseAssignment, OrgUser, SubscriptionLine
from licensing.services import calling_details
from licensing.services.licenses import ensure_capacity, ensure_usable, lock_lines, move_license
from licensing.services.line_order import lock_lines_of
from licensing.services.summary import schedule_usage_summary
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor

UNCHANGED = "Nothing was changed"


def current_package(user: OrgUser, *, lock: bool = False) -> LicenseAssignment | None:
    assignments = LicenseAssignment.objects.select_related("line__subscription")
    if lock:
        assignments = assignments.select_for_update(of=("self",))
    return assignments.filter(user=user, kind=catalogue.Kind.PACKAGE).first()


def _check_package_line(line: SubscriptionLine) -> None:
    if line.license_type not in catalogue.PACKAGES:
        raise NotAPackage(
            f"{line} is not a wholesale package; choose one of: "
            f"{', '.join(lt.name for lt in catalogue.PACKAGES.values())}.",
            field="line",
        )


def has_calling(code: str | None) -> bool:
    return code in catalogue.CALLING_PACKAGES


def confirm_calling_loss_error(user: OrgUser, target: str) -> CallingLossNotConfirmed:
    lost = calling_details.loss_preview(user)
    return CallingLossNotConfirmed(
        f"Moving {user.email} to {target} removes calling and deletes its calling data: "
        f"{'; '.join(lost)}. This cannot be undone; confirm to go ahead.",
        lost=lost,
    )


@transaction.atomic
def change_package(
    *,
    user: OrgUser,
    line: SubscriptionLine | None,
    actor: Actor,
    calling: Any = None,
    confirm_calling_loss: bool = False,
) -> LicenseAssignment | None:
    """Give the user the package of ``line`` (``None``: no package).

    Into calling (from no calling) needs ``calling`` details; out of calling needs
    ``confirm_calling_loss`` (the error lists what would be lost). Between two
    calling packages the calling data stays. The same package on another
    subscription is a move that keeps every service (SPEC §5)."""
    current = current_package(user, lock=True)
    if line is not None:
        _check_package_line(line)
    if current is not None and line is not None and current.line_id == line.pk:
        return current
    if current is not None and line is not None and current.license_type == line.license_type:
        return move_license(holder=user, from_line=current.line, to_line=line, actor=actor)
    old_code = current.license_type if current else None
    new_code = line.license_type if line else None
    leaving = has_calling(old_code) and not has_calling(new_code)
    entering = has_calling(new_code) and not has_calling(old_code)
    if leaving and not confirm_calling_loss:
        target = catalogue.license_type(new_code).name if new_code else "no package"
        raise confirm_calling_loss_error(user, target)
    if entering:
        calling_details.validate_fields(calling, package_name=catalogue.license_type(new_code).name)
    assignment = _swap(user=user, current=current, line=line)
    if leaving:
        calling_details.remove(user=user, actor=actor)
    if entering:
        calling_details.provision(
            user=user,
            details=calling,
            package_name=catalogue.license_type(new_code).name,
            actor=actor,
        )
    audit.record(
        actor=actor,
        action=AuditAction.USER_PACKAGE_CHANGED,
        target=user,
        before={"package": str(current.line) if current else None},
        after={"package": str(line) if line else None, "calling_removed": leaving},
    )
    schedule_usage_summary()
    return assignment


def _swap(
    *, user: OrgUser, current: LicenseAssignment | None, line: SubscriptionLine | None
) -> LicenseAssignment | None:
    """Release the current package and take a unit of ``line`` (license protocol)."""
    # The line given back first, with the new one, in id order (services.line_order).
    lock_lines_of(user_ids=[user.pk], line_ids=[line.pk] if line is not None else [])
    locked = lock_lines([line.pk] if line is not None else [])
    if line is not None:
        ensure_usable(locked[line.pk])
    if current is not None:
        current.delete()
    if line is None:
        return None
    assignment = LicenseAssignment.objects.create(
        user=user, line=locked[line.pk], license_type=line.license_type, kind=catalogue.Kind.PACKAGE
    )
    try:
        ensure_capacity(locked, added={line.pk: 1})
    except LicenseExhausted as error:
        raise LicenseExhausted(
            f"{error.message} {UNCHANGED}: choose another subscription, or free or buy "
            "a license first.",
            **error.details,
        ) from error
    return assignment


def unassign_package(*, user: OrgUser, actor: Actor, confirm_calling_loss: bool = False) -> None:
    """Take the user's package away (first half of the unassign → reassign remedy)."""
    if current_package(user) is None:
        raise LicenseNotHeld(f"{user.email} holds no package; assign one instead.")
    change_package(user=user, line=None, actor=actor, confirm_calling_loss=confirm_calling_loss)


def reassign_package(
    *, user: OrgUser, line: SubscriptionLine, actor: Actor, calling: Any = None
) -> LicenseAssignment | None:
    """Give a package to a user without one (second half of the remedy)."""
    current = current_package(user)
    if current is not None:
        raise LicenseAlreadyHeld(
            f"{user.email} still holds {current.line}. Unassign it first, then reassign."
        )
    return change_package(user=user, line=line, actor=actor, calling=calling)
