"""The user CSV writes calling data (SPEC §4, §6; issue #4): Phone Number, Extension
and Location of each row are checked against the number inventory for the whole file
and applied all or nothing. One test per rule."""

from __future__ import annotations

import csv
import gc
import io

import pytest

from calling.models import CallingProfile, CallingSnapshot, Location, PhoneNumber, Workspace
from calling.services.profiles import CallingDetails, provision_user_calling
from calling.services.snapshots import restorable_snapshot
from licensing.csv import columns as col
from licensing.csv.exports import export_users_csv
from licensing.csv.imports import import_users
from licensing.csv.reading import read_users_csv
from licensing.csv.validation import validate
from licensing.models import LicenseAssignment, OrgUser
from licensing.services.subscriptions import create_subscription
from partnerhub.audit.models import AuditEntry
from tests.calling.conftest import ACTOR, make_user, numbers_of
from tests.conftest import in_schema
from tests.licensing.test_csv_import import CALLING, MEETINGS, SUITE, csv_of, headers

pytestmark = pytest.mark.django_db


JABBER = {col.JABBER_CALLING: "FALSE", col.JABBER_TEAMS: "FALSE"}


def calling_row(email: str = "kim@acme.test", **extra: str) -> dict[str, str]:
    return {
        col.EMAIL: email, col.FIRST_NAME: "Kim", col.LAST_NAME: "Lee", col.JABBER_CALLING: "TRUE",
        col.JABBER_TEAMS: "TRUE", col.SITE: "acme.webex.com", CALLING: "TRUE",
        col.LOCATION: "Oslo", **extra,
    }  # fmt: skip


def calling_of(email: str) -> tuple[str, str | None, str | None] | None:
    profile = CallingProfile.objects.select_related("location").filter(user__email=email).first()
    if profile is None:
        return None
    number = PhoneNumber.objects.filter(profile=profile).first()
    return (profile.location.name, profile.extension, number.e164 if number else None)


def state() -> tuple:
    """Everything a refused import must leave alone."""
    return (
        list(OrgUser.objects.order_by("pk").values_list("pk", "email", "first_name")),
        list(CallingProfile.objects.order_by("pk").values()),
        list(PhoneNumber.objects.order_by("pk").values_list("e164", "profile_id")),
        list(LicenseAssignment.objects.order_by("pk").values_list("pk", "user_id", "line_id")),
    )


def provisioned(email: str, location: Location, extension: str = "", number: str = "") -> OrgUser:
    """A user imported with Webex Calling and the given calling data."""
    row = calling_row(email, **{col.LOCATION: location.name, col.EXTENSION: extension,
                                col.PHONE: number})  # fmt: skip
    result = import_users(content=csv_of(row), actor=ACTOR)
    assert result.applied, result.plan.errors
    return OrgUser.objects.get(email=email)


def test_new_calling_user_gets_number_extension_and_location(oslo):
    row = calling_row(**{col.PHONE: "+4722000001", col.EXTENSION: "1234"})
    result = import_users(content=csv_of(row), actor=ACTOR)
    assert result.applied and result.counts["created"] == 1
    assert calling_of("kim@acme.test") == ("Oslo", "1234", "+4722000001")
    assert AuditEntry.objects.filter(action="calling.user.provisioned").count() == 1


def test_existing_calling_user_changes_number_and_extension(oslo):
    provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    row = {col.EMAIL: "kim@acme.test", col.PHONE: "+4722000002", col.EXTENSION: "5678"}
    result = import_users(content=csv_of(row), actor=ACTOR)
    assert result.applied and result.counts["updated"] == 1
    assert calling_of("kim@acme.test") == ("Oslo", "5678", "+4722000002")
    assert numbers_of(oslo)["+4722000001"] is None
    entry = AuditEntry.objects.get(action="calling.user.changed")
    assert entry.before["number"] == "+4722000001" and entry.after["number"] == "+4722000002"


def test_blank_calling_cells_change_nothing_for_an_existing_user(oslo):
    provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    result = import_users(
        content=csv_of({col.EMAIL: "kim@acme.test", col.FIRST_NAME: "Kimberly"}), actor=ACTOR
    )
    assert result.applied
    assert calling_of("kim@acme.test") == ("Oslo", "1234", "+4722000001")


