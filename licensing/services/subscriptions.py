"""Subscriptions and their lines (SPEC §5)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping

from django.db import transaction

from licensing import catalogue
from licensing.errors import (
    IncludedLicenseNotSold,
    InvalidEndDate,
    InvalidSubscriptionId,
    QuantityBelowUsage,
    SubscriptionIdTaken,
    SubscriptionStateError,
    UnknownLicenseType,
)
from licensing.models import Subscription, SubscriptionLine, SubscriptionStatus
from licensing.services import hooks
from licensing.services.licenses import line_usage, lock_lines
from licensing.services.summary import schedule_usage_summary
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor

MAX_QUANTITY = 1_000_000
# A subscription id as partners' ordering systems write them: ``Sub-100234``.
SUBSCRIPTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


def check_external_id(external_id: str) -> None:
    """A new subscription's id: 1 to 40 letters, digits, ``.``, ``_``, ``-``; unique
    in the org (the CSV names columns after it, SPEC §4)."""
    if not SUBSCRIPTION_ID.fullmatch(external_id):  # "$" alone lets a final "\n" through
        raise InvalidSubscriptionId(
            f"'{external_id}' is not a subscription id: use 1 to 40 letters, digits, '.', "
            "'_' or '-', starting with a letter or digit (for example Sub-100234).",
            field="external_id",
        )
    if Subscription.objects.filter(external_id__iexact=external_id).exists():
        raise SubscriptionIdTaken(
            f"This organisation already has a subscription {external_id}; choose another id "
            "or change the existing one.",
            field="external_id",
        )


def check_quantity(code: str, quantity: int) -> None:
    """A line's quantity: 0 to 1,000,000 licenses."""
    if not 0 <= quantity <= MAX_QUANTITY:
        name = catalogue.license_type(code).name if code in catalogue.LICENSE_TYPES else code
        raise QuantityBelowUsage(
            f"{name}: {quantity} is not a quantity a line can have; give 0 to {MAX_QUANTITY:,}.",
            field=code,
        )


def check_line_types(codes: Iterable[str], *, external_id: str) -> None:
    """What a subscription line may carry (SPEC §5): a known license type that is sold.
    The basic licenses are included with every org, so a line of them is refused with
    a message saying so — whether typed on the provisioning page, the API or the
    ``provision_customer`` command."""
    codes = list(codes)
    unknown = [code for code in codes if code not in catalogue.LICENSE_TYPES]
    if unknown:
        raise UnknownLicenseType(
            f"Unknown license type(s) {', '.join(unknown)} on {external_id}. "
            f"Known: {', '.join(catalogue.SOLD_LICENSE_TYPES)}."
        )
    included = [catalogue.license_type(code).name for code in codes if catalogue.is_included(code)]
    if included:
        raise IncludedLicenseNotSold(
            f"{', '.join(included)} {'is' if len(included) == 1 else 'are'} included with "
            f"every org at no charge and need{'s' if len(included) == 1 else ''} no "
            f"subscription line: remove {'it' if len(included) == 1 else 'them'} from "
            f"{external_id}.",
            field="subscription",
        )


@transaction.atomic
def create_subscription(
    *,
    external_id: str,
    quantities: Mapping[str, int],
    actor: Actor,
    end_date: datetime.date | None = None,
) -> Subscription:
    """A new subscription sold to this org (SPEC §5: only partner roles call this,
    from provisioning, the partner side or a launched view)."""
    check_external_id(external_id)
    check_line_types(quantities, external_id=external_id)
    for code, quantity in quantities.items():
        check_quantity(code, quantity)
    subscription = Subscription(external_id=external_id, end_date=end_date)
    _check_end_date(subscription, end_date)
    subscription.save()
    SubscriptionLine.objects.bulk_create(
        SubscriptionLine(subscription=subscription, license_type=code, quantity=quantity)
        for code, quantity in quantities.items()
    )
    after: dict[str, object] = dict(quantities)
    if end_date:
        after["end_date"] = end_date.isoformat()
    audit.record(
        actor=actor, action=AuditAction.SUBSCRIPTION_CREATED, target=subscription, after=after
    )
    schedule_usage_summary()
    return subscription


