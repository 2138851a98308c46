"""The agent template: export for synced agents, upload back (SPEC §7)."""

from __future__ import annotations

import csv
import io

import pytest

from contactcenter import services
from contactcenter.models import Agent, SyncStatus
from contactcenter.services.agent_template import (
    export_agent_template,
    upload_agent_template,
)
from licensing import catalogue
from partnerhub.audit.models import AuditEntry
from partnerhub.csvfiles.reading import read_table

HEADER = "Agent Email,Team,Site,Skill Profile,Agent Profile\n"


@pytest.fixture
def synced(make_user, actor):  # type: ignore[no-untyped-def]
    users = [make_user(f"s{i}@acme.test") for i in range(2)]
    for user in users:
        services.set_contact_center(user=user, license_type=catalogue.CC_STANDARD, actor=actor)
    services.run_sync()
    return users


def _details() -> dict[str, tuple[str, str, str, str, str]]:
    return {
        email: rest
        for email, *rest in Agent.objects.values_list(
            "user__email", "team", "site", "skill_profile", "agent_profile", "sync_status"
        )
    }


def test_export_lists_synced_agents_only(synced, make_user, actor) -> None:
    pending = make_user("pending@acme.test")
    services.set_contact_center(user=pending, license_type=catalogue.CC_PREMIUM, actor=actor)
    rows = list(csv.reader(io.StringIO(export_agent_template())))
    assert rows == [
        ["Agent Email", "Team", "Site", "Skill Profile", "Agent Profile"],
        ["s0@acme.test", "", "", "", ""],
        ["s1@acme.test", "", "", "", ""],
    ]


def test_upload_sets_details_and_marks_the_agents_pending(synced, actor) -> None:
    content = HEADER + "S0@acme.test,Blue,Oslo,Billing,Day\ns1@acme.test,,,,\n"
    upload = upload_agent_template(content=content.encode(), actor=actor, file_name="t.csv")
    assert (upload.applied, upload.updated, upload.unchanged, upload.row_errors) == (
        True,
        1,
        1,
        [],
    )
    assert _details()["s0@acme.test"] == ["Blue", "Oslo", "Billing", "Day", "pending"]
    assert _details()["s1@acme.test"][-1] == SyncStatus.SYNCED
    assert AuditEntry.objects.filter(action="agent.details_uploaded").count() == 1


def test_rows_for_users_who_are_not_synced_agents_are_errors_and_nothing_changes(
    synced, make_user, actor
) -> None:
    make_user("plain@acme.test")
    pending = make_user("pending@acme.test")
    services.set_contact_center(user=pending, license_type=catalogue.CC_STANDARD, actor=actor)
    before = _details()
    content = (
        HEADER
        + "s0@acme.test,Blue,Oslo,Billing,Day\n"
        + "plain@acme.test,Red,,,\n"
        + "pending@acme.test,Red,,,\n"
        + "nobody@acme.test,Red,,,\n"
        + "s1@acme.test,"
        + "x" * 121
        + ",,,\n"
    )
    upload = upload_agent_template(content=content.encode(), actor=actor)
    assert not upload.applied
    assert upload.row_errors == [
        {
            "row": 3,
            "email": "plain@acme.test",
            "error": "plain@acme.test is not a contact-center agent of this organisation: "
            "give the user a contact-center license and synchronize users first.",
        },
        {
            "row": 4,
            "email": "pending@acme.test",
            "error": "pending@acme.test is not synced yet (Pending): run Synchronize users, "
            "then upload the agent template again.",
        },
        {
            "row": 5,
            "email": "nobody@acme.test",
            "error": "nobody@acme.test is not a contact-center agent of this organisation: "
            "give the user a contact-center license and synchronize users first.",
        },
        {"row": 6, "email": "s1@acme.test", "error": "Team: At most 120 characters."},
    ]
    report = list(csv.reader(io.StringIO(upload.error_report)))
    assert report[0][-1] == "Errors" and report[1][-1] == "" and report[2][0] == "plain@acme.test"
    assert _details() == before
    assert not AuditEntry.objects.filter(action="agent.details_uploaded").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty. Export the agent template, edit it and upload it again."),
        (
            b"\x00\x01binary",
            "This is not a text file (it looks binary, for example a spreadsheet, or UTF-16 "
            'without its byte-order mark). Save it as "CSV UTF-8": in Excel, File → Save As → '
            '"CSV UTF-8 (Comma delimited) (*.csv)"; in LibreOffice, Save As → Text CSV with '
            'character set "Unicode (UTF-8)".',
        ),
        (
            b"Agent Email,Team\nx\n",
            "Wrong columns (missing Site, Skill Profile, Agent Profile). The agent template "
            "has exactly: Agent Email, Team, Site, Skill Profile, Agent Profile.",
        ),
        (
            (HEADER + "s0@acme.test,Bl\xe5,,,\n").encode("latin-1"),
            "The file is not UTF-8: it looks like Windows-1252 (Western European, Excel's "
            'plain "CSV" on Windows) (line 2 cannot be read as UTF-8). Save it as "CSV UTF-8": '
            'in Excel, File → Save As → "CSV UTF-8 (Comma delimited) (*.csv)"; in LibreOffice, '
            'Save As → Text CSV with character set "Unicode (UTF-8)".',
        ),
    ],
)
def test_file_level_errors_apply_nothing(synced, actor, content: bytes, message: str) -> None:
    before = _details()
    upload = upload_agent_template(content=content, actor=actor)
    assert (upload.applied, upload.file_error) == (False, message)
    assert _details() == before


def test_utf8_with_bom_is_read(synced, actor) -> None:
    content = ("\ufeff" + HEADER + "s0@acme.test,Blå,,,\n").encode()
    assert upload_agent_template(content=content, actor=actor).applied
    assert Agent.objects.get(user__email="s0@acme.test").team == "Blå"


def test_export_then_upload_changes_nothing_for_details_that_look_like_formulas(
    synced, actor
) -> None:
    content = (HEADER + "s0@acme.test,=Sales,-2+3+cmd,+1+X,@SUM(A1)\n").encode()
    assert upload_agent_template(content=content, actor=actor).applied
    services.run_sync()  # the template lists synced agents
    before = _details()
    export = export_agent_template()
    assert "s0@acme.test,'=Sales,'-2+3+cmd,'+1+X,'@SUM(A1)" in export

    upload = upload_agent_template(content=export.encode(), actor=actor)

    assert (upload.applied, upload.updated, upload.unchanged) == (True, 0, 2)
    assert _details() == before


def test_row_errors_use_the_readers_row_numbers_as_the_user_and_workspace_csvs(
    synced, make_user, actor
) -> None:
    make_user("plain@acme.test")
    content = "\n" + HEADER + "s0@acme.test,Blue,,,\n\nplain@acme.test,Red,,,\n"
    numbers = read_table(content.encode(), what="agent template").numbers

    upload = upload_agent_template(content=content.encode(), actor=actor)

    assert numbers == [3, 5]
    assert [item["row"] for item in upload.row_errors] == [5]
    report = list(csv.reader(io.StringIO(upload.error_report)))
    assert [r[0] for r in report[1:] if r[-1]] == ["plain@acme.test"]
