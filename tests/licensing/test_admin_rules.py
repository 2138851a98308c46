"""Support staff's Django admin follows the same rules as the pages and the API."""

from __future__ import annotations

import pytest

from calling.models import Location
from calling.services.profiles import CallingDetails
from licensing.models import OrgUser, Subscription
from licensing.services.users import create_user
from partnerhub.audit.models import AuditEntry
from tests.licensing.conftest import ACTOR, line

pytestmark = pytest.mark.django_db


def change_form(user: OrgUser, **changes: str) -> dict[str, str]:
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": user.display_name,
        "status": user.status,
        "jabber_calling": "",
        "jabber_with_teams": "",
        "preferred_site": user.preferred_site,
        "work_phone": user.work_phone,
        "licenses-TOTAL_FORMS": "0",
        "licenses-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_a_user_edited_in_the_admin_goes_through_the_service_and_is_audited(
    org_client, world, acme
):
    user = create_user(email="pat@acme.test", package_line=line("webex_meetings"), actor=ACTOR)
    client = org_client(world.acme, world.staff)

    response = client.post(
        f"/admin/licensing/orguser/{user.pk}/change/", change_form(user, first_name="Patricia")
    )

    assert response.status_code == 302
    assert OrgUser.objects.get(pk=user.pk).first_name == "Patricia"
    assert AuditEntry.objects.filter(action="user.updated", target_id=str(user.pk)).exists()


def test_a_calling_user_cannot_get_a_name_calling_refuses_in_the_admin(org_client, world, acme):
    oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
    user = create_user(
        email="pat@acme.test",
        first_name="Pat",
        package_line=line("webex_calling"),
        calling=CallingDetails(location=oslo, extension="1234"),
        actor=ACTOR,
    )
    client = org_client(world.acme, world.staff)

    response = client.post(
        f"/admin/licensing/orguser/{user.pk}/change/", change_form(user, first_name="Pat <admin>")
    )

    assert response.status_code == 200
    assert "a calling user&#x27;s name has at most 30 characters" in response.content.decode()
    assert OrgUser.objects.get(pk=user.pk).first_name == "Pat"


def test_subscriptions_templates_and_new_users_cannot_be_changed_in_the_admin(
    org_client, world, acme
):
    client = org_client(world.acme, world.staff)
    subscription = Subscription.objects.get(external_id="Sub-100234")

    assert client.get("/admin/licensing/orguser/add/").status_code == 403
    assert (
        client.post(
            f"/admin/licensing/subscription/{subscription.pk}/change/", {"status": "cancelled"}
        ).status_code
        == 403
    )
    assert Subscription.objects.get(pk=subscription.pk).status == "active"
    assert client.get("/admin/licensing/autolicensetemplate/add/").status_code == 403


def test_a_display_name_with_a_line_break_is_edited_in_the_admin_in_a_field_that_keeps_it(
    org_client, world, acme
):
    # An <input type=text> drops the line break from its value on every save.
    user = create_user(email="pat@acme.test", actor=ACTOR)
    OrgUser.objects.filter(pk=user.pk).update(display_name="Pat Lee\nSales, Oslo")

    page = org_client(world.acme, world.staff).get(f"/admin/licensing/orguser/{user.pk}/change/")

    assert 'name="display_name"' in page.content.decode()
    assert "Pat Lee\nSales, Oslo</textarea>" in page.content.decode()
