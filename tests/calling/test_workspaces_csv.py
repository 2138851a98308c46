"""The workspaces CSV (issue #4 item 6; SPEC §4 rules where they apply, §5 move by CSV)."""

from __future__ import annotations

import codecs
import csv
import io

import pytest
from django.core.management import call_command

from calling.models import CallingProfile, CallingSnapshot, PhoneNumber, Workspace
from calling.workspaces import services as ws
from calling.workspaces.csv.exports import export_workspaces_csv
from calling.workspaces.csv.imports import import_workspaces
from licensing.csv.errors import CsvFileError
from licensing.csv.reading import MAX_ROWS
from licensing.services.subscriptions import suspend_subscription
from partnerhub.audit.models import AuditEntry
from tests.calling.conftest import ACTOR, make_user, numbers_of
from tests.calling.test_workspaces import calling_state, held_line
from tests.licensing.conftest import line, second_subscription

pytestmark = pytest.mark.django_db

NAME, LOCATION, PHONE, EXTENSION = (
    "Workspace Name (Required)",
    "Location",
    "Phone Number",
    "Extension",
)
MAIN = "Workspace Calling [Sub-100234]"
OTHER = "Workspace Calling [Sub-100999]"


def csv_of(rows: list[dict[str, str]], headers: list[str] | None = None) -> bytes:
    headers = headers or list(rows[0])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def row(name: str = "Lobby", **cells: str) -> dict[str, str]:
    base = {NAME: name, LOCATION: "Oslo", PHONE: "+4722000001", EXTENSION: "100", MAIN: "TRUE"}
    return base | {k.replace("_", " "): v for k, v in cells.items()}


def run(content: bytes, **kwargs):  # type: ignore[no-untyped-def]
    return import_workspaces(content=content, actor=ACTOR, **kwargs)


def lobby(oslo) -> Workspace:  # type: ignore[no-untyped-def]
    return ws.create_workspace(
        name="Lobby", location=oslo, actor=ACTOR, line=line("workspace_calling"),
        number="+4722000001", extension="100",
    )  # fmt: skip


def provision_user_calling(oslo, number: str) -> None:  # type: ignore[no-untyped-def]
    user = make_user("pat@acme.test")
    profile = CallingProfile.objects.create(user=user, location=oslo, extension="900")
    PhoneNumber.objects.filter(e164=number).update(profile=profile)


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- export and round trip -----------------------------------------------------------


def test_export_has_one_column_per_subscription_with_workspace_calling(oslo):
    sub = second_subscription({"workspace_calling": 2})
    second_subscription({"webex_calling": 2}, external_id="Sub-100777")
    suspend_subscription(subscription=sub, actor=ACTOR)
    lobby(oslo)

    text = export_workspaces_csv()

    headers = text.splitlines()[0].split(",")
    assert headers == [NAME, LOCATION, PHONE, EXTENSION, MAIN, OTHER + " (Suspended)"]
    assert parse(text) == [
        {NAME: "Lobby", LOCATION: "Oslo", PHONE: "+4722000001", EXTENSION: "100",
         MAIN: "TRUE", OTHER + " (Suspended)": "FALSE"},
    ]  # fmt: skip


@pytest.mark.parametrize("mode", ["add", "add-remove"])
def test_export_then_import_changes_nothing(oslo, mode):
    lobby(oslo)
    ws.create_workspace(name="Storage", location=oslo, actor=ACTOR)
    before = calling_state(Workspace.objects.get(name="Lobby"))

    result = run(export_workspaces_csv().encode(), mode=mode)

    assert result.applied and not result.plan.errors
    assert result.counts["unchanged"] == 2
    assert calling_state(Workspace.objects.get(name="Lobby")) == before
    assert held_line(Workspace.objects.get(name="Storage")) is None


