"""Parallel assignments on a line of quantity 1, with real commits (SPEC §5: no line
is ever over-consumed, also under concurrent requests)."""

from __future__ import annotations

import pytest

from customers.services import SubscriptionSpec
from licensing.errors import LicenseExhausted
from licensing.models import LicenseAssignment, OrgUser, SubscriptionLine
from licensing.services.licenses import assign_license
from tests.committed import ACTOR, in_org, race, throwaway_org


def _users_and_line(slug: str) -> tuple[list[int], int]:
    users = [OrgUser.objects.create(email=f"u{i}@{slug}.test").pk for i in range(2)]
    return users, SubscriptionLine.objects.get().pk


def _assign(user_id: int, line_id: int):  # type: ignore[no-untyped-def]
    def attempt() -> None:
        line = SubscriptionLine.objects.select_related("subscription").get(pk=line_id)
        assign_license(user=OrgUser.objects.get(pk=user_id), line=line, actor=ACTOR)

    return attempt


@pytest.mark.django_db
def test_two_parallel_assignments_on_last_unit_exactly_one_wins(world):
    with throwaway_org(
        world, prefix="race", subscriptions=[SubscriptionSpec("Sub-1", {"webex_meetings": 1})],
        prepare=_users_and_line,
    ) as (org, (user_ids, line_id)):  # fmt: skip
        outcomes = race(org, [_assign(uid, line_id) for uid in user_ids], LicenseExhausted)

        assert sorted(outcomes) == [
            "No Webex Meetings licenses left on Sub-1: 1 of 1 used.",
            "done",
        ]
        assert in_org(org, lambda: LicenseAssignment.objects.filter(line_id=line_id).count()) == 1
