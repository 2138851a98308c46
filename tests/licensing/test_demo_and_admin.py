from __future__ import annotations

import pytest

from licensing.demo import DEMO_USERS, load_demo
from licensing.models import AutoLicenseTemplate, OrgUser
from licensing.services.users import create_user
from tests.licensing.conftest import ACTOR, line

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(acme):
    load_demo(customer=acme, actor=ACTOR)
    load_demo(customer=acme, actor=ACTOR)

    assert OrgUser.objects.count() == DEMO_USERS
    assert AutoLicenseTemplate.objects.count() == 2


def test_tenant_admin_pages_open_for_staff(org_client, world, acme):
    user = create_user(email="pat@acme.test", package_line=line("webex_meetings"), actor=ACTOR)
    client = org_client(world.acme, world.staff)
    for url in (
        "/admin/licensing/orguser/",
        f"/admin/licensing/orguser/{user.pk}/change/",
        "/admin/licensing/subscription/",
        "/admin/licensing/licenseassignment/",
        "/admin/licensing/group/",
        "/admin/licensing/autolicensetemplate/",
    ):
        assert client.get(url).status_code == 200, url
