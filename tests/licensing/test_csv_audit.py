"""The user CSV's audit (SPEC §8): one entry per changed row, in the import's
transaction, whose after-data says what the row did."""

from __future__ import annotations

import csv
import io

import pytest

from licensing.csv import columns as col
from licensing.csv.imports import import_users
from licensing.models import OrgUser
from licensing.services.subscriptions import create_subscription
from partnerhub.audit.models import AuditEntry
from tests.licensing.conftest import ACTOR

pytestmark = pytest.mark.django_db
MEETINGS = "Webex Meetings [Sub-100234]"
CALLING = "Webex Calling [Sub-100234]"


def csv_of(*rows: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=col.export_headers(col.package_lines()), restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def entries() -> list[tuple[str, str, str, dict | None]]:
    return [
        (e.action, e.target_id, e.target_repr, e.after)
        for e in AuditEntry.objects.filter(action__startswith="user.csv_").order_by("id")
    ]


def package_columns() -> list[str]:
    return [h for h in col.export_headers(col.package_lines()) if h.endswith("]")]


def user_id(email: str) -> str:
    return str(OrgUser.objects.get(email=email).pk)


def test_each_changed_row_has_one_entry_with_what_it_did(acme, oslo):
    create_subscription(external_id="Sub-200200", quantities={"webex_meetings": 5}, actor=ACTOR)
    import_users(content=csv_of(
        {col.EMAIL: "kim@acme.test", col.FIRST_NAME: "Kim", col.LAST_NAME: "Lee",
         col.DISPLAY_NAME: "Kim L.", col.JABBER_CALLING: "FALSE", col.JABBER_TEAMS: "TRUE",
         col.SITE: "acme.webex.com", MEETINGS: "TRUE", "Basic Messaging": "FALSE"},
        {col.EMAIL: "lou@acme.test", col.LAST_NAME: "Ray", col.JABBER_CALLING: "TRUE",
         col.JABBER_TEAMS: "FALSE", col.SITE: "acme.webex.com", CALLING: "TRUE",
         col.LOCATION: "Oslo", col.EXTENSION: "2001"},
        {col.EMAIL: "max@acme.test", col.JABBER_CALLING: "FALSE", col.JABBER_TEAMS: "FALSE",
         MEETINGS: "TRUE", col.CC_STANDARD: "TRUE"},
    ), actor=ACTOR)  # fmt: skip
    kim, lou, max_ = user_id("kim@acme.test"), user_id("lou@acme.test"), user_id("max@acme.test")
    assert entries() == [
        ("user.csv_create", kim, "kim@acme.test", {
            "fields": {"first_name": "Kim", "last_name": "Lee", "display_name": "Kim L.",
                       "preferred_site": "acme.webex.com", "jabber_calling": False,
                       "jabber_with_teams": True},
            "add": ["webex_meetings"], "remove": [], "moved": 0,
            "included": ["basic_space_meetings", "call_on_webex"]}),
        ("user.csv_create", lou, "lou@acme.test", {
            "fields": {"last_name": "Ray", "preferred_site": "acme.webex.com",
                       "jabber_calling": True, "jabber_with_teams": False},
            "add": ["webex_calling"], "remove": [], "moved": 0,
            "included": ["basic_messaging", "basic_space_meetings", "call_on_webex"],
            "calling": "create"}),
        ("user.csv_create", max_, "max@acme.test", {
            "fields": {"jabber_calling": False, "jabber_with_teams": False},
            "add": ["cc_standard", "webex_meetings"], "remove": [], "moved": 0,
            "included": ["basic_messaging", "basic_space_meetings", "call_on_webex"]}),
    ]  # fmt: skip
    AuditEntry.objects.filter(action__startswith="user.csv_").delete()

    result = import_users(content=csv_of(
        {col.EMAIL: "kim@acme.test", MEETINGS: "FALSE", "Webex Meetings [Sub-200200]": "TRUE"},
        {col.EMAIL: "lou@acme.test", col.FIRST_NAME: "Lou", CALLING: "FALSE", MEETINGS: "TRUE",
         "Call on Webex": "FALSE", col.JABBER_CALLING: "TRUE", col.JABBER_TEAMS: "FALSE"},
        {col.EMAIL: "max@acme.test", **dict.fromkeys(package_columns(), "FALSE")},
    ), actor=ACTOR, mode="add-remove", confirm_calling_loss=True)  # fmt: skip
    assert result.applied, result.plan.errors
    assert entries() == [
        ("user.csv_move", kim, "kim@acme.test", {
            "fields": {}, "add": [], "remove": [], "moved": 1}),
        ("user.csv_update", lou, "lou@acme.test", {
            "fields": {"first_name": "Lou"}, "add": ["webex_meetings"],
            "remove": ["call_on_webex", "webex_calling"], "moved": 0, "calling": "remove"}),
        ("user.csv_delete", max_, "max@acme.test", None),
    ]  # fmt: skip
