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


def _workspaces(slug: str) -> dict[str, list[str]]:
    """PAIRS workspaces with calling on each of the two subscriptions' lines."""
    from calling.models import Location
    from calling.workspaces.services import create_workspace
    from licensing.models import SubscriptionLine

    oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
    names: dict[str, list[str]] = {}
    for subscription in ("Sub-40", "Sub-41"):
        on = SubscriptionLine.objects.get(subscription__external_id=subscription)
        names[subscription] = [f"{subscription} room {n}" for n in range(PAIRS)]
        for n, name in enumerate(names[subscription]):
            extension = f"{4 if subscription == 'Sub-40' else 5}{n:02d}"
            create_workspace(name=name, location=oslo, actor=ACTOR, line=on, extension=extension)
    return names


def _move_by_csv(name: str, extension: str) -> None:
    """The workspaces CSV moves the workspace's license from Sub-40 to Sub-41."""
    from calling.workspaces.csv.imports import import_workspaces

    header = "Workspace Name (Required),Location,Phone Number,Extension,"
    header += "Workspace Calling [Sub-40],Workspace Calling [Sub-41]"
    content = f"{header}\n{name},Oslo,,{extension},FALSE,TRUE\n".encode()
    result = import_workspaces(content=content, actor=ACTOR, mode="add-remove")
    assert result.applied, result.plan.errors


def test_a_workspaces_csv_moving_licenses_and_page_moves_back_never_deadlock(world):
    with throwaway_org(
        world, prefix="wslocks", prepare=_workspaces,
        subscriptions=[SubscriptionSpec("Sub-40", {"workspace_calling": 50}),
                       SubscriptionSpec("Sub-41", {"workspace_calling": 50})],
    ) as (org, names):  # fmt: skip
        barrier = threading.Barrier(2 * PAIRS)
        failures: list[BaseException] = []

        def work(n: int) -> None:
            from django.db import connection

            from calling.models import Workspace
            from calling.workspaces.services import move_workspace_license
            from licensing.models import SubscriptionLine

            connection.set_tenant(org)
            by_page, index = divmod(n, PAIRS)
            try:
                if by_page:  # Sub-41 -> Sub-40: move_license locks both lines in id order
                    workspace = Workspace.objects.get(name=names["Sub-41"][index])
                    to_line = SubscriptionLine.objects.get(subscription__external_id="Sub-40")
                    barrier.wait(timeout=30)
                    move_workspace_license(workspace=workspace, to_line=to_line, actor=ACTOR)
                else:
                    barrier.wait(timeout=30)
                    _move_by_csv(names["Sub-40"][index], f"4{index:02d}")
            except BaseException as error:  # noqa: BLE001 - every failure is reported
                failures.append(error)

        all_at_once(2 * PAIRS, work)
        differences = in_org(org, units_used_differences)

    assert failures == []
    assert not [d for d in differences if d[0] == org.schema_name]
