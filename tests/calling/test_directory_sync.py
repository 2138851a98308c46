"""Directory sync (SPEC §6, issue #4 item 10) and the provisioning failure report."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from calling.errors import InvalidFeed
from calling.models import CallingProfile, PhoneNumber, ProvisioningFailure
from calling.services.directory import DirectoryEntry, sync_directory
from calling.services.profiles import CallingDetails
from customers.errors import EmailInAnotherOrg
from licensing.models import LicenseAssignment, OrgUser
from licensing.services.packages import change_package
from licensing.services.templates import create_template
from licensing.services.users import create_user
from partnerhub.audit.models import AuditEntry
from tests.calling.conftest import ACTOR, make_user
from tests.conftest import in_schema
from tests.licensing.conftest import line

pytestmark = pytest.mark.django_db


@pytest.fixture
def calling_template(oslo, bergen):  # type: ignore[no-untyped-def]
    return create_template(name="Everyone calls", lines=[line("webex_calling")], actor=ACTOR)


def sync(*entries: DirectoryEntry):  # type: ignore[no-untyped-def]
    return sync_directory(entries=list(entries), actor=ACTOR)


def kim(work_phone: str = "+4722000001", **names: str) -> DirectoryEntry:
    return DirectoryEntry(email="kim@acme.test", work_phone=work_phone, **names)


def package_of(email: str) -> str | None:
    return (
        LicenseAssignment.objects.filter(user__email=email, kind="package")
        .values_list("license_type", flat=True)
        .first()
    )


def test_new_user_covered_by_a_calling_template_is_provisioned_from_the_work_phone(
    calling_template, bergen
):
    result = sync(DirectoryEntry("kim@acme.test", "Kim", "Lee", "+4755000001"))

    assert (result.created, result.provisioned, result.unprovisioned) == (1, 1, {})
    profile = CallingProfile.objects.get(user__email="kim@acme.test")
    assert profile.location == bergen  # the location comes from the number
    assert PhoneNumber.objects.get(e164="+4755000001").profile == profile
    assert package_of("kim@acme.test") == "webex_calling"
    assert OrgUser.objects.get(email="kim@acme.test").display_name == "Kim Lee"


@pytest.mark.parametrize(
    ("work_phone", "reason"),
    [
        ("22000001", "invalid_format"),
        ("+47 22 00 00 0x", "invalid_format"),
        ("+4799999999", "number_not_found"),
        ("", "no_number"),
    ],
)
def test_a_user_whose_work_phone_cannot_be_used_stays_unprovisioned_with_a_reason(
    calling_template, work_phone, reason
):
    result = sync(kim(work_phone))

    assert result.unprovisioned == {"kim@acme.test": reason}
    assert not CallingProfile.objects.exists()
    assert package_of("kim@acme.test") is None  # no calling license without a number
    failure = ProvisioningFailure.objects.get(user__email="kim@acme.test")
    assert (failure.phone_number, failure.reason) == (work_phone, reason)


def test_a_number_assigned_to_someone_else_is_in_use(calling_template, oslo):
    pat = make_user("pat@acme.test")
    change_package(
        user=pat,
        line=line("webex_calling"),
        actor=ACTOR,
        calling=CallingDetails(location=oslo, number="+4722000001"),
    )

    assert sync(kim("+4722000001")).unprovisioned == {"kim@acme.test": "number_in_use"}


def test_two_directory_users_with_one_number_the_first_wins(calling_template):
    result = sync(kim("+4722000001"), DirectoryEntry("lee@acme.test", work_phone="+4722000001"))

    assert result.unprovisioned == {"lee@acme.test": "number_in_use"}
    assert CallingProfile.objects.get().user.email == "kim@acme.test"


def test_a_provisioned_user_is_not_reprovisioned_when_the_work_phone_changes(calling_template):
    sync(kim("+4722000001"))

    result = sync(kim("+4722000002"))

    assert (result.updated, result.provisioned) == (1, 0)
    assert PhoneNumber.objects.get(e164="+4722000001").profile.user.email == "kim@acme.test"
    assert PhoneNumber.objects.get(e164="+4722000002").profile is None
    assert OrgUser.objects.get(email="kim@acme.test").work_phone == "+4722000002"


def test_rerunning_the_same_feed_changes_nothing(calling_template):
    feed = [kim("+4722000001"), DirectoryEntry("lee@acme.test", work_phone="bad")]
    sync(*feed)
    entries_before = AuditEntry.objects.count()
    failure_before = ProvisioningFailure.objects.values_list("updated_at", flat=True).get()

    result = sync(*feed)

    assert (result.created, result.updated, result.unchanged, result.provisioned) == (0, 0, 2, 0)
    assert AuditEntry.objects.count() == entries_before
    assert ProvisioningFailure.objects.values_list("updated_at", flat=True).get() == failure_before


def test_an_unprovisioned_user_fixed_in_the_directory_is_provisioned_on_the_next_sync(
    calling_template,
):
    sync(kim("+4799999999"))

    result = sync(kim("+4722000002"))

    assert result.provisioned == 1
    assert not ProvisioningFailure.objects.exists()
    assert package_of("kim@acme.test") == "webex_calling"


def test_users_without_a_calling_template_are_only_created(oslo):
    result = sync(kim("+4722000001"))

    assert (result.created, result.provisioned, result.unprovisioned) == (1, 0, {})
    assert not CallingProfile.objects.exists()
    assert not ProvisioningFailure.objects.exists()


def test_a_user_holding_another_package_is_left_alone(calling_template):
    make_user("kim@acme.test")  # Webex Meetings, chosen by an admin

    result = sync(kim("+4722000001"))

    assert result.provisioned == 0 and result.unprovisioned == {}
    assert package_of("kim@acme.test") == "webex_meetings"


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([kim(), kim()], "kim@acme.test is in the feed twice"),
        ([DirectoryEntry("not-an-email")], "Entry 1"),
    ],
)
def test_a_bad_feed_is_refused_as_a_whole(calling_template, entries, message):
    with pytest.raises(InvalidFeed, match=message):
        sync_directory(entries=entries, actor=ACTOR)
    assert not OrgUser.objects.exists()


def test_an_email_of_another_org_is_refused_and_nothing_is_applied(calling_template, world):
    with in_schema(world.globex):
        create_user(email="gil@globex.test", actor=ACTOR)

    with pytest.raises(EmailInAnotherOrg):
        sync(kim(), DirectoryEntry("gil@globex.test"))

    assert not OrgUser.objects.filter(email="kim@acme.test").exists()


def test_directory_sync_command_reads_csv_and_json(calling_template, tmp_path, capsys):
    feed = tmp_path / "directory.csv"
    feed.write_text("email,givenName,sn,telephoneNumber\nkim@acme.test,Kim,Lee,+4722000001\n")
    call_command("directory_sync", "acme", str(feed))
    assert "created 1, updated 0, unchanged 0, provisioned 1, unprovisioned 0" in (
        capsys.readouterr().out
    )
    feed_json = tmp_path / "directory.json"
    feed_json.write_text(json.dumps([{"email": "lee@acme.test", "work_phone": "12"}]))
    call_command("directory_sync", "acme", str(feed_json))
    assert "lee@acme.test: not provisioned (invalid_format)" in capsys.readouterr().out


def test_a_user_whose_calling_an_admin_removed_is_not_reprovisioned_by_the_same_feed(
    calling_template,
):
    from licensing.services.packages import unassign_package

    sync(kim("+4722000001"))
    unassign_package(
        user=OrgUser.objects.get(email="kim@acme.test"), actor=ACTOR, confirm_calling_loss=True
    )

    assert sync(kim("+4722000001")).provisioned == 0
    assert not CallingProfile.objects.exists()


def test_the_failure_report_lists_only_users_still_without_calling(calling_template, oslo):
    from calling.services.provisioning import failure_report

    sync(kim("+4799999999"))
    change_package(
        user=OrgUser.objects.get(email="kim@acme.test"),
        line=line("webex_calling"),
        actor=ACTOR,
        calling=CallingDetails(location=oslo, number="+4722000002"),
    )

    assert list(failure_report()) == []


def test_a_user_no_longer_covered_by_a_calling_template_leaves_the_failure_report(
    calling_template,
):
    from licensing.services.templates import update_template

    sync(kim("+4799999999"))
    update_template(template=calling_template, lines=[line("webex_meetings")], actor=ACTOR)
    sync(kim("+4799999999"))

    assert not ProvisioningFailure.objects.exists()


def test_an_unreadable_csv_feed_is_a_clear_error():
    from calling.services.directory import read_feed_file

    with pytest.raises(InvalidFeed, match="ad.csv: The file is not valid CSV"):
        read_feed_file("ad.csv", b'email,work phone\n"' + b"a" * 200_000 + b'",+4722000001\n')


def test_a_feed_over_10_mb_is_refused():
    from calling.services.directory import read_feed_file

    with pytest.raises(InvalidFeed, match="at most 10 MB"):
        read_feed_file("ad.csv", b"email\n" + b"x@example.test\n" * 800_000)


def test_a_name_not_allowed_for_calling_leaves_the_user_unprovisioned_with_a_reason(
    calling_template,
):
    result = sync(kim("+4722000001", first_name='Kim "K"', last_name="L" * 31))

    assert result.unprovisioned == {"kim@acme.test": "invalid_name"}
    assert not CallingProfile.objects.exists()
