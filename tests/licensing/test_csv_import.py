"""The user CSV (SPEC §4, §5, §7): one test per rule; bad input changes nothing."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from customers.models import UserEmailClaim
from licensing import selectors
from licensing.csv import columns as col
from licensing.csv.errors import CsvFileError
from licensing.csv.exports import export_users_csv
from licensing.csv.imports import import_users
from licensing.errors import LicenseExhausted
from licensing.models import LicenseAssignment, OrgUser, SubscriptionLine
from licensing.services.subscriptions import create_subscription, suspend_subscription
from partnerhub.audit.services import Actor
from tests.conftest import in_schema
from tests.licensing.conftest import line, second_subscription

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")
CALLING = "Webex Calling [Sub-100234]"
MEETINGS = "Webex Meetings [Sub-100234]"
SUITE = "Webex Suite [Sub-100234]"


def headers() -> list[str]:
    return col.export_headers(col.package_lines())


def csv_of(*rows: dict[str, str], header: list[str] | None = None) -> bytes:
    header = header or headers()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, restval="")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode()


def meetings_user(email: str = "kim@acme.test", **extra: str) -> dict[str, str]:
    return {
        col.EMAIL: email, col.FIRST_NAME: "Kim", col.LAST_NAME: "Lee", col.JABBER_CALLING: "FALSE",
        col.JABBER_TEAMS: "FALSE", col.SITE: "acme.webex.com", MEETINGS: "TRUE", **extra,
    }  # fmt: skip


def held(email: str) -> set[str]:
    """The license types the user holds, the basic ones (stored on the user) included."""
    user_ids = list(OrgUser.objects.filter(email=email).values_list("pk", flat=True))
    return set().union(*selectors.license_types_held(user_ids).values())


def snapshot() -> tuple:
    return (
        sorted(OrgUser.objects.values_list("email", "first_name")),
        sorted(LicenseAssignment.objects.values_list("user__email", "license_type", "line_id")),
        [(u.email, selectors.basic_licenses_of(u)) for u in OrgUser.objects.order_by("email")],
    )


def test_new_user_gets_package_and_default_basic_licenses(acme):
    result = import_users(content=csv_of(meetings_user()), actor=ACTOR)
    assert result.applied and result.counts["created"] == 1
    assert held("kim@acme.test") == {
        "webex_meetings",
        "basic_messaging",
        "basic_space_meetings",
        "call_on_webex",
    }
    assert UserEmailClaim.objects.filter(email="kim@acme.test", customer=acme).exists()


def test_export_then_import_changes_nothing(acme):
    import_users(content=csv_of(meetings_user(), meetings_user("lou@acme.test")), actor=ACTOR)
    before = snapshot()
    result = import_users(content=export_users_csv().encode(), actor=ACTOR)
    assert result.counts["unchanged"] == 2 and result.counts["updated"] == 0
    assert snapshot() == before


def test_export_writes_every_column_of_the_contract(acme):
    header = next(csv.reader(io.StringIO(export_users_csv())))
    assert header[: len(col.FIXED_COLUMNS)] == col.FIXED_COLUMNS
    assert {CALLING, MEETINGS, SUITE} <= set(header)


def test_all_package_columns_false_deletes_user(acme):
    import_users(content=csv_of(meetings_user()), actor=ACTOR)
    row = {col.EMAIL: "kim@acme.test", CALLING: "FALSE", MEETINGS: "FALSE", SUITE: "FALSE"}
    result = import_users(content=csv_of(row), actor=ACTOR)
    assert result.counts["deleted"] == 1
    assert not OrgUser.objects.filter(email="kim@acme.test").exists()
    assert not UserEmailClaim.objects.filter(email="kim@acme.test").exists()


def test_false_in_one_subscription_and_true_in_another_moves_the_license(acme):
    create_subscription(external_id="Sub-200200", quantities={"webex_meetings": 5}, actor=ACTOR)
    import_users(content=csv_of(meetings_user()), actor=ACTOR)
    before = LicenseAssignment.objects.get(
        user__email="kim@acme.test", license_type="webex_meetings"
    )
    row = {col.EMAIL: "kim@acme.test", MEETINGS: "FALSE", "Webex Meetings [Sub-200200]": "TRUE"}
    result = import_users(content=csv_of(row, header=headers()), actor=ACTOR)
    assert result.counts["moved"] == 1
    after = LicenseAssignment.objects.get(
        user__email="kim@acme.test", license_type="webex_meetings"
    )
    assert after.pk == before.pk
    assert after.line.subscription.external_id == "Sub-200200"


def test_add_services_only_leaves_false_services_alone(acme):
    import_users(content=csv_of(meetings_user()), actor=ACTOR)
    import_users(
        content=csv_of({col.EMAIL: "kim@acme.test", "Basic Messaging": "FALSE"}), actor=ACTOR
    )
    assert "basic_messaging" in held("kim@acme.test")


def test_add_and_remove_services_makes_the_row_the_truth(acme):
    import_users(content=csv_of(meetings_user()), actor=ACTOR)
    row = {col.EMAIL: "kim@acme.test", "Basic Messaging": "FALSE"}
    import_users(content=csv_of(row), actor=ACTOR, mode="add-remove")
    assert "basic_messaging" not in held("kim@acme.test")


def test_contact_center_standard_true_makes_a_standard_agent_license(acme):
    import_users(content=csv_of(meetings_user(**{col.CC_STANDARD: "true"})), actor=ACTOR)
    assert "cc_standard" in held("kim@acme.test")


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (meetings_user(**{col.JABBER_CALLING: "yes"}), f"row 2, column {col.JABBER_CALLING}: 'yes' is not TRUE or FALSE."),
        (meetings_user(**{CALLING: "TRUE"}), f"row 2, column {MEETINGS}: At most one package per user: '{CALLING}' and '{MEETINGS}' are both TRUE."),
        (meetings_user(**{col.CC_STANDARD: "TRUE", col.CC_PREMIUM: "TRUE"}), f"row 2, column {col.CC_PREMIUM}: Standard and Premium are both TRUE; a user has one contact-center license."),
        (meetings_user(**{col.PHONE: "4722334455"}), f"row 2, column {col.PHONE}: '4722334455' is missing its leading +; the spreadsheet probably stripped it. Write +4722334455 and format the cell as text."),
        (meetings_user(**{col.PHONE: "+12"}), f"row 2, column {col.PHONE}: '+12' is not an E.164 number such as +4722334455."),
        (meetings_user(**{col.EXTENSION: "12a"}), f"row 2, column {col.EXTENSION}: '12a' is not an extension: use 2 to 10 digits."),
        (meetings_user(**{col.JABBER_TEAMS: ""}), f"row 2, column {col.JABBER_TEAMS}: Jabber with Webex Teams is required for Webex Meetings."),
        ({**meetings_user(**{MEETINGS: "FALSE"}), CALLING: "TRUE", col.LOCATION: "Oslo"}, f"row 2, column {col.EXTENSION}: Webex Calling needs an Extension or a Phone Number."),
        (meetings_user("x" * 65 + "@acme.test"), f"row 2, column {col.EMAIL}: The user id (before the @) is longer than 64 characters."),
    ],
)  # fmt: skip
def test_row_errors_name_row_and_column_and_apply_nothing(acme, row, expected):
    good = meetings_user("ok@acme.test")
    result = import_users(content=csv_of(row, good), actor=ACTOR)
    assert not result.applied
    assert expected in result.plan.errors
    assert not OrgUser.objects.exists()


def test_missing_preferred_site_is_a_warning_not_an_error(acme):
    result = import_users(content=csv_of(meetings_user(**{col.SITE: ""})), actor=ACTOR)
    assert result.applied
    assert any("Preferred Webex Site is empty" in w for w in result.plan.warnings)


def test_suspended_subscription_column_is_marked_and_true_there_is_an_error(acme):
    from licensing.models import Subscription

    suspend_subscription(
        subscription=Subscription.objects.get(external_id="Sub-100234"), actor=ACTOR
    )
    header = headers()
    assert f"{MEETINGS} (Suspended)" in header
    row = meetings_user()
    row[f"{MEETINGS} (Suspended)"] = row.pop(MEETINGS)
    result = import_users(content=csv_of(row, header=header), actor=ACTOR)
    assert any("suspended or cancelled" in e for e in result.plan.errors)
    assert not OrgUser.objects.exists()


def test_email_of_a_user_in_another_org_is_a_row_error(acme, world):
    with in_schema(world.initech):
        from customers.usage import claim_user_emails

        claim_user_emails(customer=world.initech, emails=["kim@acme.test"])
    result = import_users(content=csv_of(meetings_user()), actor=ACTOR)
    assert any("belongs to a user of another organisation" in e for e in result.plan.errors)
    assert not OrgUser.objects.exists()


def test_running_out_of_licenses_applies_nothing(acme):
    SubscriptionLine.objects.filter(license_type="webex_meetings").update(quantity=1)
    with pytest.raises(LicenseExhausted, match="Webex Meetings"):
        import_users(content=csv_of(meetings_user(), meetings_user("lou@acme.test")), actor=ACTOR)
    assert not OrgUser.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\x00\x01\x02PK\x03\x04" * 20, "This is not a text file"),
        (
            "First Name,User ID/Email (Required)\nJosé,a@acme.test\n".encode("cp1252"),
            "The file is not UTF-8",
        ),
        (b"First Name,Last Name\nKim,Lee\n", "The column 'User ID/Email (Required)' is missing."),
        (
            b"User ID/Email (Required),Webex Fax\na@acme.test,TRUE\n",
            "Unknown column(s): Webex Fax.",
        ),
        (
            b"User ID/Email (Required),First Name,First Name\na@acme.test,A,B\n",
            "These columns appear twice: First Name.",
        ),
        (
            b"User ID/Email (Required)\na@acme.test\nA@acme.test\n",
            "a@acme.test is on row 2 and row 3",
        ),
    ],
)
def test_file_level_errors_are_one_clear_message_and_apply_nothing(acme, content, message):
    with pytest.raises(CsvFileError) as error:
        import_users(content=content, actor=ACTOR)
    assert message in error.value.message
    assert not OrgUser.objects.exists()


def test_utf8_with_bom_and_plain_package_header_are_accepted(acme):
    header = [col.EMAIL, col.JABBER_CALLING, col.JABBER_TEAMS, col.SITE, "Webex Meetings"]
    content = "\ufeff" + ",".join(header) + "\nkim@acme.test,FALSE,FALSE,s.webex.com,TRUE\n"
    assert import_users(content=content.encode(), actor=ACTOR).applied
    assert "webex_meetings" in held("kim@acme.test")


def test_export_is_safe_in_spreadsheets_but_keeps_phone_numbers(acme):
    import_users(content=csv_of(meetings_user(**{col.FIRST_NAME: "=cmd()"})), actor=ACTOR)
    text = export_users_csv()
    assert "'=cmd()" in text


def test_import_users_command_exit_codes(acme, tmp_path, capsys):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(csv_of(meetings_user()))
    bad.write_bytes(csv_of(meetings_user(**{col.JABBER_CALLING: "maybe"})))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    for path, code in ((bad, 1), (empty, 2)):
        with pytest.raises(SystemExit) as exit_:
            call_command("import_users", "acme", str(path))
        assert exit_.value.code == code
    assert "row 2, column Jabber Calling: 'maybe' is not TRUE or FALSE." in capsys.readouterr().err
    call_command("import_users", "acme", str(good), "--dry-run")
    assert not OrgUser.objects.exists()
    call_command("import_users", "acme", str(good))
    assert OrgUser.objects.filter(email="kim@acme.test").exists()


FORMULA_NAMES = ['=HYPERLINK("http://evil.example")', "-2+3+cmd|' /C calc'!A0", "+1+X", "@SUM(A1)"]


def test_export_then_import_changes_nothing_for_names_that_look_like_formulas(acme, tmp_path):
    import_users(
        content=csv_of(
            *(
                meetings_user(f"f{i}@acme.test", **{col.DISPLAY_NAME: name, col.FIRST_NAME: name})
                for i, name in enumerate(FORMULA_NAMES)
            )
        ),
        actor=ACTOR,
    )
    before = snapshot()
    export = tmp_path / "users.csv"
    call_command("export_users", "acme", "-o", str(export))
    assert export.read_bytes().startswith("\ufeff".encode())

    result = import_users(content=export.read_bytes(), actor=ACTOR)

    assert result.counts["unchanged"] == 4 and result.counts["updated"] == 0
    assert snapshot() == before
    assert sorted(OrgUser.objects.values_list("display_name", flat=True)) == sorted(FORMULA_NAMES)


def test_an_unchanged_export_of_more_than_1000_contact_center_users_reimports(acme):
    second_subscription({"webex_meetings": 1100, "cc_standard": 1100})
    suspend_subscription(subscription=line("cc_standard").subscription, actor=ACTOR)
    rows = [
        {col.EMAIL: f"agent{i}@acme.test", col.FIRST_NAME: "A", col.LAST_NAME: f"Gent{i}",
         col.JABBER_CALLING: "FALSE", col.JABBER_TEAMS: "FALSE", col.SITE: "acme.webex.com",
         **dict.fromkeys(col.BASIC_COLUMNS, "FALSE"), "Webex Meetings [Sub-100999]": "TRUE",
         col.CC_STANDARD: "TRUE"}
        for i in range(1001)
    ]  # fmt: skip
    for start in (0, 600):
        result = import_users(content=csv_of(*rows[start : start + 600]), actor=ACTOR)
        assert result.applied, result.plan.errors[:3]

    result = import_users(content=export_users_csv().encode(), actor=ACTOR)

    assert result.counts["unchanged"] == 1001 and result.counts["errors"] == 0


def test_more_than_1000_rows_that_change_contact_center_licenses_are_refused(acme):
    rows = [meetings_user(f"agent{i}@acme.test", **{col.CC_STANDARD: "TRUE"}) for i in range(1001)]
    before = snapshot()
    with pytest.raises(CsvFileError) as refused:
        import_users(content=csv_of(*rows), actor=ACTOR)
    assert refused.value.message == (
        "1001 rows change contact-center licenses; at most 1000 per file (rows that leave "
        "them as they are do not count). Split the file."
    )
    assert snapshot() == before


def test_every_error_of_a_row_is_reported_at_once(acme):
    row = meetings_user(
        **{MEETINGS: "WAHR", col.JABBER_CALLING: "ja", col.CC_STANDARD: "1", col.PHONE: "12"}
    )
    result = import_users(content=csv_of(row), actor=ACTOR)
    assert result.plan.errors == [
        f"row 2, column {MEETINGS}: 'WAHR' is not TRUE or FALSE.",
        f"row 2, column {col.JABBER_CALLING}: 'ja' is not TRUE or FALSE.",
        f"row 2, column {col.CC_STANDARD}: '1' is not TRUE or FALSE.",
        f"row 2, column {col.PHONE}: '12' is not an E.164 number such as +4722334455.",
    ]
    assert not OrgUser.objects.exists()


def test_the_error_report_escapes_uploaded_cells(acme):
    from licensing.csv.imports import error_report

    row = meetings_user(**{col.DISPLAY_NAME: "=cmd|' /C calc'!A0", MEETINGS: "yes"})
    result = import_users(content=csv_of(row), actor=ACTOR)

    report = list(csv.reader(io.StringIO(error_report(result.plan))))

    assert report[1][headers().index(col.DISPLAY_NAME)] == "'=cmd|' /C calc'!A0"
    assert report[1][-2] == f"{MEETINGS}: 'yes' is not TRUE or FALSE."
