"""SCIM groups drive licenses through the org's templates (SPEC §5); work phones
drive calling as in directory sync (SPEC §6); lines are never over-consumed."""

from __future__ import annotations

import pytest

from calling.models import CallingProfile, Location, PhoneNumber, ProvisioningFailure
from licensing.models import Group, LicenseAssignment, OrgUser
from licensing.services.templates import create_template, update_template
from tests.licensing.conftest import ACTOR, line, second_subscription
from tests.licensing.scim.conftest import patch_body, user_body


def _types(email: str) -> set[str]:
    return set(
        LicenseAssignment.objects.filter(user__email=email)
        .exclude(kind="basic")  # included with every org (SPEC §5), not from templates
        .values_list("license_type", flat=True)
    )


def _group(scim, name: str, *member_ids: str) -> str:
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "displayName": name,
        "members": [{"value": m} for m in member_ids],
    }
    response = scim.post("Groups", body)
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _add(scim, group_id: str, *user_ids: str):  # type: ignore[no-untyped-def]
    return scim.patch(
        f"Groups/{group_id}",
        patch_body({"op": "add", "path": "members", "value": [{"value": u} for u in user_ids]}),
    )


@pytest.fixture
def oslo(acme) -> Location:
    location = Location.objects.create(name="Oslo", country="NO", is_default=True)
    PhoneNumber.objects.create(e164="+4722000001", location=location)
    return location


def test_new_user_gets_the_org_template(scim):
    create_template(name="Everyone", lines=[line("webex_meetings")], actor=ACTOR)

    scim.post("Users", user_body("kim@example.com"))

    assert _types("kim@example.com") == {"webex_meetings"}


def test_joining_a_group_applies_its_template_and_the_group_wins_over_the_org(scim, oslo):
    create_template(name="Everyone", lines=[line("webex_meetings")], actor=ACTOR)
    sales = Group.objects.create(name="Sales")
    create_template(
        name="Sales", group=sales, lines=[line("webex_calling"), line("cc_standard")], actor=ACTOR
    )
    user_id = scim.post("Users", user_body("kim@example.com", phone="+4722000001")).json()["id"]
    assert _types("kim@example.com") == {"webex_meetings"}
    group_id = scim.get('Groups?filter=displayName eq "sales"').json()["Resources"][0]["id"]

    response = _add(scim, group_id, user_id)

    assert response.status_code == 200
    assert response.json()["members"][0]["value"] == user_id
    assert _types("kim@example.com") == {"webex_calling", "cc_standard"}
    assert CallingProfile.objects.get(user__email="kim@example.com").number.e164 == "+4722000001"


def test_premium_wins_over_standard_across_two_groups(scim):
    a, b = Group.objects.create(name="A"), Group.objects.create(name="B")
    create_template(name="A", group=a, lines=[line("cc_standard")], actor=ACTOR)
    create_template(name="B", group=b, lines=[line("cc_premium")], actor=ACTOR)
    user_id = scim.post("Users", user_body("kim@example.com")).json()["id"]

    _add(scim, str(a.pk), user_id)
    _add(scim, str(b.pk), user_id)

    assert _types("kim@example.com") == {"cc_premium"}


def test_leaving_a_group_keeps_licenses_when_the_template_keeps_them(scim):
    sales = Group.objects.create(name="Sales")
    create_template(name="Sales", group=sales, lines=[line("webex_meetings")], actor=ACTOR)
    user_id = scim.post("Users", user_body("kim@example.com")).json()["id"]
    _add(scim, str(sales.pk), user_id)

    response = scim.patch(
        f"Groups/{sales.pk}", patch_body({"op": "remove", "path": f'members[value eq "{user_id}"]'})
    )

    assert response.status_code == 200 and "members" not in response.json()
    assert _types("kim@example.com") == {"webex_meetings"}


def test_leaving_a_group_removes_its_licenses_when_keep_licenses_is_off(scim):
    sales = Group.objects.create(name="Sales")
    template = create_template(
        name="Sales", group=sales, lines=[line("webex_meetings"), line("cc_standard")], actor=ACTOR
    )
    update_template(template=template, keep_licenses_for_existing_users=False, actor=ACTOR)
    user_id = scim.post("Users", user_body("kim@example.com")).json()["id"]
    _add(scim, str(sales.pk), user_id)

    scim.patch(
        f"Groups/{sales.pk}", patch_body({"op": "remove", "path": f'members[value eq "{user_id}"]'})
    )

    assert _types("kim@example.com") == set()


def test_work_phone_provisions_calling_like_directory_sync(scim, oslo):
    create_template(name="Everyone calls", lines=[line("webex_calling")], actor=ACTOR)

    scim.post("Users", user_body("kim@example.com", phone="+47 22 00 00 01"))
    scim.post("Users", user_body("lee@example.com", phone="+4799999999"))

    kim = OrgUser.objects.get(email="kim@example.com")
    assert CallingProfile.objects.get(user=kim).number.e164 == "+4722000001"
    assert _types("kim@example.com") == {"webex_calling"}
    failure = ProvisioningFailure.objects.get()
    assert (failure.user.email, failure.reason, failure.source) == (
        "lee@example.com", "number_not_found", "scim",
    )  # fmt: skip
    assert _types("lee@example.com") == set()