def test_new_location_moves_the_user_with_a_number_of_that_location(bergen):
    provisioned("kim@acme.test", Location.objects.get(name="Oslo"), "1234", "+4722000001")
    row = {col.EMAIL: "kim@acme.test", col.LOCATION: "Bergen", col.PHONE: "+4755000001"}
    assert import_users(content=csv_of(row), actor=ACTOR).applied
    assert calling_of("kim@acme.test") == ("Bergen", "1234", "+4755000001")


def test_remove_in_phone_number_removes_the_number(oslo):
    provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    result = import_users(
        content=csv_of({col.EMAIL: "kim@acme.test", col.PHONE: "remove"}), actor=ACTOR
    )
    assert result.applied
    assert calling_of("kim@acme.test") == ("Oslo", "1234", None)
    assert numbers_of(oslo)["+4722000001"] is None


def test_remove_in_extension_removes_the_extension(oslo):
    provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    result = import_users(
        content=csv_of({col.EMAIL: "kim@acme.test", col.EXTENSION: "REMOVE"}), actor=ACTOR
    )
    assert result.applied
    assert calling_of("kim@acme.test") == ("Oslo", None, "+4722000001")


def test_remove_of_the_last_of_number_and_extension_is_a_row_error(oslo):
    provisioned("kim@acme.test", oslo, "", "+4722000001")
    before = state()
    result = import_users(
        content=csv_of({col.EMAIL: "kim@acme.test", col.PHONE: "REMOVE"}), actor=ACTOR
    )
    assert not result.applied
    assert (
        f"row 2, column {col.EXTENSION}: A user with calling needs an Extension or a Phone "
        "Number; both would be empty." in result.plan.errors
    )
    assert state() == before


def test_numbers_and_extensions_swap_between_rows_of_one_file(oslo):
    provisioned("kim@acme.test", oslo, "1001", "+4722000001")
    provisioned("lou@acme.test", oslo, "1002", "+4722000002")
    rows = (
        {col.EMAIL: "kim@acme.test", col.PHONE: "+4722000002", col.EXTENSION: "1002"},
        {col.EMAIL: "lou@acme.test", col.PHONE: "+4722000001", col.EXTENSION: "1001"},
    )
    result = import_users(content=csv_of(*rows), actor=ACTOR)
    assert result.applied, result.plan.errors
    assert calling_of("kim@acme.test") == ("Oslo", "1002", "+4722000002")
    assert calling_of("lou@acme.test") == ("Oslo", "1001", "+4722000001")


def _other_users_hold_numbers(oslo: Location, bergen: Location) -> None:
    provisioned("pat@acme.test", oslo, "1000", "+4722000002")
    workspace = Workspace.objects.create(name="Lobby", location=oslo)
    CallingProfile.objects.create(workspace=workspace, location=oslo, extension="2000")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([calling_row(**{col.PHONE: "+4799999999"})],
         f"row 2, column {col.PHONE}: Phone number +4799999999 is not in this organisation's number inventory: add it to a location first."),
        ([calling_row(**{col.PHONE: "+4755000001"})],
         f"row 2, column {col.PHONE}: Phone number +4755000001 belongs to location Bergen, not Oslo: give a number of Oslo or change the Location."),
        ([calling_row(**{col.PHONE: "+4722000002"})],
         f"row 2, column {col.PHONE}: Phone number +4722000002 is already assigned to someone else: choose a free number."),
        ([calling_row(**{col.EXTENSION: "1000"})],
         f"row 2, column {col.EXTENSION}: Extension 1000 is already used in location Oslo: choose another."),
        ([calling_row(**{col.EXTENSION: "2000"})],
         f"row 2, column {col.EXTENSION}: Extension 2000 is already used in location Oslo: choose another."),
        ([calling_row(**{col.EXTENSION: "3000"}), calling_row("lou@acme.test", **{col.EXTENSION: "3000"})],
         f"row 3, column {col.EXTENSION}: Extension 3000 is also given to row 2 in location Oslo: extensions are unique within a location."),
        ([calling_row(**{col.PHONE: "+4722000001"}), calling_row("lou@acme.test", **{col.PHONE: "+4722000001"})],
         f"row 3, column {col.PHONE}: Phone number +4722000001 is also given to row 2: a number belongs to one user."),
        ([calling_row(**{col.LOCATION: "Trondheim", col.EXTENSION: "3000"})],
         f"row 2, column {col.LOCATION}: There is no location 'Trondheim'. This organisation's locations: Bergen, Oslo."),
        ([calling_row(**{col.PHONE: "", col.EXTENSION: ""})],
         f"row 2, column {col.EXTENSION}: Webex Calling needs an Extension or a Phone Number."),
        ([calling_row(**{col.LOCATION: "", col.EXTENSION: "3000"})],
         f"row 2, column {col.LOCATION}: Location is required for Webex Calling."),
    ],
    ids=["not-in-inventory", "other-location", "number-taken", "extension-taken",
         "extension-of-a-workspace", "extension-twice-in-file", "number-twice-in-file",
         "unknown-location", "no-number-or-extension", "no-location"],
)  # fmt: skip
def test_bad_calling_data_is_a_row_error_naming_the_column_and_applies_nothing(
    bergen, rows, expected
):
    _other_users_hold_numbers(Location.objects.get(name="Oslo"), bergen)
    good = calling_row("ok@acme.test", **{col.EXTENSION: "4000"})
    before = state()
    result = import_users(content=csv_of(*rows, good), actor=ACTOR)
    assert not result.applied
    assert expected in result.plan.errors
    assert state() == before