def test_export_of_a_workspace_on_a_suspended_subscription_round_trips(oslo):
    workspace = lobby(oslo)
    suspend_subscription(subscription=line("workspace_calling").subscription, actor=ACTOR)
    result = run(export_workspaces_csv().encode(), mode="add-remove")
    assert not result.plan.errors
    assert held_line(workspace) == "Sub-100234"


def test_export_is_safe_for_spreadsheets(oslo):
    ws.create_workspace(name="=HYPERLINK(1)", location=oslo, actor=ACTOR)
    assert "'=HYPERLINK(1)" in export_workspaces_csv()


def test_export_then_import_changes_nothing_for_names_that_look_like_formulas(oslo, tmp_path):
    names = ["=HYPERLINK(1)", "-2+3+cmd|' /C calc'!A0", "+1+X", "@SUM(A1)"]
    for name in names:
        ws.create_workspace(name=name, location=oslo, actor=ACTOR)
    export = tmp_path / "workspaces.csv"
    call_command("export_workspaces", "acme", "-o", str(export))

    result = run(export.read_bytes(), mode="add-remove")

    assert result.counts["unchanged"] == 4 and not result.plan.errors
    assert sorted(Workspace.objects.values_list("name", flat=True)) == sorted(names)


# --- rows ----------------------------------------------------------------------------


def test_new_row_creates_workspace_with_calling(oslo):
    result = run(csv_of([row()]))

    assert result.applied and result.counts["created"] == 1
    workspace = Workspace.objects.get(name="Lobby")
    assert held_line(workspace) == "Sub-100234"
    assert numbers_of(oslo)["+4722000001"] == workspace.calling.pk


def test_false_on_one_subscription_and_true_on_another_is_a_move_keeping_calling_data(oslo):
    second_subscription({"workspace_calling": 2})
    workspace = lobby(oslo)
    CallingProfile.objects.filter(workspace=workspace).update(
        voicemail_enabled=True, voicemail_pin_hash="hash", settings={"do_not_disturb": True}
    )
    before = calling_state(workspace)

    result = run(csv_of([row(**{MAIN: "FALSE", OTHER: "TRUE"})]), mode="add-remove")

    assert result.applied and result.counts["moved"] == 1
    assert held_line(workspace) == "Sub-100999"
    assert calling_state(workspace) == before
    assert not CallingSnapshot.objects.exists()


def test_all_subscription_columns_false_removes_calling_in_add_remove_mode(oslo):
    workspace = lobby(oslo)

    result = run(csv_of([row(**{MAIN: "FALSE"})]), mode="add-remove", confirm_calling_loss=True)

    assert result.applied and result.counts["calling_removed"] == 1
    assert held_line(workspace) is None
    assert numbers_of(oslo)["+4722000001"] is None
    assert CallingSnapshot.objects.get(workspace=workspace).reason == "csv_import"
    assert Workspace.objects.filter(pk=workspace.pk).exists()


def test_false_leaves_calling_as_it_is_in_add_mode_with_a_warning(oslo):
    workspace = lobby(oslo)

    result = run(csv_of([row(**{MAIN: "FALSE"})]), mode="add")

    assert result.applied and result.counts["unchanged"] == 1
    assert held_line(workspace) == "Sub-100234"
    assert result.plan.warnings == [
        f"row 2, column {MAIN}: FALSE leaves calling as it is in 'add services only' mode; "
        "import in 'add and remove services' mode to remove the workspace's calling."
    ]


def test_remove_in_phone_number_removes_the_number(oslo):
    workspace = lobby(oslo)
    result = run(csv_of([row(Phone_Number="REMOVE")]))
    assert result.counts["updated"] == 1
    assert numbers_of(oslo)["+4722000001"] is None
    assert CallingProfile.objects.get(workspace=workspace).extension == "100"


def test_blank_cells_change_nothing(oslo):
    workspace = lobby(oslo)
    before = calling_state(workspace)
    result = run(csv_of([{NAME: "lobby", LOCATION: "", PHONE: "", EXTENSION: "", MAIN: ""}]))
    assert result.counts["unchanged"] == 1
    assert calling_state(workspace) == before


