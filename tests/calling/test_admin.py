"""Django admin of Webex Calling for support staff (SPEC §8): every page opens, the
PIN hash never shows, snapshots and failures are read-only, deletions go through the
services."""

from __future__ import annotations

import pytest

from calling.models import (
    CallingProfile,
    CallingSnapshot,
    Location,
    PhoneNumber,
    ProvisioningFailure,
)
from calling.services.profiles import CallingDetails, provision_user_calling, remove_user_calling
from calling.services.settings import set_voicemail
from customers.models import UserEmailClaim
from licensing.models import LicenseAssignment, OrgUser
from licensing.services.packages import change_package
from partnerhub.audit.models import AuditEntry
from tests.calling.conftest import ACTOR, make_user
from tests.conftest import in_schema
from tests.licensing.conftest import line

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):  # type: ignore[no-untyped-def]
    with in_schema(world.acme):
        oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
        bergen = Location.objects.create(name="Bergen", country="NO")
        for e164 in ("+4722000001", "+4722000002"):
            PhoneNumber.objects.create(e164=e164, location=oslo)
        pat = make_user("pat@acme.test")
        profile = provision_user_calling(
            user=pat,
            details=CallingDetails(location=oslo, extension="10", number="+4722000001"),
            actor=ACTOR,
        )
        set_voicemail(user=pat, enabled=True, pin="4711", actor=ACTOR)
        profile.refresh_from_db()
        kim = make_user("kim@acme.test")
        provision_user_calling(
            user=kim, details=CallingDetails(location=oslo, extension="11"), actor=ACTOR
        )
        remove_user_calling(user=kim, actor=ACTOR)
        snapshot = CallingSnapshot.objects.get(holder="kim@acme.test")
        failure = ProvisioningFailure.objects.create(
            user=kim, phone_number="123", reason="invalid_format"
        )
    return {
        "pat": pat,
        "kim": kim,
        "oslo": oslo,
        "bergen": bergen,
        "profile": profile,
        "snapshot": snapshot,
        "failure": failure,
    }


def test_calling_admin_pages_open_for_staff(org_client, world, setup):
    client = org_client(world.acme, world.staff)
    for url in (
        "/admin/calling/location/",
        f"/admin/calling/location/{setup['oslo'].pk}/change/",
        "/admin/calling/phonenumber/",
        "/admin/calling/phonenumber/?state=available",
        f"/admin/calling/phonenumber/?location__id__exact={setup['oslo'].pk}&q=2200",
        "/admin/calling/callingprofile/",
        f"/admin/calling/callingprofile/{setup['profile'].pk}/change/",
        "/admin/calling/callingsnapshot/",
        f"/admin/calling/callingsnapshot/{setup['snapshot'].pk}/change/",
        "/admin/calling/provisioningfailure/",
        f"/admin/calling/provisioningfailure/{setup['failure'].pk}/change/",
    ):
        assert client.get(url).status_code == 200, url


def test_number_admin_filters_by_state(org_client, world, setup):
    client = org_client(world.acme, world.staff)

    page = client.get("/admin/calling/phonenumber/?state=available").content.decode()

    assert "+4722000002" in page and "+4722000001" not in page


def test_calling_admin_never_shows_the_pin_hash(org_client, world, setup):
    client = org_client(world.acme, world.staff)
    pin_hash = setup["profile"].voicemail_pin_hash
    assert pin_hash

    for url in (
        f"/admin/calling/callingprofile/{setup['profile'].pk}/change/",
        f"/admin/calling/callingsnapshot/{setup['snapshot'].pk}/change/",
    ):
        page = client.get(url).content.decode()
        assert pin_hash not in page and "pbkdf2" not in page, url


def test_snapshots_and_failures_are_read_only_in_the_admin(org_client, world, setup):
    client = org_client(world.acme, world.staff)

    assert client.get("/admin/calling/callingsnapshot/add/").status_code == 403
    assert client.get("/admin/calling/provisioningfailure/add/").status_code == 403
    response = client.post(
        f"/admin/calling/callingsnapshot/{setup['snapshot'].pk}/change/", {"reason": "edited"}
    )
    assert response.status_code == 403
    with in_schema(world.acme):
        assert CallingSnapshot.objects.get(pk=setup["snapshot"].pk).reason == "license_removed"


