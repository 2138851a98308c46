"""Whatever a client sends, ``/scim/v2/`` answers in SCIM's error shape (RFC 7644
§3.12) with a 4xx, never a 500 (the QA walk of odd ids, NUL characters, huge
numbers and bodies over the limit)."""

from __future__ import annotations

import pytest

from licensing.models import Group, OrgUser
from licensing.scim import protocol
from tests.licensing.scim.conftest import patch_body, user_body

pytestmark = pytest.mark.django_db

ERROR = ["urn:ietf:params:scim:api:messages:2.0:Error"]


def _is_scim_error(response, status: int) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content[:300]
    assert response.json()["schemas"] == ERROR


@pytest.mark.parametrize(
    "path",
    [
        "Users/%00", "Groups/%00", "Users/%C2%B2", "Groups/%C2%B2", "Users/%D9%A1",
        "Schemas/%00", "ResourceTypes/%00",
    ],
)  # fmt: skip
def test_an_id_that_is_no_id_is_not_found(scim, path):
    _is_scim_error(scim.get(path), 404)


@pytest.mark.parametrize(
    "query",
    ['id eq "²"', 'id eq "99999999999999999999"', 'id eq "١"'],
)
def test_a_filter_on_an_id_that_is_no_id_finds_nothing(scim, query):
    response = scim.get(f"Users?filter={query}")

    assert response.status_code == 200
    assert response.json()["totalResults"] == 0


@pytest.mark.parametrize("member", ["²", "99999999999999999999999", "١"])
def test_a_group_member_that_is_no_user_id_is_an_invalid_value(scim, member):
    operation = {"op": "add", "path": "members", "value": [{"value": member}]}
    group = scim.post("Groups", {"schemas": [protocol.GROUP_SCHEMA], "displayName": "G"})

    _is_scim_error(scim.patch(f"Groups/{group.json()['id']}", patch_body(operation)), 400)


@pytest.mark.parametrize("member", ["²", "99999999999999999999999"])
def test_a_group_filter_on_a_member_that_is_no_user_id_finds_nothing(scim, member):
    response = scim.get(f'Groups?filter=members.value eq "{member}"')

    assert response.status_code == 200
    assert response.json()["totalResults"] == 0


def test_a_body_nested_past_any_parser_is_invalid_syntax(scim):
    response = scim.client.post(
        "/scim/v2/Users", data="[" * 100_000, content_type="application/scim+json",
        HTTP_AUTHORIZATION=f"Bearer {scim.token}",
    )  # fmt: skip

    _is_scim_error(response, 400)


def test_a_bulk_operation_nested_past_any_resource_is_invalid_syntax(scim):
    # Deep enough for the bulkId resolution's recursion, not for the JSON parser's.
    members: list = []
    for _ in range(600):
        members = [members]
    body = {
        "schemas": [protocol.BULK_REQUEST_SCHEMA],
        "Operations": [
            {"method": "POST", "path": "/Groups", "bulkId": "g",
             "data": {"displayName": "Deep", "members": members}},
        ],
    }  # fmt: skip

    response = scim.post("Bulk", body)

    _is_scim_error(response, 400)
    assert "nested deeper than 32 levels" in response.json()["detail"]


def test_a_start_index_past_any_page_is_an_empty_page(scim):
    response = scim.get("Users?startIndex=99999999999999999999&count=1")

    assert response.status_code == 200
    assert response.json()["Resources"] == []


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("Users", user_body("nul@example.com", externalId="a\u0000b")),
        ("Groups", {"schemas": [protocol.GROUP_SCHEMA], "displayName": "G\u0000"}),
        (
            "Bulk",
            {
                "schemas": [protocol.BULK_REQUEST_SCHEMA],
                "Operations": [{"method": "DELETE", "path": "/Users/\u0000"}],
            },
        ),
    ],
)
def test_a_nul_character_in_a_body_is_an_invalid_value(scim, path, body):
    _is_scim_error(scim.post(path, body), 400)


