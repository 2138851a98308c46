"""A user's voicemail and call settings through the page and the API with real
commits (no test transaction around the request): the services lock inside their
own transaction, the reads do not lock."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from calling.models import CallingProfile, Location
from customers.services import SubscriptionSpec
from licensing.models import OrgUser
from partnerhub.models import Account
from tests.committed import in_org, in_own_connection, throwaway_org
from tests.conftest import host_of

JSON = "application/json"


def _user_with_calling(slug: str) -> int:
    location = Location.objects.create(name="Oslo", country="NO", is_default=True)
    user = OrgUser.objects.create(email=f"pat@{slug}.test")
    CallingProfile.objects.create(user=user, location=location, extension="1234")
    return user.pk


@pytest.mark.django_db
def test_voicemail_and_call_settings_work_outside_a_test_transaction(world):
    with throwaway_org(
        world, prefix="vmcommit", subscriptions=[SubscriptionSpec("Sub-1", {"webex_calling": 1})],
        prepare=_user_with_calling,
    ) as (org, user_id):  # fmt: skip

        def as_admin() -> list[int]:
            connection.set_tenant(org)
            client = Client(HTTP_HOST=host_of(org), raise_request_exception=False)
            client.force_login(Account.objects.get(email=f"admin@{org.slug}.test"))
            api = f"/api/calling/users/{user_id}"
            return [
                client.get(f"{api}/voicemail/").status_code,
                client.get(f"{api}/settings/").status_code,
                client.put(f"{api}/voicemail/", {"enabled": True, "pin": "4711"}, JSON).status_code,
                client.put(
                    f"{api}/settings/", {"caller_id": "hidden", "do_not_disturb": True}, JSON
                ).status_code,
                client.post(f"/calling/users/{user_id}/voicemail/", {"enabled": ""}).status_code,
                client.post(
                    f"/calling/users/{user_id}/settings/",
                    {"forwarding": "off", "caller_id": "hidden"},
                ).status_code,
            ]

        assert in_own_connection(as_admin) == [200, 200, 200, 200, 302, 302]
        saved = in_org(
            org,
            lambda: CallingProfile.objects.values_list("voicemail_enabled", "settings").get(),
        )
        assert saved[0] is False
        assert saved[1]["caller_id"] == "hidden"
