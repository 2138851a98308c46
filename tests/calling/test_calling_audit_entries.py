"""The user CSV's calling audit entries (SPEC §8): one per holder whose calling data is
set up or changed — new profiles first, then changed ones, each in the file's order — naming the profile and the state before and
after — the same entries whoever builds them. One test per rule."""

from __future__ import annotations

import pytest

from calling.models import CallingProfile
from licensing.csv import columns as col
from licensing.csv.imports import import_users
from partnerhub.audit.models import AuditEntry
from tests.calling.conftest import ACTOR
from tests.calling.test_csv_calling import calling_row, provisioned
from tests.licensing.test_csv_import import csv_of

pytestmark = pytest.mark.django_db


def calling_entries(after_pk: int) -> list[tuple]:
    return list(
        AuditEntry.objects.filter(pk__gt=after_pk, action__startswith="calling.")
        .order_by("pk")
        .values_list("action", "target_type", "target_id", "target_repr", "before", "after",
                     "actor_email")
    )  # fmt: skip


def profile_id(email: str) -> str:
    return str(CallingProfile.objects.get(user__email=email).pk)


def test_calling_audit_entries_name_each_profile_before_and_after_creates_first(oslo, bergen):
    oslo_of = {"location": "Oslo"}
    provisioned("kim@acme.test", oslo, "1001", "+4722000001")
    provisioned("lou@acme.test", oslo, "1002")
    last = AuditEntry.objects.order_by("pk").last().pk
    rows = (
        calling_row("new1@acme.test", **{col.EXTENSION: "3001"}),
        {col.EMAIL: "kim@acme.test", col.PHONE: "REMOVE", col.EXTENSION: "1003"},
        calling_row("new2@acme.test", **{col.PHONE: "+4722000002"}),
        {col.EMAIL: "lou@acme.test", col.LOCATION: "Bergen", col.PHONE: "+4755000001"},
        calling_row("new3@acme.test", **{col.PHONE: "+4722000001", col.EXTENSION: "3003"}),
    )
    result = import_users(content=csv_of(*rows), actor=ACTOR)
    assert result.applied, result.plan.errors
    made, changed = "calling.user.provisioned", "calling.user.changed"
    kind = "calling.CallingProfile"

    def entry(action, email, before, after):  # type: ignore[no-untyped-def]
        return (action, kind, profile_id(email), f"calling of {email}", before, after,
                ACTOR.email)  # fmt: skip

    assert calling_entries(last) == [
        entry(made, "new1@acme.test", None,
              {**oslo_of, "number": "", "extension": "3001", "via": "csv"}),
        entry(made, "new2@acme.test", None,
              {**oslo_of, "number": "+4722000002", "extension": "", "via": "csv"}),
        entry(made, "new3@acme.test", None,
              {**oslo_of, "number": "+4722000001", "extension": "3003", "via": "csv"}),
        entry(changed, "kim@acme.test", {**oslo_of, "number": "+4722000001", "extension": "1001"},
              {**oslo_of, "number": "", "extension": "1003", "via": "csv"}),
        entry(changed, "lou@acme.test", {**oslo_of, "number": "", "extension": "1002"},
              {"location": "Bergen", "number": "+4755000001", "extension": "1002", "via": "csv"}),
    ]  # fmt: skip
