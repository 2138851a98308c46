"""A plain User payload read without ``scim2-models`` (``licensing.scim.plain_users``,
Bulk's fast path) gives exactly what ``scim2-models`` + ``user_data`` give: the same
``UserData`` or the same error; any payload it cannot read that way is left to them."""

from __future__ import annotations

import copy
from typing import Any

from scim2_models import Context

from licensing.scim.dialects import POLICY
from licensing.scim.errors import ScimError
from licensing.scim.plain_users import plain_user_data
from licensing.scim.protocol import ENTERPRISE_SCHEMA, USER_SCHEMA
from licensing.scim.resources import UserData, parse_user, user_data

BASE: dict[str, Any] = {
    "schemas": [USER_SCHEMA, ENTERPRISE_SCHEMA],
    "userName": "kim.berg@example.com",
    "externalId": "ext-1",
    "name": {"givenName": "Kim", "familyName": "Berg"},
    "displayName": "Kim Berg",
    "active": True,
    "emails": [{"value": "kim.berg@example.com", "type": "work", "primary": True}],
    "phoneNumbers": [{"value": "+12125550100", "type": "work"}],
    ENTERPRISE_SCHEMA: {"department": "Sales", "employeeNumber": "701"},
}

ODD_VALUES = [
    None, "", "  padded  ", "x" * 300, "tel:+12125550100", "line\nbreak", "\x07bell",
    "\ud800", "Zoë Ærø", "ß", 0, 1, 1.5, True, False, "true", "False", [], [""], {}, {"value": "x"},
]  # fmt: skip
ENTRY_VARIANTS = [
    {"value": "other@example.com"},
    {"value": "other@example.com", "type": "Work"},
    {"value": "other@example.com", "type": "home", "primary": False},
    {"value": "other@example.com", "type": "custom"},
    {"value": "other@example.com", "type": None},
    {"value": "other@example.com", "type": ["work"]},
    {"value": "other@example.com", "primary": "true"},
    {"value": "other@example.com", "primary": True},
    {"value": "other@example.com", "display": "Other"},
    {"value": ""},
    {"value": None, "type": "work"},
    {"type": "work"},
    {"Value": "other@example.com"},
    {"value": "not an address", "type": "work"},
    {"value": "+12125550199", "type": "mobile"},
    {"value": "+12125550199", "type": "fax", "primary": True},
    "other@example.com",
    None,
]


def _variants() -> list[dict]:
    """The base payload, each attribute left out, each set to odd values, entries
    added, keys spelt otherwise, schemas changed, attributes the org does not keep."""
    found: list[dict] = [copy.deepcopy(BASE)]

    def changed(**changes: Any) -> dict:
        payload = copy.deepcopy(BASE)
        for key, value in changes.items():
            key = ENTERPRISE_SCHEMA if key == "enterprise" else key
            if value is KeyError:
                payload.pop(key, None)
            else:
                payload[key] = value
        return payload

    for key in list(BASE):
        found.append(changed(**{"enterprise" if key == ENTERPRISE_SCHEMA else key: KeyError}))
        for value in ODD_VALUES:
            found.append(changed(**{"enterprise" if key == ENTERPRISE_SCHEMA else key: value}))
    for sub in ("givenName", "familyName"):
        for value in ODD_VALUES:
            found.append(changed(name={**BASE["name"], sub: value}))
        found.append(changed(name={k: v for k, v in BASE["name"].items() if k != sub}))
    found.append(changed(name={**BASE["name"], "middleName": "J"}))
    found.append(changed(name={"GivenName": "Kim"}))
    for sub in ("department", "employeeNumber"):
        for value in ODD_VALUES:
            found.append(changed(enterprise={**BASE[ENTERPRISE_SCHEMA], sub: value}))
    found.append(changed(enterprise={"Department": "Sales"}))
    found.append(changed(enterprise={"manager": {"value": "1"}}))
    for attribute in ("emails", "phoneNumbers"):
        for entry in ENTRY_VARIANTS:
            found.append(changed(**{attribute: [*BASE[attribute], entry]}))
            found.append(changed(**{attribute: [entry]}))
        found.append(changed(**{attribute: [{"value": "a@example.com", "primary": True}] * 2}))
    for user_name in ("KIM@EXAMPLE.COM", " kim@example.com ", "kim", "kim@", "@example.com"):
        found.append(changed(userName=user_name))
        found.append(changed(userName=user_name, emails=[]))
    for key in ("username", "UserName", "user_name", "Emails", "external_id", "NAME"):
        payload = changed()
        payload[key] = payload.pop({"username": "userName", "UserName": "userName",
                                    "user_name": "userName", "Emails": "emails",
                                    "external_id": "externalId", "NAME": "name"}[key])  # fmt: skip
        found.append(payload)
    for schemas in (
        [USER_SCHEMA], [ENTERPRISE_SCHEMA, USER_SCHEMA], [USER_SCHEMA, USER_SCHEMA], [],
        ["urn:ietf:params:scim:schemas:core:2.0:Group"], [USER_SCHEMA, "urn:example:unknown"],
        USER_SCHEMA, None, KeyError,
    ):  # fmt: skip
        found.append(changed(schemas=schemas))
        found.append(changed(schemas=schemas, enterprise=KeyError))
    for extra in ("id", "meta", "groups", "title", "password", "roles", "manager", "locale"):
        found.append(changed(**{extra: "x"}))
    found.append(changed(enterprise=KeyError))
    found.append({"schemas": [USER_SCHEMA], "userName": "min@example.com"})
    found.append({"schemas": [USER_SCHEMA], "userName": "min@example.com", "emails": []})
    return found


def _slow(payload: dict) -> UserData | tuple:
    try:
        return user_data(parse_user(payload, context=Context.RESOURCE_CREATION_REQUEST))
    except ScimError as error:
        return (error.status, error.detail, error.scim_type)


def _fast(payload: dict) -> UserData | tuple | None:
    try:
        return plain_user_data(payload)
    except ScimError as error:
        return (error.status, error.detail, error.scim_type)


def test_a_plain_user_payload_reads_as_scim2_models_reads_it():
    variants = _variants()
    plain = 0
    with POLICY:
        for payload in variants:
            fast = _fast(copy.deepcopy(payload))
            if fast is None:
                continue
            plain += 1
            assert fast == _slow(copy.deepcopy(payload)), payload

    assert len(variants) > 300
    assert plain > 100  # the shape identity providers send is read the fast way


def test_the_benchmark_and_identity_provider_shapes_are_plain():
    with POLICY:
        assert isinstance(plain_user_data(copy.deepcopy(BASE)), UserData)
        assert isinstance(
            plain_user_data({"schemas": [USER_SCHEMA], "userName": "a@example.com"}), UserData
        )
