"""Consuming subscription lines without ever over-consuming them (SPEC §5).

The protocol every writer follows (single user, manual batch, CSV, templates,
directory sync, workspaces): inside one transaction,
1. ``lock_lines`` the lines it will draw from (row locks, in id order: no deadlocks),
2. write its ``LicenseAssignment`` changes,
3. ``ensure_capacity`` on those lines — raises ``LicenseExhausted`` (and so rolls
   the whole change back) when a line would be over-consumed.
Two concurrent writers on one line are serialised by the lock in step 1.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count

from licensing import catalogue
from licensing.errors import LicenseExhausted
from licensing.models import SubscriptionLine


def lock_lines(line_ids: Iterable[int]) -> dict[int, SubscriptionLine]:
    """Row-lock these lines until the end of the transaction and return them."""
    ids = sorted(set(line_ids))
    if not ids:
        return {}
    lines = (
        SubscriptionLine.objects.select_for_update(of=("self",))
        .select_related("subscription")
        .filter(id__in=ids)
        .order_by("id")
    )
    return {line.id: line for line in lines}


def line_usage(line_ids: Iterable[int]) -> dict[int, int]:
    """Units used per line (assignments held by users and workspaces)."""
    ids = set(line_ids)
    usage = dict.fromkeys(ids, 0)
    rows = (
        SubscriptionLine.objects.filter(id__in=ids)
        .annotate(used=Count("assignments"))
        .values_list("id", "used")
    )
    usage.update(dict(rows))
    return usage


def exhausted_message(line: SubscriptionLine, used: int) -> str:
    name = catalogue.license_type(line.license_type).name
    sub = line.subscription.external_id
    if used <= line.quantity:
        return f"No {name} licenses left on {sub}: {used} of {line.quantity} used."
    return (
        f"Not enough {name} licenses on {sub}: this change needs {used} "
        f"but {line.quantity} were bought."
    )


def ensure_capacity(lines: dict[int, SubscriptionLine]) -> None:
    """Raise ``LicenseExhausted`` if any of these (locked) lines is over-consumed."""
    usage = line_usage(lines)
    for line_id, used in usage.items():
        line = lines[line_id]
        if used > line.quantity:
            raise LicenseExhausted(
                exhausted_message(line, used),
                line_id=line_id,
                subscription=line.subscription.external_id,
                license_type=line.license_type,
                used=used,
                quantity=line.quantity,
            )
