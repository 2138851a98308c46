"""Keeping the partner's view of this org current (SPEC §2: "the customer-list
summary follows every change").

Every licensing write calls ``schedule_usage_summary()`` inside its transaction. The
recomputation runs once, after commit, however many writes the transaction made;
a rolled-back transaction pushes nothing. Parallel commits of one org in one process
share a push (``_coalesced_push``): each request still returns with its own change in
the figures.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from licensing.models import (
    OrgUser,
    Subscription,
    SubscriptionLine,
    SubscriptionStatus,
)
from partnerhub.prepared import hot_cursor
from partnerhub.tenancy import in_org


def org_figures() -> tuple[int, dict[str, tuple[int, int]]]:
    """This org's user count and ``{license type: (used, bought)}`` over its active
    subscriptions."""
    rows = (
        SubscriptionLine.objects.filter(subscription__status=SubscriptionStatus.ACTIVE)
        .values("license_type")
        .annotate(bought=Sum("quantity", distinct=False))
        .order_by()
    )
    bought = {row["license_type"]: row["bought"] for row in rows}
    used_rows = (
        SubscriptionLine.objects.filter(subscription__status=SubscriptionStatus.ACTIVE)
        .values("license_type")
        .annotate(used=Count("assignments", filter=Q(assignments__isnull=False)))
        .order_by()
    )
    used = {row["license_type"]: row["used"] for row in used_rows}
    services = {code: (used.get(code, 0), quantity) for code, quantity in bought.items()}
    return OrgUser.objects.count(), services


def line_figures() -> list:
    """Every subscription line of this org (any status) with its licenses used."""
    from customers.usage import LineFigures

    lines = (
        SubscriptionLine.objects.select_related("subscription")
        .annotate(used=Count("assignments"))
        .order_by("subscription__external_id", "license_type")
    )
    return [
        LineFigures(
            subscription=line.subscription.external_id, license_type=line.license_type,
            used=line.used, quantity=line.quantity, status=line.subscription.status,
            ends=line.subscription.end_date,
        )
        for line in lines
    ]  # fmt: skip


def services_of(lines: Sequence[Any]) -> dict[str, tuple[int, int]]:
    """``{license type: (used, bought)}`` over the lines (``line_figures``) of active
    subscriptions — what ``org_figures`` reads, from lines already read."""
    services: dict[str, tuple[int, int]] = {}
    for line in lines:
        if line.status == SubscriptionStatus.ACTIVE:
            used, bought = services.get(line.license_type, (0, 0))
            services[line.license_type] = (used + line.used, bought + line.quantity)
    return services


def push_usage_summary(customer) -> None:  # type: ignore[no-untyped-def]
    """Recompute and record the figures of ``customer`` (runs in its schema),
    including today's row of each line's usage history: one read (``current_figures``),
    then ``record_usage`` (one statement)."""
    from customers.usage import record_usage

    with in_org(customer):
        user_count, lines = current_figures()
        record_usage(
            customer=customer, user_count=user_count, services=services_of(lines), lines=lines
        )


def current_figures() -> tuple[int, list]:
    """This org's user count and ``line_figures()``, in one statement of fixed text
    (the push after every SCIM POST: no ORM query to compile). Each line's units are
    its ``units_used`` (kept by the database: ``licenses.line_usage``)."""
    from customers.usage import LineFigures

    line = connection.ops.quote_name(SubscriptionLine._meta.db_table)
    subscription = connection.ops.quote_name(Subscription._meta.db_table)
    user = connection.ops.quote_name(OrgUser._meta.db_table)
    with hot_cursor() as cursor:
        cursor.execute(
            f"SELECT u.n, s.external_id, l.license_type, "  # noqa: S608 - our tables
            "l.units_used, "
            f"l.quantity, s.status, s.end_date "
            f"FROM (SELECT count(*) AS n FROM {user}) AS u "
            f"LEFT JOIN ({line} AS l JOIN {subscription} AS s ON s.id = l.subscription_id) "
            f"ON true ORDER BY s.external_id, l.license_type"
        )
        rows = cursor.fetchall()
    lines = [
        LineFigures(
            subscription=external_id, license_type=license_type, used=used,
            quantity=quantity, status=status, ends=ends,
        )
        for _n, external_id, license_type, used, quantity, status, ends in rows
        if external_id is not None
    ]  # fmt: skip
    return rows[0][0], lines


def _already_scheduled(schema_name: str) -> bool:
    return any(
        getattr(callback, "usage_summary_of", None) == schema_name
        for _savepoints, callback, _robust in connection.run_on_commit
    )


def schedule_usage_summary() -> None:
    """Push this org's figures to the public summary once the transaction commits
    (once per transaction, however often it is called)."""
    customer = connection.tenant
    if customer is None or connection.schema_name == "public":
        return
    if connection.in_atomic_block and _already_scheduled(customer.schema_name):
        return

    def push() -> None:
        _coalesced_push(customer)

    push.usage_summary_of = customer.schema_name  # type: ignore[attr-defined]
    transaction.on_commit(push)


class _Pushes:
    """Per org, in this process: commits seen (tickets) and the newest ticket a
    finished push started after. Guarded by ``condition``."""

    condition = threading.Condition()
    requested: dict[str, int] = {}
    covered: dict[str, int] = {}
    running: set[str] = set()


def _coalesced_push(customer) -> None:  # type: ignore[no-untyped-def]
    """Push after a commit, coalesced with the other threads of this process: while a
    push of the org runs, the threads whose commits it may have missed wait; when it
    ends, one of them pushes once for all of them, and the others return as soon as a
    push that started after their commit has finished. So every request still returns
    with its own change in the figures (as without coalescing, and exactly so with one
    thread), but parallel requests of one org (an identity provider's 4 connections)
    recompute the figures about once per round instead of once each."""
    schema, pushes = customer.schema_name, _Pushes
    with pushes.condition:
        ticket = pushes.requested[schema] = pushes.requested.get(schema, 0) + 1
        while schema in pushes.running:
            pushes.condition.wait()
        if pushes.covered.get(schema, 0) >= ticket:
            return  # a push that started after this commit has finished
        pushes.running.add(schema)
        started = pushes.requested[schema]
    pushed = False
    try:
        push_usage_summary(customer)
        pushed = True
    finally:
        with pushes.condition:
            pushes.running.discard(schema)
            if pushed:
                pushes.covered[schema] = max(pushes.covered.get(schema, 0), started)
            pushes.condition.notify_all()
