"""A JSON body may carry a lone surrogate ("\\ud800"), which no answer can hold: an
API error that quotes the value sent answers 400 with U+FFFD in its place, never a
500 (the attack walk of stop 20: partner admins' role, a ChoiceField, quoted it)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

LONE = "\ud800"


def _send(client, method: str, path: str, body: dict):  # type: ignore[no-untyped-def]
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_an_api_error_quoting_a_lone_surrogate_is_a_400_with_a_replacement_character(
    partner_client, world, accept
):
    client = partner_client(world.alice)
    client.defaults["HTTP_ACCEPT"] = accept
    membership = world.bob.partner_memberships.get()
    answers = [
        _send(client, "post", "/api/partner/admins/", {"email": "x@northwind.test", "role": LONE}),
        _send(client, "patch", f"/api/partner/admins/{membership.pk}/", {"role": f"a{LONE}"}),
    ]

    for response in answers:
        assert response.status_code == 400, response.content[:300]
        assert "\ufffd" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "provisioning_admin"