def test_dry_run_reports_calling_errors(oslo):
    row = calling_row(**{col.PHONE: "+4799999999"})
    result = import_users(content=csv_of(row), actor=ACTOR, dry_run=True)
    assert any(e.startswith(f"row 2, column {col.PHONE}:") for e in result.plan.errors)


def test_number_of_another_org_cannot_be_assigned(oslo, world):
    with in_schema(world.initech):
        elsewhere = Location.objects.create(name="Oslo", country="NO", is_default=True)
        PhoneNumber.objects.create(e164="+4766000001", location=elsewhere)
    result = import_users(content=csv_of(calling_row(**{col.PHONE: "+4766000001"})), actor=ACTOR)
    assert not result.applied
    assert (
        f"row 2, column {col.PHONE}: Phone number +4766000001 is not in this organisation's "
        "number inventory: add it to a location first." in result.plan.errors
    )
    with in_schema(world.initech):
        assert PhoneNumber.objects.get(e164="+4766000001").profile_id is None


def test_move_to_another_subscription_keeps_calling_data_byte_for_byte(oslo):
    create_subscription(external_id="Sub-200200", quantities={"webex_calling": 5}, actor=ACTOR)
    user = provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    profile = CallingProfile.objects.get(user=user)
    profile.voicemail_enabled, profile.settings = True, {"forward": "+4722999999"}
    profile.save()

    def calling_rows() -> tuple:
        return (
            list(CallingProfile.objects.filter(user=user).values()),
            list(PhoneNumber.objects.filter(profile__user=user).values()),
        )

    before = calling_rows()
    row = {col.EMAIL: "kim@acme.test", CALLING: "FALSE", "Webex Calling [Sub-200200]": "TRUE"}
    result = import_users(content=csv_of(row, header=headers()), actor=ACTOR)
    assert result.applied and result.counts["moved"] == 1
    assert calling_rows() == before
    assert not result.plan.warnings
    line = LicenseAssignment.objects.get(user=user, license_type="webex_calling").line
    assert line.subscription.external_id == "Sub-200200"


def test_move_of_an_exported_row_keeps_calling_data(oslo):
    create_subscription(external_id="Sub-200200", quantities={"webex_calling": 5}, actor=ACTOR)
    provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    before = state()
    exported = list(csv.DictReader(io.StringIO(export_users_csv())))
    exported[0].update({CALLING: "FALSE", "Webex Calling [Sub-200200]": "TRUE"})
    result = import_users(content=csv_of(*exported), actor=ACTOR)
    assert result.applied and result.counts["moved"] == 1, result.plan.errors
    assert calling_of("kim@acme.test") == ("Oslo", "1234", "+4722000001")
    assert state()[1:3] == before[1:3]


def test_calling_package_to_another_calling_package_keeps_calling_data(oslo):
    provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    row = calling_row(**{CALLING: "FALSE", SUITE: "TRUE", col.EXTENSION: "1234"})
    result = import_users(content=csv_of(row), actor=ACTOR)
    assert result.applied, result.plan.errors
    assert calling_of("kim@acme.test") == ("Oslo", "1234", "+4722000001")


def test_losing_the_calling_package_removes_calling_and_leaves_a_restorable_snapshot(oslo):
    provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    row = {col.EMAIL: "kim@acme.test", CALLING: "FALSE", MEETINGS: "TRUE", **JABBER}
    result = import_users(content=csv_of(row), actor=ACTOR, confirm_calling_loss=True)
    assert result.applied
    assert calling_of("kim@acme.test") is None
    assert numbers_of(oslo)["+4722000001"] is None
    snapshot = restorable_snapshot(email="kim@acme.test")
    assert snapshot is not None and snapshot.reason == "csv"
    assert snapshot.data["number"] == "+4722000001" and snapshot.data["extension"] == "1234"
    assert AuditEntry.objects.filter(action="calling.user.removed").count() == 1


