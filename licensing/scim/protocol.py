"""The protocol's fixed parts: media type, the error shape, and the discovery
documents (RFC 7644 §3.12, §4), built from ``scim2-models``' own schemas cut down to
the attributes this service provider keeps, so a client (and ``scim2-tester``) only
sends what is stored and read back."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from django.http import HttpResponse
from scim2_models import Context, EnterpriseUser, Group, User

from licensing.scim.errors import ScimError

MEDIA_TYPE = "application/scim+json"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
BULK_REQUEST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
BULK_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkResponse"
MAX_RESULTS = 1000  # filter.maxResults: the largest page
MAX_BULK_OPERATIONS = 1000
MAX_BULK_PAYLOAD = 10_000_000
MAX_START_INDEX = 2**62  # a startIndex past this is read as this (an empty page)

# The attributes kept per schema (sub-attributes after the dot).
KEPT = {
    USER_SCHEMA: {
        "userName": None,
        "name": {"givenName", "familyName"},
        "displayName": None,
        "active": None,
        "emails": {"value", "type", "primary"},
        "phoneNumbers": {"value", "type", "primary"},
        "groups": {"value", "$ref", "display"},
    },
    ENTERPRISE_SCHEMA: {"employeeNumber": None, "department": None},
    GROUP_SCHEMA: {"displayName": None, "members": {"value", "$ref", "type"}},
}


def resource_id(raw: object) -> int | None:
    """The database id a SCIM ``id`` (a path, a filter, a member's ``value``) names:
    ASCII digits, at most 18 of them (a bigint). Anything else (``²``, ``١``, a NUL,
    a 20-digit number) names no resource: ``None``."""
    text = str(raw)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


# What PostgreSQL text cannot hold: U+0000, and a lone UTF-16 surrogate (a JSON
# "\ud800" escape or a filter literal's) that has no UTF-8 form at all.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def check_storable(text: str, *, scim_type: str = "invalidValue") -> None:
    """400 (``scim_type``) when ``text`` holds a character no stored text can: every
    string of a body (``check_body``) and every filter value (``filters``) pass here."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return
    if found.group() == "\x00":
        raise ScimError(400, "A value holds a NUL character (U+0000): remove it.", scim_type)
    raise ScimError(
        400,
        f"A value holds a lone surrogate (U+{ord(found.group()):04X}), which is no "
        "character: send the text as UTF-8, or escape a character past U+FFFF as a pair.",
        scim_type,
    )


MAX_BODY_DEPTH = 32  # a Bulk request's deepest value (a group member) is 6 levels down


def check_body(value: Any, *, raw: bytes | None = None) -> None:
    """Refuse a parsed JSON body that no SCIM resource needs and our storage cannot
    hold: nested deeper than ``MAX_BODY_DEPTH`` (400 invalidSyntax; what reads the
    body, e.g. Bulk's bulkId resolution, recurses) or a U+0000 or lone surrogate in any
    string, key or value (400 invalidValue; PostgreSQL text cannot store it). Walked without
    recursion, so any depth is safe to check. ``raw``: the bytes ``value`` was parsed
    from; when they cannot hold a U+0000 (``may_hold``; nor then a lone surrogate, which
    only a ``\\u`` escape or a UTF-16/32 body can bring), only the nesting is walked
    (a Bulk request's ten thousand strings are not looked at)."""
    if raw is not None and not may_hold(raw, "\x00"):
        _check_depth(value)
        return
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_BODY_DEPTH:
            raise _too_deep()
        if isinstance(item, str):
            check_storable(item)
        elif isinstance(item, dict):
            stack.extend((key, depth + 1) for key in item)
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)


def _too_deep() -> ScimError:
    return ScimError(
        400, f"The body is nested deeper than {MAX_BODY_DEPTH} levels.", "invalidSyntax"
    )


