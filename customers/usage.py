"""What tenant apps tell the partner level about an org (SPEC §2).

Tenant code calls these; partner pages read ``CustomerSummary`` / ``CustomerUsage``
and never open a tenant schema. Every function takes the customer explicitly and
writes only public tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from customers.models import (
    Customer,
    CustomerSummary,
    CustomerUsage,
    LineUsageDay,
    UserEmailClaim,
)
from partnerhub.bulk import among
from partnerhub.errors import Conflict


@dataclass(frozen=True)
class LineFigures:
    """One subscription line as the tenant sees it now."""

    subscription: str  # external id
    license_type: str
    used: int
    quantity: int
    status: str = "active"
    ends: dt.date | None = None


def record_usage(
    *,
    customer: Customer,
    user_count: int,
    services: Mapping[str, tuple[int, int]],
    lines: Sequence[LineFigures] | None = None,
) -> None:
    """Replace the customer's figures: ``services`` maps a license type code to
    ``(used, bought)``; ``lines`` (when given) become today's row of each line's
    usage history — earlier days are kept."""
    with transaction.atomic():
        if lines is not None:
            record_line_day(customer=customer, lines=lines, day=timezone.localdate())
        CustomerSummary.objects.bulk_create(
            [CustomerSummary(customer=customer, user_count=user_count, updated_at=timezone.now())],
            update_conflicts=True,
            unique_fields=["customer"],
            update_fields=["user_count", "updated_at"],
        )  # one upsert: no savepoint, no read first
        CustomerUsage.objects.filter(customer=customer).exclude(service__in=services).delete()
        CustomerUsage.objects.bulk_create(
            [
                CustomerUsage(customer=customer, service=code, used=used, bought=bought)
                for code, (used, bought) in services.items()
            ],
            update_conflicts=True,
            unique_fields=["customer", "service"],
            update_fields=["used", "bought"],
        )


def record_line_day(*, customer: Customer, lines: Sequence[LineFigures], day: dt.date) -> None:
    """Today's figures of every line, replacing today's earlier push. An upsert, not
    delete + insert: two pushes of one org at once (parallel SCIM requests) would
    otherwise both insert today's row and the second would fail."""
    current = {(line.subscription, line.license_type) for line in lines}
    stale = [
        pk
        for pk, subscription, license_type in LineUsageDay.objects.filter(
            customer=customer, day=day
        ).values_list("pk", "subscription", "license_type")
        if (subscription, license_type) not in current
    ]
    if stale:
        LineUsageDay.objects.filter(pk__in=stale).delete()
    LineUsageDay.objects.bulk_create(
        [
            LineUsageDay(
                customer=customer, day=day, subscription=line.subscription,
                subscription_status=line.status, subscription_ends=line.ends,
                license_type=line.license_type, used=line.used, quantity=line.quantity,
            )
            for line in lines
        ],
        update_conflicts=True,
        unique_fields=["customer", "day", "subscription", "license_type"],
        update_fields=["subscription_status", "subscription_ends", "used", "quantity"],
    )  # fmt: skip


def emails_held_elsewhere(*, customer: Customer, emails: Iterable[str]) -> set[str]:
    """The e-mails (lower-cased) that already belong to a user of another org."""
    wanted = {email.lower() for email in emails}
    if not wanted:
        return set()
    return set(
        UserEmailClaim.objects.filter(email__in=among(wanted, "varchar"))
        .exclude(customer=customer)
        .values_list("email", flat=True)
    )


def claim_user_emails(*, customer: Customer, emails: Iterable[str]) -> None:
    """Record that these e-mails now belong to users of ``customer``.

    Call inside the transaction that creates the users: an e-mail held by another
    org raises ``EmailInAnotherOrg`` and the caller's whole change rolls back. A
    concurrent claim waits on the unique index, so two orgs never both win.
    """
    wanted = {email.lower() for email in emails}
    if not wanted:
        return
    # One statement and one array parameter for 20,000 e-mails (an import): model
    # instances through bulk_create cost seconds; COPY cannot skip existing claims.
    table = connection.ops.quote_name(UserEmailClaim._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (email, customer_id) "  # noqa: S608 - our table
            "SELECT unnest(%s::varchar[]), %s ON CONFLICT DO NOTHING RETURNING email",
            [sorted(wanted), customer.pk],
        )
        claimed = {email for (email,) in cursor.fetchall()}
    # Only an e-mail claimed before (by this org or another) can be another org's:
    # new users' e-mails, all claimed just now, need no second look-up.
    taken = emails_held_elsewhere(customer=customer, emails=wanted - claimed)
    if taken:
        raise EmailInAnotherOrg(emails=sorted(taken))


def release_user_emails(*, customer: Customer, emails: Iterable[str]) -> None:
    UserEmailClaim.objects.filter(
        customer=customer, email__in=among({email.lower() for email in emails}, "varchar")
    ).delete()


class EmailInAnotherOrg(Conflict):
    code = "email_in_another_org"

    def __init__(self, *, emails: list[str]) -> None:
        shown = ", ".join(emails[:5]) + (f" and {len(emails) - 5} more" if len(emails) > 5 else "")
        super().__init__(
            f"{shown} already belong(s) to a user of another organisation (for example a "
            "trial org). Delete the user there, or that org, before adding it here.",
            emails=emails,
        )
