"""Users and groups as SCIM resources, and SCIM payloads as what the org keeps.

``user_resource`` / ``group_resource`` build the JSON of a resource (plain dicts: the
list endpoints and the benchmark build thousands). ``user_data`` reads a User payload
— validated by ``scim2-models`` first — into ``UserData``, the fields the licensing
services write. ``version`` is the ETag: a hash of the resource without ``meta``, so
it changes exactly when what a client reads changes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError as PydanticError
from scim2_models import Context, EnterpriseUser, SCIMException, User
from scim2_models.resources.user import Email

from licensing.models import Group, OrgUser, UserStatus
from licensing.scim.errors import ScimError
from licensing.scim.protocol import ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA
from licensing.services.bulk_users import display_name_for
from licensing.user_fields import validated_user_name
from partnerhub import rules
from partnerhub.errors import DomainError


class OrgEmail(Email):
    """``emails`` entries with the address as sent: the org's one e-mail rule
    (``partnerhub.rules``) judges it in ``user_data``, not pydantic's ``EmailStr``
    (email-validator refuses special-use domains such as ``.test`` that the pages and
    the CSV accept)."""

    value: str | None = None


class OrgScimUser(User):
    emails: list[OrgEmail] | None = None


USER_MODEL = OrgScimUser[EnterpriseUser]


@dataclass(frozen=True)
class UserData:
    """What a SCIM User payload sets (RFC 7643 §4.1 → SPEC §3, §6)."""

    email: str
    user_name: str
    first_name: str = ""
    last_name: str = ""
    display_name: str = ""
    active: bool | None = True  # None: not sent / removed (the user is not deactivated)
    external_id: str = ""
    emails: list[dict] = field(default_factory=list)
    phone_numbers: list[dict] = field(default_factory=list)
    work_phone: str = ""
    department: str = ""
    employee_number: str = ""


def _address(value: str, attribute: str) -> str:
    """``value`` as the org keys an address, or 400 ``invalidValue`` naming the
    attribute and what the org's e-mail rule refuses."""
    email, problem = rules.email_problem(value)
    if problem is not None:
        raise ScimError(400, f"{attribute}: {problem}", "invalidValue")
    return email


def _email_of(user_name: str, emails: list[dict]) -> str:
    """The user's e-mail: ``userName`` when the org's rule accepts it as an address,
    else the work (or primary, or first) entry of ``emails``. Every ``emails`` value
    must be an address the org accepts."""
    for entry in emails:
        _address(str(entry["value"]), "emails.value")
    if rules.email_problem(user_name)[1] is None:
        return rules.email_key(user_name)
    primary = next((e["value"] for e in emails if e.get("primary")), "")
    fallback = next((c for c in (_of_type(emails, "work"), primary) if c), "")
    if fallback or emails:
        return _address(fallback or emails[0]["value"], "emails.value")
    if "@" in user_name:
        return _address(user_name, "userName")  # raises, naming the problem
    raise ScimError(
        400,
        f"userName '{user_name[:80]}' is not an e-mail address and emails has none: "
        "send the user's work e-mail as userName or in emails.",
        "invalidValue",
    )


def _entries(items: list[Any] | None, keys: tuple[str, ...]) -> list[dict]:
    result = []
    for item in items or []:
        data = item.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE, exclude_none=True)
        entry = {key: data[key] for key in keys if data.get(key) is not None}
        if "type" in entry:
            entry["type"] = str(entry["type"])
        if entry.get("value"):
            result.append(entry)
    return result


def _of_type(entries: list[dict], kind: str) -> str:
    for entry in entries:
        if str(entry.get("type", "")).lower() == kind:
            return str(entry["value"])
    return ""


