from __future__ import annotations

import pytest

from contactcenter.models import Agent
from customers.models import UserEmailClaim
from licensing.errors import InvalidUserEntry
from licensing.models import LicenseAssignment, OrgUser
from licensing.services.templates import create_template
from licensing.services.users import (
    ContactCenterChoice,
    UserEntry,
    add_users,
    create_user,
    delete_users,
    update_user,
)
from tests.conftest import in_schema
from tests.licensing.conftest import ACTOR, line, second_subscription

pytestmark = pytest.mark.django_db


def test_delete_user_releases_licenses_claim_and_agent(acme):
    user = create_user(email="pat@acme.test", package_line=line("webex_meetings"), actor=ACTOR)
    add_users(
        entries=[UserEntry(email="pat@acme.test")],
        package_line=None,
        contact_center=ContactCenterChoice(license_type="cc_premium", role="supervisor"),
        actor=ACTOR,
    )
    assert Agent.objects.get(user=user).role == "supervisor"

    delete_users(users=[user], actor=ACTOR)

    assert not OrgUser.objects.exists()
    assert not LicenseAssignment.objects.exists()
    assert not Agent.objects.exists()
    assert not UserEmailClaim.objects.filter(email="pat@acme.test").exists()


def test_template_contact_center_license_brings_an_agent(acme):
    create_template(name="Everyone", lines=[line("cc_standard")], actor=ACTOR)

    user = create_user(email="agent@acme.test", actor=ACTOR)

    assert Agent.objects.get(user=user).license_type == "cc_standard"


def test_update_user_refuses_unknown_fields_and_changes_nothing(acme):
    user = create_user(email="pat@acme.test", first_name="Pat", actor=ACTOR)

    with pytest.raises(InvalidUserEntry) as error:
        update_user(user=user, actor=ACTOR, email="other@acme.test", first_name="X")

    assert error.value.message == "These fields cannot be edited here: email."
    user.refresh_from_db()
    assert (user.email, user.first_name) == ("pat@acme.test", "Pat")


def test_edit_user_page_saves_fields(org_client, world):
    with in_schema(world.acme):
        user = create_user(email="pat@acme.test", actor=ACTOR)
    client = org_client(world.acme, world.uma)

    response = client.post(
        f"/users/{user.pk}/edit/",
        {"first_name": "Pat", "last_name": "Lee", "status": "active", "jabber_calling": "on"},
    )

    assert response.status_code == 302
    with in_schema(world.acme):
        user.refresh_from_db()
        assert (user.first_name, user.status, user.jabber_calling) == ("Pat", "active", True)


def test_edit_licenses_page_moves_license(org_client, world):
    with in_schema(world.acme):
        user = create_user(email="pat@acme.test", package_line=line("webex_meetings"), actor=ACTOR)
        target = second_subscription({"webex_meetings": 2}).lines.get()
        assignment = LicenseAssignment.objects.get(user=user, kind="package")
    client = org_client(world.acme, world.uma)

    response = client.post(f"/users/{user.pk}/licenses/", {f"license_{assignment.pk}": target.pk})

    assert response.status_code == 302
    with in_schema(world.acme):
        assert LicenseAssignment.objects.get(pk=assignment.pk).line_id == target.pk


def test_user_list_query_count_does_not_grow_with_rows(org_client, world):
    client = org_client(world.acme, world.rita)
    with in_schema(world.acme):
        for i in range(3):
            create_user(email=f"a{i}@acme.test", package_line=line("webex_meetings"), actor=ACTOR)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/users/")
    with in_schema(world.acme):
        for i in range(10):
            create_user(email=f"b{i}@acme.test", package_line=line("webex_meetings"), actor=ACTOR)
    with CaptureQueriesContext(connection) as many:
        client.get("/users/")

    assert len(many) == len(few)


def test_a_display_name_with_a_line_break_is_edited_in_a_field_that_keeps_it(org_client, world):
    # An <input type=text> drops line breaks from its value (HTML's value sanitization),
    # so saving the edit page would silently join a two-line display name.
    with in_schema(world.acme):
        user = create_user(email="pat@acme.test", actor=ACTOR)
        OrgUser.objects.filter(pk=user.pk).update(display_name="Pat Lee\nSales, Oslo")

    page = org_client(world.acme, world.uma).get(f"/users/{user.pk}/edit/").content.decode()

    assert '<textarea name="display_name"' in page
    assert "Pat Lee\nSales, Oslo</textarea>" in page
