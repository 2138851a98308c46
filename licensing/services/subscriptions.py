"""Subscriptions and their lines (SPEC §5)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from licensing import catalogue
from licensing.errors import UnknownLicenseType
from licensing.models import Subscription, SubscriptionLine
from partnerhub.audit import services as audit
from partnerhub.audit.services import Actor


@transaction.atomic
def create_subscription(
    *, external_id: str, quantities: Mapping[str, int], actor: Actor
) -> Subscription:
    unknown = [code for code in quantities if code not in catalogue.LICENSE_TYPES]
    if unknown:
        raise UnknownLicenseType(
            f"Unknown license type(s) {', '.join(unknown)} on {external_id}. "
            f"Known: {', '.join(catalogue.LICENSE_TYPES)}."
        )
    subscription = Subscription.objects.create(external_id=external_id)
    SubscriptionLine.objects.bulk_create(
        SubscriptionLine(subscription=subscription, license_type=code, quantity=quantity)
        for code, quantity in quantities.items()
    )
    audit.record(
        actor=actor, action="subscription.created", target=subscription, after=dict(quantities)
    )
    return subscription
