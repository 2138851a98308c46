"""50 identity-provider requests at once into a group whose template draws from a
10-seat line (issue #13): exactly 10 get the license, 40 are created without it and
listed in the provisioning failure report — no 500, no partial user. Real commits,
real HTTP requests through Django's handler, one connection per request
(tests/committed.py)."""

from __future__ import annotations

import threading

import pytest
from django.test import Client

from calling.models import ProvisioningFailure
from customers.models import CustomerSummary, CustomerUsage
from customers.services import SubscriptionSpec
from licensing.models import Group, LicenseAssignment, OrgUser, SubscriptionLine
from licensing.scim.connections import create_connection
from licensing.services.templates import create_template
from tests.committed import ACTOR, all_at_once, in_org, throwaway_org
from tests.conftest import host_of
from tests.licensing.scim.conftest import Scim, patch_body, user_body

PEOPLE = 50


def _group_with_a_ten_seat_template(slug: str) -> tuple[str, int]:
    sales = Group.objects.create(name="Sales")
    create_template(
        name="Sales",
        group=sales,
        lines=[SubscriptionLine.objects.get(license_type="webex_meetings")],
        actor=ACTOR,
    )
    _, token = create_connection(name="Okta", actor=ACTOR)
    return token, sales.pk


@pytest.mark.django_db
def test_fifty_parallel_posts_into_a_group_with_a_ten_seat_line(world):
    with throwaway_org(
        world, prefix="scimrace", prepare=_group_with_a_ten_seat_template,
        subscriptions=[SubscriptionSpec("Sub-10", {"webex_meetings": 10})],
    ) as (org, (token, group_id)):  # fmt: skip
        barrier = threading.Barrier(PEOPLE)
        statuses: list[tuple[int, int]] = []

        def provision(n: int) -> None:
            scim = Scim(Client(HTTP_HOST=host_of(org)), token)
            barrier.wait(timeout=30)
            created = scim.post("Users", user_body(f"person{n}@example.com"))
            member = {
                "op": "add",
                "path": "members",
                "value": [{"value": created.json()["id"]}],
            }
            joined = scim.patch(f"Groups/{group_id}", patch_body(member))
            statuses.append((created.status_code, joined.status_code))

        all_at_once(PEOPLE, provision)

        # Parallel commits share summary pushes (licensing.services.summary), and the
        # figures the partner sees still count everyone.
        summary = CustomerSummary.objects.get(customer=org).user_count
        used = CustomerUsage.objects.get(customer=org, service="webex_meetings").used
        licensed, users, reasons = in_org(
            org,
            lambda: (
                LicenseAssignment.objects.filter(license_type="webex_meetings").count(),
                OrgUser.objects.count(),
                sorted(set(ProvisioningFailure.objects.values_list("reason", flat=True)))
                + [ProvisioningFailure.objects.count()],
            ),
        )

    assert statuses == [(201, 200)] * PEOPLE
    assert (licensed, users) == (10, PEOPLE)
    assert reasons == ["license_exhausted", PEOPLE - 10]
    assert (summary, used) == (PEOPLE, 10)
