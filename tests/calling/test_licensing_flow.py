"""Licensing calls the calling app when a package with calling is given or taken."""

from __future__ import annotations

import pytest

from calling import errors
from calling.models import CallingProfile
from calling.services.profiles import CallingDetails
from licensing.models import LicenseAssignment
from licensing.services.calling_details import calling_details
from licensing.services.packages import change_package
from licensing.services.users import delete_users
from partnerhub.audit.models import AuditEntry
from tests.calling.conftest import ACTOR, numbers_of
from tests.licensing.conftest import line

pytestmark = pytest.mark.django_db


def _package(user) -> str | None:  # type: ignore[no-untyped-def]
    assignment = LicenseAssignment.objects.filter(user=user, kind="package").first()
    return str(assignment.line) if assignment else None


def test_licensing_builds_the_calling_apps_details(oslo):
    assert isinstance(calling_details(location=oslo, extension="10"), CallingDetails)


def test_calling_package_provisions_the_number(oslo, pat):
    change_package(
        user=pat,
        line=line("webex_calling"),
        actor=ACTOR,
        calling=CallingDetails(location=oslo, extension="1234", number="+4722000001"),
    )

    profile = CallingProfile.objects.get(user=pat)
    assert (profile.location, profile.extension) == (oslo, "1234")
    assert numbers_of(oslo) == {"+4722000001": profile.pk, "+4722000002": None}
    assert _package(pat) == "Webex Calling [Sub-100234]"


def test_calling_package_with_a_taken_number_changes_nothing(oslo, pat):
    from tests.calling.conftest import make_user

    kim = make_user("kim@acme.test")
    change_package(
        user=kim,
        line=line("webex_calling"),
        actor=ACTOR,
        calling=CallingDetails(location=oslo, number="+4722000001"),
    )

    with pytest.raises(errors.NumberAlreadyAssigned):
        change_package(
            user=pat,
            line=line("webex_calling"),
            actor=ACTOR,
            calling=CallingDetails(location=oslo, number="+4722000001"),
        )

    assert _package(pat) == "Webex Meetings [Sub-100234]"
    assert not CallingProfile.objects.filter(user=pat).exists()


def test_leaving_calling_releases_the_number(oslo, pat):
    change_package(
        user=pat,
        line=line("webex_calling"),
        actor=ACTOR,
        calling=CallingDetails(location=oslo, extension="1234", number="+4722000001"),
    )

    change_package(user=pat, line=line("webex_meetings"), actor=ACTOR, confirm_calling_loss=True)

    assert not CallingProfile.objects.filter(user=pat).exists()
    assert numbers_of(oslo) == {"+4722000001": None, "+4722000002": None}
    assert AuditEntry.objects.get(action="calling.user.removed").before["number"] == ("+4722000001")


def test_deleting_a_user_snapshots_and_releases_the_number(oslo, pat):
    change_package(
        user=pat,
        line=line("webex_calling"),
        actor=ACTOR,
        calling=CallingDetails(location=oslo, number="+4722000002"),
    )

    delete_users(users=[pat], actor=ACTOR)

    assert numbers_of(oslo) == {"+4722000001": None, "+4722000002": None}
    assert AuditEntry.objects.get(action="calling.user.deleted").before["number"] == ("+4722000002")
