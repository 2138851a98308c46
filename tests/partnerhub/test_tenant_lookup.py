"""The org of a request's host (``partnerhub.middleware.TenantMiddleware.get_tenant``,
fixed SQL): exactly the org django-tenants' ORM lookup finds, for every host."""

from __future__ import annotations

import pytest
from django.db.models import Model
from django.test import Client

from customers.models import Customer, CustomerStatus, Domain
from partnerhub.middleware import TenantMiddleware
from tests.conftest import host_of

pytestmark = pytest.mark.django_db


def _values(customer: Model) -> dict:
    return {f.attname: getattr(customer, f.attname) for f in Customer._meta.concrete_fields}


def _lookup(host: str) -> Customer:
    return TenantMiddleware(lambda request: None).get_tenant(Domain, host)


def test_every_host_gives_the_org_the_orm_lookup_gives(world):
    domains = list(Domain.objects.select_related("tenant"))
    assert {d.tenant.schema_name for d in domains} >= {
        "public",
        "org_acme",
        "org_globex",
        "org_initech",
    }
    for domain in domains:
        found = _lookup(domain.domain)
        assert type(found) is Customer
        assert _values(found) == _values(domain.tenant), domain.domain


def test_an_unknown_host_and_the_host_of_a_deleted_domain_find_no_org(world):
    extra = Domain.objects.create(domain="old-acme.localhost", tenant=world.acme, is_primary=False)
    assert _lookup("old-acme.localhost").pk == world.acme.pk
    extra.delete()
    for host in ("old-acme.localhost", "nosuch.localhost", "", "acme"):
        with pytest.raises(Domain.DoesNotExist):
            _lookup(host)
    assert Client(HTTP_HOST="old-acme.localhost").get("/").status_code == 404


def test_a_hosts_org_is_read_fresh_so_a_suspension_shows_on_the_next_request(world):
    assert _lookup(host_of(world.acme)).status == CustomerStatus.ACTIVE
    Customer.objects.filter(pk=world.acme.pk).update(status=CustomerStatus.SUSPENDED)
    assert _lookup(host_of(world.acme)).status == CustomerStatus.SUSPENDED


@pytest.mark.parametrize(
    "spelling", ["{host}", "{upper}", "{host}.", "{upper}.:8000", "{host}:443"]
)
def test_a_host_spelled_with_capitals_a_final_dot_or_a_port_reaches_its_own_org(world, spelling):
    host = host_of(world.acme)
    client = Client(HTTP_HOST=spelling.format(host=host, upper=host.upper()))
    response = client.get("/scim/v2/ServiceProviderConfig")
    assert response.status_code == 401  # the org's SCIM endpoint: routed, no token
    assert (
        Client(HTTP_HOST=host_of(world.globex).upper() + ".")
        .get("/scim/v2/ServiceProviderConfig")
        .status_code
        == 401
    )
