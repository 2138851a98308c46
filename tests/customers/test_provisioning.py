from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection

from customers.errors import InvalidSlug, SlugTaken
from customers.models import Customer, CustomerMembership, Domain
from customers.services import SubscriptionSpec, provision_customer
from licensing.errors import UnknownLicenseType
from partnerhub.audit.services import Actor

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
