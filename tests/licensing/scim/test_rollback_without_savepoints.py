"""SCIM writes whose inner steps run without savepoints (provisioning, templates
within capacity): an error anywhere rolls the whole request back, and the connection
serves the next request."""

from __future__ import annotations

import pytest

from licensing.models import LicenseAssignment, OrgUser
from partnerhub.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _state() -> tuple:
    return (
        sorted(OrgUser.objects.values_list("email", "first_name", "work_phone")),
        LicenseAssignment.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_put_refused_late_changes_nothing_and_the_next_request_works(scim, world, oslo):
    from licensing.services.users import UserEntry, add_users
    from partnerhub.tenancy import in_org
    from tests.licensing.conftest import ACTOR
    from tests.licensing.scim.conftest import user_body

    with in_org(world.globex):
        add_users(entries=[UserEntry(email="taken@globex.test")], package_line=None, actor=ACTOR)
    created = scim.post("Users", user_body("kim@acme.test", phone="+4722334455"))
    assert created.status_code == 201, created.content
    user_id = created.json()["id"]
    before = _state()
    body = user_body("taken@globex.test", phone="+4799999999", given="Changed")
    refused = scim.put(f"Users/{user_id}", body)
    assert refused.status_code == 409, refused.content
    assert _state() == before
    assert scim.get(f"Users/{user_id}").json()["name"]["givenName"] == "Kim"
    again = scim.post("Users", user_body("lou@acme.test", phone="not a number"))
    assert again.status_code in (201, 400), again.content
    assert scim.get(f"Users/{user_id}").status_code == 200


def test_a_patch_whose_last_operation_is_refused_applies_none_of_the_others(scim, oslo):
    from calling.models import CallingProfile, ProvisioningFailure
    from tests.licensing.scim.conftest import patch_body, user_body

    assert scim.post("Users", user_body("lou@acme.test")).status_code == 201
    user_id = scim.post("Users", user_body("kim@acme.test")).json()["id"]
    before = (_state(), CallingProfile.objects.count(), ProvisioningFailure.objects.count())
    body = patch_body(
        {"op": "replace", "path": "name.givenName", "value": "Changed"},
        {"op": "add", "path": "phoneNumbers",
         "value": [{"value": "+4722334455", "type": "work"}]},
        {"op": "replace", "path": "userName", "value": "LOU@acme.test"},
    )  # fmt: skip

    response = scim.patch(f"Users/{user_id}", body)

    assert response.status_code == 409, response.content
    assert (_state(), CallingProfile.objects.count(), ProvisioningFailure.objects.count()) == (
        before
    )
    again = scim.patch(f"Users/{user_id}", patch_body(body["Operations"][0]))
    assert again.status_code == 200, again.content
    assert OrgUser.objects.get(pk=user_id).first_name == "Changed"
