"""Editing a location and choosing the default one (SPEC §6)."""

from __future__ import annotations

import pytest

from calling import errors
from calling.models import Location
from calling.services.locations import (
    create_location,
    delete_location,
    make_default,
    update_location,
)
from tests.boundaries import assert_org_urls_closed_to_outsiders
from tests.calling.conftest import ACTOR
from tests.conftest import in_schema

pytestmark = pytest.mark.django_db


def test_a_location_is_edited_and_audited(acme):
    oslo = create_location(name="Oslo", country="NO", actor=ACTOR)

    update_location(
        location=oslo, actor=ACTOR, name="Oslo HQ", time_zone="Europe/Oslo",
        main_number="+4722000001", address="Karl Johans gate 1",
    )  # fmt: skip

    oslo.refresh_from_db()
    assert (oslo.name, oslo.time_zone, oslo.main_number) == (
        "Oslo HQ",
        "Europe/Oslo",
        "+4722000001",
    )
    from partnerhub.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="calling.location.updated").count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "bergen"}, "A location named 'bergen' already exists: choose another name."),
        ({"time_zone": "Europe/Atlantis"}, "Time zone 'Europe/Atlantis' is not known"),
        ({"country": "Norway"}, "Country 'Norway' is not a two-letter code"),
        ({"main_number": "22000001"}, "is not E.164"),
        ({"name": " "}, "Give the location a name."),
    ],
)
def test_a_bad_location_edit_says_why_and_changes_nothing(acme, fields, message):
    create_location(name="Bergen", country="NO", actor=ACTOR)
    oslo = create_location(name="Oslo", country="NO", actor=ACTOR)

    with pytest.raises(errors.DomainError) as refused:
        update_location(location=oslo, actor=ACTOR, **fields)

    assert message in refused.value.message
    oslo.refresh_from_db()
    assert (oslo.name, oslo.country, oslo.time_zone, oslo.main_number) == ("Oslo", "NO", "UTC", "")


def test_another_location_can_become_the_default_and_the_old_one_can_then_go(acme):
    oslo = create_location(name="Oslo", country="NO", actor=ACTOR)
    bergen = create_location(name="Bergen", country="NO", actor=ACTOR)

    make_default(location=bergen, actor=ACTOR)
    delete_location(location=oslo, actor=ACTOR)

    assert list(Location.objects.values_list("name", "is_default")) == [("Bergen", True)]


def test_location_edit_and_default_through_page_and_api(org_client, world):
    with in_schema(world.acme):
        oslo = create_location(name="Oslo", country="NO", actor=ACTOR)
        bergen = create_location(name="Bergen", country="NO", actor=ACTOR)
    client = org_client(world.acme, world.ann)

    page = client.post(
        f"/calling/locations/{oslo.pk}/edit/",
        {
            "name": "Oslo HQ",
            "country": "NO",
            "time_zone": "Europe/Oslo",
            "address": "",
            "main_number": "",
        },
    )
    assert page.status_code == 302
    api = client.patch(
        f"/api/calling/locations/{bergen.pk}/",
        {"time_zone": "Mars/Base"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "Mars/Base" in api.json()["message"]
    assert client.post(f"/api/calling/locations/{bergen.pk}/default/").json()["is_default"] is True
    with in_schema(world.acme):
        assert list(Location.objects.values_list("name", "is_default")) == [
            ("Bergen", True), ("Oslo HQ", False),
        ]  # fmt: skip


def test_read_only_admins_cannot_edit_locations(org_client, world):
    with in_schema(world.acme):
        oslo = create_location(name="Oslo", country="NO", actor=ACTOR)
    client = org_client(world.acme, world.rita)
    assert client.post(f"/calling/locations/{oslo.pk}/default/").status_code == 403
    assert (
        client.patch(
            f"/api/calling/locations/{oslo.pk}/", {"name": "X"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_location_edit_is_closed_to_outsiders(org_client, world):
    with in_schema(world.acme):
        oslo = create_location(name="Oslo", country="NO", actor=ACTOR)
    assert_org_urls_closed_to_outsiders(
        org_client,
        world,
        [
            ("GET", f"/calling/locations/{oslo.pk}/edit/"),
            ("POST", f"/calling/locations/{oslo.pk}/edit/"),
            ("POST", f"/calling/locations/{oslo.pk}/default/"),
            ("PATCH", f"/api/calling/locations/{oslo.pk}/"),
            ("POST", f"/api/calling/locations/{oslo.pk}/default/"),
        ],
    )
