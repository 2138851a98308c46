"""Identity providers retry: the same new user POSTed by several requests at once is
created once; every other request gets 409 ``uniqueness`` — never a 500 from the
unique index the losers run into (real commits, tests/committed.py)."""

from __future__ import annotations

import threading

import pytest
from django.test import Client

from customers.services import SubscriptionSpec
from licensing.models import OrgUser
from licensing.scim.connections import create_connection
from tests.committed import ACTOR, all_at_once, in_org, throwaway_org
from tests.conftest import host_of
from tests.licensing.scim.conftest import Scim, user_body

REQUESTS = 8


def _token(slug: str) -> str:
    return create_connection(name="Okta", actor=ACTOR)[1]


@pytest.mark.django_db
@pytest.mark.parametrize("same", ["e-mail", "userName"])
def test_the_same_user_posted_by_parallel_requests_is_created_once_the_rest_get_409(world, same):
    with throwaway_org(
        world, prefix="scimdup", prepare=_token,
        subscriptions=[SubscriptionSpec("Sub-10", {"webex_meetings": 10})],
    ) as (org, token):  # fmt: skip
        barrier = threading.Barrier(REQUESTS)
        statuses: list[int] = []

        def post(n: int) -> None:
            scim = Scim(Client(HTTP_HOST=host_of(org), raise_request_exception=False), token)
            body = user_body("kim@example.com" if same == "e-mail" else f"k{n}@example.com")
            if same == "userName":
                body["userName"] = "kim.berg"
            barrier.wait(timeout=30)
            statuses.append(scim.post("Users", body).status_code)

        all_at_once(REQUESTS, post)

        assert sorted(statuses) == [201] + [409] * (REQUESTS - 1)
        assert in_org(org, lambda: OrgUser.objects.count()) == 1