@transaction.atomic
def update_quantities(
    *, subscription: Subscription, quantities: Mapping[str, int], actor: Actor
) -> Subscription:
    """Set line quantities (new license types add a line). A quantity below what is
    already used is refused: the licenses would be over-consumed (SPEC §5)."""
    check_line_types(quantities, external_id=subscription.external_id)
    existing = {line.license_type: line for line in subscription.lines.all()}
    locked = lock_lines(line.pk for line in existing.values())
    usage = line_usage(locked)
    before = {code: line.quantity for code, line in existing.items()}
    for code, quantity in quantities.items():
        line = existing.get(code)
        check_quantity(code, quantity)
        if line is None:
            SubscriptionLine.objects.create(
                subscription=subscription, license_type=code, quantity=quantity
            )
            continue
        used = usage.get(line.pk, 0)
        if quantity < used:
            name = catalogue.license_type(code).name
            raise QuantityBelowUsage(
                f"{name} on {subscription.external_id} has {used} licenses in use; the "
                f"quantity cannot go below {used}. Release or move licenses first.",
                field=code,
            )
        locked[line.pk].quantity = quantity
        locked[line.pk].save(update_fields=["quantity"])
    audit.record(
        actor=actor,
        action=AuditAction.SUBSCRIPTION_QUANTITIES_CHANGED,
        target=subscription,
        before=before,
        after=dict(quantities),
    )
    schedule_usage_summary()
    return subscription


def _lock(subscription: Subscription) -> Subscription:
    """Lock every line of the subscription (as every license writer does, see
    ``lock_lines``) and read its current status: an assignment running at the same
    moment either finishes first (and the cancel guard sees its holder) or waits and
    then finds the subscription no longer active."""
    lock_lines(subscription.lines.values_list("pk", flat=True))
    return Subscription.objects.get(pk=subscription.pk)


def _set_status(
    *, subscription: Subscription, status: str, actor: Actor, action: AuditAction
) -> None:
    before = subscription.status
    subscription.status = status
    subscription.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=action,
        target=subscription,
        before={"status": before},
        after={"status": status},
    )
    schedule_usage_summary()


@transaction.atomic
def suspend_subscription(*, subscription: Subscription, actor: Actor) -> Subscription:
    """No new licenses are drawn from a suspended subscription; holders keep theirs."""
    subscription = _lock(subscription)
    if subscription.status != SubscriptionStatus.ACTIVE:
        raise SubscriptionStateError(
            f"{subscription.external_id} is {subscription.get_status_display().lower()}; "
            "only an active subscription can be suspended."
        )
    _set_status(
        subscription=subscription,
        status=SubscriptionStatus.SUSPENDED,
        actor=actor,
        action=AuditAction.SUBSCRIPTION_SUSPENDED,
    )
    return subscription


@transaction.atomic
def reactivate_subscription(*, subscription: Subscription, actor: Actor) -> Subscription:
    if subscription.status == SubscriptionStatus.ACTIVE:
        raise SubscriptionStateError(f"{subscription.external_id} is already active.")
    _set_status(
        subscription=subscription,
        status=SubscriptionStatus.ACTIVE,
        actor=actor,
        action=AuditAction.SUBSCRIPTION_REACTIVATED,
    )
    return subscription


@transaction.atomic
def cancel_subscription(
    *, subscription: Subscription, actor: Actor, confirmation: str = ""
) -> Subscription:
    """Cancel (SPEC §5). The calling app's guard refuses while users or workspaces
    hold its calling licenses, unless ``confirmation`` is the subscription id typed by
    the admin (seam: ``hooks.ensure_cancel_allowed``)."""
    subscription = _lock(subscription)
    if subscription.status == SubscriptionStatus.CANCELLED:
        raise SubscriptionStateError(f"{subscription.external_id} is already cancelled.")
    hooks.ensure_cancel_allowed(subscription=subscription, confirmation=confirmation, actor=actor)
    _set_status(
        subscription=subscription,
        status=SubscriptionStatus.CANCELLED,
        actor=actor,
        action=AuditAction.SUBSCRIPTION_CANCELLED,
    )
    return subscription


def _check_end_date(subscription: Subscription, end_date: datetime.date | None) -> None:
    if end_date is not None and end_date < subscription.start_date:
        raise InvalidEndDate(
            f"{subscription.external_id} starts on {subscription.start_date.isoformat()}; "
            f"its end date cannot be earlier ({end_date.isoformat()}).",
            field="end_date",
        )


@transaction.atomic
def change_end_date(
    *, subscription: Subscription, end_date: datetime.date | None, actor: Actor
) -> Subscription:
    """Set or clear the date the subscription ends (SPEC §5: partner roles only)."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    _check_end_date(subscription, end_date)
    before = subscription.end_date
    if before == end_date:
        return subscription
    subscription.end_date = end_date
    subscription.save(update_fields=["end_date"])
    audit.record(
        actor=actor,
        action=AuditAction.SUBSCRIPTION_END_DATE_CHANGED,
        target=subscription,
        before={"end_date": before.isoformat() if before else None},
        after={"end_date": end_date.isoformat() if end_date else None},
    )
    schedule_usage_summary()
    return subscription