def test_new_extension_is_written(oslo):
    workspace = lobby(oslo)
    run(csv_of([row(Extension="555")]))
    assert CallingProfile.objects.get(workspace=workspace).extension == "555"


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({MAIN: "yes"}, MAIN, "'yes' is not TRUE or FALSE."),
        ({PHONE: "4722000001"}, PHONE, "missing its leading +"),
        ({PHONE: "+47"}, PHONE, "is not an E.164 number"),
        ({EXTENSION: "1"}, EXTENSION, "is not an extension: use 2 to 10 digits."),
        ({LOCATION: "Atlantis"}, LOCATION, "Location 'Atlantis' does not exist"),
        ({LOCATION: ""}, LOCATION, "A new workspace needs a Location."),
        ({PHONE: "", EXTENSION: ""}, EXTENSION, "needs an Extension or a Phone Number"),
        ({MAIN: ""}, PHONE, "This workspace has no calling"),
        ({PHONE: "+4722999999"}, PHONE, "is not in this organisation's number inventory"),
        ({NAME: ""}, NAME, "The workspace name is required."),
    ],
)
def test_row_errors_name_row_and_column_and_nothing_is_applied(oslo, cells, column, message):
    content = csv_of([row("Kitchen", Phone_Number="+4722000002", Extension="200"), row() | cells])

    result = run(content)

    assert not result.applied
    assert any(
        e.startswith(f"row 3, column {column}: ") and message in e for e in result.plan.errors
    ), result.plan.errors
    assert not Workspace.objects.exists()


def test_number_taken_by_an_earlier_row_is_a_row_error(oslo):
    result = run(csv_of([row("A"), row("B", Extension="101")]))
    assert result.plan.errors == [
        f"row 3, column {PHONE}: Phone number +4722000001 is already assigned: choose a free number."
    ]
    assert not Workspace.objects.exists()


def test_two_true_subscription_columns_are_a_row_error(oslo):
    second_subscription({"workspace_calling": 2})
    result = run(csv_of([row(**{OTHER: "TRUE"})]))
    assert "A workspace holds one Workspace Calling license" in result.plan.errors[0]
    assert not Workspace.objects.exists()


def test_true_on_a_suspended_subscription_is_a_row_error(oslo):
    sub = second_subscription({"workspace_calling": 2})
    suspend_subscription(subscription=sub, actor=ACTOR)
    result = run(csv_of([row(**{MAIN: "", OTHER + " (Suspended)": "TRUE"})]))
    assert result.plan.errors == [
        f"row 2, column {OTHER} (Suspended): This subscription is suspended or cancelled: "
        "choose an active one."
    ]


def test_licenses_running_out_is_a_row_error_on_that_subscription_and_nothing_applied(oslo):
    second_subscription({"workspace_calling": 1})
    rows = [
        row("A", Phone_Number="", Extension="10", **{MAIN: "", OTHER: "TRUE"}),
        row("B", Phone_Number="", Extension="11", **{MAIN: "", OTHER: "TRUE"}),
    ]
    result = run(csv_of(rows))
    assert result.plan.errors == [
        f"row 3, column {OTHER}: No Workspace Calling licenses left on Sub-100999: 1 of 1 used."
    ]
    assert not Workspace.objects.exists()


def test_dry_run_reports_and_applies_nothing(oslo):
    result = run(csv_of([row()]), dry_run=True)
    assert not result.applied and result.counts["created"] == 1
    assert not Workspace.objects.exists()
    assert numbers_of(oslo)["+4722000001"] is None


# --- applied in bulk ------------------------------------------------------------------


