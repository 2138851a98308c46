from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from customers.models import Customer
from licensing.models import SubscriptionLine
from partnerhub.models import Partner, PartnerMembership
from tests.conftest import in_schema

pytestmark = pytest.mark.django_db


def test_create_partner_makes_partner_and_full_admin(world):
    call_command(
        "create_partner",
        "--name",
        "Eastwind",
        "--slug",
        "eastwind",
        "--admin-email",
        "Eve@East.test",
        "--password",
        "pw-123456789",
    )
    membership = PartnerMembership.objects.get(partner__slug="eastwind")
    assert membership.role == "full_admin"
    assert membership.account.email == "eve@east.test"
    assert membership.account.check_password("pw-123456789")


def test_create_partner_refuses_a_taken_slug(world):
    with pytest.raises(CommandError, match="A partner with slug 'northwind' already exists"):
        call_command(
            "create_partner", "--name", "X", "--slug", "northwind", "--admin-email", "x@x.test"
        )
    assert Partner.objects.filter(slug="northwind").count() == 1


def test_provision_customer_command_with_packages_and_subscription(world):
    call_command(
        "provision_customer",
        "--partner",
        "northwind",
        "--name",
        "Umbrella",
        "--slug",
        "umbrella",
        "--admin-email",
        "al@umbrella.test",
        "--package",
        "Webex Calling",
        "--package",
        "webex_meetings",
        "--subscription",
        "Sub-555001:webex_calling=10,Webex Meetings=20",
    )
    customer = Customer.objects.get(slug="umbrella")
    assert customer.packages == ["webex_calling", "webex_meetings"]
    with in_schema(customer):
        lines = dict(SubscriptionLine.objects.values_list("license_type", "quantity"))
    assert lines == {"webex_calling": 10, "webex_meetings": 20}


def test_provision_customer_command_rejects_unknown_package_and_creates_nothing(world):
    with pytest.raises(CommandError, match="Unknown package 'Webex Fax'"):
        call_command(
            "provision_customer",
            "--partner",
            "northwind",
            "--name",
            "U",
            "--slug",
            "umbrella",
            "--admin-email",
            "al@umbrella.test",
            "--package",
            "Webex Fax",
        )
    assert not Customer.objects.filter(slug="umbrella").exists()


def test_provision_customer_command_rejects_a_bad_subscription_spec(world):
    with pytest.raises(CommandError, match="is not a subscription"):
        call_command(
            "provision_customer",
            "--partner",
            "northwind",
            "--name",
            "U",
            "--slug",
            "umbrella",
            "--admin-email",
            "al@umbrella.test",
            "--subscription",
            "Sub-1",
        )
    assert not Customer.objects.filter(slug="umbrella").exists()
