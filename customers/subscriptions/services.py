"""What the partner sold a customer, changed from the partner side (SPEC §5: only
partner roles add subscriptions or change quantities, status, end dates and the
packages enabled for the org; the customer's own admins see them read-only).

Subscriptions live in the org's schema: every read and write here calls the
licensing selectors and services inside ``in_org`` — the same services a
launched customer view calls — and is audited there "as partner X".
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from customers.errors import UnknownStatusAction
from customers.models import Customer
from customers.services import validate_packages
from partnerhub import permissions
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor
from partnerhub.models import Account
from partnerhub.tenancy import in_org

STATUS_ACTIONS = ("suspend", "reactivate", "cancel")
NOT_A_SELLER = (
    "Only the partner's full and provisioning administrators change subscriptions and "
    "enabled packages."
)


@dataclass(frozen=True)
class LineView:
    id: int
    license_type: str
    name: str
    quantity: int
    used: int


@dataclass(frozen=True)
class SubscriptionView:
    id: int
    external_id: str
    status: str
    status_display: str
    start_date: datetime.date
    end_date: datetime.date | None
    lines: tuple[LineView, ...]


def customer_for_reading(account: Account, customer_id: int) -> Customer:
    """A customer the account sees (else 404, as for one that does not exist)."""
    return permissions.get_visible_customer(account, pk=customer_id)


def customer_for_selling(account: Account, customer_id: int) -> Customer:
    """A customer whose subscriptions the account may change: visible (else 404) and
    a full or provisioning administrator of its partner (else 403)."""
    customer = customer_for_reading(account, customer_id)
    if not permissions.can_manage_subscriptions(account, customer):
        raise PermissionDenied(NOT_A_SELLER)
    return customer


def partner_actor(account: Account, customer: Customer) -> Actor:
    """The actor of a partner-side change: audited "as partner X" in the org."""
    return Actor(
        account_id=account.pk, email=account.email, acting_as_partner=customer.partner.name
    )


def _view(subscription) -> SubscriptionView:  # type: ignore[no-untyped-def]
    return SubscriptionView(
        id=subscription.pk,
        external_id=subscription.external_id,
        status=subscription.status,
        status_display=subscription.get_status_display(),
        start_date=subscription.start_date,
        end_date=subscription.end_date,
        lines=tuple(
            LineView(
                id=line.pk,
                license_type=line.license_type,
                name=line.get_license_type_display(),
                quantity=line.quantity,
                used=line.used,
            )
            for line in subscription.lines.all()
        ),
    )


def _subscription(subscription_id: int):  # type: ignore[no-untyped-def]
    from licensing import selectors

    subscription = selectors.subscriptions_with_usage().filter(pk=subscription_id).first()
    if subscription is None:
        raise Http404("No such subscription in this organisation.")
    return subscription


def subscriptions_of(*, customer: Customer) -> list[SubscriptionView]:
    """The org's subscriptions with each line's quantity and use."""
    from licensing import selectors

    with in_org(customer):
        return [_view(s) for s in selectors.subscriptions_with_usage()]


def subscription_of(*, customer: Customer, subscription_id: int) -> SubscriptionView:
    with in_org(customer):
        return _view(_subscription(subscription_id))


def add_subscription(
    *,
    customer: Customer,
    external_id: str,
    quantities: Mapping[str, int],
    actor: Actor,
    end_date: datetime.date | None = None,
) -> SubscriptionView:
    from licensing.services.subscriptions import create_subscription

    with in_org(customer):
        subscription = create_subscription(
            external_id=external_id, quantities=quantities, end_date=end_date, actor=actor
        )
        return _view(_subscription(subscription.pk))


_UNCHANGED = object()


def change_subscription(
    *,
    customer: Customer,
    subscription_id: int,
    actor: Actor,
    quantities: Mapping[str, int] | None = None,
    end_date: datetime.date | None | object = _UNCHANGED,
) -> SubscriptionView:
    """Quantities and/or the end date (``None`` clears it), all or nothing."""
    from licensing.services import subscriptions as services

    with in_org(customer), transaction.atomic():
        subscription = _subscription(subscription_id)
        if quantities:
            services.update_quantities(
                subscription=subscription, quantities=quantities, actor=actor
            )
        if end_date is not _UNCHANGED:
            services.change_end_date(
                subscription=subscription,
                end_date=end_date,  # type: ignore[arg-type]
                actor=actor,
            )
        return _view(_subscription(subscription_id))


def change_subscription_status(
    *,
    customer: Customer,
    subscription_id: int,
    action: str,
    actor: Actor,
    confirmation: str = "",
) -> SubscriptionView:
    """Suspend, reactivate or cancel (a cancel that would destroy calling data needs
    the subscription id typed as ``confirmation``, as in the customer view)."""
    from licensing.services import subscriptions as services

    if action not in STATUS_ACTIONS:
        raise UnknownStatusAction(
            f"'{action}' is not a subscription action; use one of {', '.join(STATUS_ACTIONS)}."
        )
    with in_org(customer):
        subscription = _subscription(subscription_id)
        if action == "suspend":
            services.suspend_subscription(subscription=subscription, actor=actor)
        elif action == "reactivate":
            services.reactivate_subscription(subscription=subscription, actor=actor)
        else:
            services.cancel_subscription(
                subscription=subscription, actor=actor, confirmation=confirmation
            )
        return _view(_subscription(subscription_id))


@transaction.atomic
def set_enabled_packages(*, customer: Customer, packages: Sequence[str], actor: Actor) -> Customer:
    """The wholesale packages the org may use (SPEC §4), audited at the partner level."""
    packages = validate_packages(packages)
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    before = list(customer.packages)
    if before == packages:
        return customer
    customer.packages = packages
    customer.save(update_fields=["packages"])
    audit.record(
        actor=actor,
        action=AuditAction.CUSTOMER_PACKAGES_CHANGED,
        target=customer,
        before={"packages": before},
        after={"packages": packages},
    )
    return customer
