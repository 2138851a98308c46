"""More writers that give licenses back while drawing others (``line_order``): they
lock every line involved first, in id order, so two of them run together with real
commits never wait for each other in a circle (PostgreSQL's deadlock detection would
fail one of them)."""

from __future__ import annotations

import threading

import pytest

from contactcenter.services.manual import set_contact_center
from customers.services import SubscriptionSpec
from licensing import catalogue
from licensing.models import OrgUser
from licensing.services.bulk_users import NewUser, create_users
from tests.committed import ACTOR, all_at_once, in_org, throwaway_org
from tests.conftest import units_used_differences

pytestmark = pytest.mark.django_db

PAIRS = 6  # of each direction, all at once


def _agents(slug: str) -> dict[str, list[int]]:
    """PAIRS Standard agents and PAIRS Premium agents."""
    agents: dict[str, list[int]] = {}
    for license_type in (catalogue.CC_STANDARD, catalogue.CC_PREMIUM):
        emails = [f"{license_type}{n}@{slug}.test" for n in range(PAIRS)]
        ids = create_users(users=[NewUser(email=e) for e in emails], actor=ACTOR, templates={})
        for user in OrgUser.objects.filter(pk__in=ids):
            set_contact_center(user=user, license_type=license_type, actor=ACTOR)
        agents[license_type] = ids
    return agents


def test_standard_and_premium_agent_changes_in_opposite_directions_never_deadlock(world):
    with throwaway_org(
        world, prefix="agentlocks", prepare=_agents,
        subscriptions=[SubscriptionSpec("Sub-30", {"cc_standard": 50, "cc_premium": 50})],
    ) as (org, agents):  # fmt: skip
        barrier = threading.Barrier(2 * PAIRS)
        failures: list[BaseException] = []

        def work(n: int) -> None:
            from django.db import connection

            connection.set_tenant(org)
            upgrade, index = divmod(n, PAIRS)
            held, wanted = (
                (catalogue.CC_STANDARD, catalogue.CC_PREMIUM)
                if upgrade
                else (catalogue.CC_PREMIUM, catalogue.CC_STANDARD)
            )
            try:
                user = OrgUser.objects.get(pk=agents[held][index])
                barrier.wait(timeout=30)
                set_contact_center(user=user, license_type=wanted, actor=ACTOR)
            except BaseException as error:  # noqa: BLE001 - every failure is reported
                failures.append(error)

        all_at_once(2 * PAIRS, work)
        differences = in_org(org, units_used_differences)

    assert failures == []
    assert not [d for d in differences if d[0] == org.schema_name]
