"""What tenant apps tell the partner level about an org (SPEC §2).

Tenant code calls these; partner pages read ``CustomerSummary`` / ``CustomerUsage``
and never open a tenant schema. Every function takes the customer explicitly and
writes only public tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from psycopg.errors import UniqueViolation

from customers.errors import EmailInAnotherOrg
from customers.models import (
    Customer,
    CustomerSummary,
    CustomerUsage,
    LineUsageDay,
    UserEmailClaim,
)
from partnerhub.bulk import among, pg_array
from partnerhub.prepared import hot_cursor


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
    usage history — earlier days are kept.

    One statement (a push follows every SCIM POST): its parts — the summary upsert,
    the usage rows upserted and the others deleted, today's line rows likewise — are
    data-modifying CTEs, so it is all or nothing without a transaction of its own."""
    summary = connection.ops.quote_name(CustomerSummary._meta.db_table)
    usage = connection.ops.quote_name(CustomerUsage._meta.db_table)
    codes = sorted(services)
    parts = [
        f"summary AS (INSERT INTO {summary} (customer_id, user_count, updated_at) "  # noqa: S608 - our table
        "VALUES (%s, %s, %s) ON CONFLICT (customer_id) DO UPDATE SET "
        "user_count = EXCLUDED.user_count, updated_at = EXCLUDED.updated_at)",
        f"gone AS (DELETE FROM {usage} WHERE customer_id = %s "  # noqa: S608 - our table
        "AND NOT (service = ANY(%s::varchar[])))",
        f"usage AS (INSERT INTO {usage} (customer_id, service, used, bought) "  # noqa: S608 - our table
        "SELECT %s, * FROM unnest(%s::varchar[], %s::int[], %s::int[]) "
        "ON CONFLICT (customer_id, service) DO UPDATE SET "
        "used = EXCLUDED.used, bought = EXCLUDED.bought)",
    ]  # fmt: skip
    params: list = [
        customer.pk, user_count, timezone.now(), customer.pk, pg_array(codes), customer.pk,
        pg_array(codes), pg_array(services[c][0] for c in codes),
        pg_array(services[c][1] for c in codes),
    ]  # fmt: skip
    if lines is not None:
        day_parts, day_params = _line_day_parts(customer, lines, timezone.localdate())
        parts, params = day_parts + parts, day_params + params
    _run_parts(parts, params)


def _run_parts(parts: list[str], params: list) -> None:
    """The CTEs ``parts`` as one statement (of fixed text: prepared)."""
    with hot_cursor() as cursor:
        cursor.execute("WITH " + ", ".join(parts) + " SELECT 1", params)  # noqa: S608


def _line_day_parts(
    customer: Customer, lines: Sequence[LineFigures], day: dt.date
) -> tuple[list[str], list]:
    """Today's rows of ``lines`` upserted, today's rows of other lines deleted (an
    upsert, not delete + insert: two pushes of one org at once — parallel SCIM
    requests — would otherwise both insert today's row and the second would fail)."""
    table = connection.ops.quote_name(LineUsageDay._meta.db_table)
    subscriptions = [line.subscription for line in lines]
    types = [line.license_type for line in lines]
    parts = [
        f"stale_days AS (DELETE FROM {table} AS d WHERE d.customer_id = %s AND d.day = %s "  # noqa: S608 - our table
        "AND NOT EXISTS (SELECT 1 FROM unnest(%s::varchar[], %s::varchar[]) AS c(s, t) "
        "WHERE c.s = d.subscription AND c.t = d.license_type))",
        f"days AS (INSERT INTO {table} (customer_id, day, subscription, license_type, "  # noqa: S608 - our table
        "subscription_status, subscription_ends, used, quantity) "
        "SELECT %s, %s, * FROM unnest(%s::varchar[], %s::varchar[], %s::varchar[], "
        "%s::date[], %s::int[], %s::int[]) "
        "ON CONFLICT (customer_id, day, subscription, license_type) DO UPDATE SET "
        "subscription_status = EXCLUDED.subscription_status, "
        "subscription_ends = EXCLUDED.subscription_ends, used = EXCLUDED.used, "
        "quantity = EXCLUDED.quantity)",
    ]  # fmt: skip
    params = [
        customer.pk, day, pg_array(subscriptions), pg_array(types),
        customer.pk, day, pg_array(subscriptions), pg_array(types),
        pg_array(line.status for line in lines), pg_array(line.ends for line in lines),
        pg_array(line.used for line in lines), pg_array(line.quantity for line in lines),
    ]  # fmt: skip
    return parts, params