def test_each_changed_workspace_gets_one_audit_entry(oslo):
    lobby(oslo)
    ws.create_workspace(name="Storage", location=oslo, actor=ACTOR)
    rows = [row(), row("Storage", Phone_Number="", Extension=""), row("Kitchen",
            Phone_Number="+4722000002", Extension="200")]  # fmt: skip
    rows[1][MAIN] = ""
    entries_before = AuditEntry.objects.count()

    result = run(csv_of(rows))

    assert result.counts == {"created": 1, "updated": 0, "moved": 0, "calling_removed": 0,
                             "unchanged": 2, "warnings": 0, "errors": 0}  # fmt: skip
    entries = list(AuditEntry.objects.order_by("pk")[entries_before:])
    assert [(e.action, e.target_repr) for e in entries] == [
        ("calling.workspace.created", "Kitchen"),
        ("calling.workspace.csv_imported", "3 rows"),
    ]
    assert entries[0].after == {"name": "Kitchen", "location": "Oslo", "license": "Sub-100234",
                                "number": "+4722000002", "extension": "200", "via": "csv"}  # fmt: skip


def test_a_license_freed_by_one_row_can_be_taken_by_another_row_of_the_file(oslo):
    second_subscription({"workspace_calling": 1})
    ws.create_workspace(
        name="A", location=oslo, actor=ACTOR, line=line("workspace_calling", "Sub-100999"),
        extension="10",
    )  # fmt: skip
    rows = [
        row("B", Phone_Number="", Extension="11", **{MAIN: "", OTHER: "TRUE"}),
        row("A", Phone_Number="", Extension="", **{MAIN: "TRUE", OTHER: "FALSE"}),
    ]

    result = run(csv_of(rows), mode="add-remove")

    assert result.applied, result.plan.errors
    assert result.counts["created"] == 1 and result.counts["moved"] == 1
    assert held_line(Workspace.objects.get(name="A")) == "Sub-100234"
    assert held_line(Workspace.objects.get(name="B")) == "Sub-100999"


def test_two_workspaces_can_swap_numbers_in_one_file(oslo):
    lobby(oslo)
    ws.create_workspace(
        name="Kitchen", location=oslo, actor=ACTOR, line=line("workspace_calling"),
        number="+4722000002", extension="200",
    )  # fmt: skip
    rows = [row(Phone_Number="+4722000002"), row("Kitchen", Phone_Number="+4722000001",
            Extension="200")]  # fmt: skip

    result = run(csv_of(rows))

    assert result.applied and result.counts["updated"] == 2, result.plan.errors
    profiles = dict(CallingProfile.objects.values_list("workspace__name", "pk"))
    assert numbers_of(oslo) == {
        "+4722000001": profiles["Kitchen"],
        "+4722000002": profiles["Lobby"],
    }


def test_number_of_a_user_is_a_row_error(oslo):
    provision_user_calling(oslo, "+4722000001")
    result = run(csv_of([row()]))
    assert result.plan.errors == [
        f"row 2, column {PHONE}: Phone number +4722000001 is already assigned: choose a free number."
    ]


def test_location_change_keeping_a_number_of_the_old_location_is_a_row_error(oslo, bergen):
    lobby(oslo)
    result = run(csv_of([row(Location="Bergen", Phone_Number="")]))
    assert result.plan.errors == [
        f"row 2, column {PHONE}: Phone number +4722000001 belongs to location Oslo, not Bergen: "
        "give a number of Bergen (or REMOVE) when moving the workspace."
    ]


def test_location_change_moves_the_workspace_and_its_calling(oslo, bergen):
    workspace = lobby(oslo)
    result = run(csv_of([row(Location="Bergen", Phone_Number="+4755000001")]))
    assert result.applied and result.counts["updated"] == 1, result.plan.errors
    workspace.refresh_from_db()
    assert workspace.location == bergen == CallingProfile.objects.get(workspace=workspace).location
    assert numbers_of(bergen)["+4755000001"] == workspace.calling.pk
    assert numbers_of(oslo)["+4722000001"] is None


