"""Tests that need real commits (races between two admins): a throw-away org made and
dropped on connections of their own, while the test's connection stays in the usual
rolled-back transaction (see tests/conftest.py)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, connections

from customers.models import Customer
from customers.services import SubscriptionSpec, provision_customer
from partnerhub.audit.services import Actor
from partnerhub.models import Account

ACTOR = Actor.system("test")


def in_own_connection(work: Callable[[], Any]) -> Any:
    """Run ``work`` in a thread: its own connection, autocommit."""
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


@contextmanager
def throwaway_org(
    world: Any, *, prefix: str, subscriptions: list[SubscriptionSpec], prepare: Callable[[str], Any]
) -> Iterator[tuple[Customer, Any]]:
    """A committed org of Northwind; ``prepare(slug)`` runs inside it and its result
    is yielded with the org. Dropped afterwards with its admin account."""
    slug = f"{prefix}-{uuid.uuid4().hex[:8]}"

    def provision() -> tuple[Customer, Any]:
        org = provision_customer(
            partner=world.northwind, name=prefix.title(), slug=slug,
            admin_email=f"admin@{slug}.test", actor=ACTOR, packages=["webex_meetings"],
            subscriptions=subscriptions,
        )  # fmt: skip
        connection.set_tenant(org)
        return org, prepare(slug)

    def drop(org: Customer) -> None:
        org.delete(force_drop=True)
        Account.objects.filter(email=f"admin@{slug}.test").delete()

    org, prepared = in_own_connection(provision)
    try:
        yield org, prepared
    finally:
        in_own_connection(lambda: drop(org))


def all_at_once(count: int, work: Callable[[int], None], *, timeout: float = 120) -> None:
    """Run ``work(0)`` … ``work(count - 1)`` each in a thread of its own (its own
    connection, closed afterwards) and wait for all of them; ``work`` meets its
    callers at a ``threading.Barrier`` of its own when the moment matters."""

    def run(n: int) -> None:
        try:
            work(n)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)


def writers_at_once(
    org: Customer, count: int, writer: Callable[[int], Callable[[], None]]
) -> list[BaseException]:
    """Run ``count`` writers in ``org`` at one moment, each on its own connection with
    real commits: ``writer(n)`` reads what the n-th needs and returns its write; the
    writes start together at a barrier. Returns every failure (a deadlock among them);
    one failing before the barrier breaks it, so the others fail at once, not late."""
    barrier = threading.Barrier(count)
    failures: list[BaseException] = []

    def work(n: int) -> None:
        connection.set_tenant(org)
        try:
            write = writer(n)
            barrier.wait(timeout=30)
            write()
        except BaseException as error:  # noqa: BLE001 - every failure is reported
            barrier.abort()
            failures.append(error)

    all_at_once(count, work)
    return failures


def race(org: Customer, attempts: list[Callable[[], None]], refusal: type[Exception]) -> list[str]:
    """Run the attempts at the same moment, each on its own connection in ``org``;
    returns "done" or the refusal's message per attempt."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = []

    def work(n: int) -> None:
        try:
            connection.set_tenant(org)
            barrier.wait(timeout=10)
            attempts[n]()
            outcomes.append("done")
        except refusal as error:
            outcomes.append(error.message)

    all_at_once(len(attempts), work, timeout=30)
    return outcomes


def in_org(org: Customer, read: Callable[[], Any]) -> Any:
    """Read committed state of the org on a connection of its own."""

    def work() -> Any:
        connection.set_tenant(org)
        return read()

    return in_own_connection(work)