def test_location_deleted_in_the_admin_goes_through_the_service(org_client, world, setup):
    client = org_client(world.acme, world.staff)

    client.post(f"/admin/calling/location/{setup['bergen'].pk}/delete/", {"post": "yes"})
    client.post(f"/admin/calling/location/{setup['oslo'].pk}/delete/", {"post": "yes"})

    with in_schema(world.acme):
        assert list(Location.objects.values_list("name", flat=True)) == ["Oslo"]
        assert AuditEntry.objects.filter(action="calling.location.deleted").count() == 1


def test_calling_deleted_in_the_admin_goes_through_the_service(org_client, world, setup):
    client = org_client(world.acme, world.staff)

    client.post(f"/admin/calling/callingprofile/{setup['profile'].pk}/delete/", {"post": "yes"})

    with in_schema(world.acme):
        assert not CallingProfile.objects.filter(pk=setup["profile"].pk).exists()
        assert PhoneNumber.objects.get(e164="+4722000001").profile_id is None
        assert CallingSnapshot.objects.filter(holder="pat@acme.test", reason="admin").exists()


def test_calling_admin_is_closed_to_customer_admins(org_client, world, setup):
    client = org_client(world.acme, world.ann)

    assert client.get("/admin/calling/callingprofile/").status_code in (302, 403)


def test_calling_of_a_calling_package_is_not_deleted_alone_in_the_admin(org_client, world, setup):
    with in_schema(world.acme):
        kim = setup["kim"]
        change_package(
            user=kim,
            line=line("webex_calling"),
            actor=ACTOR,
            calling=CallingDetails(location=setup["oslo"], extension="11"),
        )
        profile = CallingProfile.objects.get(user=kim)
    client = org_client(world.acme, world.staff)

    response = client.post(
        f"/admin/calling/callingprofile/{profile.pk}/delete/", {"post": "yes"}, follow=True
    )

    shown = [str(message) for message in response.context["messages"]]
    assert len(shown) == 1  # no "deleted successfully" next to the refusal
    assert shown[0].startswith(
        "kim@acme.test's calling comes with its package Webex Calling [Sub-100234]: change "
        "the user's package to one without calling"
    )
    with in_schema(world.acme):
        assert CallingProfile.objects.filter(pk=profile.pk).exists()
        assert LicenseAssignment.objects.filter(user=kim, license_type="webex_calling").exists()


def test_user_deleted_in_the_admin_goes_through_the_service(org_client, world, setup):
    client = org_client(world.acme, world.staff)
    pat = setup["pat"]

    page = client.get(f"/admin/licensing/orguser/{pat.pk}/delete/").content.decode()
    client.post(f"/admin/licensing/orguser/{pat.pk}/delete/", {"post": "yes"})

    assert "Phone number +4722000001 (released)" in page
    assert not UserEmailClaim.objects.filter(email="pat@acme.test").exists()
    with in_schema(world.acme):
        assert not OrgUser.objects.filter(pk=pat.pk).exists()
        assert CallingSnapshot.objects.filter(
            holder="pat@acme.test", reason="user_deleted"
        ).exists()
        assert AuditEntry.objects.filter(action="user.deleted").count() == 1
        assert PhoneNumber.objects.get(e164="+4722000001").profile_id is None


def test_licenses_are_read_only_in_the_admin(org_client, world, setup):
    client = org_client(world.acme, world.staff)
    with in_schema(world.acme):
        held = LicenseAssignment.objects.get(user=setup["pat"], kind="package")

    assert client.get("/admin/licensing/licenseassignment/add/").status_code == 403
    user_page = client.get(f"/admin/licensing/orguser/{setup['pat'].pk}/change/")
    assert user_page.status_code == 200
    assert not user_page.context["inline_admin_formsets"][0].has_add_permission
    changed = client.post(
        f"/admin/licensing/licenseassignment/{held.pk}/change/", {"license_type": "webex_suite"}
    )
    deleted = client.post(f"/admin/licensing/licenseassignment/{held.pk}/delete/", {"post": "yes"})

    assert (changed.status_code, deleted.status_code) == (403, 403)
    with in_schema(world.acme):
        assert LicenseAssignment.objects.get(pk=held.pk).license_type == "webex_meetings"
