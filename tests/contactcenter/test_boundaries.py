"""Every contact-center page and endpoint is closed to other orgs and partners."""

from __future__ import annotations

from tests.boundaries import assert_org_urls_closed_to_outsiders

URLS = [
    ("GET", "/contact-center/"),
    ("GET", "/contact-center/users/1/"),
    ("POST", "/contact-center/users/1/"),
    ("POST", "/contact-center/users/1/admin-rights/"),
    ("GET", "/contact-center/settings/"),
    ("POST", "/contact-center/settings/"),
    ("GET", "/contact-center/sync-runs/1/"),
    ("GET", "/contact-center/agent-template/"),
    ("POST", "/contact-center/agent-template/"),
    ("GET", "/contact-center/agent-template/export/"),
    ("GET", "/contact-center/agent-template/uploads/1/"),
    ("GET", "/contact-center/agent-template/uploads/1/errors.csv"),
    ("GET", "/api/contact-center/agents/"),
    ("GET", "/api/contact-center/users/1/"),
    ("PUT", "/api/contact-center/users/1/"),
    ("POST", "/api/contact-center/users/1/admin-rights/"),
    ("DELETE", "/api/contact-center/users/1/admin-rights/"),
    ("POST", "/api/contact-center/synchronize/"),
    ("GET", "/api/contact-center/sync-runs/"),
    ("GET", "/api/contact-center/sync-runs/1/"),
    ("GET", "/api/contact-center/agent-template/"),
    ("POST", "/api/contact-center/agent-template/"),
]


def test_contact_center_urls_are_closed_to_outsiders(org_client, world) -> None:
    assert_org_urls_closed_to_outsiders(org_client, world, URLS)
