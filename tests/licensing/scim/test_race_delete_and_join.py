"""A user deleted while another request adds it to a group (issue #13, found by the
stop-20 attack): whichever commits first wins, the other gets a SCIM error saying to
send it again — never a 500 — and no membership outlives its user. Real commits, real
HTTP requests through Django's handler, one connection per request (tests/committed.py)."""

from __future__ import annotations

import threading

import pytest
from django.test import Client

from customers.services import SubscriptionSpec
from licensing.models import Group, OrgUser
from licensing.scim.connections import create_connection
from tests.committed import ACTOR, all_at_once, in_org, throwaway_org
from tests.conftest import host_of
from tests.licensing.scim.conftest import Scim, patch_body

PAIRS = 8


def _group_and_people(slug: str) -> tuple[str, int, list[int]]:
    sales = Group.objects.create(name="Sales")
    people = [OrgUser.objects.create(email=f"p{n}@{slug}.test") for n in range(PAIRS)]
    _, token = create_connection(name="Okta", actor=ACTOR)
    return token, sales.pk, [p.pk for p in people]


@pytest.mark.django_db
def test_a_user_deleted_while_joining_a_group_is_a_scim_error_never_a_500(world):
    with throwaway_org(
        world, prefix="scimdeljoin", prepare=_group_and_people,
        subscriptions=[SubscriptionSpec("Sub-1", {"webex_meetings": 10})],
    ) as (org, (token, group_id, people)):  # fmt: skip
        barrier = threading.Barrier(2 * PAIRS)
        outcomes: list[tuple[str, int | str]] = []

        def work(n: int) -> None:
            scim = Scim(Client(HTTP_HOST=host_of(org)), token)
            user_id = people[n // 2]
            barrier.wait(timeout=30)
            try:
                if n % 2:
                    answer = scim.call("DELETE", f"Users/{user_id}")
                    outcomes.append(("delete", answer.status_code))
                else:
                    member = {"op": "add", "path": "members", "value": [{"value": str(user_id)}]}
                    answer = scim.patch(f"Groups/{group_id}", patch_body(member))
                    outcomes.append(("join", answer.status_code))
            except Exception as error:  # noqa: BLE001 - a 500 raised by the test client
                outcomes.append(("raised", repr(error)))

        all_at_once(2 * PAIRS, work)
        left, members = in_org(org, lambda: (
            OrgUser.objects.filter(pk__in=people).count(),
            OrgUser.objects.filter(groups=group_id).count(),
        ))  # fmt: skip

    assert [o for o in outcomes if o[0] == "raised"] == []
    assert {status for kind, status in outcomes if kind == "delete"} <= {204, 409}
    assert {status for kind, status in outcomes if kind == "join"} <= {200, 400, 409}
    assert members <= left
