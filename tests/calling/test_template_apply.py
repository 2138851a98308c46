"""A template's *apply to existing users* and *keep licenses for existing users*
(SPEC §5, issue #4 items 7 and 9)."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from calling.models import CallingProfile, PhoneNumber, ProvisioningFailure
from calling.services.profiles import CallingDetails
from calling.services.snapshots import restorable_snapshot
from licensing import errors
from licensing.models import Group, LicenseAssignment, OrgUser
from licensing.services.packages import change_package
from licensing.services.template_apply import apply_template_to_existing, calling_loss_by_template
from licensing.services.templates import create_template
from licensing.services.users import create_user
from tests.calling.conftest import ACTOR
from tests.licensing.conftest import line, second_subscription

pytestmark = pytest.mark.django_db


def user_with_phone(email: str, work_phone: str) -> OrgUser:
    user = create_user(email=email, actor=ACTOR)
    OrgUser.objects.filter(pk=user.pk).update(work_phone=work_phone)
    user.refresh_from_db()
    return user


def package_line(user: OrgUser) -> str | None:
    assignment = LicenseAssignment.objects.filter(user=user, kind="package").first()
    return str(assignment.line) if assignment else None


def test_apply_to_existing_users_provisions_covered_users_without_calling(oslo):
    kim = user_with_phone("kim@acme.test", "+4722000001")
    lee = user_with_phone("lee@acme.test", "+4799999999")
    template = create_template(name="Calling", lines=[line("webex_calling")], actor=ACTOR)

    run = apply_template_to_existing(template=template, actor=ACTOR)

    assert run.provisioned == ["kim@acme.test"]
    assert run.unprovisioned == {"lee@acme.test": "number_not_found"}
    assert PhoneNumber.objects.get(e164="+4722000001").profile.user == kim
    assert package_line(kim) == "Webex Calling [Sub-100234]"
    failure = ProvisioningFailure.objects.get(user=lee)
    assert (failure.source, failure.phone_number) == ("template", "+4799999999")


def test_apply_to_existing_users_moves_the_package_keeping_calling_byte_for_byte(oslo):
    second_subscription({"webex_calling": 5})
    pat = create_user(email="pat@acme.test", actor=ACTOR)
    change_package(
        user=pat,
        line=line("webex_calling", "Sub-100999"),
        actor=ACTOR,
        calling=CallingDetails(location=oslo, extension="1234", number="+4722000002"),
    )
    profile_before = model_to_dict(CallingProfile.objects.get(user=pat))
    number_before = model_to_dict(PhoneNumber.objects.get(e164="+4722000002"))
    template = create_template(name="Calling", lines=[line("webex_calling")], actor=ACTOR)

    run = apply_template_to_existing(template=template, actor=ACTOR)

    assert run.moved == ["pat@acme.test"]
    assert package_line(pat) == "Webex Calling [Sub-100234]"
    assert model_to_dict(CallingProfile.objects.get(user=pat)) == profile_before
    assert model_to_dict(PhoneNumber.objects.get(e164="+4722000002")) == number_before


def test_a_group_template_wins_over_the_org_template_for_its_members(oslo):
    kim = user_with_phone("kim@acme.test", "+4722000001")
    sales = Group.objects.create(name="Sales")
    kim.groups.add(sales)
    create_template(name="Meetings", lines=[line("webex_meetings")], actor=ACTOR, group=sales)
    org_template = create_template(name="Calling", lines=[line("webex_calling")], actor=ACTOR)

    run = apply_template_to_existing(template=org_template, actor=ACTOR)

    assert run.provisioned == []
    assert not CallingProfile.objects.filter(user=kim).exists()


@pytest.fixture
def pat_with_calling(oslo) -> OrgUser:
    pat = create_user(email="pat@acme.test", actor=ACTOR)
    change_package(
        user=pat,
        line=line("webex_calling"),
        actor=ACTOR,
        calling=CallingDetails(location=oslo, extension="1234", number="+4722000001"),
    )
    return pat


def test_keep_licenses_off_removes_calling_only_after_the_typed_confirmation(pat_with_calling):
    template = create_template(
        name="Meetings only",
        lines=[line("webex_meetings")],
        actor=ACTOR,
        keep_licenses_for_existing_users=False,
    )
    assert calling_loss_by_template(template) == ["pat@acme.test"]

    with pytest.raises(errors.CallingLossNotConfirmed, match="pat@acme.test"):
        apply_template_to_existing(template=template, actor=ACTOR)
    assert CallingProfile.objects.filter(user=pat_with_calling).exists()

    run = apply_template_to_existing(template=template, actor=ACTOR, confirmation="Meetings only")

    assert run.calling_removed == ["pat@acme.test"]
    assert not CallingProfile.objects.filter(user=pat_with_calling).exists()
    assert package_line(pat_with_calling) is None
    assert restorable_snapshot(email="pat@acme.test").reason == "template"


def test_keep_licenses_on_leaves_existing_calling_alone(pat_with_calling):
    template = create_template(name="Meetings only", lines=[line("webex_meetings")], actor=ACTOR)

    assert calling_loss_by_template(template) == []
    apply_template_to_existing(template=template, actor=ACTOR)

    assert CallingProfile.objects.filter(user=pat_with_calling).exists()


def test_manual_add_asks_calling_details_only_for_the_users_a_calling_template_covers(oslo):
    from licensing.services.users import UserEntry, add_users

    create_user(email="old@acme.test", package_line=line("webex_meetings"), actor=ACTOR)
    create_template(name="Calling", lines=[line("webex_calling")], actor=ACTOR)

    result = add_users(
        entries=[
            UserEntry(email="old@acme.test", first_name="Old"),  # not new: template not applied
            UserEntry(email="new@acme.test", number="+4722000001"),
            UserEntry(email="bare@acme.test"),
        ],
        package_line=None,
        actor=ACTOR,
        calling=CallingDetails(location=oslo),
    )

    assert [o.email for o in result.updated] == ["old@acme.test"]
    assert [o.email for o in result.created] == ["new@acme.test"]
    assert [o.email for o in result.failed] == ["bare@acme.test"]
    assert "includes calling: give a location" in result.failed[0].reason
    assert PhoneNumber.objects.get(e164="+4722000001").profile.user.email == "new@acme.test"
    assert package_line(OrgUser.objects.get(email="old@acme.test")) == "Webex Meetings [Sub-100234]"