def test_dry_run_reports_every_row_error_at_once(oslo):
    second_subscription({"workspace_calling": 1})
    rows = [
        row("A", Phone_Number="+4722999999", **{OTHER: ""}),
        row("B", Phone_Number="", Extension="11", **{MAIN: "", OTHER: "TRUE"}),
        row("C", Phone_Number="", Extension="12", **{MAIN: "", OTHER: "TRUE"}),
        row("D", Location="Atlantis"),
    ]
    result = run(csv_of(rows), dry_run=True)
    assert [e.split(":")[0] for e in result.plan.errors] == [
        f"row 2, column {PHONE}", f"row 4, column {OTHER}", f"row 5, column {LOCATION}",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("cells", "first"),
    [
        ({LOCATION: "Atlantis"}, LOCATION),
        ({MAIN: "yes"}, MAIN),
    ],
)
def test_a_location_or_license_error_does_not_hide_the_rows_number_and_extension_errors(
    oslo, cells, first
):
    result = run(csv_of([row(Phone_Number="4722000001", Extension="1") | cells]), dry_run=True)
    assert [e.split(":")[0] for e in result.plan.errors] == [
        f"row 2, column {first}", f"row 2, column {PHONE}", f"row 2, column {EXTENSION}",
    ]  # fmt: skip
    assert "missing its leading +" in result.plan.errors[1]
    assert "is not an extension: use 2 to 10 digits." in result.plan.errors[2]


def test_confirmed_dry_run_warns_what_is_lost(oslo):
    lobby(oslo)
    content = csv_of([row(**{MAIN: "FALSE"})])
    result = run(content, mode="add-remove", dry_run=True, confirm_calling_loss=True)
    assert result.plan.warnings == [
        f"row 2, column {NAME}: Calling data of workspace Lobby will be removed (location Oslo, "
        "number +4722000001, extension 100); restorable for 30 days."
    ]
    assert held_line(Workspace.objects.get(name="Lobby")) == "Sub-100234"


def test_queries_do_not_grow_with_the_number_of_rows(oslo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    second_subscription({"workspace_calling": 40})
    PhoneNumber.objects.bulk_create(
        PhoneNumber(e164=f"+47221000{i:02d}", location=oslo) for i in range(40)
    )

    def queries(n: int, offset: int) -> int:
        rows = [row(f"Room {offset + i}", Phone_Number=f"+47221000{offset + i:02d}",
                    Extension=str(500 + offset + i), **{MAIN: "", OTHER: "TRUE"})
                for i in range(n)]  # fmt: skip
        with CaptureQueriesContext(connection) as captured:
            assert run(csv_of(rows)).applied
        return len(captured)

    assert queries(2, 0) == queries(30, 10)


def _validated(content: bytes, mode: str = "add"):  # type: ignore[no-untyped-def]
    from calling.workspaces.csv.validation import validate
    from partnerhub.csvfiles.reading import read_table

    table = read_table(content, what="workspaces CSV")
    return validate(headers=table.headers, rows=table.rows, mode=mode)


def test_a_number_taken_between_validation_and_apply_refuses_the_whole_file(oslo):
    from calling.errors import NumberAlreadyAssigned
    from calling.workspaces.csv.imports import apply_plan

    plan = _validated(csv_of([row("Kitchen", Phone_Number="+4722000002", Extension="200"),
                              row()]))  # fmt: skip
    assert not plan.errors
    provision_user_calling(oslo, "+4722000001")

    with pytest.raises(NumberAlreadyAssigned, match="nothing was applied"):
        apply_plan(plan, actor=ACTOR)
    assert not Workspace.objects.exists()


def test_the_last_license_taken_between_validation_and_apply_refuses_the_whole_file(oslo):
    from calling.workspaces.csv.imports import apply_plan
    from licensing.errors import LicenseExhausted

    second_subscription({"workspace_calling": 1})
    plan = _validated(csv_of([row("A", Phone_Number="", Extension="10", **{MAIN: "",
                                                                           OTHER: "TRUE"})]))  # fmt: skip
    assert not plan.errors
    ws.create_workspace(name="B", location=oslo, actor=ACTOR,
                        line=line("workspace_calling", "Sub-100999"), extension="11")  # fmt: skip

    with pytest.raises(LicenseExhausted, match="No Workspace Calling licenses left on Sub-100999"):
        apply_plan(plan, actor=ACTOR)
    assert list(Workspace.objects.values_list("name", flat=True)) == ["B"]


# --- file-level errors ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\x00\x01binary\x00", "This is not a text file"),
        ("Workspace Name (Required)\nL\xf8bby\n".encode("latin-1"), "The file is not UTF-8"),
        (b"Location\nOslo\n", "The column 'Workspace Name (Required)' is missing."),
        (b"Workspace Name (Required),Colour\nLobby,red\n", "Unknown column(s): Colour."),
        (b"Workspace Name (Required),Location,Location\nA,Oslo,Oslo\n", "appear twice: Location"),
        (b"Workspace Name (Required)\n", "has a header row but no rows"),
        (b"Workspace Name (Required)\nLobby\nLOBBY\n", "'LOBBY' is on row 2 and row 3"),
    ],
)
def test_file_level_errors_refuse_the_whole_file(oslo, content, message):
    with pytest.raises(CsvFileError) as refused:
        run(content)
    assert message in refused.value.message
    assert not Workspace.objects.exists()


