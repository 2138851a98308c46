from __future__ import annotations

import pytest

from customers.models import Customer, CustomerSummary, CustomerUsage, Domain
from customers.usage import record_usage
from tests.boundaries import assert_partner_urls_closed_to_other_partners

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [row["customer"].name for row in response.context["rows"]]


def test_full_admin_sees_every_customer_of_its_partner_only(partner_client, world):
    response = partner_client(world.alice).get("/partner/customers/")
    assert names(response) == ["Acme Corp", "Globex"]


def test_other_partner_sees_only_its_own_customers(partner_client, world):
    assert names(partner_client(world.sam).get("/partner/customers/")) == ["Initech"]


def test_read_only_admin_sees_only_assigned_customers(partner_client, world):
    assert names(partner_client(world.carol).get("/partner/customers/")) == ["Acme Corp"]


def test_provisioning_admin_sees_only_customers_it_provisioned(partner_client, world):
    assert names(partner_client(world.bob).get("/partner/customers/")) == ["Globex"]


def test_search_by_name_admin_email_and_org_id(partner_client, world):
    client = partner_client(world.alice)
    assert names(client.get("/partner/customers/?q=acme")) == ["Acme Corp"]
    assert names(client.get("/partner/customers/?q=gina@globex")) == ["Globex"]
    assert names(client.get("/partner/customers/?q=initech")) == []


def test_filter_by_status_and_package(partner_client, world):
    Customer.objects.filter(pk=world.globex.pk).update(status="suspended")
    client = partner_client(world.alice)
    assert names(client.get("/partner/customers/?status=suspended")) == ["Globex"]
    assert names(client.get("/partner/customers/?package=webex_voice")) == []
    assert names(client.get("/partner/customers/?package=webex_calling")) == ["Acme Corp", "Globex"]


def test_license_overage_badge_when_more_assigned_than_bought(partner_client, world):
    record_usage(customer=world.acme, user_count=3, services={"webex_calling": (51, 50)})
    client = partner_client(world.alice)
    assert names(client.get("/partner/customers/?status=license_overage")) == ["Acme Corp"]
    response = client.get("/partner/customers/?q=acme")
    assert "license_overage" in response.context["rows"][0]["badges"]


def _add_customers(partner, count: int) -> None:
    customers = Customer.objects.bulk_create(
        Customer(schema_name=f"org_bulk{i}", name=f"Bulk {i:04}", slug=f"bulk{i}", partner=partner)
        for i in range(count)
    )
    Domain.objects.bulk_create(Domain(domain=f"bulk{c.pk}.localhost", tenant=c) for c in customers)
    CustomerSummary.objects.bulk_create(
        CustomerSummary(customer=c, user_count=5) for c in customers
    )
    CustomerUsage.objects.bulk_create(
        CustomerUsage(customer=c, service="webex_calling", used=1, bought=2) for c in customers
    )


def test_customer_list_query_count_does_not_grow_with_customers(partner_client, world):
    client = partner_client(world.alice)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _add_customers(world.northwind, 5)
    with CaptureQueriesContext(connection) as small:
        client.get("/partner/customers/")
    more = Customer.objects.bulk_create(
        Customer(
            schema_name=f"org_more{i}",
            name=f"More {i:04}",
            slug=f"more{i}",
            partner=world.northwind,
        )
        for i in range(60)
    )
    CustomerUsage.objects.bulk_create(
        CustomerUsage(customer=c, service="webex_meetings", used=1, bought=2) for c in more
    )
    with CaptureQueriesContext(connection) as large:
        response = client.get("/partner/customers/")
    assert len(response.context["rows"]) == 50
    assert len(large.captured_queries) == len(small.captured_queries)


def test_customer_list_export_is_csv_of_visible_customers_and_spreadsheet_safe(
    partner_client, world
):
    Customer.objects.filter(pk=world.acme.pk).update(name='=HYPERLINK("http://evil")')
    response = partner_client(world.alice).get("/partner/customers/export.csv")
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in body
    assert "Globex" in body
    assert "Initech" not in body


def test_partner_urls_naming_a_customer_are_404_for_other_partners(partner_client, world):
    assert_partner_urls_closed_to_other_partners(
        partner_client,
        world,
        [
            ("POST", f"/partner/customers/{world.acme.pk}/launch/"),
            ("GET", f"/api/partner/customers/{world.acme.pk}/"),
            ("POST", f"/api/partner/customers/{world.acme.pk}/launch/"),
        ],
    )


def test_dashboard_totals_cover_visible_customers_only(partner_client, world):
    record_usage(customer=world.acme, user_count=7, services={"webex_calling": (3, 50)})
    record_usage(customer=world.initech, user_count=100, services={"webex_calling": (5, 5)})
    response = partner_client(world.alice).get("/partner/")
    totals = response.context["totals"]
    assert totals.customers == 2
    assert totals.users >= 7
    assert totals.usage["webex_calling"][0] < 100
    assert partner_client(world.sam).get("/partner/").context["totals"].customers == 1