def _checked(value: str | None, *, name: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ScimError(
            400,
            f"{name} has {len(value)} characters; the org keeps at most {limit}.",
            "invalidValue",
        )
    return value


def external_id_of(value: str | None) -> str:
    """A User's or Group's externalId as kept: stripped, at most 254 characters (the
    column's size), else 400 invalidValue."""
    return _checked(value, name="externalId", limit=254)


def _one_line(value: str | None, *, name: str, limit: int) -> str:
    """An enterprise attribute the org shows as a name (department, employeeNumber):
    the product's name rule (``partnerhub.rules.name_problem``: one line, no control
    character, at most ``limit`` characters), else 400 invalidValue naming it."""
    value = (value or "").strip()
    problem = rules.name_problem(value, max_length=limit)
    if problem:
        raise ScimError(400, f"{name}: {problem}", "invalidValue")
    return value


def _name(value: str | None, field: str, attribute: str) -> str:
    """The product's rule for a user's name fields (``validated_user_name``)."""
    try:
        return validated_user_name(value or "", field)
    except DomainError as error:
        raise ScimError(400, f"{attribute}: {error.message}", "invalidValue") from None


def parse_user(payload: Any, *, context: Context) -> Any:
    """The payload as ``scim2-models``' User (with the enterprise extension), or a
    400 ``invalidValue``/``invalidSyntax`` naming what is wrong."""
    if not isinstance(payload, dict):
        raise ScimError(400, "The body must be a JSON object (a SCIM User).", "invalidSyntax")
    from licensing.scim.dialects import keep_only_kept

    try:
        return USER_MODEL.model_validate(
            keep_only_kept(payload, schema=USER_SCHEMA), scim_ctx=context
        )
    except SCIMException as error:
        raise ScimError(error.status, str(error), error.scim_type or "invalidValue") from None
    except PydanticError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in error.errors()
        )
        raise ScimError(400, f"The User is not valid: {problems}", "invalidValue") from None


ENTRY_KEYS = ("value", "type", "primary")  # what the org keeps of emails / phoneNumbers


def user_data(user: Any) -> UserData:
    """The org's view of a parsed User (``data_of``)."""
    enterprise = user[EnterpriseUser] if user.EnterpriseUser is not None else None
    name = user.name
    return data_of(
        user_name=user.user_name,
        emails=_entries(user.emails, ENTRY_KEYS),
        phones=_entries(user.phone_numbers, ENTRY_KEYS),
        given_name=name.given_name if name else "",
        family_name=name.family_name if name else "",
        display_name=user.display_name,
        active=user.active,
        external_id=user.external_id,
        department=enterprise.department if enterprise else "",
        employee_number=enterprise.employee_number if enterprise else "",
    )


def data_of(
    *,
    user_name: str | None,
    emails: list[dict],
    phones: list[dict],
    given_name: str | None,
    family_name: str | None,
    display_name: str | None,
    active: bool | None,
    external_id: str | None,
    department: str | None,
    employee_number: str | None,
) -> UserData:
    """The org's rules on a User's attributes as validated (``emails`` / ``phones``:
    their entries with a value, ``ENTRY_KEYS`` only, ``type`` a string). The e-mail is
    ``userName`` when that is an address, else the work (or primary, or first) e-mail
    of ``emails``. Raises ``ScimError`` 400 naming the attribute it refuses."""
    user_name = (user_name or "").strip()
    if not user_name:
        raise ScimError(400, "userName is required.", "invalidValue")
    email = _email_of(user_name, emails)
    work_phone = _of_type(phones, "work").strip()
    if work_phone.lower().startswith("tel:"):
        work_phone = work_phone[4:]
    first_name = _name(given_name, "first_name", "name.givenName")
    last_name = _name(family_name, "last_name", "name.familyName")
    return UserData(
        email=email,
        user_name=_checked(user_name, name="userName", limit=254),
        first_name=first_name,
        last_name=last_name,
        # The one display-name rule: none sent is "First Last", as the org stores it.
        display_name=display_name_for(
            first_name=first_name,
            last_name=last_name,
            display_name=_name(display_name, "display_name", "displayName"),
        ),
        active=None if active is None else bool(active),
        external_id=external_id_of(external_id),
        emails=emails,
        phone_numbers=phones,
        work_phone=_checked(work_phone, name="phoneNumbers (work)", limit=40),
        department=_one_line(department, name="department", limit=254),
        employee_number=_one_line(employee_number, name="employeeNumber", limit=64),
    )


def stored_data(user: OrgUser) -> UserData:
    """What the org holds now, in the same shape (to compare a PUT against)."""
    scim = getattr(user, "scim", None)
    return UserData(
        email=user.email,
        user_name=scim.user_name if scim else user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        display_name=user.display_name,
        active=None
        if scim and scim.active is None and user.status != UserStatus.INACTIVE
        else user.status != UserStatus.INACTIVE,
        external_id=scim.external_id if scim else "",
        emails=scim.emails if scim else [{"value": user.email, "type": "work", "primary": True}],
        phone_numbers=scim.phone_numbers
        if scim
        else ([{"value": user.work_phone, "type": "work"}] if user.work_phone else []),
        work_phone=user.work_phone,
        department=scim.department if scim else "",
        employee_number=scim.employee_number if scim else "",
    )


