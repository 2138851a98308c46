"""Reads of the partner level (SPEC §2). Figures come from the public summary
tables, never from tenant schemas, so every page costs a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from customers.models import Customer, CustomerStatus, CustomerUsage, LineUsageDay
from licensing import catalogue
from partnerhub import permissions
from partnerhub.models import Account
from partnerhub.search import search_term

EXPIRING_WITHIN = dt.timedelta(days=30)
TRIAL_ENDING_WITHIN = dt.timedelta(days=14)
# A line this full (per cent) shows in the warning colour on the customer list.
NEARLY_FULL_PERCENT = 90

# Status badges as partners know them; the stored status plus two derived ones.
BADGES = {
    "active": "Active",
    "trial": "Trial",
    "trial_ending": "Trial ending",
    "expiring_soon": "Expiring soon",
    "license_overage": "License overage",
    "suspended": "Suspended",
    "expired": "Expired",
}
# Sort keys of the list (page, API, CSV): column → expression. Orgs without the
# figure (no summary yet, no licenses bought, no end date) come last either way.
FLAG_LABELS = {
    "trial_ending": "Trial ending",
    "expiring_soon": "Expiring soon",
    "license_overage": "License overage",
}
SORT_COLUMNS = {
    "name": F("name"),
    "status": F("status"),
    "users": F("summary__user_count"),
    "utilisation": F("utilisation"),
    "flags": F("flag_count"),
    "created": F("created_at"),
}
SORTS = [key for column in SORT_COLUMNS for key in (column, f"-{column}")]


def _expiring_q(today: dt.date) -> Q:
    return Q(expires_on__isnull=False, expires_on__lte=today + EXPIRING_WITHIN) & ~Q(
        status__in=[CustomerStatus.SUSPENDED, CustomerStatus.EXPIRED]
    )


def _overage_q() -> Q:
    """A line used beyond what was bought: an EXISTS over the usage rows, so the list
    needs no join and no DISTINCT (bench/customer_list.py)."""
    return Q(Exists(CustomerUsage.objects.filter(customer=OuterRef("pk"), used__gt=F("bought"))))


def _trial_ending_q(today: dt.date) -> Q:
    return Q(
        status=CustomerStatus.TRIAL,
        expires_on__isnull=False,
        expires_on__lte=today + TRIAL_ENDING_WITHIN,
    )


def badge_filter(badge: str) -> Q:
    today = timezone.localdate()
    if badge == "trial_ending":
        return _trial_ending_q(today)
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


def _ordering(sort: str) -> list:
    column = sort.removeprefix("-")
    expression = SORT_COLUMNS.get(column, F("name"))
    if sort.startswith("-"):
        return [expression.desc(nulls_last=True), F("pk").desc()]
    return [expression.asc(nulls_last=True), F("pk").asc()]


def _utilisation() -> Subquery:
    """Per cent used of the customer's fullest line (licenses bought > 0)."""
    fullest = (
        CustomerUsage.objects.filter(customer=OuterRef("pk"), bought__gt=0)
        .annotate(
            percent=ExpressionWrapper(F("used") * 100.0 / F("bought"), output_field=FloatField())
        )
        .order_by("-percent")
        .values("percent")[:1]
    )
    return Subquery(fullest, output_field=FloatField())


def _flag_count(today: dt.date) -> ExpressionWrapper:
    """How many flags a row carries (lines over, ending soon), to sort by them."""
    over = Count("usage", filter=Q(usage__used__gt=F("usage__bought")), distinct=True)
    ending = Case(When(_expiring_q(today), then=Value(1)), default=Value(0))
    return ExpressionWrapper(over + ending, output_field=IntegerField())


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
        customers = customers.filter(badge_filter(status))
    if package in catalogue.PACKAGES:
        customers = customers.filter(packages__contains=[package])
    customers = customers.annotate(utilisation=_utilisation())
    if sort.removeprefix("-") == "flags":
        customers = customers.annotate(flag_count=_flag_count(timezone.localdate()))
    return (
        customers.select_related("summary", "partner")
        .prefetch_related(Prefetch("usage", queryset=CustomerUsage.objects.order_by("service")))
        .order_by(*_ordering(sort))
    )


@dataclass(frozen=True)
class Utilisation:
    """The fullest line of a customer: one figure for the list (issue #11)."""

    service: str  # license type code
    used: int
    bought: int

    @property
    def percent(self) -> int:
        return round(100 * self.used / self.bought) if self.bought else 0

    @property
    def tone(self) -> str:
        if self.used > self.bought:
            return "over"
        return "full" if self.percent >= NEARLY_FULL_PERCENT else "ok"


