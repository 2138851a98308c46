from __future__ import annotations

import pytest

from licensing.models import Subscription

pytestmark = pytest.mark.django_db


def test_unknown_host_is_404(partner_client, world):
    client = partner_client()
    response = client.get("/login/", HTTP_HOST="nobody.localhost")
    assert response.status_code == 404


def test_each_org_host_sees_its_own_schema(acme, world):
    assert list(Subscription.objects.values_list("external_id", flat=True)) == ["Sub-100234"]


def test_customer_admin_signs_in_on_own_org_host(org_client, world):
    client = org_client(world.acme)
    response = client.post(
        "/login/", {"username": "ann@acme.test", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert client.get("/overview/").status_code == 200


def test_customer_admin_cannot_sign_in_to_another_org(org_client, world):
    client = org_client(world.initech)
    response = client.post(
        "/login/", {"username": "ann@acme.test", "password": "correct horse battery staple"}
    )
    assert response.status_code == 200
    # the same message as a wrong password: no org confirms passwords of the platform
    assert "Please enter a correct e-mail address and password." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signed_in_admin_of_another_org_is_refused(org_client, world):
    client = org_client(world.initech, world.ann)
    assert client.get("/overview/").status_code == 403


def test_launched_partner_admin_acts_in_customer_view(org_client, world):
    client = org_client(world.acme, world.alice, launched=True)
    response = client.get("/overview/")
    assert response.status_code == 200
    assert "as partner <strong>Northwind Partners</strong>" in response.content.decode()


def test_launched_session_of_another_partner_gives_nothing(org_client, world):
    client = org_client(world.acme, world.sam, launched=True)
    assert client.get("/overview/").status_code == 403


def test_admins_of_a_suspended_org_get_a_clear_page(org_client, world):
    from customers.models import Customer

    Customer.objects.filter(pk=world.acme.pk).update(status="suspended")
    response = org_client(world.acme, world.ann).get("/overview/")
    assert response.status_code == 403
    assert (
        "Acme Corp is suspended. Ask your partner to reactivate the organisation."
        in response.content.decode()
    )


def test_a_rolled_back_savepoint_never_leaves_the_connection_on_another_org(acme, world):
    # TENANT_LIMIT_SET_CALLS caches the search_path; ROLLBACK TO SAVEPOINT undoes a SET
    # issued inside the savepoint, so the cache must go too (django-tenants #1262).
    from django.db import connection, transaction

    connection.set_tenant(world.globex)
    assert Subscription.objects.get().external_id == "Sub-200100"  # SET globex
    try:
        with transaction.atomic():  # a savepoint: the test runs in a transaction
            connection.set_tenant(world.acme)
            assert Subscription.objects.get().external_id == "Sub-100234"  # SET acme
            raise RuntimeError("roll back")  # the database is back on globex
    except RuntimeError:
        pass
    assert connection.tenant == world.acme
    assert Subscription.objects.get().external_id == "Sub-100234"


def test_in_org_of_the_org_the_connection_is_in_switches_nothing(acme, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partnerhub.tenancy import in_org

    Subscription.objects.count()  # the search_path is set
    with CaptureQueriesContext(connection) as queries, in_org(world.acme):
        assert Subscription.objects.get().external_id == "Sub-100234"
    with in_org(world.globex):
        assert Subscription.objects.get().external_id == "Sub-200100"

    assert [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SET")] == []
    assert connection.tenant is world.acme
    assert Subscription.objects.get().external_id == "Sub-100234"
