"""Reads of the partner level (SPEC §2). Figures come from the public summary
tables, never from tenant schemas, so every page costs a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from customers.models import Customer, CustomerStatus, CustomerUsage
from licensing import catalogue
from partnerhub import permissions
from partnerhub.models import Account
from partnerhub.search import search_term

EXPIRING_WITHIN = dt.timedelta(days=30)

# Status badges as partners know them; the stored status plus two derived ones.
BADGES = {
    "active": "Active",
    "trial": "Trial",
    "expiring_soon": "Expiring soon",
    "license_overage": "License overage",
    "suspended": "Suspended",
    "expired": "Expired",
}
SORTS = {
    "name": "name",
    "-name": "-name",
    "created": "created_at",
    "-created": "-created_at",
    "users": "summary__user_count",
    "-users": "-summary__user_count",
    "status": "status",
    "-status": "-status",
}


def _expiring_q(today: dt.date) -> Q:
    return Q(expires_on__isnull=False, expires_on__lte=today + EXPIRING_WITHIN) & ~Q(
        status__in=[CustomerStatus.SUSPENDED, CustomerStatus.EXPIRED]
    )


def _overage_q() -> Q:
    return Q(usage__used__gt=F("usage__bought"))


def badge_filter(badge: str) -> Q:
    today = timezone.localdate()
    if badge == "expiring_soon":
        return _expiring_q(today)
    if badge == "license_overage":
        return _overage_q()
    return Q(status=badge)


def customer_badges(customer: Customer) -> list[str]:
    """Status badges of one customer (its usage rows must be prefetched)."""
    badges = [customer.status]
    if customer.status not in (CustomerStatus.SUSPENDED, CustomerStatus.EXPIRED):
        if customer.expires_on and customer.expires_on <= timezone.localdate() + EXPIRING_WITHIN:
            badges.append("expiring_soon")
    if any(row.used > row.bought for row in customer.usage.all()):
        badges.append("license_overage")
    return badges


def customer_list(
    account: Account,
    *,
    search: str = "",
    status: str = "",
    package: str = "",
    sort: str = "name",
) -> QuerySet[Customer]:
    """The customers the account sees, searched, filtered and sorted; usage rows and
    the summary come along (two extra queries per page, whatever its size)."""
    customers = permissions.visible_customers(account)
    search = search_term(search)
    if search:
        customers = customers.filter(
            Q(name__icontains=search)
            | Q(admin_email__icontains=search)
            | Q(slug__icontains=search)
            | Q(schema_name=search)
        )
    if status in BADGES:
        customers = customers.filter(badge_filter(status)).distinct()
    if package in catalogue.PACKAGES:
        customers = customers.filter(packages__contains=[package])
    return (
        customers.select_related("summary", "partner")
        .prefetch_related(Prefetch("usage", queryset=CustomerUsage.objects.order_by("service")))
        .order_by(SORTS.get(sort, "name"), "pk")
    )


@dataclass
class PartnerTotals:
    customers: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    users: int = 0
    usage: dict[str, tuple[int, int]] = field(default_factory=dict)


def partner_totals(account: Account) -> PartnerTotals:
    """Totals across the customers the account sees (dashboard)."""
    visible = permissions.visible_customers(account)
    totals = PartnerTotals()
    for row in visible.values("status", "summary__user_count"):
        totals.customers += 1
        totals.by_status[row["status"]] = totals.by_status.get(row["status"], 0) + 1
        totals.users += row["summary__user_count"] or 0
    totals.by_status["expiring_soon"] = visible.filter(_expiring_q(timezone.localdate())).count()
    totals.by_status["license_overage"] = visible.filter(_overage_q()).distinct().count()
    usage: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in CustomerUsage.objects.filter(customer__in=visible).values(
        "service", "used", "bought"
    ):
        usage[row["service"]][0] += row["used"]
        usage[row["service"]][1] += row["bought"]
    totals.usage = {code: (used, bought) for code, (used, bought) in sorted(usage.items())}
    return totals


def service_name(code: str) -> str:
    lt = catalogue.LICENSE_TYPES.get(code)
    return lt.name if lt else code
