"""Every calling API endpoint is closed to outsiders (STYLE: the boundary walk). A new
endpoint under /api/calling/ is covered by adding it to this one list; the pages'
list is tests/calling/test_page_boundaries.py."""

from __future__ import annotations

import pytest

from calling.models import Location, PhoneNumber, Workspace
from calling.services.profiles import CallingDetails, provision_user_calling
from calling.workspaces import services as workspaces
from licensing.services.templates import create_template
from tests.boundaries import assert_org_urls_closed_to_outsiders
from tests.calling.conftest import ACTOR, make_user
from tests.conftest import in_schema
from tests.licensing.conftest import line

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
        lobby = workspaces.create_workspace(name="Lobby", location=oslo, actor=ACTOR)
        template = create_template(name="Calling", lines=[line("webex_calling")], actor=ACTOR)
    users, spaces = f"/api/calling/users/{pat.pk}", f"/api/calling/workspaces/{lobby.pk}"

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
            ("GET", f"{users}/"),
            ("PUT", f"{users}/"),
            ("DELETE", f"{users}/"),
            ("DELETE", f"{users}/?confirm=true"),
            ("PUT", f"{users}/details/"),
            ("GET", f"{users}/voicemail/"),
            ("PUT", f"{users}/voicemail/"),
            ("GET", f"{users}/settings/"),
            ("PUT", f"{users}/settings/"),
            ("POST", f"{users}/restore/"),
            ("POST", "/api/calling/directory-sync/"),
            ("GET", "/api/calling/provisioning-failures/"),
            ("GET", "/api/calling/provisioning-failures.csv"),
            ("GET", f"/api/calling/templates/{template.pk}/apply/"),
            ("POST", f"/api/calling/templates/{template.pk}/apply/"),
            ("GET", "/api/calling/workspaces/"),
            ("POST", "/api/calling/workspaces/"),
            ("GET", "/api/calling/workspaces/csv/"),
            ("POST", "/api/calling/workspaces/csv/"),
            ("GET", f"{spaces}/"),
            ("PATCH", f"{spaces}/"),
            ("DELETE", f"{spaces}/"),
            ("DELETE", f"{spaces}/?confirm=true"),
            ("PUT", f"{spaces}/license/"),
            ("POST", f"{spaces}/restore/"),
        ],
    )

    with in_schema(world.acme):
        assert Location.objects.filter(pk=bergen.pk).exists()
        assert pat.calling.extension == "10"
        assert Workspace.objects.filter(pk=lobby.pk).exists()
