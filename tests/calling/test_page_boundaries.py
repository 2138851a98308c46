"""Every calling page is closed to other orgs, other partners and anonymous callers
(STYLE: the boundary walk). A new page under /calling/ is covered by adding it to
this one list; the API's list is tests/calling/test_boundaries.py."""

from __future__ import annotations

import pytest

from calling.models import CallingProfile, Location, PhoneNumber, Workspace
from calling.services.profiles import CallingDetails, provision_user_calling
from calling.workspaces import services as workspaces
from licensing.services.templates import create_template
from tests.boundaries import assert_org_urls_closed_to_outsiders
from tests.calling.conftest import ACTOR, make_user
from tests.conftest import in_schema
from tests.licensing.conftest import line

pytestmark = pytest.mark.django_db


def test_calling_pages_are_closed_to_outsiders(org_client, world):
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
    users, spaces = f"/calling/users/{pat.pk}", f"/calling/workspaces/{lobby.pk}"

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
            ("GET", f"{users}/"),
            ("POST", f"{users}/details/"),
            ("POST", f"{users}/voicemail/"),
            ("POST", f"{users}/settings/"),
            ("POST", f"{users}/restore/"),
            ("GET", "/calling/directory-sync/"),
            ("POST", "/calling/directory-sync/"),
            ("GET", "/calling/provisioning-failures/"),
            ("GET", "/calling/provisioning-failures.csv"),
            ("GET", f"/calling/templates/{template.pk}/apply/"),
            ("POST", f"/calling/templates/{template.pk}/apply/"),
            ("GET", "/calling/workspaces/"),
            ("GET", "/calling/workspaces/new/"),
            ("POST", "/calling/workspaces/new/"),
            ("GET", "/calling/workspaces/csv/"),
            ("POST", "/calling/workspaces/csv/"),
            ("GET", "/calling/workspaces/csv/export/"),
            ("GET", f"{spaces}/"),
            ("POST", f"{spaces}/"),
            ("GET", f"{spaces}/licenses/"),
            ("POST", f"{spaces}/licenses/"),
            ("POST", f"{spaces}/restore/"),
            ("GET", f"{spaces}/delete/"),
            ("POST", f"{spaces}/delete/"),
        ],
    )

    with in_schema(world.acme):
        assert Location.objects.filter(pk=bergen.pk).exists()
        assert CallingProfile.objects.get(user=pat).extension == "10"
        assert Workspace.objects.filter(pk=lobby.pk).exists()
