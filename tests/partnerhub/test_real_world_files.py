"""Real-world files (``tests/data/files``, copies of ``../shared/cases`` — see its
README): each one goes through the user CSV import, by the service and by
``manage.py import_users``, and gets exactly the outcome the README asks for; a refused
file changes nothing (SPEC §4, issue 9). Pages and API: ``test_csv_paths.py``."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command

from licensing.csv.errors import CsvFileError
from licensing.csv.imports import import_users
from licensing.models import OrgUser
from partnerhub.errors import InvalidName
from tests.conftest import in_schema
from tests.partnerhub.demo_org import ACTOR, FILES, snapshot

pytestmark = pytest.mark.django_db
SAVE_AS_UTF8 = (
    'Save it as "CSV UTF-8": in Excel, File → Save As → "CSV UTF-8 (Comma delimited) '
    '(*.csv)"; in LibreOffice, Save As → Text CSV with character set "Unicode (UTF-8)".'
)
EMAIL = "User ID/Email (Required)"
PHONE = "Phone Number"


@dataclass
class Outcome:
    """What importing a file must do: ``counts`` (applied), or ``errors`` (row errors,
    nothing applied), or ``file_error`` (nothing applied); ``before`` names a file
    imported first."""

    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    file_error: str = ""
    before: str = ""

    @property
    def applies(self) -> bool:
        return not (self.errors or self.file_error)


CASES = [
    ("semicolon-delimiter.csv", Outcome(counts={"created": 2})),
    ("excel-unicode-text-utf16-tab.txt", Outcome(counts={"created": 2})),
    ("trailing-empty-columns.csv", Outcome(counts={"created": 2})),
    ("blank-line-before-header.csv", Outcome(counts={"created": 1})),
    ("cr-only-line-endings.csv", Outcome(counts={"created": 2})),
    ("header-case-and-spacing.csv", Outcome(counts={"created": 1})),
    ("formula-injection-names.csv", Outcome(counts={"created": 3})),
    (
        "formula-escaped-export-reimport.csv",
        Outcome(counts={"unchanged": 43}, before="formula-injection-names.csv"),
    ),
    (
        "windows-1252-ansi.csv",
        Outcome(
            file_error="The file is not UTF-8: it looks like Windows-1252 (Western European, "
            'Excel\'s plain "CSV" on Windows) (line 2 cannot be read as UTF-8). ' + SAVE_AS_UTF8
        ),
    ),
    (
        "booleans-wahr-1-yes.csv",
        Outcome(
            errors=[
                "row 2, column Webex Calling [Sub-578814]: 'FALSCH' is not TRUE or FALSE.",
                "row 2, column Webex Meetings [Sub-578814]: 'WAHR' is not TRUE or FALSE.",
                "row 3, column Webex Meetings [Sub-578814]: '1' is not TRUE or FALSE.",
                "row 3, column Basic Messaging: 'yes' is not TRUE or FALSE.",
            ]
        ),
    ),
    (
        "quoted-newline-in-cell.csv",
        Outcome(
            errors=[  # a display name may hold a line break; row 3 is the spreadsheet's row
                f"row 3, column {EMAIL}: 'not-an-email' is not a valid e-mail address.",
            ]
        ),
    ),
    (
        "duplicate-email-different-case.csv",
        Outcome(
            file_error="stein.holm@acme.example is on row 2 and row 3: a user may appear on "
            "one row only."
        ),
    ),
    (
        "calling-duplicates-and-location-change.csv",
        Outcome(
            errors=[
                "row 3, column Extension: Extension 150 is also given to row 2 in location "
                "Headquarters: extensions are unique within a location.",
                f"row 4, column {PHONE}: Phone number +4722990020 is also given to row 2: "
                "a number belongs to one user.",
                f"row 5, column {PHONE}: Phone number +4722990001 belongs to location "
                "Headquarters, not Branch office: give a number of Branch office or change "
                "the Location.",
            ]
        ),
    ),
    (
        "phone-scientific-notation.csv",
        Outcome(
            errors=[
                f"row 2, column {PHONE}: The spreadsheet turned this number into 4.72299E+09; "
                "its digits are lost — format the column as Text and type the number again.",
                f"row 3, column {PHONE}: '4722990021' is missing its leading +; the spreadsheet "
                "probably stripped it. Write +4722990021 and format the cell as text.",
            ]
        ),
    ),
    (
        "email-invisible-characters.csv",
        Outcome(
            errors=[
                f"row 2, column {EMAIL}: 'rita.solberg@acme.example<U+200B>' contains the "
                "invisible character U+200B (ZERO WIDTH SPACE): delete the address and type it "
                "again.",
                f"row 4, column {EMAIL}: 'lene.aasen@acme\u2024example' contains U+2024 (ONE "
                "DOT LEADER), which looks like '.' but is not: type the address again with a "
                "plain '.'.",
            ]
        ),
    ),
]


def _import_by_service(name: str) -> tuple[dict[str, int], list[str], str]:
    try:
        result = import_users(content=(FILES / name).read_bytes(), actor=ACTOR)
    except CsvFileError as error:
        return {}, [], error.message
    return result.counts, result.plan.errors, ""


def _import_by_command(name: str) -> tuple[dict[str, int], list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_code:
        call_command("import_users", "acme", str(FILES / name), stdout=out, stderr=err)
        raise SystemExit(0)
    lines = err.getvalue().splitlines()
    if exit_code.value.code == 2:
        return {}, [], lines[0].removeprefix("file: ")
    counts = dict(
        (name, int(value))
        for name, value in (part.split() for part in out.getvalue().splitlines()[0].split(", "))
    )
    return counts, [line for line in lines if line.startswith("row ")], ""


@pytest.mark.parametrize("path", ["service", "command"])
@pytest.mark.parametrize(("name", "outcome"), CASES)
def test_real_world_file_gets_the_outcome_its_readme_asks_for(
    demo_acme, world, path: str, name: str, outcome: Outcome
):
    importer = _import_by_service if path == "service" else _import_by_command
    if outcome.before:
        assert importer(outcome.before)[1:] == ([], "")
    before = snapshot()

    counts, errors, file_error = importer(name)

    assert file_error == outcome.file_error
    assert errors == outcome.errors
    if outcome.applies:
        assert {key: counts[key] for key in outcome.counts} == outcome.counts
        assert counts["errors"] == 0
    else:
        assert snapshot() == before


def test_another_orgs_export_is_refused_with_the_reason_and_nothing_applied(demo_acme, world):
    content = (FILES / "other-org-export-acme-into-globex.csv").read_bytes()
    with in_schema(world.globex):
        before = snapshot()
        with pytest.raises(CsvFileError) as refused:
            import_users(content=content, actor=ACTOR)
        assert snapshot() == before
    assert refused.value.message.startswith(
        "Unknown column(s): Common Area Calling [Sub-578814], Webex Calling [Sub-578814], "
    )
    assert "export the users CSV to see them" in refused.value.message


def test_an_email_wrapped_in_no_break_spaces_is_trimmed_never_a_second_user(demo_acme):
    content = (FILES / "email-invisible-characters.csv").read_bytes()
    plan = import_users(content=content, actor=ACTOR, dry_run=True).plan
    geir = next(row for row in plan.rows if row.number == 3)
    assert (geir.email, geir.errors, geir.action) == ("geir.vik@acme.example", [], "create")
    assert not any("\u200b" in row.email for row in plan.rows if not row.errors)


def test_formula_names_import_as_plain_names_and_every_export_escapes_them(demo_acme):
    from licensing.csv.exports import export_users_csv

    import_users(content=(FILES / "formula-injection-names.csv").read_bytes(), actor=ACTOR)

    names = dict(OrgUser.objects.values_list("email", "display_name"))
    assert names["eve.attacker@acme.example"] == "-2+3+cmd|' /C calc'!A0"
    assert names["mal.lory@acme.example"].startswith("=HYPERLINK(")
    assert names["tim.plus@acme.example"] == '+1+HYPERLINK("http://evil.example")'
    export = export_users_csv()
    assert '"\'+1+HYPERLINK(""http://evil.example"")"' in export
    assert ",'-2+3+cmd|' /C calc'!A0," in export
    assert "\"'=HYPERLINK(" in export
    assert ",+4722990001," in export  # numbers stay as they are


def test_quotes_separators_and_a_line_break_in_a_cell_survive_the_round_trip(demo_acme):
    from licensing.csv.exports import export_users_csv

    content = (FILES / "quoted-newline-in-cell.csv").read_bytes()
    fixed = content.replace(b"not-an-email", b"une.foss@acme.example")
    assert import_users(content=fixed, actor=ACTOR).counts["created"] == 2
    kai = OrgUser.objects.get(email="kai.ruud@acme.example")
    assert kai.display_name == 'Kai "KR" Ruud\n(Sales, Oslo)'

    result = import_users(content=export_users_csv().encode(), actor=ACTOR)

    assert result.counts["updated"] == 0 and result.counts["errors"] == 0
    kai.refresh_from_db()
    assert kai.display_name == 'Kai "KR" Ruud\n(Sales, Oslo)'


def test_a_display_name_keeps_a_line_break_but_not_a_tab(demo_acme):
    from licensing.user_fields import validated_user_name

    assert validated_user_name("Kai\r\n(Sales)", "display_name") == "Kai\n(Sales)"
    with pytest.raises(InvalidName, match="U\\+0009"):
        validated_user_name("Kai\t(Sales)", "display_name")
    with pytest.raises(InvalidName, match="U\\+000A"):
        validated_user_name("Kai\n(Sales)", "first_name")


def test_directory_phone_formats_are_normalised_and_an_extension_gets_a_hint(world, capsys):
    from calling.models import Location, PhoneNumber
    from licensing.models import SubscriptionLine
    from licensing.services.templates import create_template

    with in_schema(world.initech):
        sofia = Location.objects.create(name="Sofia", country="BG", is_default=True)
        PhoneNumber.objects.bulk_create(
            PhoneNumber(e164=f"+3592990001{i}", location=sofia) for i in range(6)
        )
        calling = SubscriptionLine.objects.get(license_type="webex_calling")
        create_template(name="Everyone calls", lines=[calling], actor=ACTOR)

    call_command("directory_sync", "initech", str(FILES / "directory-ad-phone-formats.csv"))

    assert capsys.readouterr().out.splitlines() == [
        "created 9, updated 0, unchanged 0, provisioned 4, unprovisioned 5",
        "darina.koleva@initech.example: not provisioned (invalid_format) — work phone "
        "'00359 2 990 0014': '00359 2 990 0014' starts with 00: write the country code with + "
        "instead (+35929900014) in the directory.",
        "galia.ilieva@initech.example: not provisioned (invalid_format) — work phone "
        "'+35929900013 x123': '+35929900013 x123' ends with an extension; the work phone must "
        "be the number alone (+35929900013). Remove the extension in the directory.",
        "ivo.nikolov@initech.example: not provisioned (number_not_found) — work phone "
        "'+35929900099'",
        "kalina.petrova@initech.example: not provisioned (no_number) — no work phone",
        "zhana.mineva@initech.example: not provisioned (number_in_use) — work phone '+35929900015'",
    ]
    with in_schema(world.initech):
        assert dict(
            PhoneNumber.objects.filter(profile__isnull=False).values_list(
                "profile__user__email", "e164"
            )
        ) == {
            "asen.dimov@initech.example": "+35929900010",  # spaces
            "boris.enev@initech.example": "+35929900011",  # (0) trunk prefix
            "vera.zheleva@initech.example": "+35929900012",  # hyphens
            "emil.lazarov@initech.example": "+35929900015",
        }


@pytest.mark.parametrize(
    ("name", "status", "created", "message"),
    [
        ("semicolon-delimiter.csv", "done", 2, ""),
        ("excel-unicode-text-utf16-tab.txt", "done", 2, ""),
        ("windows-1252-ansi.csv", "failed", 0, "it looks like Windows-1252"),
        ("booleans-wahr-1-yes.csv", "failed", 1, ""),  # would be created; errors: none applied
    ],
)
@pytest.mark.parametrize("entry", ["page", "api"])
def test_real_world_files_through_the_upload_page_and_the_api(
    demo_acme_loaded, org_client, world, django_capture_on_commit_callbacks, entry, name,
    status, created, message,
):  # fmt: skip
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partnerhub.jobs.models import OrgJob
    from tests.jobs.test_user_csv_tasks import drain_queue

    client = org_client(world.acme, world.ann)
    with in_schema(world.acme):
        before = snapshot()
    file = SimpleUploadedFile(name, (FILES / name).read_bytes(), content_type="text/csv")
    url = "/users/csv/" if entry == "page" else "/api/users/csv/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": file, "mode": "add"})
    assert response.status_code in (302, 202)
    drain_queue()

    with in_schema(world.acme):
        job = OrgJob.objects.get()
        assert (job.status, job.counts.get("created", 0)) == (status, created)
        assert message in job.failure
        if status == "failed":
            assert snapshot() == before
