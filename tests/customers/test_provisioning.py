from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection

from customers.errors import InvalidSlug, SlugTaken
from customers.models import Customer, CustomerMembership, Domain
from customers.services import SubscriptionSpec, provision_customer
from licensing.errors import UnknownLicenseType
from licensing.models import SubscriptionLine
from partnerhub.audit.services import Actor
from tests.conftest import in_schema

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system("test")


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [name])
        return cursor.fetchone() is not None


def provision(world, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "partner": world.northwind,
        "name": "Wayne Enterprises",
        "slug": "wayne",
        "admin_email": "lucius@wayne.test",
        "actor": SYSTEM,
    }
    return provision_customer(**{**values, **overrides})


def test_provisioning_creates_schema_domain_admin_and_invites(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        customer = provision(world)
    assert schema_exists("org_wayne")
    assert Domain.objects.get(tenant=customer).domain == "wayne.localhost"
    assert CustomerMembership.objects.get(customer=customer).role == "full_admin"
    assert mail.outbox[0].to == ["lucius@wayne.test"]
    assert "wayne.localhost" in mail.outbox[0].body


def test_provisioning_failing_half_way_leaves_nothing(world):
    with pytest.raises(UnknownLicenseType):
        provision(world, subscriptions=[SubscriptionSpec("Sub-1", {"webex_fax": 3})])
    assert not Customer.objects.filter(slug="wayne").exists()
    assert not Domain.objects.filter(domain="wayne.localhost").exists()
    assert not schema_exists("org_wayne")


@pytest.mark.parametrize(
    "slug", ["Wayne", "w", "wayne-", "9wayne", "way--ne", "way_ne", "public", "admin"]
)
def test_org_id_must_be_a_safe_schema_name(world, slug):
    with pytest.raises(InvalidSlug):
        provision(world, slug=slug)
    assert not Customer.objects.filter(name="Wayne Enterprises").exists()


def test_org_id_already_taken_is_refused(world):
    with pytest.raises(SlugTaken, match="The org id 'acme' is already taken"):
        provision(world, slug="acme")


def test_provisioning_an_org_id_another_request_is_taking_answers_org_id_taken(world):
    # given: another request (a double click) already holds the org's host, not yet
    # visible as a customer to validate_slug
    from customers.models import Domain as DomainModel

    DomainModel.objects.create(domain="wayne.localhost", tenant=world.globex, is_primary=False)
    customers_before = Customer.objects.count()

    # when / then
    with pytest.raises(SlugTaken) as error:
        provision(world)
    assert error.value.message == "The org id 'wayne' is already taken; choose another."
    assert Customer.objects.count() == customers_before
    assert not schema_exists("org_wayne")


def test_provisioning_over_a_leftover_schema_answers_org_id_taken(world):
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "org_wayne"')

    with pytest.raises(SlugTaken) as error:
        provision(world)

    assert error.value.message == "The org id 'wayne' is already taken; choose another."
    assert not Customer.objects.filter(slug="wayne").exists()


def test_provisioning_page_shows_org_id_taken_for_a_second_click(world, partner_client):
    from customers.models import Domain as DomainModel

    DomainModel.objects.create(domain="wayne.localhost", tenant=world.globex, is_primary=False)

    response = partner_client(world.alice).post(
        "/partner/customers/new/",
        {"name": "Wayne", "slug": "wayne", "admin_email": "lucius@wayne.test"},
    )

    assert response.status_code == 200
    assert "The org id &#x27;wayne&#x27; is already taken; choose another." in (
        response.content.decode()
    )
    assert not Customer.objects.filter(slug="wayne").exists()


def _rows(*rows: tuple[str, str, str]) -> dict[str, str]:
    data = {"subs-TOTAL_FORMS": str(len(rows)), "subs-INITIAL_FORMS": "0"}
    for index, (external_id, license_type, quantity) in enumerate(rows):
        data |= {
            f"subs-{index}-external_id": external_id,
            f"subs-{index}-license_type": license_type,
            f"subs-{index}-quantity": quantity,
        }
    return data


ORG = {"name": "Wayne", "slug": "wayne", "admin_email": "lucius@wayne.test", "country": "no"}


def test_provisioning_page_takes_subscriptions_as_rows_grouped_by_subscription_id(
    world, partner_client
):
    response = partner_client(world.alice).post(
        "/partner/customers/new/",
        ORG
        | _rows(
            ("Sub-1", "webex_calling", "50"),
            ("Sub-1", "webex_meetings", "10"),
            ("Sub-2", "cc_standard", "5"),
            ("", "", ""),
        ),
    )

    assert response.status_code == 302
    customer = Customer.objects.get(slug="wayne")
    assert customer.country == "NO"
    with in_schema(customer):
        lines = set(
            SubscriptionLine.objects.values_list(
                "subscription__external_id", "license_type", "quantity"
            )
        )
    assert lines == {
        ("Sub-1", "webex_calling", 50),
        ("Sub-1", "webex_meetings", 10),
        ("Sub-2", "cc_standard", 5),
    }


def test_provisioning_page_shows_every_rows_error_at_once_and_provisions_nothing(
    world, partner_client
):
    response = partner_client(world.alice).post(
        "/partner/customers/new/",
        ORG
        | {"country": "XX"}
        | _rows(
            ("Sub-1", "webex_calling", "0"),
            ("Sub-1", "", "5"),
            ("Sub-2", "webex_meetings", "3"),
            ("Sub-2", "webex_meetings", "4"),
        ),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice. XX is not one of the available choices." in page
    assert "Ensure this value is greater than or equal to 1." in page
    assert "Row 2: Give this row&#x27;s package or license too." in page
    assert "Sub-2 already has a row of this license type." in page
    assert not Customer.objects.filter(slug="wayne").exists()


def test_provisioning_page_offers_countries_and_sold_license_types_as_selects(
    world, partner_client
):
    page = partner_client(world.alice).get("/partner/customers/new/").content.decode()

    assert '<option value="NO">Norway</option>' in page
    assert '<option value="webex_calling">Webex Calling</option>' in page
    assert 'value="basic_messaging"' not in page


def test_a_subscription_id_the_service_refuses_is_shown_on_the_page_not_a_500(
    world, partner_client
):
    response = partner_client(world.alice).post(
        "/partner/customers/new/", ORG | _rows(("Sub-1\x01", "webex_meetings", "5"))
    )

    assert response.status_code == 200
    assert "is not a subscription id: use 1 to 40 letters" in response.content.decode()
    assert not Customer.objects.filter(slug="wayne").exists()


def test_a_subscription_id_ending_in_a_line_break_is_not_a_subscription_id(world):
    from licensing.services.subscriptions import InvalidSubscriptionId, check_external_id

    with in_schema(world.acme), pytest.raises(InvalidSubscriptionId):
        check_external_id("Sub-7\n")


def test_provisioning_takes_at_most_40_subscription_rows(world, partner_client):
    rows = [(f"Sub-{n}", "webex_meetings", "1") for n in range(41)]

    response = partner_client(world.alice).post("/partner/customers/new/", ORG | _rows(*rows))

    assert response.status_code == 200
    assert "Please submit at most 40 forms." in response.content.decode()
    assert not Customer.objects.filter(slug="wayne").exists()