def test_too_many_rows_is_a_file_error(oslo):
    content = "Workspace Name (Required)\n" + "".join(f"W{i}\n" for i in range(MAX_ROWS + 1))
    with pytest.raises(CsvFileError, match="limit is 20000"):
        run(content.encode())


def test_too_large_a_file_is_a_file_error(oslo):
    content = b"Workspace Name (Required)\n" + b"x" * (10 * 1024 * 1024 + 1)
    with pytest.raises(CsvFileError, match="the limit is 10 MB"):
        run(content)


def test_utf8_with_bom_is_read(oslo):
    result = run(codecs.BOM_UTF8 + csv_of([row("Møterom")]))
    assert result.applied
    assert Workspace.objects.filter(name="Møterom").exists()


def test_plain_workspace_calling_header_works_with_one_subscription(oslo):
    content = csv_of(
        [{NAME: "Lobby", LOCATION: "Oslo", EXTENSION: "100", "Workspace Calling": "TRUE"}]
    )
    assert run(content).applied
    assert held_line(Workspace.objects.get(name="Lobby")) == "Sub-100234"


# --- the command -----------------------------------------------------------------------


def test_import_command_exit_codes(oslo, world, tmp_path, capsys):
    good, bad, broken = tmp_path / "good.csv", tmp_path / "bad.csv", tmp_path / "broken.csv"
    good.write_bytes(csv_of([row()]))
    bad.write_bytes(csv_of([row(Extension="1")]))
    broken.write_bytes(b"Colour\nred\n")

    def exit_code(path, *args) -> int:  # type: ignore[no-untyped-def]
        try:
            call_command("import_workspaces", "acme", str(path), *args)
        except SystemExit as exit:
            return int(exit.code)
        return 0

    assert exit_code(good, "--dry-run") == 0
    assert not Workspace.objects.exists()
    assert exit_code(bad) == 1
    assert exit_code(broken) == 2
    assert exit_code(good, "--mode", "add-remove") == 0
    assert Workspace.objects.filter(name="Lobby").exists()


def test_export_command_writes_the_csv(oslo, world, tmp_path):
    lobby(oslo)
    out = tmp_path / "ws.csv"
    call_command("export_workspaces", "acme", "-o", str(out))
    assert parse(out.read_text(encoding="utf-8-sig"))[0][PHONE] == "+4722000001"


def test_export_of_one_org_never_shows_another_orgs_workspaces(oslo, world, tmp_path):
    lobby(oslo)
    out = tmp_path / "initech.csv"
    call_command("export_workspaces", "initech", "-o", str(out))
    assert "Lobby" not in out.read_text()
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        f"{NAME},{LOCATION},{PHONE},{EXTENSION}"
    ]
