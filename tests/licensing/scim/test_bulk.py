"""``POST /Bulk`` (RFC 7644 §3.7): runs of user creations are written as one batch,
each operation answers for itself, audit entries are written in bulk."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from licensing.models import Group, OrgUser
from partnerhub.audit.models import AuditEntry
from tests.licensing.scim.conftest import user_body

BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"


def _post(n: int, email: str) -> dict:
    return {"method": "POST", "path": "/Users", "bulkId": f"u{n}", "data": user_body(email)}


def test_bulk_creates_users_and_answers_each_operation(scim, connection_and_token):
    operations = [_post(n, f"u{n}@example.com") for n in range(3)]
    operations.append(
        {"method": "POST", "path": "/Users", "bulkId": "dup", "data": user_body("u0@example.com")}
    )
    operations.append(
        {
            "method": "POST",
            "path": "/Groups",
            "bulkId": "g",
            "data": {
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                "displayName": "Sales",
                "members": [{"value": "bulkId:u1"}, {"value": "bulkId:u2"}],
            },
        }
    )

    response = scim.post("Bulk", {"schemas": [BULK], "Operations": operations})

    assert response.status_code == 200
    answers = response.json()["Operations"]
    assert [a["status"] for a in answers] == ["201", "201", "201", "409", "201"]
    assert answers[3]["response"]["scimType"] == "uniqueness"
    assert OrgUser.objects.count() == 3
    assert sorted(Group.objects.get().users.values_list("email", flat=True)) == [
        "u1@example.com",
        "u2@example.com",
    ]
    actor = f"SCIM connection Okta (#{connection_and_token[0].pk})"
    assert AuditEntry.objects.filter(action="user.created_by_scim", actor_email=actor).count() == 3


def test_bulk_stops_after_fail_on_errors(scim):
    operations = [
        {"method": "POST", "path": "/Users", "bulkId": "a", "data": {"userName": "no-address"}},
        {"method": "DELETE", "path": "/Users/999999"},
        _post(1, "late@example.com"),
    ]

    answers = scim.post(
        "Bulk", {"schemas": [BULK], "failOnErrors": 1, "Operations": operations}
    ).json()

    assert [a["status"] for a in answers["Operations"]] == ["400"]
    assert not OrgUser.objects.exists()


@pytest.mark.parametrize("bulk_ids", [[["u"]], [{"a": 1}], [5], [""], ["u", "u"]])
def test_a_bulk_id_is_a_unique_string_or_the_request_is_refused_whole(scim, bulk_ids):
    operations = [
        {**_post(n, f"u{n}@example.com"), "bulkId": bulk_id} for n, bulk_id in enumerate(bulk_ids)
    ]

    response = scim.post("Bulk", {"schemas": [BULK], "Operations": operations})

    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == "invalidSyntax"
    assert "bulkId" in response.json()["detail"]
    assert not OrgUser.objects.exists()


@pytest.mark.parametrize(("fail_on", "answered"), [(1, ["400"]), (2, ["400", "201", "400"])])
def test_rfc7644_3_7_3_fail_on_errors_stops_inside_a_run_of_user_posts(scim, fail_on, answered):
    operations = [
        {"method": "POST", "path": "/Users", "data": {"userName": "no-address"}},
        _post(1, "first@example.com"),
        {"method": "POST", "path": "/Users", "data": {"userName": "no-address-either"}},
        _post(2, "late@example.com"),
    ]

    answers = scim.post(
        "Bulk", {"schemas": [BULK], "failOnErrors": fail_on, "Operations": operations}
    ).json()["Operations"]

    assert [a["status"] for a in answers] == answered
    created = ["first@example.com"] if fail_on == 2 else []
    assert list(OrgUser.objects.values_list("email", flat=True)) == created


def test_bulk_with_too_many_operations_is_refused_whole(scim):
    operations = [_post(n, f"u{n}@example.com") for n in range(1001)]

    response = scim.post("Bulk", {"schemas": [BULK], "Operations": operations})

    assert response.status_code == 413
    assert "send at most 1000 per request" in response.json()["detail"]
    assert not OrgUser.objects.exists()


def test_bulk_put_patch_delete_go_through_the_endpoints(scim):
    user_id = scim.post("Users", user_body("kim@example.com")).json()["id"]
    operations = [
        {
            "method": "PATCH",
            "path": f"/Users/{user_id}",
            "data": {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "path": "active", "value": False}],
            },
        },
        {"method": "DELETE", "path": "/Users/999999"},
    ]

    answers = scim.post("Bulk", {"schemas": [BULK], "Operations": operations}).json()["Operations"]

    assert [a["status"] for a in answers] == ["200", "404"]
    assert OrgUser.objects.get().status == "inactive"


def test_a_bulk_requests_audit_entries_are_written_in_one_statement(scim, connection_and_token):
    operations = [_post(n, f"u{n}@example.com") for n in range(20)]

    with CaptureQueriesContext(connection) as queries:
        response = scim.post("Bulk", {"schemas": [BULK], "Operations": operations})

    assert [a["status"] for a in response.json()["Operations"]] == ["201"] * 20
    table = AuditEntry._meta.db_table
    writes = [
        q["sql"] for q in queries if q["sql"].startswith(("INSERT", "COPY")) and table in q["sql"]
    ]
    actor = f"SCIM connection Okta (#{connection_and_token[0].pk})"
    assert AuditEntry.objects.filter(action="user.created_by_scim", actor_email=actor).count() == 20
    assert len(writes) == 1, writes
