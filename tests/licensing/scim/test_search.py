"""Root ``POST /scim/v2/.search`` (RFC 7644 §3.4.3): one list, users then groups,
paged with real offsets (§3.4.2.4), and its filter checked like a GET's (§3.4.2.2)."""

from __future__ import annotations

import pytest

from licensing.scim import protocol
from tests.licensing.scim.conftest import user_body

pytestmark = pytest.mark.django_db

SEARCH = ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]


def test_rfc7644_3_4_2_4_root_search_pages_users_then_groups_past_the_page_limit(scim, monkeypatch):
    for n in range(3):
        assert scim.post("Users", user_body(f"page{n}@example.com")).status_code == 201
    for n in range(2):
        group = {"schemas": [protocol.GROUP_SCHEMA], "displayName": f"Page {n}"}
        assert scim.post("Groups", group).status_code == 201
    users = [r["id"] for r in scim.get("Users").json()["Resources"]]
    groups = [r["id"] for r in scim.get("Groups").json()["Resources"]]
    monkeypatch.setattr(protocol, "MAX_RESULTS", 2)  # fewer users than pages hold

    seen, totals = [], set()
    for start in range(1, len(users) + len(groups) + 2, 2):
        page = scim.post(".search", {"schemas": SEARCH, "startIndex": start, "count": 2})
        assert page.status_code == 200, page.content[:300]
        seen += [r["id"] for r in page.json()["Resources"]]
        totals.add(page.json()["totalResults"])

    assert seen == users + groups
    assert totals == {len(users) + len(groups)}


@pytest.mark.parametrize("value", [['userName eq "a"'], 5, {"a": 1}, True])
def test_rfc7644_3_4_3_a_search_filter_that_is_not_a_string_is_an_invalid_filter(scim, value):
    for path in (".search", "Users/.search", "Groups/.search"):
        response = scim.post(path, {"schemas": SEARCH, "filter": value})

        assert response.status_code == 400, response.content[:300]
        assert response.json()["scimType"] == "invalidFilter"


@pytest.mark.parametrize("query", ["userName eq null", "userName ne null", "externalId eq null"])
def test_rfc7644_3_4_2_2_comparing_with_null_is_an_invalid_filter_use_pr(scim, query):
    response = scim.get(f"Users?filter={query}")

    assert response.status_code == 400, response.content[:300]
    assert response.json()["scimType"] == "invalidFilter"
    assert " pr" in response.json()["detail"]


def _names(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content[:300]
    return sorted(r.get("displayName") or r.get("userName") for r in response.json()["Resources"])


def test_rfc7644_3_4_2_2_present_reads_the_kinds_own_columns(scim):
    kim = scim.post("Users", user_body("kim@example.com", externalId="okta-1")).json()["id"]
    scim.post("Users", user_body("lee@example.com", given="", family=""))
    for name, extra in (("Sales", {"externalId": "g-1", "members": [{"value": kim}]}), ("Ops", {})):
        scim.post("Groups", {"schemas": [protocol.GROUP_SCHEMA], "displayName": name, **extra})

    assert _names(scim.get("Groups?filter=displayName pr")) == ["Ops", "Sales"]
    assert _names(scim.get("Groups?filter=externalId pr")) == ["Sales"]
    assert _names(scim.get("Groups?filter=members pr")) == ["Sales"]
    assert _names(scim.get("Users?filter=externalId pr")) == ["Kim Berg"]
    assert _names(scim.get("Users?filter=name.givenName pr")) == ["Kim Berg"]
    assert _names(scim.post(".search", {"filter": "displayName pr"})) == [
        "Kim Berg", "Ops", "Sales",
    ]  # fmt: skip


def test_a_filter_over_ten_thousand_characters_is_an_invalid_filter(scim):
    text = " or ".join(f'userName eq "u{n}@example.com"' for n in range(400))

    for response in (
        scim.post("Users/.search", {"filter": text}),
        scim.post("Groups/.search", {"filter": text}),
        scim.post(".search", {"filter": text}),
    ):
        assert response.status_code == 400, response.content[:300]
        assert response.json()["scimType"] == "invalidFilter"
        assert response.json()["detail"].endswith("send at most 10000.")
