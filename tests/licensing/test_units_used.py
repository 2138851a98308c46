"""A subscription line's ``units_used`` is kept by the database (licensing migration
0007, a statement-level trigger on license assignments) and always equals a recount
of its assignments. Every test that touches the database checks it on the way out
(``tests/conftest.units_used_equals_a_recount``: pages, API, CSV, SCIM, templates,
deletes, moves); these tests name the writes one by one, the check's own sight, and
parallel SCIM POSTs with real commits."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from customers.services import SubscriptionSpec
from licensing.models import LicenseAssignment, OrgUser, SubscriptionLine
from licensing.scim.connections import create_connection
from licensing.services.licenses import line_usage
from licensing.services.templates import create_template
from tests.committed import ACTOR, all_at_once, in_org, throwaway_org
from tests.conftest import host_of, in_schema, units_used_differences
from tests.licensing.conftest import line
from tests.licensing.scim.conftest import Scim, user_body

pytestmark = pytest.mark.django_db


def _used(line_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT units_used FROM licensing_subscriptionline WHERE id = %s", [line_id])
        return cursor.fetchone()[0]


def _recount(line_id: int) -> int:
    return LicenseAssignment.objects.filter(line_id=line_id).count()


def test_units_used_follows_inserts_copies_moves_and_deletes(acme):
    with in_schema(acme):
        calling, meetings = line("webex_calling"), line("webex_meetings")
        users = OrgUser.objects.bulk_create(
            OrgUser(email=f"u{i}@acme.test", first_name="U", last_name=str(i)) for i in range(3)
        )
        before = {calling.pk: _used(calling.pk), meetings.pk: _used(meetings.pk)}
        LicenseAssignment.objects.bulk_create(
            LicenseAssignment(user=u, line=meetings, license_type="webex_meetings", kind="add_on")
            for u in users
        )
        assert _used(meetings.pk) == before[meetings.pk] + 3 == _recount(meetings.pk)
        LicenseAssignment.objects.filter(user=users[0], line=meetings).update(line=calling)
        assert _used(calling.pk) == before[calling.pk] + 1 == _recount(calling.pk)
        assert _used(meetings.pk) == before[meetings.pk] + 2 == _recount(meetings.pk)
        users[1].delete()  # the assignments go by cascade
        assert _used(meetings.pk) == before[meetings.pk] + 1 == _recount(meetings.pk)
        assert line_usage([meetings.pk]) == {meetings.pk: _recount(meetings.pk)}
        assert not units_used_differences()


def test_the_recount_check_sees_a_counter_that_drifted(acme):
    with in_schema(acme):
        meetings = line("webex_meetings")
        SubscriptionLine.objects.filter(pk=meetings.pk).update(quantity=meetings.quantity + 1)
        assert not units_used_differences()  # a line's own changes leave the counter be
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE licensing_subscriptionline SET units_used = units_used + 1 WHERE id = %s",
                [meetings.pk],
            )
        assert [d[1] for d in units_used_differences()] == [meetings.pk]
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE licensing_subscriptionline SET units_used = units_used - 1 WHERE id = %s",
                [meetings.pk],
            )
        assert not units_used_differences()


def _everyone_meets(slug: str) -> str:
    create_template(name="Everyone", lines=[line("webex_meetings", "Sub-10")], actor=ACTOR)
    return create_connection(name="Okta", actor=ACTOR)[1]


def test_units_used_equals_a_recount_after_parallel_scim_posts(world):
    people = 20
    with throwaway_org(
        world, prefix="units", prepare=_everyone_meets,
        subscriptions=[SubscriptionSpec("Sub-10", {"webex_meetings": 10})],
    ) as (org, token):  # fmt: skip
        barrier = threading.Barrier(people)
        statuses: list[int] = []

        def post(n: int) -> None:
            scim = Scim(Client(HTTP_HOST=host_of(org)), token)
            barrier.wait(timeout=30)
            statuses.append(scim.post("Users", user_body(f"p{n}@example.com")).status_code)

        all_at_once(people, post)
        used, differences = in_org(
            org, lambda: (_used(line("webex_meetings", "Sub-10").pk), units_used_differences())
        )

    assert statuses == [201] * people
    assert used == 10
    assert not [d for d in differences if d[0] == org.schema_name]
