"""The conformance suite: ``scim2-tester`` (every check it has for discovery, Users
and Groups) against the org's SCIM endpoints through Django's WSGI application,
in-process (issue #13: 0 errors)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from scim2_client.engines.wsgi import WSGISCIMClient
from scim2_tester import Status, check_server

from tests.conftest import host_of


@contextmanager
def connection_kept_open() -> Iterator[None]:
    """As Django's test client does: the WSGI handler must not close the test's
    connection (and its rolled-back transaction) between requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def run_checks(world, token: str, resource_types: list[str] | None = None) -> list:
    client = WSGISCIMClient(
        WSGIHandler(),
        base_url=f"http://{host_of(world.acme)}/scim/v2",
        headers={"Authorization": f"Bearer {token}"},
    )
    with connection_kept_open():
        client.discover()
        return check_server(client, resource_types=resource_types)


def failures(results: list) -> list[str]:
    return [
        f"{r.resource_type or ''} {r.title}: {r.reason}"
        for r in results
        if r.status in (Status.ERROR, Status.CRITICAL)
    ]


def test_scim2_tester_finds_no_error_for_users_and_groups(connection_and_token, world):
    results = run_checks(world, connection_and_token[1], ["User", "Group"])

    assert failures(results) == [], "\n".join(failures(results))
    assert sum(1 for r in results if r.status == Status.SUCCESS) > 20