def test_a_user_a_full_line_cannot_license_is_created_without_it_and_reported(scim):
    second_subscription({"webex_meetings": 1}, external_id="Sub-small")
    create_template(
        name="Everyone",
        lines=[line("webex_meetings", "Sub-small"), line("cc_standard")],
        actor=ACTOR,
    )

    first = scim.post("Users", user_body("kim@example.com"))
    second = scim.post("Users", user_body("lee@example.com"))

    assert (first.status_code, second.status_code) == (201, 201)
    assert _types("kim@example.com") == {"webex_meetings", "cc_standard"}
    assert _types("lee@example.com") == {"cc_standard"}
    failure = ProvisioningFailure.objects.get()
    assert (failure.user.email, failure.reason) == ("lee@example.com", "license_exhausted")


def test_deactivated_user_keeps_its_licenses_until_deleted(scim):
    create_template(name="Everyone", lines=[line("webex_meetings")], actor=ACTOR)
    user_id = scim.post("Users", user_body("kim@example.com")).json()["id"]

    scim.patch(f"Users/{user_id}", patch_body({"op": "replace", "value": {"active": False}}))
    kept = _types("kim@example.com")
    scim.delete(f"Users/{user_id}")

    assert kept == {"webex_meetings"}
    assert not LicenseAssignment.objects.filter(line=line("webex_meetings")).exists()


def test_group_with_an_existing_name_is_a_uniqueness_conflict(scim):
    _group(scim, "Sales")

    response = scim.post(
        "Groups",
        {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "SALES"},
    )

    assert response.status_code == 409 and response.json()["scimType"] == "uniqueness"
    assert Group.objects.count() == 1


def test_group_member_that_is_not_a_user_of_the_org_is_refused(scim):
    response = scim.post(
        "Groups",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "Sales",
            "members": [{"value": "999999"}],
        },
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "No user with id 999999 in this org."
    assert not Group.objects.exists()


def test_delete_keeps_a_calling_snapshot_like_the_pages(scim, oslo):
    from calling.models import CallingSnapshot

    create_template(name="Everyone calls", lines=[line("webex_calling")], actor=ACTOR)
    user_id = scim.post("Users", user_body("kim@example.com", phone="+4722000001")).json()["id"]

    response = scim.delete(f"Users/{user_id}")

    assert response.status_code == 204
    snapshot = CallingSnapshot.objects.get(holder="kim@example.com")
    assert snapshot.restored_at is None
    assert PhoneNumber.objects.get(e164="+4722000001").profile is None


# --- members who join a group later: group wins over org, Premium over Standard --------


def _members_put(scim, group_id: str, name: str, *user_ids: str):  # type: ignore[no-untyped-def]
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "displayName": name,
        "members": [{"value": u} for u in user_ids],
    }
    return scim.put(f"Groups/{group_id}", body)


@pytest.mark.parametrize("how", ["patch", "put"])
def test_a_member_joining_later_trades_the_org_standard_for_the_group_premium(scim, how):
    create_template(
        name="Everyone", lines=[line("webex_meetings"), line("cc_standard")], actor=ACTOR
    )
    user_id = scim.post("Users", user_body("kim@example.com")).json()["id"]
    assert _types("kim@example.com") == {"webex_meetings", "cc_standard"}
    support = Group.objects.create(name="Support")
    create_template(name="Support", group=support, lines=[line("cc_premium")], actor=ACTOR)

    if how == "patch":
        response = _add(scim, str(support.pk), user_id)
    else:
        response = _members_put(scim, str(support.pk), "Support", user_id)

    assert response.status_code == 200, response.content
    assert _types("kim@example.com") == {"webex_meetings", "cc_premium"}


def test_a_member_with_calling_moves_to_the_group_package_and_keeps_calling(scim, oslo):
    create_template(name="Everyone", lines=[line("webex_calling")], actor=ACTOR)
    user_id = scim.post("Users", user_body("kim@example.com", phone="+4722000001")).json()["id"]
    assert _types("kim@example.com") == {"webex_calling"}
    sales = Group.objects.create(name="Sales")
    create_template(name="Sales", group=sales, lines=[line("webex_suite")], actor=ACTOR)

    _add(scim, str(sales.pk), user_id)

    assert _types("kim@example.com") == {"webex_suite"}
    assert CallingProfile.objects.get(user__email="kim@example.com").number.e164 == "+4722000001"