@pytest.mark.parametrize(
    ("method", "path", "raw"),
    [
        ("post", "Users", b'{"userName": "\\ud800@example.com", "emails": [{"value": "s@example.com"}]}'),
        ("post", "Users", b'{"userName": "s@example.com", "externalId": "a\\udfffb"}'),
        ("post", "Groups", b'{"displayName": "G\\ud800"}'),
        ("post", "Bulk", b'{"Operations": [{"method": "POST", "path": "/Users", '
                         b'"data": {"userName": "s@example.com", "displayName": "\\ud800"}}]}'),
    ],
)  # fmt: skip
def test_a_lone_surrogate_in_a_body_is_an_invalid_value_and_nothing_is_written(
    scim, method, path, raw
):
    response = getattr(scim.client, method)(
        f"/scim/v2/{path}", data=raw, content_type="application/scim+json",
        HTTP_AUTHORIZATION=f"Bearer {scim.token}",
    )  # fmt: skip

    _is_scim_error(response, 400)
    assert "lone surrogate" in response.json()["detail"]
    assert not OrgUser.objects.exists()
    assert not Group.objects.exists()


@pytest.mark.parametrize(
    "text", ['userName eq "\\ud800"', 'displayName co "a\\udfff"', 'displayName co "\\u0000"']
)
def test_a_filter_literal_that_decodes_to_no_storable_text_is_an_invalid_filter(scim, text):
    answers = [
        scim.client.get(
            "/scim/v2/Users", {"filter": text}, HTTP_AUTHORIZATION=f"Bearer {scim.token}"
        ),
        scim.post("Users/.search", {"filter": text}),
        scim.post(".search", {"filter": text}),
    ]

    for response in answers:
        _is_scim_error(response, 400)
        assert response.json()["scimType"] == "invalidFilter"


def test_a_body_over_the_payload_limit_is_too_large_in_scim_shape(scim, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"schemas": [protocol.BULK_REQUEST_SCHEMA], "Operations": [], "x": "a" * 2000}

    _is_scim_error(scim.post("Bulk", body), 413)


@pytest.mark.parametrize("name", ["G\tx", "G\u0001x", "Sales\nTeam"])
def test_a_group_name_follows_the_name_rule_no_control_character_no_line_break(scim, name):
    response = scim.post("Groups", {"schemas": [protocol.GROUP_SCHEMA], "displayName": name})

    _is_scim_error(response, 400)
    assert "control character" in response.json()["detail"]


@pytest.mark.parametrize(
    "body", [{"attributes": [1, 2]}, {"excludedAttributes": [{"a": 1}]}, {"attributes": 5}]
)
def test_search_attributes_that_are_not_names_are_an_invalid_value(scim, body):
    for path in ("Users/.search", ".search"):
        _is_scim_error(scim.post(path, body), 400)


ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


@pytest.mark.parametrize("attribute", ["department", "employeeNumber"])
@pytest.mark.parametrize("value", ["Sales\nOps", "Ops\tEast", "O\u0001ps", "Ops\u0085x"])
def test_enterprise_attributes_follow_the_name_rule_no_control_character_no_line_break(
    scim, attribute, value
):
    created = scim.post("Users", user_body("kim@example.com")).json()["id"]
    sent = [
        scim.post("Users", user_body("lee@example.com", **{ENTERPRISE: {attribute: value}})),
        scim.put(
            f"Users/{created}", user_body("kim@example.com", **{ENTERPRISE: {attribute: value}})
        ),
        scim.patch(
            f"Users/{created}",
            patch_body({"op": "replace", "value": {f"{ENTERPRISE}:{attribute}": value}}),
        ),
    ]

    for response in sent:
        _is_scim_error(response, 400)
        assert response.json()["scimType"] == "invalidValue"
        assert response.json()["detail"].startswith(f"{attribute}: Contains a control character")


def test_a_group_external_id_over_254_characters_is_an_invalid_value_and_nothing_is_written(
    scim,
):
    long_id = "x" * 255
    group = scim.post("Groups", {"schemas": [protocol.GROUP_SCHEMA], "displayName": "G"}).json()
    sent = [
        scim.post(
            "Groups",
            {"schemas": [protocol.GROUP_SCHEMA], "displayName": "H", "externalId": long_id},
        ),
        scim.put(
            f"Groups/{group['id']}",
            {"schemas": [protocol.GROUP_SCHEMA], "displayName": "G", "externalId": long_id},
        ),
        scim.patch(
            f"Groups/{group['id']}",
            patch_body({"op": "replace", "path": "externalId", "value": long_id}),
        ),
    ]

    for response in sent:
        _is_scim_error(response, 400)
        assert (
            response.json()["detail"] == "externalId has 255 characters; the org keeps at most 254."
        )
    assert list(Group.objects.values_list("name", flat=True)) == ["G"]
    assert "externalId" not in scim.get(f"Groups/{group['id']}").json()
