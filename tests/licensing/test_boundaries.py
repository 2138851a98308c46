"""Every licensing page and API endpoint is closed to outsiders (tests/boundaries.py)."""

from __future__ import annotations

import pytest

from licensing.models import AutoLicenseTemplate, Group, Subscription
from licensing.services.users import create_user
from tests.boundaries import assert_org_urls_closed_to_outsiders
from tests.conftest import in_schema
from tests.licensing.conftest import ACTOR, line

pytestmark = pytest.mark.django_db


def test_licensing_urls_closed_to_outsiders(org_client, world):
    with in_schema(world.acme):
        user = create_user(email="pat@acme.test", package_line=line("webex_meetings"), actor=ACTOR)
        sub = Subscription.objects.get()
        template = AutoLicenseTemplate.objects.create(name="Everyone")
        group = Group.objects.create(name="Sales")
    u, s, t, g = user.pk, sub.pk, template.pk, group.pk
    urls = [
        ("GET", "/overview/"),
        ("GET", "/users/"),
        ("GET", "/users/add/"),
        ("POST", "/users/add/"),
        ("GET", f"/users/{u}/"),
        ("GET", f"/users/{u}/edit/"),
        ("POST", f"/users/{u}/edit/"),
        ("GET", f"/users/{u}/delete/"),
        ("POST", f"/users/{u}/delete/"),
        ("GET", f"/users/{u}/package/"),
        ("POST", f"/users/{u}/package/"),
        ("GET", f"/users/{u}/licenses/"),
        ("POST", f"/users/{u}/licenses/"),
        ("GET", "/subscriptions/"),
        ("GET", f"/subscriptions/{s}/edit/"),
        ("POST", f"/subscriptions/{s}/edit/"),
        ("POST", f"/subscriptions/{s}/suspend/"),
        ("POST", f"/subscriptions/{s}/cancel/"),
        ("GET", "/templates/"),
        ("GET", "/templates/new/"),
        ("POST", "/templates/new/"),
        ("GET", f"/templates/{t}/edit/"),
        ("POST", f"/templates/{t}/edit/"),
        ("GET", f"/templates/{t}/delete/"),
        ("POST", f"/templates/{t}/delete/"),
        ("GET", "/groups/"),
        ("POST", "/groups/"),
        ("POST", f"/groups/{g}/delete/"),
        ("GET", "/api/groups/"),
        ("POST", "/api/groups/"),
        ("DELETE", f"/api/groups/{g}/"),
        ("GET", "/api/users/"),
        ("POST", "/api/users/"),
        ("GET", f"/api/users/{u}/"),
        ("PATCH", f"/api/users/{u}/"),
        ("DELETE", f"/api/users/{u}/"),
        ("POST", f"/api/users/{u}/package/"),
        ("POST", f"/api/users/{u}/licenses/move/"),
        ("GET", "/api/subscriptions/"),
        ("POST", "/api/subscriptions/"),
        ("GET", f"/api/subscriptions/{s}/"),
        ("PATCH", f"/api/subscriptions/{s}/"),
        ("POST", f"/api/subscriptions/{s}/status/"),
        ("GET", "/api/templates/"),
        ("POST", "/api/templates/"),
        ("GET", f"/api/templates/{t}/"),
        ("PATCH", f"/api/templates/{t}/"),
        ("DELETE", f"/api/templates/{t}/"),
    ]

    assert_org_urls_closed_to_outsiders(org_client, world, urls)

    with in_schema(world.acme):
        assert Subscription.objects.get().status == "active"
        assert AutoLicenseTemplate.objects.filter(pk=t).exists()
        assert Group.objects.filter(pk=g).exists()
