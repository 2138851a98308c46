"""SCIM Users (RFC 7644 §3.3–3.6) on an org host: what a provider sees and what the
org keeps (SPEC §3, §6)."""

from __future__ import annotations

from licensing.models import OrgUser
from tests.licensing.scim.conftest import user_body


def test_post_user_creates_the_org_user_with_its_scim_attributes(scim):
    response = scim.post("Users", user_body("Kim@Example.com", externalId="00u1"))

    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "application/scim+json"
    body = response.json()
    user = OrgUser.objects.get(email="kim@example.com")
    assert body["id"] == str(user.pk)
    assert body["userName"] == "Kim@Example.com"
    assert body["externalId"] == "00u1"
    assert body["active"] is True
    assert response["ETag"] == body["meta"]["version"]
    assert response["Location"].endswith(f"/scim/v2/Users/{user.pk}")
    assert (user.first_name, user.last_name) == ("Kim", "Berg")


def test_get_user_by_filter_on_username(scim):
    scim.post("Users", user_body("kim@example.com"))

    found = scim.get('Users?filter=userName eq "KIM@example.com"').json()
    missing = scim.get('Users?filter=userName eq "nobody@example.com"').json()

    assert found["totalResults"] == 1
    assert found["Resources"][0]["userName"] == "kim@example.com"
    assert missing["totalResults"] == 0 and missing["Resources"] == []