def version(resource: dict) -> str:
    body = json.dumps({k: v for k, v in resource.items() if k != "meta"}, sort_keys=True)
    return 'W/"' + hashlib.sha1(body.encode(), usedforsecurity=False).hexdigest()[:20] + '"'


def _iso(moment: Any) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def user_resource(user: OrgUser, *, base: str, groups: list[tuple[int, str]]) -> dict:
    """``groups``: (id, name) of the user's groups."""
    data = stored_data(user)
    resource: dict[str, Any] = {"schemas": [USER_SCHEMA], "id": str(user.pk)}
    if data.external_id:
        resource["externalId"] = data.external_id
    resource["userName"] = data.user_name
    name = {k: v for k, v in (("givenName", data.first_name), ("familyName", data.last_name)) if v}
    if name:
        resource["name"] = name
    if data.display_name:
        resource["displayName"] = data.display_name
    if data.active is not None:
        resource["active"] = data.active
    if data.emails:
        resource["emails"] = data.emails
    if data.phone_numbers:
        resource["phoneNumbers"] = data.phone_numbers
    if groups:
        resource["groups"] = [
            {"value": str(pk), "$ref": f"{base}/Groups/{pk}", "display": name}
            for pk, name in groups
        ]
    enterprise = {
        k: v
        for k, v in (("employeeNumber", data.employee_number), ("department", data.department))
        if v
    }
    if enterprise:
        resource["schemas"] = [USER_SCHEMA, ENTERPRISE_SCHEMA]
        resource[ENTERPRISE_SCHEMA] = enterprise
    resource["meta"] = {
        "resourceType": "User",
        "created": _iso(user.created_at),
        "lastModified": _iso(user.updated_at),
        "location": f"{base}/Users/{user.pk}",
        "version": version(resource),
    }
    return resource


def group_resource(
    group: Group, *, base: str, members: list[tuple[int, str]], external_id: str = ""
) -> dict:
    """``members``: (id, e-mail) of the group's users."""
    resource: dict[str, Any] = {"schemas": [GROUP_SCHEMA], "id": str(group.pk)}
    if external_id:
        resource["externalId"] = external_id
    resource["displayName"] = group.name
    if members:
        resource["members"] = [
            {"value": str(pk), "$ref": f"{base}/Users/{pk}", "type": "User"}
            for pk, _email in members
        ]
    resource["meta"] = {
        "resourceType": "Group",
        "location": f"{base}/Groups/{group.pk}",
        "version": version(resource),
    }
    return resource


def project(resource: dict, *, attributes: list[str], excluded: list[str]) -> dict:
    """RFC 7644 §3.9: only ``attributes`` (plus id, schemas, meta), or all but
    ``excluded``. Names are case-insensitive; ``name.givenName`` keeps a sub-attribute;
    an extension's attributes may carry its URN."""
    always = {"id", "schemas", "meta"}

    def split(names: list[str]) -> dict[str, set[str]]:
        wanted: dict[str, set[str]] = {}
        for raw in names:
            name = raw.strip()
            for urn in (USER_SCHEMA, GROUP_SCHEMA):
                if name.lower().startswith(urn.lower() + ":"):
                    name = name[len(urn) + 1 :]
            if name.lower().startswith(ENTERPRISE_SCHEMA.lower() + ":"):
                wanted.setdefault(ENTERPRISE_SCHEMA.lower(), set()).add(
                    name[len(ENTERPRISE_SCHEMA) + 1 :].lower()
                )
                continue
            top, _, sub = name.partition(".")
            wanted.setdefault(top.lower(), set())
            if sub:
                wanted[top.lower()].add(sub.lower())
        return wanted

    if attributes:
        wanted = split(attributes)
        result = {}
        for key, value in resource.items():
            subs = wanted.get(key.lower())
            if key in always:
                result[key] = value
            elif subs is None:
                continue
            elif subs and isinstance(value, dict):
                kept = {k: v for k, v in value.items() if k.lower() in subs}
                if kept:
                    result[key] = kept
            elif subs and isinstance(value, list):
                result[key] = [
                    {k: v for k, v in item.items() if k.lower() in subs} for item in value
                ]
            else:
                result[key] = value
        return result
    if excluded:
        unwanted = split(excluded)
        result = {}
        for key, value in resource.items():
            subs = unwanted.get(key.lower())
            if key in always or subs is None:
                result[key] = value
            elif subs and isinstance(value, dict):
                kept = {k: v for k, v in value.items() if k.lower() not in subs}
                if kept:
                    result[key] = kept
        return result
    return resource
