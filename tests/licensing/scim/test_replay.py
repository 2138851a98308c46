"""The identity-provider replay corpus (issue #13 item 4): request sequences Okta and
Microsoft Entra ID send, written from their public documentation
(``corpus/*.json``, each file names its source), replayed against Acme; each step's
answer and the final users, licenses, numbers and failure reasons are checked."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from calling.models import Location, PhoneNumber, ProvisioningFailure
from licensing.models import Group, LicenseAssignment, OrgUser, UserStatus
from licensing.services.templates import create_template
from tests.licensing.conftest import ACTOR, line

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.json"))


def _fill(value: Any, saved: dict[str, str]) -> Any:
    if isinstance(value, str):
        return re.sub(r"\{\{(\w+)\}\}", lambda m: saved[m.group(1)], value)
    if isinstance(value, list):
        return [_fill(v, saved) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, saved) for k, v in value.items()}
    return value


def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and _contains(actual[k], v) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(_contains(a, e) for a, e in zip(actual, expected, strict=True))
        )
    return actual == expected


def _set_up(setup: dict) -> None:
    for e164, location in setup["numbers"]:
        place, _ = Location.objects.get_or_create(
            name=location, defaults={"country": "NO", "is_default": True}
        )
        PhoneNumber.objects.create(e164=e164, location=place)
    for name in setup["groups"]:
        Group.objects.create(name=name)
    for template in setup["templates"]:
        create_template(
            name=template["name"],
            group=Group.objects.get(name=template["group"]) if template.get("group") else None,
            lines=[line(code) for code in template["lines"]],
            keep_licenses_for_existing_users=template.get("keep_licenses", True),
            actor=ACTOR,
        )


def _state(email: str) -> dict:
    user = OrgUser.objects.get(email=email)
    failure = ProvisioningFailure.objects.filter(user=user).first()
    number = PhoneNumber.objects.filter(profile__user=user).values_list("e164", flat=True).first()
    return {
        "active": user.status != UserStatus.INACTIVE,
        "licenses": sorted(
            LicenseAssignment.objects.filter(user=user)
            .exclude(kind="basic")  # included with every org, not from templates
            .values_list("license_type", flat=True)
        ),
        "number": number,
        "failure": failure.reason if failure else None,
        "groups": sorted(user.groups.values_list("name", flat=True)),
    }


@pytest.mark.parametrize("corpus", CORPUS, ids=[p.stem for p in CORPUS])
def test_identity_provider_replay(scim, corpus):
    script = json.loads(corpus.read_text())
    _set_up(script["setup"])
    saved: dict[str, str] = {}

    for step in script["steps"]:
        response = scim.call(
            step["method"], _fill(step["path"], saved), _fill(step.get("body"), saved)
        )
        body = response.json() if response.content else None
        assert response.status_code == step["expect"]["status"], (step["name"], body)
        expected = _fill(step["expect"].get("json"), saved)
        assert expected is None or _contains(body, expected), (step["name"], body)
        if step.get("save"):
            saved[step["save"]] = body["id"]
        if step.get("save_first"):
            saved[step["save_first"]] = body["Resources"][0]["id"]

    assert {email: _state(email) for email in script["expect"]["users"]} == script["expect"][
        "users"
    ]
