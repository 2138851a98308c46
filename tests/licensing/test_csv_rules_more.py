"""More rules of the user CSV (SPEC §4, §5): a suspended subscription's column in an
unchanged export, and new users whose auto-license template gives calling."""

from __future__ import annotations

import pytest

from calling.models import CallingProfile, Location, PhoneNumber
from licensing.csv import columns as col
from licensing.csv.exports import export_users_csv
from licensing.csv.imports import import_users
from licensing.models import LicenseAssignment, OrgUser, Subscription
from licensing.services.subscriptions import suspend_subscription
from licensing.services.templates import create_template
from licensing.services.users import create_user
from tests.licensing.conftest import ACTOR, line, second_subscription
from tests.licensing.test_csv_import import csv_of

pytestmark = pytest.mark.django_db


def test_an_export_of_users_on_a_suspended_subscription_imports_without_change(acme):
    create_user(email="pat@acme.test", package_line=line("webex_meetings"), actor=ACTOR)
    suspend_subscription(
        subscription=Subscription.objects.get(external_id="Sub-100234"), actor=ACTOR
    )

    result = import_users(content=export_users_csv().encode(), actor=ACTOR)

    assert result.applied, result.plan.errors
    assert result.counts["unchanged"] == 1


def test_true_in_a_suspended_column_for_a_user_not_on_it_is_still_an_error(acme):
    second_subscription({"webex_meetings": 5})
    create_user(
        email="pat@acme.test", package_line=line("webex_meetings", "Sub-100999"), actor=ACTOR
    )
    suspend_subscription(
        subscription=Subscription.objects.get(external_id="Sub-100234"), actor=ACTOR
    )
    row = {
        col.EMAIL: "pat@acme.test",
        "Webex Meetings [Sub-100234] (Suspended)": "TRUE",
        "Webex Meetings [Sub-100999]": "FALSE",
    }

    result = import_users(content=csv_of(row), actor=ACTOR)

    assert any("suspended or cancelled" in e for e in result.plan.errors)


@pytest.fixture
def calling_template(acme) -> Location:
    oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
    PhoneNumber.objects.create(e164="+4722000001", location=oslo)
    create_template(name="Everyone", lines=[line("webex_calling")], actor=ACTOR)
    return oslo


def new_user_row(**extra: str) -> dict[str, str]:
    return {
        col.EMAIL: "kim@acme.test", col.FIRST_NAME: "Kim", col.JABBER_CALLING: "FALSE",
        col.JABBER_TEAMS: "FALSE", col.SITE: "acme.webex.com", **extra,
    }  # fmt: skip


def test_a_new_user_whose_template_gives_calling_needs_calling_details(calling_template):
    result = import_users(content=csv_of(new_user_row()), actor=ACTOR)

    assert not result.applied
    assert any(
        e.startswith(f"row 2, column {col.EXTENSION}: Webex Calling needs")
        for e in result.plan.errors
    ), result.plan.errors
    assert not OrgUser.objects.exists()


def test_a_new_user_whose_template_gives_calling_is_provisioned_from_its_row(calling_template):
    row = new_user_row(**{col.LOCATION: "Oslo", col.PHONE: "+4722000001"})

    result = import_users(content=csv_of(row), actor=ACTOR)

    assert result.applied, result.plan.errors
    profile = CallingProfile.objects.get(user__email="kim@acme.test")
    assert PhoneNumber.objects.get(e164="+4722000001").profile == profile
    assert LicenseAssignment.objects.filter(
        user__email="kim@acme.test", license_type="webex_calling"
    ).exists()


def test_an_explicit_package_wins_over_the_calling_template(calling_template):
    row = new_user_row(**{"Webex Meetings [Sub-100234]": "TRUE"})

    result = import_users(content=csv_of(row), actor=ACTOR)

    assert result.applied, result.plan.errors
    assert not CallingProfile.objects.exists()