def record_line_day(*, customer: Customer, lines: Sequence[LineFigures], day: dt.date) -> None:
    """Today's figures of every line, replacing today's earlier push (one statement)."""
    _run_parts(*_line_day_parts(customer, lines, day))


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


@dataclass(frozen=True)
class AlsoRead:
    """What a caller reads in the claim's own statement (one round trip fewer: a SCIM
    POST's userName and e-mail checks): a select list of scalar subqueries, its
    parameters, and ``check``, given the values read before the claim's verdict (it
    raises to refuse; the caller's transaction then rolls the claim back)."""

    columns: str
    params: Sequence[Any]
    check: Callable[[tuple], None]


def claim_user_emails(
    *, customer: Customer, emails: Iterable[str], also_read: AlsoRead | None = None
) -> None:
    """Record that these e-mails now belong to users of ``customer``.

    Call inside the transaction that creates the users: an e-mail held by another
    org raises ``EmailInAnotherOrg`` and the caller's whole change rolls back. A
    concurrent claim waits on the unique index, so two orgs never both win. Many
    e-mails are first claimed by one plain INSERT (``PLAIN_CLAIMS_FROM``).
    ``also_read``: the caller's checks, read and run in the claim's statement (never
    the plain INSERT's).
    """
    wanted = {email.lower() for email in emails}
    if not wanted:
        return
    many = len(wanted) >= PLAIN_CLAIMS_FROM and connection.in_atomic_block and not also_read
    if many and _claimed_plainly(customer, wanted):
        return
    # One statement and one array parameter for 20,000 e-mails (an import): model
    # instances through bulk_create cost seconds; COPY cannot skip existing claims.
    table = connection.ops.quote_name(UserEmailClaim._meta.db_table)
    also = f", {also_read.columns}" if also_read else ""
    # Only an e-mail claimed before (by this org or another) can be another org's: the
    # statement returns just those (none for new users), never the 20,000 it claimed.
    with hot_cursor() as cursor:  # fixed text: prepared
        cursor.execute(
            "WITH wanted AS (SELECT unnest(%s::varchar[]) AS email), "  # noqa: S608 - our table
            f"claimed AS (INSERT INTO {table} (email, customer_id) "
            "SELECT email, %s FROM wanted ON CONFLICT DO NOTHING RETURNING email) "
            f"SELECT ARRAY(SELECT email FROM wanted EXCEPT SELECT email FROM claimed){also}",
            [pg_array(sorted(wanted)), customer.pk, *(also_read.params if also_read else ())],
        )
        unclaimed, *read = cursor.fetchone()
    if also_read:
        also_read.check(tuple(read))
    taken = emails_held_elsewhere(customer=customer, emails=unclaimed)
    if taken:
        raise EmailInAnotherOrg(emails=sorted(taken))


# From this many e-mails on (an import, a directory sync), a claim is first one plain
# INSERT: the server's upsert (ON CONFLICT … RETURNING, then the EXCEPT) costs about
# 60% more per e-mail, and such callers checked other orgs' claims moments before.
PLAIN_CLAIMS_FROM = 100


def _claimed_plainly(customer: Customer, wanted: set[str]) -> bool:
    """Claim every e-mail of ``wanted`` with one plain INSERT, in a savepoint: True when
    done; False (nothing claimed, the transaction usable) when one was claimed before,
    by any org — the caller then claims them the careful way."""
    table = connection.ops.quote_name(UserEmailClaim._meta.db_table)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (email, customer_id) "  # noqa: S608 - our table
                "SELECT unnest(%s::varchar[]), %s",
                [pg_array(sorted(wanted)), customer.pk],  # sorted: one lock order for all
            )
    except IntegrityError as error:
        if isinstance(error.__cause__, UniqueViolation):  # the e-mail's unique index
            return False
        raise
    return True


def release_user_emails(*, customer: Customer, emails: Iterable[str]) -> None:
    UserEmailClaim.objects.filter(
        customer=customer, email__in=among({email.lower() for email in emails}, "varchar")
    ).delete()
