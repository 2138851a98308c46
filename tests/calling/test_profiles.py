"""Provisioning a user's calling data (SPEC §6): every rule, nothing changed on no."""

from __future__ import annotations

import pytest

from calling import errors
from calling.models import CallingProfile, PhoneNumber
from calling.services.profiles import (
    CallingDetails,
    calling_loss_preview,
    provision_user_calling,
    remove_user_calling,
    snapshot_before_user_delete,
)
from partnerhub.audit.models import AuditEntry
from tests.calling.conftest import ACTOR, make_user, numbers_of

pytestmark = pytest.mark.django_db

FREE = {"+4722000001": None, "+4722000002": None}


def _refused(user, details, error_class, message):  # type: ignore[no-untyped-def]
    location = details.location
    before_audit = AuditEntry.objects.count()
    with pytest.raises(error_class) as error:
        provision_user_calling(user=user, details=details, actor=ACTOR)
    assert error.value.message == message
    assert not CallingProfile.objects.filter(user=user).exists()
    assert AuditEntry.objects.count() == before_audit
    return location


def test_provisions_location_extension_and_number(oslo, pat):
    profile = provision_user_calling(
        user=pat,
        details=CallingDetails(location=oslo, extension="1234", number="+4722000001"),
        actor=ACTOR,
    )

    assert (profile.location, profile.extension) == (oslo, "1234")
    assert numbers_of(oslo) == {"+4722000001": profile.pk, "+4722000002": None}
    entry = AuditEntry.objects.get(action="calling.user.provisioned")
    assert entry.after["number"] == "+4722000001"
    assert entry.after["extension"] == "1234"


def test_extension_only_stores_no_number(oslo, pat):
    profile = provision_user_calling(
        user=pat, details=CallingDetails(location=oslo, extension="55"), actor=ACTOR
    )

    assert profile.extension == "55"
    assert numbers_of(oslo) == FREE


def test_number_only_stores_no_extension(oslo, pat):
    profile = provision_user_calling(
        user=pat, details=CallingDetails(location=oslo, number="+4722000002"), actor=ACTOR
    )

    assert profile.extension is None
    assert profile.number.e164 == "+4722000002"


def test_neither_number_nor_extension_is_refused(oslo, pat):
    _refused(
        pat,
        CallingDetails(location=oslo),
        errors.NumberOrExtensionRequired,
        "Give an extension and/or a phone number for calling.",
    )
    assert numbers_of(oslo) == FREE


def test_number_whose_plus_a_spreadsheet_stripped_is_refused_with_the_hint(oslo, pat):
    _refused(
        pat,
        CallingDetails(location=oslo, number="4722000001"),
        errors.InvalidNumber,
        "'4722000001' is missing its leading +; the spreadsheet probably stripped it. "
        "Write +4722000001 and format the cell as text.",
    )
    assert numbers_of(oslo) == FREE


@pytest.mark.parametrize("number", ["+47 22 00 00 01", "+47abc", "+1"])
def test_number_not_e164_is_refused(oslo, pat, number):
    _refused(
        pat,
        CallingDetails(location=oslo, number=number),
        errors.InvalidNumber,
        f"Phone number '{number}' is not E.164: write it as + country code and number, "
        "for example +4722334455.",
    )
    assert numbers_of(oslo) == FREE


def test_number_not_in_inventory_is_refused(oslo, pat):
    _refused(
        pat,
        CallingDetails(location=oslo, number="+4722999999"),
        errors.NumberNotInInventory,
        "Phone number +4722999999 is not in this organisation's number inventory: "
        "add it to a location first.",
    )
    assert numbers_of(oslo) == FREE


def test_number_in_another_location_is_refused(oslo, bergen, pat):
    _refused(
        pat,
        CallingDetails(location=oslo, number="+4755000001"),
        errors.NumberInOtherLocation,
        "Phone number +4755000001 belongs to location Bergen, not Oslo: give a number of "
        "Oslo, or choose location Bergen.",
    )
    assert numbers_of(bergen) == {"+4755000001": None}


def test_number_already_assigned_is_refused(oslo, pat):
    kim = make_user("kim@acme.test")
    held = provision_user_calling(
        user=kim, details=CallingDetails(location=oslo, number="+4722000001"), actor=ACTOR
    )

    with pytest.raises(errors.NumberAlreadyAssigned) as error:
        provision_user_calling(
            user=pat, details=CallingDetails(location=oslo, number="+4722000001"), actor=ACTOR
        )

    assert error.value.message == (
        "Phone number +4722000001 is already assigned: choose a free number."
    )
    assert error.value.status == 409
    assert numbers_of(oslo) == {"+4722000001": held.pk, "+4722000002": None}
    assert not CallingProfile.objects.filter(user=pat).exists()


