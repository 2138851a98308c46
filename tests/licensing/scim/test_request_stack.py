"""What a SCIM request goes through (issue #13, SPEC §9: a POST each request):

* the page-only middleware (sessions, signed-in user, second factor, messages) let
  ``/scim/v2/`` of an org host through untouched, the security headers stay;
* a User of the plain shape is read without ``scim2-models`` (``plain_users``);
* the org is looked up without switching to the public schema first: one ``SET
  search_path`` a request, to its org; the org row is still read fresh (a suspension
  answers at once) and a request to another org switches.
"""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from customers.models import Customer, CustomerStatus
from licensing.scim.connections import create_connection
from tests.conftest import host_of, in_schema, sign_in_fully
from tests.licensing.scim.conftest import ADMIN, Scim, user_body


def test_the_scim_api_skips_the_page_middleware_and_keeps_the_security_headers(scim, world):
    sign_in_fully(scim.client, world.ann)  # a session cookie rides along, unread
    with CaptureQueriesContext(connection) as queries:
        response = scim.get("ServiceProviderConfig")
    assert response.status_code == 200
    request = response.wsgi_request
    assert not hasattr(request, "session") and not hasattr(request, "user")
    assert not any("django_session" in q["sql"] for q in queries)
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response


def test_the_connection_page_at_scim_keeps_the_page_middleware(org_client, world):
    response = org_client(world.acme, world.ann).get("/scim/")
    assert response.status_code == 200
    assert response.wsgi_request.user == world.ann


def test_the_partner_hosts_scim_path_keeps_the_page_middleware(partner_client, world):
    response = partner_client(world.alice).get("/scim/v2/Users")
    assert response.status_code == 404
    assert response.wsgi_request.user == world.alice


def test_a_request_sets_its_search_path_once_to_its_org(scim):
    assert scim.get("ServiceProviderConfig").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert scim.get("ServiceProviderConfig").status_code == 200
    sets = [q["sql"] for q in queries if q["sql"].startswith("SET search_path")]
    assert sets == ['SET search_path = "org_acme","public"']


def test_a_request_to_another_org_switches_the_schema(scim, world):
    with in_schema(world.initech):
        _, initech_token = create_connection(name="Okta", actor=ADMIN)
    initech = Scim(Client(HTTP_HOST=host_of(world.initech)), initech_token)
    assert scim.get("ServiceProviderConfig").status_code == 200
    assert initech.get("ServiceProviderConfig").status_code == 200
    # Each token is known only in its own org's schema: the schema switched each time.
    assert Scim(initech.client, scim.token).get("ServiceProviderConfig").status_code == 401
    assert scim.get("ServiceProviderConfig").status_code == 200
    assert Scim(scim.client, initech_token).get("ServiceProviderConfig").status_code == 401


def test_a_suspension_answers_on_the_next_request(scim, world):
    assert scim.get("ServiceProviderConfig").status_code == 200
    Customer.objects.filter(pk=world.acme.pk).update(status=CustomerStatus.SUSPENDED)
    assert scim.get("ServiceProviderConfig").status_code == 403


def test_a_post_of_the_plain_shape_is_read_without_scim2_models(scim, monkeypatch):
    def not_called(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a plain User went through scim2-models")

    monkeypatch.setattr("licensing.scim.plain_users.parse_user", not_called)
    response = scim.post("Users", user_body("kim@example.com", phone="+4722000001"))
    assert response.status_code == 201, response.content
    assert response.json()["userName"] == "kim@example.com"
    monkeypatch.undo()
    entra = user_body("lee@example.com", active="True")  # not plain: scim2-models reads it
    assert scim.post("Users", entra).status_code == 201
