"""The tenant-boundary walk (STYLE: one list, every endpoint checked from outside).

Each app lists its org-host URLs (pages and API, reads and writes) in its own test
module and calls ``assert_org_urls_closed_to_outsiders``; partner-host URLs that
name a customer use ``assert_partner_urls_closed_to_other_partners``. Adding an
endpoint to the app's list is all it takes to cover it.

Both helpers record the URL patterns they walked (``WALKED``);
``tests/test_boundary_walk.py`` runs after every walk of the suite and fails when a
pattern of either URLconf was walked by none of them and is not in its short list
of URLs that name nothing of an org or a customer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

CLOSED = {401, 403, 404}
ORG_URLCONF = "partnerhub.urls_tenant"
PARTNER_URLCONF = "partnerhub.urls_public"
# The URL patterns (routes) walked in this session, per URLconf.
WALKED: dict[str, set[str]] = {ORG_URLCONF: set(), PARTNER_URLCONF: set()}


def record_walk(urlconf: str, urls: Iterable[tuple[str, str]]) -> None:
    """Note ``(method, url)`` as walked, for a walk with its own callers (SCIM's
    tokens); the helpers below call it themselves."""
    for _method, url in urls:
        try:
            WALKED[urlconf].add(resolve(urlsplit(url).path, urlconf=urlconf).route)
        except Resolver404:
            continue


def _call(client: Client, method: str, url: str) -> int:
    response = getattr(client, method.lower())(url, content_type="application/json")
    return response.status_code


def assert_org_urls_closed_to_outsiders(
    org_client: Callable[..., Client], world, urls: Iterable[tuple[str, str]]
) -> None:
    """Every ``(method, url)`` on Acme's host is closed to: Initech's admin, another
    partner's admin in a launched session, and an anonymous caller."""
    outsiders = {
        "initech admin": org_client(world.acme, world.ian),
        "other partner launched": org_client(world.acme, world.sam, launched=True),
        "anonymous": org_client(world.acme),
    }
    urls = list(urls)
    record_walk(ORG_URLCONF, urls)
    failures = []
    for method, url in urls:
        for who, client in outsiders.items():
            status = _call(client, method, url)
            allowed_redirect = who == "anonymous" and status == 302
            if status not in CLOSED and not allowed_redirect:
                failures.append(f"{method} {url} as {who}: {status}")
    assert not failures, "open to outsiders:\n" + "\n".join(failures)


def assert_partner_urls_closed_to_other_partners(
    partner_client: Callable[..., Client], world, urls: Iterable[tuple[str, str]]
) -> None:
    """Every ``(method, url)`` naming an Acme (Northwind) object on the partner host
    is a 404 for Southwind's admin and closed to anonymous callers."""
    urls = list(urls)
    record_walk(PARTNER_URLCONF, urls)
    failures = []
    for method, url in urls:
        status = _call(partner_client(world.sam), method, url)
        if status != 404:
            failures.append(f"{method} {url} as other partner: {status} (want 404)")
        status = _call(partner_client(), method, url)
        if status not in CLOSED | {302}:
            failures.append(f"{method} {url} anonymous: {status}")
    assert not failures, "open to other partners:\n" + "\n".join(failures)
