"""SCIM Users (RFC 7644 §3.3–3.6) on an org host: what a provider sees and what the
org keeps (SPEC §3, §6)."""

from __future__ import annotations

import pytest

from licensing.models import OrgUser, UserStatus
from partnerhub import rules
from partnerhub.audit.models import AuditEntry
from tests.licensing.scim.conftest import patch_body, user_body


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


def test_the_created_answer_is_the_resource_a_read_gives(scim):
    body = user_body("kim@example.com", phone="+4722000000", externalId="00u1")
    body["schemas"].append("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
    body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = {"department": "Ops"}
    created = scim.post("Users", body)

    read = scim.get(f"Users/{created.json()['id']}")

    assert created.status_code == 201, created.content
    assert created.json() == read.json()
    assert created["ETag"] == read["ETag"]


def test_get_user_by_filter_on_username(scim):
    scim.post("Users", user_body("kim@example.com"))

    found = scim.get('Users?filter=userName eq "KIM@example.com"').json()
    missing = scim.get('Users?filter=userName eq "nobody@example.com"').json()

    assert found["totalResults"] == 1
    assert found["Resources"][0]["userName"] == "kim@example.com"
    assert missing["totalResults"] == 0 and missing["Resources"] == []


def _audit_count() -> int:
    return AuditEntry.objects.count()


def test_every_scim_change_is_audited_with_the_connection_as_actor(scim, connection_and_token):
    connection = connection_and_token[0]
    user_id = scim.post("Users", user_body("kim@example.com")).json()["id"]
    scim.patch(
        f"Users/{user_id}", patch_body({"op": "replace", "path": "displayName", "value": "K"})
    )

    entries = AuditEntry.objects.filter(target_id=user_id).values_list("action", "actor_email")

    assert ("user.created_by_scim", f"SCIM connection Okta (#{connection.pk})") in entries
    assert ("user.updated", f"SCIM connection Okta (#{connection.pk})") in entries


def test_resending_an_unchanged_put_writes_nothing(scim):
    body = user_body("kim@example.com", displayName="Kim Berg", externalId="00u1")
    created = scim.post("Users", body).json()
    before = (_audit_count(), OrgUser.objects.get().updated_at)

    response = scim.put(f"Users/{created['id']}", body)

    assert response.status_code == 200
    assert response.json()["meta"]["version"] == created["meta"]["version"]
    assert (_audit_count(), OrgUser.objects.get().updated_at) == before


def _rows() -> dict[str, int]:
    from calling.models import CallingProfile, ProvisioningFailure
    from licensing.models import LicenseAssignment
    from licensing.scim.models import ScimRequest, ScimUser

    models = (OrgUser, LicenseAssignment, ScimUser, CallingProfile, ProvisioningFailure,
              AuditEntry, ScimRequest)  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


def test_an_unchanged_put_adds_no_row_not_even_to_the_request_log(scim):
    body = user_body("kim@example.com", phone="+4722000000", externalId="00u1")
    created = scim.post("Users", body).json()
    before = _rows()

    put = scim.put(f"Users/{created['id']}", body)
    patch = scim.patch(
        f"Users/{created['id']}",
        patch_body({"op": "replace", "path": "externalId", "value": "00u1"}),
    )

    assert (put.status_code, patch.status_code) == (200, 200)
    assert _rows() == before


def test_active_false_deactivates_and_the_user_stays_readable(scim):
    user_id = scim.post("Users", user_body("kim@example.com")).json()["id"]

    patched = scim.patch(
        f"Users/{user_id}", patch_body({"op": "replace", "path": "active", "value": False})
    )
    read = scim.get(f"Users/{user_id}")

    assert patched.status_code == 200 and patched.json()["active"] is False
    assert read.status_code == 200 and read.json()["active"] is False
    assert OrgUser.objects.get().status == UserStatus.INACTIVE


def test_delete_removes_the_user_and_frees_its_email(scim):
    user_id = scim.post("Users", user_body("kim@example.com")).json()["id"]

    deleted = scim.delete(f"Users/{user_id}")

    assert deleted.status_code == 204
    assert scim.get(f"Users/{user_id}").status_code == 404
    assert not OrgUser.objects.exists()
    assert scim.post("Users", user_body("kim@example.com")).status_code == 201


def test_a_username_that_is_no_address_needs_an_email_and_nothing_is_created(scim):
    body = user_body("kim@example.com")
    body["userName"], body["emails"] = "kim.berg", []

    response = scim.post("Users", body)

    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidValue"
    assert "userName 'kim.berg' is not an e-mail address" in response.json()["detail"]
    assert not OrgUser.objects.exists()


def test_a_username_that_is_no_address_takes_the_work_email(scim):
    body = user_body("kim@example.com")
    body["userName"] = "kim.berg"

    response = scim.post("Users", body)

    assert response.status_code == 201
    assert response.json()["userName"] == "kim.berg"
    assert OrgUser.objects.get().email == "kim@example.com"


def test_the_same_email_twice_is_a_uniqueness_conflict(scim):
    scim.post("Users", user_body("kim@example.com"))

    response = scim.post("Users", user_body("KIM@example.com"))

    assert response.status_code == 409
    assert response.json()["scimType"] == "uniqueness"
    assert OrgUser.objects.count() == 1


def test_an_email_of_another_org_is_refused_with_the_reason(scim, world):
    from customers.usage import claim_user_emails

    claim_user_emails(customer=world.initech, emails=["kim@example.com"])

    response = scim.post("Users", user_body("kim@example.com"))

    assert response.status_code == 409
    assert "already belong(s) to a user of another organisation" in response.json()["detail"]
    assert not OrgUser.objects.exists()


def test_filters_on_external_id_work_email_and_or(scim):
    scim.post("Users", user_body("kim@example.com", externalId="00u1"))
    scim.post("Users", user_body("lee@example.com", externalId="00u2"))

    def ids(query: str) -> list[str]:
        return sorted(r["userName"] for r in scim.get(f"Users?filter={query}").json()["Resources"])

    assert ids('externalId eq "00u2"') == ["lee@example.com"]
    assert ids('emails[type eq "work"].value eq "kim@example.com"') == ["kim@example.com"]
    assert ids('userName eq "kim@example.com" or externalId eq "00u2"') == [
        "kim@example.com",
        "lee@example.com",
    ]
    assert ids('userName eq "kim@example.com" and externalId eq "00u2"') == []


def test_an_unsupported_filter_is_an_invalid_filter_error(scim):
    response = scim.get('Users?filter=title eq "boss"')

    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidFilter"
    assert "Filtering on 'title' is not supported" in response.json()["detail"]


def test_pagination_with_start_index_and_count(scim):
    for n in range(5):
        scim.post("Users", user_body(f"u{n}@example.com"))

    page = scim.get("Users?startIndex=2&count=2").json()

    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (5, 2, 2)
    assert [r["userName"] for r in page["Resources"]] == ["u1@example.com", "u2@example.com"]


def test_attributes_and_excluded_attributes(scim):
    user_id = scim.post("Users", user_body("kim@example.com")).json()["id"]

    only = scim.get(f"Users/{user_id}?attributes=userName,name.givenName").json()
    without = scim.get(f"Users/{user_id}?excludedAttributes=emails,name").json()

    assert set(only) == {"schemas", "id", "meta", "userName", "name"}
    assert only["name"] == {"givenName": "Kim"}
    assert "emails" not in without and "name" not in without and "userName" in without


def test_etags_if_none_match_and_if_match(scim):
    created = scim.post("Users", user_body("kim@example.com")).json()
    version = created["meta"]["version"]

    unchanged = scim.get(f"Users/{created['id']}", **{"If-None-Match": version})
    stale = scim.put(
        f"Users/{created['id']}",
        user_body("kim@example.com", given="Ann"),
        **{"If-Match": 'W/"old"'},
    )

    assert unchanged.status_code == 304
    assert stale.status_code == 412
    assert OrgUser.objects.get().first_name == "Kim"


ADDRESSES = [
    "kim@acme.test",  # special-use domains (RFC 6761) the pages and the CSV accept
    "kim@corp.local",
    "kim@example.invalid",
    "kim@localhost",
    "Kim.Berg+okta@Example.COM",
    "bad@@example.com",
    "kim\u200b@example.com",  # an invisible character
    "kim@example\u2024com",  # a look-alike dot
    "no-at-sign.example.com@",
    "x" * 65 + "@example.com",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_scim_accepts_exactly_the_addresses_the_org_accepts_elsewhere(scim, address):
    # The one e-mail rule (partnerhub.rules, as on the pages and in the CSV), not
    # email-validator's: the same verdict, and the same reason when refused.
    key, problem = rules.email_problem(address)

    response = scim.post("Users", user_body(address))

    if problem is None:
        assert response.status_code == 201, response.content
        assert OrgUser.objects.get().email == key
    else:
        assert response.status_code == 400
        assert response.json()["scimType"] == "invalidValue"
        assert response.json()["detail"].endswith(f": {problem}")
        assert not OrgUser.objects.exists()


def test_a_bad_address_among_emails_is_refused_naming_it(scim):
    body = user_body("kim@acme.test")
    body["emails"].append({"value": "kim@@home", "type": "home"})

    response = scim.post("Users", body)

    assert response.status_code == 400
    assert response.json()["detail"] == "emails.value: 'kim@@home' is not a valid e-mail address."
    assert not OrgUser.objects.exists()
