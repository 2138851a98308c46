"""Loose ends of issue 10 §7: a Content-Security-Policy the pages pass, no-store on
data, sessions that end when idle."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from licensing.models import Subscription
from tests.conftest import in_schema

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
FOREIGN_ASSET = re.compile(r"""(?:src|href)=["']https?://(?!(?:[a-z0-9-]+\.)?localhost)""", re.I)


def _assert_passes_csp(response, url: str) -> None:
    body = response.content.decode()
    assert response.status_code == 200, url
    assert "script-src 'self'" in response["Content-Security-Policy"], url
    assert not INLINE_SCRIPT.search(body), f"inline <script> on {url}"
    assert not STYLE_ELEMENT.search(body), f"<style> element on {url}"
    assert not EVENT_HANDLER.search(body), f"inline event handler on {url}"
    assert not FOREIGN_ASSET.search(body), f"asset from another site on {url}"


def test_partner_pages_pass_the_content_security_policy(partner_client, world):
    client = partner_client(world.alice)
    urls = [
        "/partner/",
        "/partner/customers/",
        "/partner/customers/new/",
        "/partner/admins/",
        f"/partner/customers/{world.acme.pk}/",
        f"/partner/customers/{world.acme.pk}/subscriptions/",
        f"/partner/customers/{world.acme.pk}/invitation/",
        "/tokens/",
        "/account/mfa/",
        "/password/",
        "/api/docs/",
        "/api/redoc/",
    ]
    for url in urls:
        _assert_passes_csp(client.get(url), url)
    for url in ["/login/", "/password/reset/"]:
        _assert_passes_csp(partner_client().get(url), url)


def test_org_pages_pass_the_content_security_policy(org_client, world):
    client = org_client(world.acme, world.ann)
    with in_schema(world.acme):
        subscription = Subscription.objects.get()
    urls = ["/overview/", "/users/", "/users/add/", "/subscriptions/", "/templates/", "/tasks/"]
    for url in urls:
        _assert_passes_csp(client.get(url), url)
    launched = org_client(world.acme, world.alice, launched=True)
    url = f"/subscriptions/{subscription.pk}/edit/"
    _assert_passes_csp(launched.get(url), url)


def test_downloads_and_api_answers_are_not_stored(partner_client, world):
    client = partner_client(world.alice)

    csv = client.get("/partner/customers/export.csv")
    api = client.get("/api/partner/customers/")

    assert csv["Cache-Control"] == "no-store"
    assert api["Cache-Control"] == "no-store"


def test_sessions_end_after_the_idle_time(partner_client, world):
    client = partner_client(world.alice)
    session = client.session
    session["seen_at"] -= 61  # a minute after signing in
    session.save()

    renewed = client.get("/partner/")
    quiet = client.get("/partner/")

    assert settings.SESSION_COOKIE_AGE == 60 * 60  # PARTNERHUB_SESSION_IDLE_MINUTES=60
    assert renewed.cookies["sessionid"]["max-age"] == 3600  # activity renews the session
    assert "sessionid" not in quiet.cookies  # at most once a minute
