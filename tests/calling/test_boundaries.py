"""Every calling endpoint is closed to outsiders (STYLE: the boundary walk)."""

from __future__ import annotations

import pytest

from calling.models import Location, PhoneNumber
from calling.services.profiles import CallingDetails, provision_user_calling
from tests.boundaries import assert_org_urls_closed_to_outsiders
from tests.calling.conftest import ACTOR, make_user
from tests.conftest import in_schema

pytestmark = pytest.mark.django_db


def test_calling_api_is_closed_to_outsiders(org_client, world):
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
            ("GET", "/api/calling/locations/"),
            ("POST", "/api/calling/locations/"),
            ("GET", f"/api/calling/locations/{bergen.pk}/"),
            ("DELETE", f"/api/calling/locations/{bergen.pk}/"),
            ("GET", "/api/calling/numbers/"),
            ("POST", "/api/calling/numbers/"),
            ("GET", f"/api/calling/users/{pat.pk}/"),
            ("PUT", f"/api/calling/users/{pat.pk}/"),
            ("DELETE", f"/api/calling/users/{pat.pk}/"),
            ("DELETE", f"/api/calling/users/{pat.pk}/?confirm=true"),
        ],
    )

    with in_schema(world.acme):
        assert Location.objects.filter(pk=bergen.pk).exists()
        assert pat.calling.extension == "10"
