from __future__ import annotations

import pytest

from licensing.errors import (
    CallingDetailsRequired,
    CallingLossNotConfirmed,
    LicenseAlreadyHeld,
    LicenseExhausted,
)
from licensing.models import LicenseAssignment
from licensing.services.calling_details import calling_details
from licensing.services.licenses import assign_license
from licensing.services.packages import change_package, reassign_package, unassign_package
from licensing.services.users import create_user
from tests.licensing.conftest import ACTOR, line, second_subscription

pytestmark = pytest.mark.django_db


def _package(user) -> str | None:
    assignment = LicenseAssignment.objects.filter(user=user, kind="package").first()
    return str(assignment.line) if assignment else None


def test_change_package_is_all_or_nothing_when_target_line_is_exhausted(acme):
    user = create_user(email="pat@acme.test", package_line=line("webex_meetings"), actor=ACTOR)
    full = second_subscription({"webex_voice": 0})
    voice = full.lines.get()

    with pytest.raises(LicenseExhausted) as error:
        change_package(user=user, line=voice, actor=ACTOR)

    assert error.value.message == (
        "No Webex Voice licenses left on Sub-100999: 0 of 0 used. "
        "Nothing was changed: choose another subscription, or free or buy a license first."
    )
    assert _package(user) == "Webex Meetings [Sub-100234]"


def test_exhausted_line_names_subscription_and_usage(acme):
    # given: all 50 Webex Calling licenses of Sub-100234 in use
    calling = line("webex_calling")
    holders = [create_user(email=f"u{i}@acme.test", actor=ACTOR) for i in range(51)]
    LicenseAssignment.objects.bulk_create(
        LicenseAssignment(user=u, line=calling, license_type="webex_calling", kind="package")
        for u in holders[:50]
    )

    # when
    with pytest.raises(LicenseExhausted) as error:
        assign_license(user=holders[50], line=calling, actor=ACTOR)

    # then
    assert error.value.message == "No Webex Calling licenses left on Sub-100234: 50 of 50 used."
    assert LicenseAssignment.objects.filter(line=calling).count() == 50


def test_calling_package_requires_calling_details(acme):
    user = create_user(email="pat@acme.test", package_line=line("webex_meetings"), actor=ACTOR)

    with pytest.raises(CallingDetailsRequired) as error:
        change_package(user=user, line=line("webex_calling"), actor=ACTOR)

    assert error.value.message == (
        "Webex Calling includes calling: give a location and an extension and/or a phone number."
    )
    assert _package(user) == "Webex Meetings [Sub-100234]"


def test_calling_package_with_location_and_extension_is_assigned(acme, oslo):
    user = create_user(email="pat@acme.test", actor=ACTOR)

    change_package(
        user=user,
        line=line("webex_calling"),
        actor=ACTOR,
        calling=calling_details(location=oslo, extension="1234"),
    )

    assert _package(user) == "Webex Calling [Sub-100234]"


def test_invalid_extension_is_refused_and_nothing_changes(acme, oslo):
    user = create_user(email="pat@acme.test", actor=ACTOR)

    with pytest.raises(CallingDetailsRequired) as error:
        change_package(
            user=user,
            line=line("webex_calling"),
            actor=ACTOR,
            calling=calling_details(location=oslo, extension="12a"),
        )

    assert error.value.message == "Extension '12a' is not valid: use 2 to 10 digits."
    assert _package(user) is None


def test_leaving_calling_needs_confirmation_listing_the_loss(acme, oslo):
    user = create_user(email="pat@acme.test", actor=ACTOR)
    details = calling_details(location=oslo, extension="1234")
    change_package(user=user, line=line("webex_calling"), actor=ACTOR, calling=details)

    with pytest.raises(CallingLossNotConfirmed) as error:
        change_package(user=user, line=line("webex_meetings"), actor=ACTOR)

    assert error.value.message.startswith(
        "Moving pat@acme.test to Webex Meetings removes calling and deletes its calling data: "
    )
    assert error.value.message.endswith("This cannot be undone; confirm to go ahead.")
    assert error.value.details["lost"]
    assert _package(user) == "Webex Calling [Sub-100234]"

    change_package(user=user, line=line("webex_meetings"), actor=ACTOR, confirm_calling_loss=True)

    assert _package(user) == "Webex Meetings [Sub-100234]"


def test_between_calling_packages_no_details_needed(acme, oslo):
    user = create_user(email="pat@acme.test", actor=ACTOR)
    details = calling_details(location=oslo, number="+4722334455")
    change_package(user=user, line=line("webex_calling"), actor=ACTOR, calling=details)

    change_package(user=user, line=line("webex_suite"), actor=ACTOR)

    assert _package(user) == "Webex Suite [Sub-100234]"


def test_unassign_then_reassign_is_the_remedy(acme):
    user = create_user(email="pat@acme.test", package_line=line("webex_meetings"), actor=ACTOR)
    with pytest.raises(LicenseAlreadyHeld):
        reassign_package(user=user, line=line("webex_meetings"), actor=ACTOR)

    unassign_package(user=user, actor=ACTOR)
    assert _package(user) is None
    reassign_package(user=user, line=line("webex_meetings"), actor=ACTOR)

    assert _package(user) == "Webex Meetings [Sub-100234]"
