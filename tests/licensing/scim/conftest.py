"""Helpers for SCIM tests: a connection of Acme and a client that speaks SCIM."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from licensing.scim.connections import create_connection
from partnerhub.audit.services import Actor
from tests.conftest import host_of

MEDIA = "application/scim+json"
ADMIN = Actor(account_id=None, email="ann@acme.test")


@dataclass
class Scim:
    """Calls ``/scim/v2/…`` on an org host with a bearer token."""

    client: Client
    token: str

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        if self.token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        return getattr(self.client, method.lower())(
            f"/scim/v2/{path.lstrip('/')}",
            data=json.dumps(body) if body is not None else None,
            content_type=MEDIA,
            **extra,
        )

    def get(self, path: str, **headers: str) -> Any:
        return self.call("GET", path, **headers)

    def post(self, path: str, body: Any, **headers: str) -> Any:
        return self.call("POST", path, body, **headers)

    def put(self, path: str, body: Any, **headers: str) -> Any:
        return self.call("PUT", path, body, **headers)

    def patch(self, path: str, body: Any, **headers: str) -> Any:
        return self.call("PATCH", path, body, **headers)

    def delete(self, path: str, **headers: str) -> Any:
        return self.call("DELETE", path, **headers)


def user_body(
    email: str, *, phone: str = "", given: str = "Kim", family: str = "Berg", **extra: Any
) -> dict:
    body: dict[str, Any] = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": email,
        "name": {"givenName": given, "familyName": family},
        "emails": [{"value": email, "type": "work", "primary": True}],
        "active": True,
        **extra,
    }
    if phone:
        body["phoneNumbers"] = [{"value": phone, "type": "work"}]
    return body


def patch_body(*operations: dict) -> dict:
    return {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": list(operations),
    }


@pytest.fixture
def connection_and_token(acme):  # type: ignore[no-untyped-def]
    return create_connection(name="Okta", actor=ADMIN)


@pytest.fixture
def scim(connection_and_token, world) -> Scim:  # type: ignore[no-untyped-def]
    return Scim(Client(HTTP_HOST=host_of(world.acme)), connection_and_token[1])
