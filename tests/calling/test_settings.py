"""A user's calling after set-up (SPEC §6, issue #4): voicemail with a hashed PIN,
call settings, and changing location / number / extension — each rule, nothing
changed on no."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.hashers import check_password

from calling import errors
from calling.models import CallingProfile, Location
from calling.services.profiles import CallingDetails, provision_user_calling
from calling.services.settings import (
    CallSettings,
    call_settings_of,
    change_user_calling,
    set_user_calling,
    set_voicemail,
    update_call_settings,
)
from licensing.services.packages import change_package
from partnerhub.audit.models import AuditEntry
from tests.calling.conftest import ACTOR, make_user, numbers_of
from tests.licensing.conftest import line

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(oslo, pat) -> CallingProfile:
    return provision_user_calling(
        user=pat,
        details=CallingDetails(location=oslo, extension="1234", number="+4722000001"),
        actor=ACTOR,
    )


def _unchanged(profile: CallingProfile, action: Callable[[], object], error_class, message):  # type: ignore[no-untyped-def]
    before = CallingProfile.objects.filter(pk=profile.pk).values().get()
    audit = AuditEntry.objects.count()
    with pytest.raises(error_class) as error:
        action()
    assert error.value.message == message
    assert CallingProfile.objects.filter(pk=profile.pk).values().get() == before
    assert AuditEntry.objects.count() == audit
    return error.value


# --- voicemail ---------------------------------------------------------------------


def test_voicemail_on_stores_the_pin_hashed(profile):
    set_voicemail(user=profile.user, enabled=True, pin="4711", actor=ACTOR)

    profile.refresh_from_db()
    assert profile.voicemail_enabled
    assert "4711" not in profile.voicemail_pin_hash
    assert check_password("4711", profile.voicemail_pin_hash)


def test_voicemail_on_needs_a_pin(profile):
    _unchanged(
        profile,
        lambda: set_voicemail(user=profile.user, enabled=True, actor=ACTOR),
        errors.VoicemailPinRequired,
        "Turning voicemail on needs a PIN: give one of 4 to 8 digits, not one digit repeated "
        "(1111) and not a straight run (1234, 8765).",
    )


@pytest.mark.parametrize("pin", ["471", "471147114", "47a1", "47 11"])
def test_voicemail_pin_is_4_to_8_digits(profile, pin):
    error = _unchanged(
        profile,
        lambda: set_voicemail(user=profile.user, enabled=True, pin=pin, actor=ACTOR),
        errors.InvalidVoicemailPin,
        "The voicemail PIN must be 4 to 8 digits, not one digit repeated (1111) and not a "
        "straight run (1234, 8765): type another PIN.",
    )
    assert error.details["field"] == "pin"


def test_voicemail_pin_of_one_repeated_digit_is_refused(profile):
    _unchanged(
        profile,
        lambda: set_voicemail(user=profile.user, enabled=True, pin="00000", actor=ACTOR),
        errors.InvalidVoicemailPin,
        "The voicemail PIN repeats one digit, which is easy to guess: mix digits.",
    )


@pytest.mark.parametrize("pin", ["1234", "98765432"])
def test_voicemail_pin_of_a_straight_run_is_refused(profile, pin):
    _unchanged(
        profile,
        lambda: set_voicemail(user=profile.user, enabled=True, pin=pin, actor=ACTOR),
        errors.InvalidVoicemailPin,
        "The voicemail PIN is a straight run of digits, which is easy to guess: mix digits.",
    )


def test_voicemail_off_keeps_the_pin_for_turning_it_on_again(profile):
    set_voicemail(user=profile.user, enabled=True, pin="4711", actor=ACTOR)
    set_voicemail(user=profile.user, enabled=False, actor=ACTOR)
    set_voicemail(user=profile.user, enabled=True, actor=ACTOR)

    profile.refresh_from_db()
    assert profile.voicemail_enabled
    assert check_password("4711", profile.voicemail_pin_hash)


def test_voicemail_change_is_audited_without_the_pin(profile):
    set_voicemail(user=profile.user, enabled=True, pin="4711", actor=ACTOR)

    entry = AuditEntry.objects.get(action="calling.voicemail.changed")
    assert entry.before == {"voicemail_enabled": False}
    assert entry.after == {"voicemail_enabled": True, "pin_changed": True}
    profile.refresh_from_db()
    assert "4711" not in str(entry.after) and profile.voicemail_pin_hash not in str(entry.after)


# --- call settings -----------------------------------------------------------------


def _settings(profile: CallingProfile, **wanted: object) -> CallSettings:
    return update_call_settings(user=profile.user, settings=CallSettings(**wanted), actor=ACTOR)


def test_call_settings_are_stored_in_the_profile(profile):
    _settings(profile, forwarding="busy", forward_to="+4799887766", do_not_disturb=True)

    profile.refresh_from_db()
    assert profile.settings == {
        "forwarding": {"mode": "busy", "destination": "+4799887766"},
        "do_not_disturb": True,
        "caller_id": "own_number",
    }


def test_call_settings_default_to_no_forwarding_and_own_number(profile):
    assert call_settings_of(profile) == CallSettings(
        forwarding="off", forward_to="", do_not_disturb=False, caller_id="own_number"
    )


def test_call_settings_are_audited(profile):
    _settings(profile, forwarding="always", forward_to="+4799887766")

    entry = AuditEntry.objects.get(action="calling.settings.changed")
    assert entry.before["forwarding"] == "off"
    assert entry.after == {
        "forwarding": "always",
        "forward_to": "+4799887766",
        "do_not_disturb": False,
        "caller_id": "own_number",
    }


def test_call_settings_keep_other_stored_keys(profile):
    CallingProfile.objects.filter(pk=profile.pk).update(settings={"ring_pattern": "long"})

    _settings(profile, do_not_disturb=True)

    profile.refresh_from_db()
    assert profile.settings["ring_pattern"] == "long"
    assert profile.settings["do_not_disturb"] is True


def test_forwarding_off_drops_the_destination(profile):
    saved = _settings(profile, forwarding="off", forward_to="+4799887766")

    assert saved.forward_to == ""


def test_forwarding_mode_must_be_known(profile):
    _unchanged(
        profile,
        lambda: _settings(profile, forwarding="sometimes", forward_to="+4799887766"),
        errors.InvalidForwarding,
        "Call forwarding 'sometimes' is not known: choose one of off, always, busy, no_answer.",
    )


def test_forwarding_needs_a_destination(profile):
    _unchanged(
        profile,
        lambda: _settings(profile, forwarding="no_answer"),
        errors.InvalidForwarding,
        "Call forwarding needs a destination: give an E.164 number (+4722334455) or an "
        "extension of this organisation.",
    )


def test_forwarding_to_a_number_must_be_e164(profile):
    _unchanged(
        profile,
        lambda: _settings(profile, forwarding="always", forward_to="+47 99 88"),
        errors.InvalidForwarding,
        "Phone number '+47 99 88' is not E.164: write it as + country code and number, for "
        "example +4722334455.",
    )


def test_forwarding_to_something_neither_number_nor_extension_is_refused(profile):
    _unchanged(
        profile,
        lambda: _settings(profile, forwarding="always", forward_to="reception"),
        errors.InvalidForwarding,
        "Forwarding destination 'reception' is neither an E.164 number nor an extension: "
        "write +4722334455 or an extension such as 1234.",
    )


def test_forwarding_to_an_extension_of_the_org(profile, bergen):
    kim = make_user("kim@acme.test")
    provision_user_calling(
        user=kim, details=CallingDetails(location=bergen, extension="77"), actor=ACTOR
    )

    assert _settings(profile, forwarding="always", forward_to="77").forward_to == "77"


def test_forwarding_to_an_extension_nobody_uses_is_refused(profile):
    _unchanged(
        profile,
        lambda: _settings(profile, forwarding="always", forward_to="77"),
        errors.InvalidForwarding,
        "Extension 77 is not used by anyone in this organisation: give an extension in use "
        "or an E.164 number.",
    )


def test_forwarding_to_the_own_extension_is_refused(profile):
    _unchanged(
        profile,
        lambda: _settings(profile, forwarding="busy", forward_to="1234"),
        errors.InvalidForwarding,
        "Calls cannot be forwarded to the user's own extension 1234: give another destination.",
    )


def test_forwarding_to_the_own_number_is_refused(profile):
    _unchanged(
        profile,
        lambda: _settings(profile, forwarding="busy", forward_to="+4722000001"),
        errors.InvalidForwarding,
        "Calls cannot be forwarded to the user's own number +4722000001: give another destination.",
    )


def test_caller_id_must_be_known(profile):
    _unchanged(
        profile,
        lambda: _settings(profile, caller_id="mine"),
        errors.InvalidCallerId,
        "Caller ID 'mine' is not known: choose one of own_number, location_number, hidden.",
    )


def test_caller_id_own_number_needs_a_number(oslo, pat):
    profile = provision_user_calling(
        user=pat, details=CallingDetails(location=oslo, extension="12"), actor=ACTOR
    )

    _unchanged(
        profile,
        lambda: _settings(profile, caller_id="own_number"),
        errors.InvalidCallerId,
        "Caller ID 'own number' needs a phone number, and this user has only an extension: "
        "give the user a number, or choose the location's main number or hidden.",
    )


def test_caller_id_location_number_needs_a_main_number(profile, oslo):
    _unchanged(
        profile,
        lambda: _settings(profile, caller_id="location_number"),
        errors.InvalidCallerId,
        "Location Oslo has no main number: give it one, or choose another caller ID.",
    )
    Location.objects.filter(pk=oslo.pk).update(main_number="+4722000000")

    assert _settings(profile, caller_id="location_number").caller_id == "location_number"


def test_caller_id_hidden(profile):
    assert _settings(profile, caller_id="hidden").caller_id == "hidden"


# --- calling details ---------------------------------------------------------------


def _change(user, **details: object) -> CallingProfile:  # type: ignore[no-untyped-def]
    return change_user_calling(user=user, details=CallingDetails(**details), actor=ACTOR)


def test_changing_the_number_releases_the_old_one(profile, oslo, pat):
    _change(pat, location=oslo, extension="1234", number="+4722000002")

    assert numbers_of(oslo) == {"+4722000001": None, "+4722000002": profile.pk}


def test_changing_keeps_the_own_number(profile, oslo, pat):
    _change(pat, location=oslo, extension="99", number="+4722000001")

    profile.refresh_from_db()
    assert profile.extension == "99"
    assert numbers_of(oslo) == {"+4722000001": profile.pk, "+4722000002": None}


def test_changing_the_location_moves_number_and_extension(profile, oslo, bergen, pat):
    _change(pat, location=bergen, extension="1234", number="+4755000001")

    profile.refresh_from_db()
    assert profile.location == bergen
    assert numbers_of(oslo) == {"+4722000001": None, "+4722000002": None}
    assert numbers_of(bergen) == {"+4755000001": profile.pk}


def test_changing_is_audited_with_before_and_after(profile, oslo, pat):
    _change(pat, location=oslo, extension="1234", number="+4722000002")

    entry = AuditEntry.objects.get(action="calling.user.changed")
    assert (entry.before["number"], entry.after["number"]) == ("+4722000001", "+4722000002")


def test_changing_needs_a_number_or_an_extension(profile, oslo, pat):
    _unchanged(
        profile,
        lambda: _change(pat, location=oslo),
        errors.NumberOrExtensionRequired,
        "Give an extension and/or a phone number for calling.",
    )


def test_changing_to_an_invalid_extension_is_refused(profile, oslo, pat):
    _unchanged(
        profile,
        lambda: _change(pat, location=oslo, extension="1"),
        errors.InvalidExtension,
        "Extension '1' is not valid: use 2 to 10 digits.",
    )


def test_changing_to_an_extension_taken_in_the_location_is_refused(profile, oslo, pat):
    kim = make_user("kim@acme.test")
    provision_user_calling(
        user=kim, details=CallingDetails(location=oslo, extension="55"), actor=ACTOR
    )

    _unchanged(
        profile,
        lambda: _change(pat, location=oslo, extension="55"),
        errors.ExtensionTaken,
        "Extension 55 is already used in location Oslo: choose another.",
    )


def test_an_extension_taken_in_another_location_is_free_here(profile, oslo, bergen, pat):
    kim = make_user("kim@acme.test")
    provision_user_calling(
        user=kim, details=CallingDetails(location=bergen, extension="55"), actor=ACTOR
    )

    assert _change(pat, location=oslo, extension="55").extension == "55"


def test_changing_to_a_number_not_in_the_inventory_is_refused(profile, oslo, pat):
    _unchanged(
        profile,
        lambda: _change(pat, location=oslo, number="+4722999999"),
        errors.NumberNotInInventory,
        "Phone number +4722999999 is not in this organisation's number inventory: add it to "
        "a location first.",
    )
    assert numbers_of(oslo) == {"+4722000001": profile.pk, "+4722000002": None}


def test_changing_to_a_number_of_another_location_is_refused(profile, oslo, bergen, pat):
    _unchanged(
        profile,
        lambda: _change(pat, location=oslo, number="+4755000001"),
        errors.NumberInOtherLocation,
        "Phone number +4755000001 belongs to location Bergen, not Oslo: give a number of "
        "Oslo, or choose location Bergen.",
    )


def test_changing_to_a_taken_number_is_refused(profile, oslo, pat):
    kim = make_user("kim@acme.test")
    provision_user_calling(
        user=kim, details=CallingDetails(location=oslo, number="+4722000002"), actor=ACTOR
    )

    _unchanged(
        profile,
        lambda: _change(pat, location=oslo, number="+4722000002"),
        errors.NumberAlreadyAssigned,
        "Phone number +4722000002 is already assigned: choose a free number.",
    )


def test_changing_to_an_invalid_number_is_refused(profile, oslo, pat):
    _unchanged(
        profile,
        lambda: _change(pat, location=oslo, number="22000002"),
        errors.InvalidNumber,
        "Phone number '22000002' is not E.164: write it as + country code and number, for "
        "example +4722334455.",
    )


def test_a_number_shown_as_caller_id_cannot_be_removed(profile, oslo, pat):
    _settings(profile, caller_id="own_number")

    _unchanged(
        profile,
        lambda: _change(pat, location=oslo, extension="1234"),
        errors.InvalidCallerId,
        "Caller ID is set to the user's own number, so the number cannot be removed: change "
        "the caller ID first, or give another number.",
    )
    assert numbers_of(oslo)["+4722000001"] == profile.pk


def test_changing_without_calling_is_refused(oslo, pat):
    with pytest.raises(errors.CallingNotSetUp):
        _change(pat, location=oslo, extension="12")


def test_setting_up_calling_needs_a_calling_license(oslo, pat):
    with pytest.raises(errors.CallingLicenseRequired) as error:
        set_user_calling(
            user=pat, details=CallingDetails(location=oslo, extension="12"), actor=ACTOR
        )

    assert "has no calling license" in error.value.message
    assert not CallingProfile.objects.filter(user=pat).exists()


def test_setting_up_calling_for_a_licensed_user_without_calling_data(oslo, pat):
    from calling.services.profiles import remove_user_calling

    change_package(
        user=pat,
        line=line("webex_calling"),
        actor=ACTOR,
        calling=CallingDetails(location=oslo, extension="10"),
    )
    remove_user_calling(user=pat, actor=ACTOR)

    set_user_calling(
        user=pat, details=CallingDetails(location=oslo, number="+4722000002"), actor=ACTOR
    )

    assert numbers_of(oslo)["+4722000002"] == CallingProfile.objects.get(user=pat).pk
