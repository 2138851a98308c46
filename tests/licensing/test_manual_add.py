from __future__ import annotations

import pytest
from django.core import mail

from customers.models import UserEmailClaim
from licensing.errors import BatchTooLarge
from licensing.models import LicenseAssignment, OrgUser
from licensing.services.users import UserEntry, add_users
from tests.conftest import in_schema
from tests.licensing.conftest import ACTOR, line

pytestmark = pytest.mark.django_db


def test_manual_add_accepts_25_users(acme):
    entries = [UserEntry(email=f"user{i}@acme.test") for i in range(25)]

    result = add_users(entries=entries, package_line=line("webex_meetings"), actor=ACTOR)

    assert len(result.created) == 25
    assert OrgUser.objects.count() == 25
    assert LicenseAssignment.objects.filter(license_type="webex_meetings").count() == 25


def test_manual_add_refuses_26_users_and_creates_nothing(acme):
    entries = [UserEntry(email=f"user{i}@acme.test") for i in range(26)]

    with pytest.raises(BatchTooLarge) as error:
        add_users(entries=entries, package_line=None, actor=ACTOR)

    assert error.value.message == (
        "You can add at most 25 users at a time; this batch has 26. "
        "Split it, or use the CSV import for more."
    )
    assert OrgUser.objects.count() == 0


def test_manual_add_refuses_email_of_another_org(acme, world):
    with in_schema(world.initech):
        add_users(entries=[UserEntry(email="trial@shared.test")], package_line=None, actor=ACTOR)

    result = add_users(
        entries=[UserEntry(email="Trial@shared.test"), UserEntry(email="new@acme.test")],
        package_line=None,
        actor=ACTOR,
    )

    assert [o.email for o in result.created] == ["new@acme.test"]
    [failed] = result.failed
    assert failed.reason.startswith("trial@shared.test already belong(s) to a user of another org")
    assert not OrgUser.objects.filter(email="trial@shared.test").exists()
    assert UserEmailClaim.objects.get(email="trial@shared.test").customer == world.initech


def test_manual_add_updates_existing_user_of_this_org(acme):
    add_users(entries=[UserEntry(email="kim@acme.test")], package_line=None, actor=ACTOR)

    result = add_users(
        entries=[UserEntry(email="kim@acme.test", first_name="Kim", last_name="Lee")],
        package_line=line("webex_meetings"),
        actor=ACTOR,
    )

    [updated] = result.updated
    user = OrgUser.objects.get(email="kim@acme.test")
    assert (user.first_name, user.last_name) == ("Kim", "Lee")
    assert user.licenses.get(kind="package").license_type == "webex_meetings"


def test_manual_add_reports_invalid_email_and_goes_on(acme):
    result = add_users(
        entries=[UserEntry(email="not-an-email"), UserEntry(email="ok@acme.test")],
        package_line=None,
        actor=ACTOR,
    )

    assert [o.reason for o in result.failed] == ["'not-an-email' is not a valid e-mail address."]
    assert list(OrgUser.objects.values_list("email", flat=True)) == ["ok@acme.test"]


def test_manual_add_sends_invitations_after_commit(acme, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        add_users(
            entries=[UserEntry(email="inv@acme.test")],
            package_line=None,
            actor=ACTOR,
            send_invitations=True,
        )

    assert [m.to for m in mail.outbox] == [["inv@acme.test"]]


def test_manual_add_with_calling_package_needs_calling_details(acme):
    result = add_users(
        entries=[UserEntry(email="caller@acme.test")],
        package_line=line("webex_calling"),
        actor=ACTOR,
    )

    [failed] = result.failed
    assert failed.reason == (
        "Webex Calling includes calling: give a location and an extension and/or a phone number."
    )
    assert not OrgUser.objects.filter(email="caller@acme.test").exists()
