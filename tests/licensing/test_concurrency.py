"""Parallel assignments on a line of quantity 1, with real commits (SPEC §5: no line
is ever over-consumed, also under concurrent requests)."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection, connections

from customers.services import SubscriptionSpec, provision_customer
from licensing.errors import LicenseExhausted
from licensing.models import LicenseAssignment, OrgUser, SubscriptionLine
from licensing.services.licenses import assign_license
from partnerhub.models import Account
from tests.licensing.conftest import ACTOR


def _race(org, user_ids: list[int], line_id: int) -> list[str]:
    barrier = threading.Barrier(len(user_ids))
    outcomes: list[str] = []

    def work(user_id: int) -> None:
        try:
            connection.set_tenant(org)
            user = OrgUser.objects.get(pk=user_id)
            line = SubscriptionLine.objects.select_related("subscription").get(pk=line_id)
            barrier.wait(timeout=10)
            assign_license(user=user, line=line, actor=ACTOR)
            outcomes.append("assigned")
        except LicenseExhausted as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _in_own_connection(work):  # type: ignore[no-untyped-def]
    """Run ``work`` in a thread: its own connection, autocommit — real commits even
    though this test's connection sits in the usual rolled-back transaction."""
    result: dict = {}

    def run() -> None:
        try:
            result["value"] = work()
        except BaseException as error:  # noqa: BLE001 — re-raised in the test's thread
            result["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if "error" in result:
        raise result["error"]
    return result.get("value")


@pytest.mark.django_db
def test_two_parallel_assignments_on_last_unit_exactly_one_wins(world):
    slug = f"race-{uuid.uuid4().hex[:8]}"

    def provision():  # type: ignore[no-untyped-def]
        org = provision_customer(
            partner=world.northwind,
            name="Race",
            slug=slug,
            admin_email=f"admin@{slug}.test",
            actor=ACTOR,
            packages=["webex_meetings"],
            subscriptions=[SubscriptionSpec("Sub-1", {"basic_messaging": 1})],
        )
        connection.set_tenant(org)
        users = [OrgUser.objects.create(email=f"u{i}@{slug}.test").pk for i in range(2)]
        return org, users, SubscriptionLine.objects.get().pk

    def count(org, line_id):  # type: ignore[no-untyped-def]
        connection.set_tenant(org)
        return LicenseAssignment.objects.filter(line_id=line_id).count()

    def drop(org):  # type: ignore[no-untyped-def]
        org.delete(force_drop=True)
        Account.objects.filter(email=f"admin@{slug}.test").delete()

    org, user_ids, line_id = _in_own_connection(provision)
    try:
        outcomes = _race(org, user_ids, line_id)

        assert sorted(outcomes) == [
            "No Basic Messaging licenses left on Sub-1: 1 of 1 used.",
            "assigned",
        ]
        assert _in_own_connection(lambda: count(org, line_id)) == 1
    finally:
        _in_own_connection(lambda: drop(org))
