"""User payloads of the plain shape, read without ``scim2-models`` (issue #13, SPEC §9:
``/Bulk`` ≥ 2,000 users/s).

Validating a User with ``scim2-models`` costs ≈ 0.25 ms of Python (its checks of
every field of every sub-object against the request's context), as much as writing
the user. An identity provider's initial load sends one shape again and again: the
attributes this org keeps, spelt as RFC 7643 spells them, each of its JSON type::

    {"schemas": [USER_SCHEMA(, ENTERPRISE_SCHEMA)], "userName": "…", "externalId": "…",
     "name": {"givenName": "…", "familyName": "…"}, "displayName": "…", "active": true,
     "emails": [{"value": "…", "type": "work", "primary": true}],
     "phoneNumbers": [{"value": "…", "type": "work"}],
     ENTERPRISE_SCHEMA: {"department": "…", "employeeNumber": "…"}}

(any of them but ``schemas`` and ``userName`` left out). ``scim2-models`` accepts every
such payload and hands ``user_data`` exactly these values, so ``plain_user_data``
hands them to ``resources.data_of`` itself: the org's rules still apply, in that one
place. Anything else — another spelling, another attribute, ``null``, ``"true"`` for
a boolean, a type outside the canonical ones, two primaries, ``id`` or ``meta`` —
is not plain (``None``): the caller parses it with ``scim2-models``
(``resources.parse_user``), errors and dialects included.

``tests/licensing/scim/test_plain_users.py`` reads a few hundred variants both ways
and requires the same ``UserData`` (or a ``None`` here).
"""

from __future__ import annotations

from typing import Any

from scim2_models import Context

from licensing.scim.protocol import ENTERPRISE_SCHEMA, USER_SCHEMA
from licensing.scim.resources import ENTRY_KEYS, UserData, data_of, parse_user, user_data

TOP = frozenset(
    {"schemas", "userName", "externalId", "name", "displayName", "active", "emails", "phoneNumbers"}
)
NAME = frozenset({"givenName", "familyName"})
ENTERPRISE = frozenset({"department", "employeeNumber"})
EMAIL_TYPES = frozenset({"work", "home", "other"})  # scim2-models' Email.Type
PHONE_TYPES = frozenset({"work", "home", "mobile", "fax", "pager", "other"})  # PhoneNumber.Type
SCHEMAS = ([USER_SCHEMA], [USER_SCHEMA, ENTERPRISE_SCHEMA])
ENTRY = frozenset(ENTRY_KEYS)


class _NotPlain(Exception):
    pass


def plain_user_data(payload: Any) -> UserData | None:
    """``user_data(parse_user(payload))`` for a payload of the plain shape (module
    docstring), without ``scim2-models``; None for any other payload. Raises the
    ``ScimError`` of the org's rules (``resources.data_of``) like ``user_data``."""
    if type(payload) is not dict:
        return None
    try:
        schemas = payload.get("schemas")
        if schemas not in SCHEMAS or (len(schemas) == 2) != (ENTERPRISE_SCHEMA in payload):
            raise _NotPlain
        if not payload.keys() <= TOP | {ENTERPRISE_SCHEMA}:
            raise _NotPlain
        name = _object(payload.get("name", {}), NAME)
        enterprise = _object(payload.get(ENTERPRISE_SCHEMA, {}), ENTERPRISE)
        active = payload.get("active")
        if "active" in payload and type(active) is not bool:
            raise _NotPlain
        emails = _entries(payload.get("emails", []), EMAIL_TYPES)
        phones = _entries(payload.get("phoneNumbers", []), PHONE_TYPES)
        user_name = _text(payload.get("userName"))
        external_id = _text(payload.get("externalId", ""))
        display_name = _text(payload.get("displayName", ""))
    except _NotPlain:
        return None
    return data_of(
        user_name=user_name,
        emails=emails,
        phones=phones,
        given_name=name.get("givenName"),
        family_name=name.get("familyName"),
        display_name=display_name,
        active=active,
        external_id=external_id,
        department=enterprise.get("department"),
        employee_number=enterprise.get("employeeNumber"),
    )


def _text(value: Any) -> str:
    if type(value) is not str:
        raise _NotPlain
    return value


def _object(value: Any, keys: frozenset[str]) -> dict[str, str]:
    if type(value) is not dict or not value.keys() <= keys:
        raise _NotPlain
    for item in value.values():
        _text(item)
    return value


def _entries(value: Any, types: frozenset[str]) -> list[dict]:
    """``resources._entries`` of what ``scim2-models`` would have read."""
    if type(value) is not list:
        raise _NotPlain
    result, primaries = [], 0
    for item in value:
        if type(item) is not dict or not item.keys() <= ENTRY or "value" not in item:
            raise _NotPlain
        _text(item["value"])
        if "type" in item and (type(item["type"]) is not str or item["type"] not in types):
            raise _NotPlain
        if "primary" in item and type(item["primary"]) is not bool:
            raise _NotPlain
        primaries += item.get("primary") is True
        entry = {key: item[key] for key in ENTRY_KEYS if key in item}
        if entry["value"]:
            result.append(entry)
    if primaries > 1:
        raise _NotPlain
    return result


def new_user_data(payload: Any) -> UserData:
    """A new user's data (``POST /Users``, a Bulk operation's POST): the plain shape
    read directly, any other payload through ``scim2-models``
    (``resources.parse_user``); the same result either way."""
    data = plain_user_data(payload)
    if data is None:
        data = user_data(parse_user(payload, context=Context.RESOURCE_CREATION_REQUEST))
    return data
