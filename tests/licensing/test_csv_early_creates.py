"""New users of a user CSV are written while later rows are still validated
(licensing.csv.early, SPEC §9) — in the import's one transaction, so a row error found
later, in any row, still applies nothing."""

from __future__ import annotations

import csv
import io

import pytest

from customers.models import UserEmailClaim
from licensing.csv import columns as col
from licensing.csv import validation
from licensing.csv.imports import import_users
from licensing.models import LicenseAssignment, OrgUser
from partnerhub.audit.models import AuditEntry
from tests.licensing.conftest import ACTOR

pytestmark = pytest.mark.django_db
MEETINGS = "Webex Meetings [Sub-100234]"
CALLING = "Webex Calling [Sub-100234]"


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(validation, "CHUNK", 2)  # five rows: two chunks written early


def csv_of(*rows: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=col.export_headers(col.package_lines()), restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def row(n: int, **cells: str) -> dict[str, str]:
    return {
        col.EMAIL: f"u{n}@acme.test", col.LAST_NAME: f"N{n}", col.JABBER_CALLING: "FALSE",
        col.JABBER_TEAMS: "FALSE", col.SITE: "acme.webex.com", MEETINGS: "TRUE", **cells,
    }  # fmt: skip


def test_new_users_written_early_are_created_as_any_other(acme):
    result = import_users(content=csv_of(*(row(n) for n in range(5))), actor=ACTOR)

    assert result.applied and result.counts["created"] == 5
    users = list(OrgUser.objects.order_by("pk").values_list("email", "last_name"))
    assert users == [(f"u{n}@acme.test", f"N{n}") for n in range(5)]  # ids in row order
    for email, _ in users:
        held = set(
            LicenseAssignment.objects.filter(user__email=email).values_list(
                "license_type", flat=True
            )
        )
        assert held == {
            "webex_meetings",
            "basic_messaging",
            "basic_space_meetings",
            "call_on_webex",
        }
    entries = AuditEntry.objects.filter(action="user.csv_create").order_by("pk")
    assert [e.target_repr for e in entries] == [email for email, _ in users]
    assert all(
        e.after["included"] == ["basic_messaging", "basic_space_meetings", "call_on_webex"]
        for e in entries
    )


def test_a_row_error_after_new_users_were_written_early_applies_nothing(acme):
    rows = [row(n) for n in range(4)] + [row(4, **{col.JABBER_CALLING: "maybe"})]

    result = import_users(content=csv_of(*rows), actor=ACTOR)

    assert not result.applied
    assert result.plan.errors == ["row 6, column Jabber Calling: 'maybe' is not TRUE or FALSE."]
    assert not OrgUser.objects.exists()
    assert not UserEmailClaim.objects.filter(email__endswith="@acme.test").exists()
    assert not AuditEntry.objects.filter(action="user.csv_create").exists()


def test_a_calling_error_found_after_the_rows_were_written_applies_nothing(acme):
    rows = [row(n) for n in range(4)]
    rows.append(row(4, **{MEETINGS: "", CALLING: "TRUE", col.LOCATION: "Nowhere",
                          col.EXTENSION: "2001"}))  # fmt: skip

    result = import_users(content=csv_of(*rows), actor=ACTOR)

    assert not result.applied
    assert any(e.startswith("row 6, column Location:") for e in result.plan.errors)
    assert not OrgUser.objects.exists()
    assert not LicenseAssignment.objects.filter(user__isnull=False).exists()


def test_a_dry_run_writes_nothing_early(acme):
    result = import_users(content=csv_of(*(row(n) for n in range(5))), actor=ACTOR, dry_run=True)

    assert not result.applied and result.counts["created"] == 5
    assert not OrgUser.objects.exists()