def _check_depth(value: Any) -> None:
    """``check_body``'s nesting rule alone: no value (a string or number included)
    deeper than ``MAX_BODY_DEPTH``, so no non-empty object or array at that depth."""
    containers = (dict, list)  # what json.loads makes: exactly these types
    stack = [(value, 0)] if type(value) in containers else []
    append, pop = stack.append, stack.pop
    while stack:
        item, depth = pop()
        if not item:
            continue
        if depth >= MAX_BODY_DEPTH:
            raise _too_deep()
        for child in item.values() if type(item) is dict else item:
            if type(child) in containers:
                append((child, depth + 1))


def may_hold(raw: bytes, text: str) -> bool:
    """Whether the JSON document ``raw`` may hold a string (or key) containing ``text``,
    which has no quote, backslash, slash or control character but U+0000. False is
    sure: in UTF-8 such text is written as itself or with ``\\u`` escapes (a U+0000
    only escaped: strict JSON refuses it raw), and UTF-16/32 put NUL bytes in any
    document. True may be wrong (an escaped backslash followed by ``u``)."""
    return b"\x00" in raw or b"\\u" in raw or text.encode() in raw


def scim_response(
    body: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, separators=(",", ":")) if body is not None else b"",
        status=status,
        content_type=MEDIA_TYPE if body is not None else None,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(error: ScimError) -> HttpResponse:
    return scim_response(error.as_dict(), status=error.status)


# --- discovery ---------------------------------------------------------------------


def _cut(attributes: list[dict], kept: dict[str, Any]) -> list[dict]:
    result = []
    for attribute in attributes:
        if attribute["name"] not in kept:
            continue
        attribute = dict(attribute)
        sub = kept[attribute["name"]]
        if sub is not None:
            attribute["subAttributes"] = [
                s for s in attribute.get("subAttributes", []) if s["name"] in sub
            ]
        if attribute["name"] == "groups":
            attribute["mutability"] = "readOnly"
        if attribute["name"] == "emails":
            # Users are keyed by e-mail (SPEC §3): a userName that is not an address
            # needs one here, so clients are told it is required.
            attribute["required"] = True
            for sub_attribute in attribute["subAttributes"]:
                if sub_attribute["name"] == "value":
                    sub_attribute["required"] = True
        result.append(attribute)
    return result


@cache
def _schemas() -> dict[str, dict]:
    found = {}
    for model, urn in (
        (User, USER_SCHEMA),
        (EnterpriseUser, ENTERPRISE_SCHEMA),
        (Group, GROUP_SCHEMA),
    ):
        schema = model.to_schema().model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
        schema["attributes"] = _cut(schema["attributes"], KEPT[urn])
        found[urn] = schema
    return found


def _meta(base: str, resource_type: str, id_: str) -> dict[str, str]:
    return {"resourceType": resource_type, "location": f"{base}/{resource_type}s/{id_}"}


def schemas(base: str) -> list[dict]:
    return [
        {**schema, "meta": {"resourceType": "Schema", "location": f"{base}/Schemas/{urn}"}}
        for urn, schema in _schemas().items()
    ]


def resource_types(base: str) -> list[dict]:
    common = ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"]
    return [
        {
            "schemas": common,
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "The org's users",
            "schema": USER_SCHEMA,
            "schemaExtensions": [{"schema": ENTERPRISE_SCHEMA, "required": False}],
            "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/User"},
        },
        {
            "schemas": common,
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "The org's groups (group templates decide their members' licenses)",
            "schema": GROUP_SCHEMA,
            "schemaExtensions": [],
            "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/Group"},
        },
    ]


def service_provider_config(base: str) -> dict:
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "documentationUri": f"{base}/ServiceProviderConfig",
        "patch": {"supported": True},
        "bulk": {
            "supported": True,
            "maxOperations": MAX_BULK_OPERATIONS,
            "maxPayloadSize": MAX_BULK_PAYLOAD,
        },
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": True},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "The token of the org's SCIM connection (Users → SCIM).",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base}/ServiceProviderConfig",
        },
    }