def test_a_member_with_calling_moves_to_the_group_template_line_of_its_package(scim, oslo):
    create_template(name="Everyone", lines=[line("webex_calling")], actor=ACTOR)
    user_id = scim.post("Users", user_body("kim@example.com", phone="+4722000001")).json()["id"]
    second_subscription({"webex_calling": 5})
    sales = Group.objects.create(name="Sales")
    create_template(
        name="Sales", group=sales, lines=[line("webex_calling", "Sub-100999")], actor=ACTOR
    )

    _add(scim, str(sales.pk), user_id)

    held = LicenseAssignment.objects.get(user__email="kim@example.com", kind="package")
    assert held.line.subscription.external_id == "Sub-100999"
    assert CallingProfile.objects.get(user__email="kim@example.com").number.e164 == "+4722000001"


def test_a_full_premium_line_leaves_later_members_on_standard(scim):
    create_template(name="Everyone", lines=[line("cc_standard")], actor=ACTOR)
    kim = scim.post("Users", user_body("kim@example.com")).json()["id"]
    lee = scim.post("Users", user_body("lee@example.com")).json()["id"]
    second_subscription({"cc_premium": 1})
    support = Group.objects.create(name="Support")
    create_template(
        name="Support", group=support, lines=[line("cc_premium", "Sub-100999")], actor=ACTOR
    )

    response = _add(scim, str(support.pk), kim, lee)

    assert response.status_code == 200
    assert _types("kim@example.com") == {"cc_premium"}
    assert _types("lee@example.com") == {"cc_standard"}  # kept, never over-consumed


def test_a_full_group_line_leaves_a_member_with_calling_on_its_package(scim, oslo):
    create_template(name="Everyone", lines=[line("webex_calling")], actor=ACTOR)
    user_id = scim.post("Users", user_body("kim@example.com", phone="+4722000001")).json()["id"]
    second_subscription({"webex_calling": 1})
    sales = Group.objects.create(name="Sales")
    create_template(
        name="Sales", group=sales, lines=[line("webex_calling", "Sub-100999")], actor=ACTOR
    )
    other = OrgUser.objects.create(email="pat@example.com")
    LicenseAssignment.objects.create(
        user=other, line=line("webex_calling", "Sub-100999"), license_type="webex_calling",
        kind="package",
    )  # fmt: skip

    response = _add(scim, str(sales.pk), user_id)

    assert response.status_code == 200
    held = LicenseAssignment.objects.get(user__email="kim@example.com", kind="package")
    assert held.line.subscription.external_id == "Sub-100234"
    assert CallingProfile.objects.filter(user__email="kim@example.com").exists()


def _report_of(email: str) -> tuple[str, str, str]:
    failure = ProvisioningFailure.objects.get(user__email=email)
    return failure.reason, failure.source, failure.phone_number


@pytest.mark.parametrize("how", ["PATCH", "PATCH path", "PUT"])
def test_a_work_phone_changed_to_no_number_is_reported_invalid_format_as_on_post(scim, oslo, how):
    create_template(name="Everyone calls", lines=[line("webex_calling")], actor=ACTOR)
    user_id = scim.post("Users", user_body("kim@example.com")).json()["id"]
    phones = [{"value": "not a number", "type": "work"}]

    if how == "PATCH":
        body = patch_body({"op": "replace", "value": {"phoneNumbers": phones}})
        response = scim.patch(f"Users/{user_id}", body)
    elif how == "PATCH path":
        body = patch_body({"op": "add", "path": "phoneNumbers", "value": phones})
        response = scim.patch(f"Users/{user_id}", body)
    else:
        response = scim.put(f"Users/{user_id}", user_body("kim@example.com", phone="not a number"))

    assert response.status_code == 200, response.content[:300]
    assert _report_of("kim@example.com") == ("invalid_format", "scim", "not a number")
    assert _types("kim@example.com") == set()


def test_joining_or_leaving_a_group_gives_no_basic_license_back(scim):
    # given: a user whose basic licenses were all taken back (e.g. by the users CSV)
    from licensing import catalogue
    from licensing.services.basic_licenses import set_basic_licenses
    from partnerhub.audit.models import AuditEntry

    sales = Group.objects.create(name="Sales")
    create_template(
        name="Sales", group=sales, lines=[line("webex_meetings")], actor=ACTOR,
        keep_licenses_for_existing_users=False,
    )  # fmt: skip
    user_id = scim.post("Users", user_body("kim@example.com")).json()["id"]
    kim = OrgUser.objects.get(email="kim@example.com")
    set_basic_licenses(taken={kim.pk: catalogue.ALL_BASIC_MASK})
    included_entries = AuditEntry.objects.filter(action="license.included").count()

    # when: it joins the group, then leaves it
    joined = _add(scim, str(sales.pk), user_id)
    joined_with = _types("kim@example.com")
    left = scim.patch(
        f"Groups/{sales.pk}",
        patch_body({"op": "remove", "path": f'members[value eq "{user_id}"]'}),
    )

    # then: its template licenses came and went; no basic license came back
    assert (joined.status_code, left.status_code) == (200, 200)
    assert joined_with == {"webex_meetings"}
    assert _types("kim@example.com") == set()
    kim.refresh_from_db()
    assert kim.basic_licenses == 0
    assert AuditEntry.objects.filter(action="license.included").count() == included_entries