def test_confirmed_dry_run_warns_who_loses_calling_and_changes_nothing(oslo):
    provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    before = state()
    row = {col.EMAIL: "kim@acme.test", CALLING: "FALSE", MEETINGS: "TRUE", **JABBER}
    result = import_users(content=csv_of(row), actor=ACTOR, dry_run=True, confirm_calling_loss=True)
    assert not result.applied and not result.plan.errors
    assert (
        f"row 2, column {col.EMAIL}: Calling data of kim@acme.test will be removed (location "
        "Oslo, number +4722000001, extension 1234): the row takes its package with calling "
        "away; "
        "restorable for 30 days." in result.plan.warnings
    )
    assert state() == before
    assert not CallingSnapshot.objects.exists()


def test_deleting_a_calling_user_keeps_a_restorable_snapshot_and_warns(oslo):
    provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    row = {col.EMAIL: "kim@acme.test", CALLING: "FALSE", MEETINGS: "FALSE", SUITE: "FALSE"}
    result = import_users(content=csv_of(row), actor=ACTOR, confirm_calling_loss=True)
    assert result.applied and result.counts["deleted"] == 1
    assert any("is deleted with its calling data" in w for w in result.plan.warnings)
    assert restorable_snapshot(email="kim@acme.test").data["number"] == "+4722000001"


def test_export_then_import_with_calling_users_changes_nothing(bergen):
    oslo = Location.objects.get(name="Oslo")
    provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    provisioned("lou@acme.test", bergen, "", "+4755000001")
    provisioned("max@acme.test", oslo, "77")
    before = state()
    text = export_users_csv()
    assert "+4722000001" in text and "Bergen" in text
    result = import_users(content=text.encode(), actor=ACTOR)
    assert result.applied
    assert result.counts["unchanged"] == 3 and result.counts["updated"] == 0
    assert not result.plan.calling.changed()
    assert state() == before


def test_calling_cells_of_a_user_without_calling_are_ignored_with_a_warning(oslo):
    row = {
        col.EMAIL: "kim@acme.test", col.JABBER_CALLING: "FALSE", col.JABBER_TEAMS: "FALSE",
        col.SITE: "acme.webex.com", MEETINGS: "TRUE", col.EXTENSION: "1234", col.LOCATION: "Oslo",
    }  # fmt: skip
    result = import_users(content=csv_of(row), actor=ACTOR)
    assert result.applied
    assert calling_of("kim@acme.test") is None
    assert any("Ignored: the user has no package with calling" in w for w in result.plan.warnings)


def test_calling_user_set_up_elsewhere_without_calling_data_gets_it_from_the_file(oslo):
    user = make_user("kim@acme.test")
    LicenseAssignment.objects.filter(user=user, license_type="webex_meetings").delete()
    from tests.licensing.conftest import line

    LicenseAssignment.objects.create(
        user=user, line=line("webex_calling"), license_type="webex_calling", kind="package"
    )
    row = {col.EMAIL: "kim@acme.test", col.LOCATION: "Oslo", col.EXTENSION: "1234"}
    assert import_users(content=csv_of(row), actor=ACTOR).applied
    assert calling_of("kim@acme.test") == ("Oslo", "1234", None)


def test_calling_set_up_by_hand_is_read_by_the_csv(oslo, pat):
    LicenseAssignment.objects.filter(user=pat).delete()
    from tests.licensing.conftest import line

    LicenseAssignment.objects.create(
        user=pat, line=line("webex_calling"), license_type="webex_calling", kind="package"
    )
    provision_user_calling(
        user=pat, details=CallingDetails(location=oslo, extension="55"), actor=ACTOR
    )
    row = {col.EMAIL: pat.email, col.PHONE: "+4722000001"}
    assert import_users(content=csv_of(row), actor=ACTOR).applied
    assert calling_of(pat.email) == ("Oslo", "55", "+4722000001")