def test_number_used_by_a_service_is_refused(oslo, pat):
    PhoneNumber.objects.filter(e164="+4722000002").update(service="Main hunt group")

    _refused(
        pat,
        CallingDetails(location=oslo, number="+4722000002"),
        errors.NumberAlreadyAssigned,
        "Phone number +4722000002 is already assigned: choose a free number.",
    )


@pytest.mark.parametrize("extension", ["1", "12345678901", "12a", "-12"])
def test_extension_not_2_to_10_digits_is_refused(oslo, pat, extension):
    _refused(
        pat,
        CallingDetails(location=oslo, extension=extension, number="+4722000001"),
        errors.InvalidExtension,
        f"Extension '{extension}' is not valid: use 2 to 10 digits.",
    )
    assert numbers_of(oslo) == FREE


def test_extension_taken_in_location_is_refused(oslo, pat):
    kim = make_user("kim@acme.test")
    provision_user_calling(
        user=kim, details=CallingDetails(location=oslo, extension="1234"), actor=ACTOR
    )

    with pytest.raises(errors.ExtensionTaken) as error:
        provision_user_calling(
            user=pat,
            details=CallingDetails(location=oslo, extension="1234", number="+4722000001"),
            actor=ACTOR,
        )

    assert error.value.message == (
        "Extension 1234 is already used in location Oslo: choose another."
    )
    assert not CallingProfile.objects.filter(user=pat).exists()
    assert numbers_of(oslo) == FREE


def test_same_extension_in_another_location_is_fine(oslo, bergen, pat):
    kim = make_user("kim@acme.test")
    provision_user_calling(
        user=kim, details=CallingDetails(location=oslo, extension="1234"), actor=ACTOR
    )

    profile = provision_user_calling(
        user=pat, details=CallingDetails(location=bergen, extension="1234"), actor=ACTOR
    )

    assert profile.location == bergen


def test_user_with_calling_is_not_provisioned_twice(oslo, pat):
    first = provision_user_calling(
        user=pat, details=CallingDetails(location=oslo, extension="10"), actor=ACTOR
    )

    with pytest.raises(errors.CallingAlreadySetUp) as error:
        provision_user_calling(
            user=pat,
            details=CallingDetails(location=oslo, extension="11", number="+4722000001"),
            actor=ACTOR,
        )

    assert error.value.message == (
        "pat@acme.test already has calling set up: change its location, number or "
        "extension on the user's calling page instead."
    )
    assert list(CallingProfile.objects.filter(user=pat)) == [first]
    assert numbers_of(oslo) == FREE


def test_remove_releases_number_and_audits_the_loss(oslo, pat):
    provision_user_calling(
        user=pat,
        details=CallingDetails(location=oslo, extension="1234", number="+4722000001"),
        actor=ACTOR,
    )

    remove_user_calling(user=pat, actor=ACTOR)

    assert not CallingProfile.objects.filter(user=pat).exists()
    assert numbers_of(oslo) == FREE
    entry = AuditEntry.objects.get(action="calling.user.removed")
    assert entry.before == {
        "location": "Oslo",
        "extension": "1234",
        "number": "+4722000001",
        "voicemail_enabled": False,
        "settings": {},
    }


def test_loss_preview_lists_everything_lost(oslo, pat):
    profile = provision_user_calling(
        user=pat,
        details=CallingDetails(location=oslo, extension="1234", number="+4722000001"),
        actor=ACTOR,
    )
    CallingProfile.objects.filter(pk=profile.pk).update(
        voicemail_enabled=True, settings={"forward": "+4722000009"}
    )

    assert calling_loss_preview(user=pat) == [
        "Location Oslo",
        "Phone number +4722000001 (released)",
        "Extension 1234",
        "Voicemail and its PIN",
        "Call settings",
    ]


def test_loss_preview_without_calling_data(oslo, pat):
    assert calling_loss_preview(user=pat) == [
        "The calling license (no calling data is set up yet)."
    ]


def test_snapshot_before_user_delete_audits_calling_data(oslo, pat):
    provision_user_calling(
        user=pat, details=CallingDetails(location=oslo, number="+4722000001"), actor=ACTOR
    )

    snapshot_before_user_delete(users=[pat], actor=ACTOR)

    entry = AuditEntry.objects.get(action="calling.user.deleted")
    assert entry.before["user"] == "pat@acme.test"
    assert entry.before["number"] == "+4722000001"
