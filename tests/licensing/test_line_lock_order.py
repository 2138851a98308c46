"""Writers that give back licenses of several lines (a license released, a package
dropped, users deleted with their assignments by cascade) lock every line they will
touch first, in id order (``licenses.lock_lines_of``), as the writers that draw from
lines do (``lock_lines``). The ``units_used`` trigger (licensing migration 0007) then
only updates lines its transaction already holds, so no two writers wait for each
other in a circle: run together with real commits, none of them fails on a deadlock."""

from __future__ import annotations

import pytest
from django.db import transaction

from customers.services import SubscriptionSpec
from licensing import catalogue
from licensing.models import OrgUser
from licensing.services.bulk_users import NewUser, create_users
from licensing.services.licenses import release_license
from licensing.services.packages import change_package
from licensing.services.templates import create_template
from licensing.services.users import delete_users
from tests.committed import ACTOR, in_org, throwaway_org, writers_at_once
from tests.conftest import units_used_differences
from tests.licensing.conftest import line

pytestmark = pytest.mark.django_db

PAIRS = 6  # of each kind of writer, all at once


def _new_users(emails: list[str]) -> list[int]:
    """Users the org template licenses from both lines (a lock of both, in id order)."""
    with transaction.atomic():
        return create_users(users=[NewUser(email=e) for e in emails], actor=ACTOR, templates={})


def _template_and_holders(slug: str) -> list[int]:
    lines = [line("webex_meetings", "Sub-20"), line(catalogue.CC_STANDARD, "Sub-20")]
    create_template(name="Everyone", lines=lines, actor=ACTOR)
    return _new_users([f"holder{n}@{slug}.test" for n in range(2 * PAIRS)])


def _release_both_highest_line_first(user_id: int) -> None:
    """As a group's template with *keep licenses* off takes its licenses back: one
    transaction releasing the licenses of two lines, the later line's first."""
    user = OrgUser.objects.get(pk=user_id)
    with transaction.atomic():
        release_license(license_type=catalogue.CC_STANDARD, user=user, actor=ACTOR)
        change_package(user=user, line=None, actor=ACTOR)


def test_writers_giving_back_licenses_of_several_lines_never_deadlock(world):
    with throwaway_org(
        world, prefix="locks", prepare=_template_and_holders,
        subscriptions=[SubscriptionSpec("Sub-20", {"webex_meetings": 100, "cc_standard": 100})],
    ) as (org, holders):  # fmt: skip

        def writer(n: int):  # type: ignore[no-untyped-def]
            kind, index = divmod(n, PAIRS)
            if kind == 0:  # draws from both lines: locks them in id order
                return lambda: _new_users([f"new{index}@{org.slug}.test"])
            if kind == 1:
                return lambda: _release_both_highest_line_first(holders[index])
            # the cascade deletes its assignments of both lines
            return lambda: delete_users(
                users=[OrgUser.objects.get(pk=holders[PAIRS + index])], actor=ACTOR
            )

        failures = writers_at_once(org, 3 * PAIRS, writer)
        differences = in_org(org, units_used_differences)

    assert failures == []
    assert not [d for d in differences if d[0] == org.schema_name]
