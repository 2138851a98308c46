"""The shortcuts a Bulk request's ten thousand strings take (``protocol.may_hold``):
a body that cannot hold a U+0000 has only its nesting walked, one that cannot hold
``bulkId:`` has no operation's data resolved — with the same answers as the full walk."""

from __future__ import annotations

import json
from typing import Any

import pytest

from licensing.models import Group, OrgUser
from licensing.scim import protocol
from licensing.scim.errors import ScimError
from licensing.scim.protocol import check_body, may_hold
from tests.licensing.scim.conftest import user_body


def _nested(depth: int, leaf: Any) -> Any:
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


def _answer(value: Any, raw: bytes | None) -> str | None:
    try:
        check_body(value, raw=raw)
    except ScimError as error:
        return error.detail
    return None


@pytest.mark.parametrize("depth", [30, 31, 32, 33, 40])
@pytest.mark.parametrize("leaf", ["x", 1, None, [], {}, [1], {"a": "b"}])
def test_a_body_without_a_nul_is_refused_for_its_depth_as_the_full_walk_refuses_it(depth, leaf):
    value = _nested(depth, leaf)
    raw = json.dumps(value).encode()

    assert not may_hold(raw, "\x00")
    assert _answer(value, raw) == _answer(value, None)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": "x\\u0000"}',
        b'{"a\\u0000": 1}',
        '{"a": "x\\u0000"}'.encode("utf-16"),
        '{"a": "x\\u0000"}'.encode("utf-32"),
    ],
)
def test_a_nul_written_any_way_json_allows_is_still_refused(raw):
    value = json.loads(raw)

    assert may_hold(raw, "\x00")
    assert _answer(value, raw) == "A value holds a NUL character (U+0000): remove it."


@pytest.mark.parametrize(
    ("raw", "held"),
    [
        (b'{"value": "bulkId:u1"}', True),
        (b'{"value": "\\u0062ulkId:u1"}', True),  # escaped: may_hold cannot tell, says yes
        ('{"value": "bulkId:u1"}'.encode("utf-16"), True),
        (b'{"bulkId": "u1", "path": "/Users"}', False),  # the key is no reference
        (b'{"value": "bulkid:u1"}', False),
    ],
)
def test_may_hold_is_never_wrong_when_it_says_no(raw, held):
    assert may_hold(raw, "bulkId:") is held
    assert held or not any("bulkId:" in s for s in _strings(json.loads(raw)))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [*value, *(s for v in value.values() for s in _strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_a_bulk_id_reference_written_with_escapes_is_resolved(scim):
    body = json.dumps(
        {
            "schemas": [protocol.BULK_REQUEST_SCHEMA],
            "Operations": [
                {
                    "method": "POST",
                    "path": "/Users",
                    "bulkId": "u1",
                    "data": user_body("kim@example.com"),
                },
                {
                    "method": "POST",
                    "path": "/Groups",
                    "bulkId": "g",
                    "data": {
                        "schemas": [protocol.GROUP_SCHEMA],
                        "displayName": "Sales",
                        "members": [{"value": "BULKREF"}],
                    },
                },
            ],
        }  # fmt: skip
    ).replace("BULKREF", "\\u0062ulkId:u1")

    response = scim.client.post(
        "/scim/v2/Bulk", data=body, content_type="application/scim+json",
        HTTP_AUTHORIZATION=f"Bearer {scim.token}",
    )  # fmt: skip

    assert [a["status"] for a in response.json()["Operations"]] == ["201", "201"]
    assert list(Group.objects.get().users.values_list("email", flat=True)) == ["kim@example.com"]


def test_a_bulk_user_naming_an_unknown_bulk_id_is_refused_without_resolving_the_others(scim):
    operations = [
        {"method": "POST", "path": "/Users", "bulkId": "a", "data": user_body("a@example.com")},
        {"method": "POST", "path": "/Users", "bulkId": "b",
         "data": user_body("b@example.com", externalId="bulkId:nobody")},
    ]  # fmt: skip

    answers = scim.post(
        "Bulk", {"schemas": [protocol.BULK_REQUEST_SCHEMA], "Operations": operations}
    ).json()["Operations"]

    assert [a["status"] for a in answers] == ["201", "409"]
    assert list(OrgUser.objects.values_list("email", flat=True)) == ["a@example.com"]