def test_dry_run_task_lists_who_loses_calling(
    org_client, world, oslo, django_capture_on_commit_callbacks
):
    from partnerhub.jobs.models import OrgJob
    from tests.jobs.queue import drain_queue
    from tests.jobs.test_user_csv_tasks import upload

    provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    row = {col.EMAIL: "kim@acme.test", CALLING: "FALSE", MEETINGS: "TRUE", **JABBER}
    content = csv_of(row)
    client = org_client(world.acme, world.ann)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, content, dry_run="on", confirm_calling_loss="on")
    drain_queue()
    with in_schema(world.acme):
        job = OrgJob.objects.get()
        warnings = [m["warning"] for m in job.messages if "warning" in m]
        assert any("Calling data of kim@acme.test will be removed" in w for w in warnings)
        assert calling_of("kim@acme.test") == ("Oslo", "1234", "+4722000001")
    page = client.get(f"/tasks/{job.pk}/").content.decode()
    assert "Calling data of kim@acme.test will be removed" in page


def test_a_number_taken_between_validation_and_apply_applies_nothing(oslo, pat):
    from calling import errors
    from licensing.csv.applying import apply_plan
    from licensing.csv.reading import read_rows
    from licensing.csv.validation import validate

    headers_, rows = read_rows(csv_of(calling_row(**{col.PHONE: "+4722000001"})))
    plan = validate(headers=headers_, rows=rows)
    assert not plan.errors
    LicenseAssignment.objects.filter(user=pat).delete()
    from tests.licensing.conftest import line

    LicenseAssignment.objects.create(
        user=pat, line=line("webex_calling"), license_type="webex_calling", kind="package"
    )
    provision_user_calling(
        user=pat, details=CallingDetails(location=oslo, number="+4722000001"), actor=ACTOR
    )
    before = state()
    with pytest.raises(errors.NumberAlreadyAssigned, match="Import the file again"):
        apply_plan(plan, actor=ACTOR)
    assert state() == before


def test_rows_without_calling_before_or_after_and_no_calling_cell_are_not_planned(oslo):
    """Only rows with calling to plan, or a calling cell to warn about, go to calling's
    validation (half of a typical file is neither)."""
    rows = [
        {col.EMAIL: "kim@acme.test", **JABBER, MEETINGS: "TRUE"},
        {col.EMAIL: "lou@acme.test", **JABBER, MEETINGS: "TRUE", col.EXTENSION: "1234"},
        calling_row("max@acme.test", **{col.EXTENSION: "77"}),
    ]
    result = import_users(content=csv_of(*rows), actor=ACTOR)
    assert result.applied
    planned = {row.email for row in result.plan.rows if row.number in result.plan.calling.changes}
    assert planned == {"max@acme.test"}
    assert [w for w in result.plan.warnings if "Ignored" in w] == [
        "row 3, column Extension: Ignored: the user has no package with calling, so there is "
        "no calling data to set."
    ]


def test_new_users_with_extensions_only_write_calling_without_touching_numbers(oslo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = [calling_row(f"u{i}@acme.test", **{col.EXTENSION: f"70{i}"}) for i in range(3)]
    with CaptureQueriesContext(connection) as captured:
        result = import_users(content=csv_of(*rows), actor=ACTOR)
    assert result.applied and result.counts["created"] == 3
    assert [calling_of(f"u{i}@acme.test") for i in range(3)] == [
        ("Oslo", f"70{i}", None) for i in range(3)
    ]
    # No number to lock and no profile to free: no lock or update of either table.
    touching = (PhoneNumber._meta.db_table, CallingProfile._meta.db_table)
    assert not [
        q["sql"]
        for q in captured.captured_queries
        if any(table in q["sql"] for table in touching)
        and (q["sql"].startswith("UPDATE") or q["sql"].endswith("FOR UPDATE"))
    ]


def test_validating_calling_rows_leaves_nothing_in_a_reference_cycle(oslo):
    """The import frees the validator's state as it goes (no collection pass between
    validation and apply, SPEC §9): none of it is kept alive by a reference cycle —
    such as the traceback of an exception Django catches while resolving a lookup."""
    provisioned("kim@acme.test", oslo, "1001", "+4722000001")
    content = csv_of(
        calling_row(**{col.EXTENSION: "1002"}),
        calling_row("new@acme.test", **{col.EXTENSION: "1003"}),
    )
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        table = read_users_csv(content)
        plan = validate(headers=table.headers, rows=table.rows, numbers=table.numbers)
        gc.collect()
        left = {type(o).__name__ for o in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert not plan.errors
    assert not left & {"WantedCalling", "_Current", "RowPlan", "traceback", "frame"}
