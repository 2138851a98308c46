"""One rule per value, on every entry path (issue 9 §4; partnerhub.rules, calling.rules):
e-mails, names and numbers are refused with the same message by the manual-add page,
the API, the CSV, directory sync and provisioning — and a refusal changes nothing."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.utils.html import escape

from customers.models import Customer, UserEmailClaim
from licensing.csv import columns as col
from licensing.csv.imports import import_users
from licensing.models import LicenseAssignment, OrgUser
from licensing.services.calling_details import calling_details
from licensing.services.users import UserEntry, add_users
from tests.conftest import in_schema
from tests.licensing.conftest import ACTOR, line

pytestmark = pytest.mark.django_db
MEETINGS = "Webex Meetings [Sub-100234]"
ZWSP = "rita.solberg@acme.example\u200b"
ZWSP_MESSAGE = (
    "'rita.solberg@acme.example<U+200B>' contains the invisible character U+200B "
    "(ZERO WIDTH SPACE): delete the address and type it again."
)
DOT_LEADER = "lene.aasen@acme\u2024example"
DOT_LEADER_MESSAGE = (
    "'lene.aasen@acme\u2024example' contains U+2024 (ONE DOT LEADER), which looks like '.' "
    "but is not: type the address again with a plain '.'."
)
STRIPPED_PLUS = (
    "'4722990098' is missing its leading +; the spreadsheet probably stripped it. "
    "Write +4722990098 and format the cell as text."
)
E_NOTATION = (
    "The spreadsheet turned this number into 4.72299E+09; its digits are lost — format "
    "the column as Text and type the number again."
)


def nothing() -> tuple:
    return (
        list(OrgUser.objects.values_list("email", flat=True)),
        LicenseAssignment.objects.count(),
        UserEmailClaim.objects.count(),
    )


def csv_of(*rows: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=col.export_headers(col.package_lines()), restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def row(email: str, **cells: str) -> dict[str, str]:
    return {
        col.EMAIL: email, col.JABBER_CALLING: "FALSE", col.JABBER_TEAMS: "FALSE",
        col.SITE: "acme.webex.com", MEETINGS: "TRUE", **cells,
    }  # fmt: skip


# --- e-mails -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "message"), [(ZWSP, ZWSP_MESSAGE), (DOT_LEADER, DOT_LEADER_MESSAGE)]
)
def test_an_email_with_an_invisible_or_look_alike_character_is_refused_by_manual_add_and_csv(
    acme, email, message
):
    before = nothing()

    manual = add_users(entries=[UserEntry(email=email)], package_line=None, actor=ACTOR)
    imported = import_users(content=csv_of(row(email)), actor=ACTOR)

    assert [o.reason for o in manual.failed] == [message]
    assert imported.plan.errors == [f"row 2, column {col.EMAIL}: {message}"]
    assert nothing() == before


def test_an_email_with_an_invisible_character_is_refused_by_page_and_api(world, org_client):
    client = org_client(world.acme, world.ann)
    with in_schema(world.acme):
        before = nothing()

    page = client.post("/users/add/", {"mode": "emails", "entries": ZWSP})
    api = client.post(
        "/api/users/", {"entries": [{"email": ZWSP}]}, content_type="application/json"
    )

    assert escape(ZWSP_MESSAGE) in page.content.decode()
    assert api.json()["outcomes"][0]["reason"] == ZWSP_MESSAGE
    with in_schema(world.acme):
        assert nothing() == before


def test_an_email_with_an_invisible_character_refuses_the_directory_feed(world, tmp_path, capsys):
    feed = tmp_path / "feed.csv"
    feed.write_text(f"email,first name\n{ZWSP},Rita\n", encoding="utf-8")
    with in_schema(world.acme):
        before = nothing()

    with pytest.raises(Exception, match="Entry 1: 'rita.solberg@acme.example<U") as error:
        call_command("directory_sync", "acme", str(feed))

    assert str(error.value) == f"Entry 1: {ZWSP_MESSAGE}"
    with in_schema(world.acme):
        assert nothing() == before


def test_no_break_spaces_around_an_email_are_trimmed_and_case_folded(acme):
    import_users(content=csv_of(row("\u00a0 Geir.Vik@ACME.example\u00a0 ")), actor=ACTOR)
    add_users(entries=[UserEntry(email="\u00a0Pat@Acme.Test ")], package_line=None, actor=ACTOR)

    assert sorted(OrgUser.objects.values_list("email", flat=True)) == [
        "geir.vik@acme.example",
        "pat@acme.test",
    ]


def test_provisioning_and_partner_admins_use_the_same_email_rule(world, partner_client):
    client = partner_client(world.alice)

    page = client.post(
        "/partner/customers/new/",
        {"name": "Wayne", "slug": "wayne", "admin_email": DOT_LEADER},
    )
    api = client.post(
        "/api/partner/customers/provision/",
        {"name": "Wayne", "org_id": "wayne", "admin_email": DOT_LEADER},
        content_type="application/json",
    )
    admins = client.post("/partner/admins/", {"email": DOT_LEADER, "role": "read_only"})

    assert DOT_LEADER_MESSAGE.replace("'", "&#x27;") in page.content.decode()
    assert api.status_code == 400
    assert DOT_LEADER_MESSAGE in str(api.json())
    assert DOT_LEADER_MESSAGE.replace("'", "&#x27;") in admins.content.decode()
    assert not Customer.objects.filter(slug="wayne").exists()


# --- names ---------------------------------------------------------------------------


def test_a_72_character_first_name_is_refused_by_manual_add_not_a_500(world, org_client):
    client = org_client(world.acme, world.ann)
    with in_schema(world.acme):
        before = nothing()
    long_name = "K" * 72
    message = "First name: At most 64 characters (72 given): shorten it."

    page = client.post(
        "/users/add/", {"mode": "names", "entries": f"{long_name}, Lee, kim@acme.test"}
    )
    with in_schema(world.acme):
        service = add_users(
            entries=[UserEntry(email="kim@acme.test", first_name=long_name)],
            package_line=None,
            actor=ACTOR,
        )

    assert page.status_code == 200
    assert message in page.content.decode()
    assert [o.reason for o in service.failed] == [message]
    with in_schema(world.acme):
        assert nothing() == before


def test_a_control_character_in_a_name_is_refused_by_api_and_csv(world, org_client):
    client = org_client(world.acme, world.ann)
    message = (
        "Contains a control character (U+0009: a line break, tab or the like): write it "
        "on one line, without it."
    )
    with in_schema(world.acme):
        before = nothing()
        imported = import_users(
            content=csv_of(row("kim@acme.test", **{col.FIRST_NAME: "Kim\tLee"})), actor=ACTOR
        )

    api = client.post(
        "/api/users/",
        {"entries": [{"email": "kim@acme.test", "first_name": "Kim\tLee"}]},
        content_type="application/json",
    )

    assert imported.plan.errors == [f"row 2, column {col.FIRST_NAME}: {message}"]
    assert api.json()["outcomes"][0]["reason"] == f"First name: {message}"
    with in_schema(world.acme):
        assert nothing() == before


def test_manual_add_with_calling_follows_the_calling_name_rule(acme, oslo):
    before = nothing()

    result = add_users(
        entries=[UserEntry(email="kim@acme.test", first_name="Kim#1", last_name="Lee")],
        package_line=line("webex_calling"),
        calling=calling_details(location=oslo, extension="1001"),
        actor=ACTOR,
    )

    assert [o.reason for o in result.failed] == [
        "'Kim#1' contains #: a calling user's name has at most 30 characters and none of "
        '% # < > \\ / ". Shorten or change it.'
    ]
    assert nothing() == before


def test_a_control_character_in_a_location_name_is_refused(world, org_client):
    client = org_client(world.acme, world.ann)

    response = client.post(
        "/calling/locations/new/",
        {"name": "Oslo\x0bHQ", "country": "NO", "time_zone": "Europe/Oslo"},
    )

    assert response.status_code == 200
    assert "Name: Contains a control character (U+000B" in response.content.decode()


# --- numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"), [("4722990098", STRIPPED_PLUS), ("4.72299E+09", E_NOTATION)]
)
def test_manual_add_never_takes_a_mangled_number_for_an_extension(
    world, org_client, value, message
):
    client = org_client(world.acme, world.ann)
    with in_schema(world.acme):
        before = nothing()

    page = client.post("/users/add/", {"mode": "emails", "entries": f"kim@acme.test, {value}"})

    assert f"Line 1: {message}".replace("'", "&#x27;") in page.content.decode()
    with in_schema(world.acme):
        assert nothing() == before


def test_a_number_without_its_plus_gets_the_hint_through_the_api(world, org_client):
    client = org_client(world.acme, world.ann)
    with in_schema(world.acme):
        from calling.models import Location

        oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
        calling_line = line("webex_calling")
        before = nothing()

    api = client.post(
        "/api/users/",
        {
            "entries": [{"email": "kim@acme.test", "first_name": "Kim", "last_name": "Lee"}],
            "package_line": calling_line.pk,
            "calling": {"location": oslo.pk, "number": "4722990098"},
        },
        content_type="application/json",
    )

    assert api.json()["outcomes"][0]["reason"] == STRIPPED_PLUS
    with in_schema(world.acme):
        assert nothing() == before


@pytest.mark.parametrize(
    ("value", "message"), [("4722990098", STRIPPED_PLUS), ("4.72299E+09", E_NOTATION)]
)
def test_the_csv_gives_each_mangled_number_its_hint(acme, value, message):
    before = nothing()

    result = import_users(content=csv_of(row("kim@acme.test", **{col.PHONE: value})), actor=ACTOR)

    assert f"row 2, column {col.PHONE}: {message}" in result.plan.errors
    assert nothing() == before


def test_a_control_character_or_line_break_in_a_group_name_is_refused_by_the_api(world, org_client):
    client = org_client(world.acme, world.ann)

    response = client.post(
        "/api/groups/", {"name": "Sales\tNorth"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "Group name: Contains a control character (U+0009" in response.content.decode()
    with in_schema(world.acme):
        from licensing.models import Group

        assert not Group.objects.filter(name__startswith="Sales\t").exists()