def fullest_line(customer: Customer) -> Utilisation | None:
    """From the prefetched usage rows: the line with the highest share used (an
    over-consumed line without any bought counts as fullest)."""
    rows = [u for u in customer.usage.all() if u.bought or u.used]
    if not rows:
        return None
    row = max(rows, key=lambda u: u.used / u.bought if u.bought else float("inf"))
    return Utilisation(service=row.service, used=row.used, bought=row.bought)


def customer_flags(customer: Customer, today: dt.date | None = None) -> list[str]:
    """Flags of a row besides its status: trial ending (14 days), ending (30 days),
    license overage."""
    today = today or timezone.localdate()
    flags = []
    live = customer.status not in (CustomerStatus.SUSPENDED, CustomerStatus.EXPIRED)
    if live and customer.expires_on:
        if (
            customer.status == CustomerStatus.TRIAL
            and customer.expires_on <= today + TRIAL_ENDING_WITHIN
        ):
            flags.append("trial_ending")
        elif customer.expires_on <= today + EXPIRING_WITHIN:
            flags.append("expiring_soon")
    if any(row.used > row.bought for row in customer.usage.all()):
        flags.append("license_overage")
    return flags


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
    totals.by_status["trial_ending"] = visible.filter(_trial_ending_q(timezone.localdate())).count()
    totals.by_status["expiring_soon"] = visible.filter(_expiring_q(timezone.localdate())).count()
    totals.by_status["license_overage"] = visible.filter(_overage_q()).count()
    usage: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in CustomerUsage.objects.filter(customer__in=visible).values(
        "service", "used", "bought"
    ):
        usage[row["service"]][0] += row["used"]
        usage[row["service"]][1] += row["bought"]
    totals.usage = {code: (used, bought) for code, (used, bought) in sorted(usage.items())}
    return totals


def services_in_use(customers: QuerySet[Customer]) -> list[str]:
    """License type codes any of these customers has, in catalogue order."""
    codes = set(
        CustomerUsage.objects.filter(customer__in=customers.order_by().values("pk"))
        .values_list("service", flat=True)
        .distinct()
    )
    order = list(catalogue.LICENSE_TYPES)
    return sorted(
        codes, key=lambda code: (order.index(code) if code in order else len(order), code)
    )


def service_name(code: str) -> str:
    lt = catalogue.LICENSE_TYPES.get(code)
    return lt.name if lt else code


# --- one customer (partner-side customer page) -------------------------------------

HISTORY_DAYS = 90


def current_lines(customer: Customer) -> list[LineUsageDay]:
    """The customer's subscription lines as last pushed (the latest day's rows)."""
    latest = LineUsageDay.objects.filter(customer=customer).order_by("-day").values("day")[:1]
    return list(
        LineUsageDay.objects.filter(customer=customer, day=Subquery(latest)).order_by(
            "subscription", "license_type"
        )
    )


@dataclass
class LineHistory:
    """Daily figures of one line, filled forward over days without a change."""

    subscription: str
    license_type: str
    days: list[dt.date]
    used: list[int]
    quantity: list[int]

    @property
    def label(self) -> str:
        return f"{service_name(self.license_type)} · {self.subscription}"


def line_history(
    customer: Customer, *, days: int = HISTORY_DAYS, today: dt.date | None = None
) -> list[LineHistory]:
    """Usage per line over the last ``days`` days (one query, public schema only)."""
    today = today or timezone.localdate()
    start = today - dt.timedelta(days=days - 1)
    last_before = (
        LineUsageDay.objects.filter(customer=customer, day__lt=start)
        .order_by("-day")
        .values("day")[:1]
    )
    rows = LineUsageDay.objects.filter(
        Q(day__gte=start) | Q(day=Subquery(last_before)), customer=customer
    ).order_by("day")
    by_line: dict[tuple[str, str], dict[dt.date, LineUsageDay]] = defaultdict(dict)
    for row in rows:
        by_line[(row.subscription, row.license_type)][max(row.day, start)] = row
    calendar = [start + dt.timedelta(days=n) for n in range(days)]
    histories = []
    for (subscription, license_type), known in sorted(by_line.items()):
        used, quantity, last = [], [], None
        for day in calendar:
            last = known.get(day, last)
            used.append(last.used if last else 0)
            quantity.append(last.quantity if last else 0)
        histories.append(LineHistory(subscription, license_type, calendar, used, quantity))
    return histories


def customer_audit(customer: Customer, *, limit: int = 10) -> QuerySet:
    """Recent partner-level audit entries about this customer (public schema)."""
    from partnerhub.audit.models import AuditEntry

    return AuditEntry.objects.filter(
        customer_schema="public", target_type="customers.Customer", target_id=str(customer.pk)
    )[:limit]


def customer_admins(customer: Customer) -> QuerySet:
    return customer.memberships.select_related("account").order_by("account__email")
