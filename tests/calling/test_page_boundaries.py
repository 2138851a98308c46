"""Every calling page and the user calling API of issue #4 are closed to other orgs,
other partners and anonymous callers (STYLE: the boundary walk)."""

from __future__ import annotations

import pytest

from calling.models import CallingProfile, Location, PhoneNumber
from calling.services.profiles import CallingDetails, provision_user_calling
from tests.boundaries import assert_org_urls_closed_to_outsiders
from tests.calling.conftest import ACTOR, make_user
from tests.conftest import in_schema

pytestmark = pytest.mark.django_db


def test_calling_pages_and_user_calling_api_are_closed_to_outsiders(org_client, world):
    with in_schema(world.acme):
        oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
        bergen = Location.objects.create(name="Bergen", country="NO")
        PhoneNumber.objects.create(e164="+4722000001", location=oslo)
        pat = make_user("pat@acme.test")
        provision_user_calling(
            user=pat, details=CallingDetails(location=oslo, extension="10"), actor=ACTOR
        )

    assert_org_urls_closed_to_outsiders(
        org_client,
        world,
        [
            ("GET", "/calling/locations/"),
            ("GET", "/calling/locations/new/"),
            ("POST", "/calling/locations/new/"),
            ("GET", f"/calling/locations/{oslo.pk}/"),
            ("GET", f"/calling/locations/{bergen.pk}/delete/"),
            ("POST", f"/calling/locations/{bergen.pk}/delete/"),
            ("GET", "/calling/numbers/"),
            ("GET", "/calling/numbers/add/"),
            ("POST", "/calling/numbers/add/"),
            ("GET", f"/calling/users/{pat.pk}/"),
            ("POST", f"/calling/users/{pat.pk}/details/"),
            ("POST", f"/calling/users/{pat.pk}/voicemail/"),
            ("POST", f"/calling/users/{pat.pk}/settings/"),
            ("POST", f"/calling/users/{pat.pk}/restore/"),
            ("PUT", f"/api/calling/users/{pat.pk}/details/"),
            ("GET", f"/api/calling/users/{pat.pk}/voicemail/"),
            ("PUT", f"/api/calling/users/{pat.pk}/voicemail/"),
            ("GET", f"/api/calling/users/{pat.pk}/settings/"),
            ("PUT", f"/api/calling/users/{pat.pk}/settings/"),
            ("POST", f"/api/calling/users/{pat.pk}/restore/"),
        ],
    )

    with in_schema(world.acme):
        assert Location.objects.filter(pk=bergen.pk).exists()
        assert CallingProfile.objects.get(user=pat).extension == "10"
