"""The browser flow of *Synchronize users* (SPEC §7, issue 5's browser test), kept
apart from any browser fixtures: ``tests/browser/test_contactcenter_sync.py`` calls
``prepare_invalid_agents`` in a committed org, then ``synchronize_users_in_browser``
with a Playwright page, the live server's base URL of that org and a callable that
drains the task queue (the worker)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contactcenter import services
from contactcenter.models import Agent, SyncStatus
from contactcenter.roster import DatabaseRoster
from licensing import catalogue
from licensing.models import OrgUser
from partnerhub.audit.services import Actor
from partnerhub.tenancy import in_org

BROKEN = ("agent1@browser.test", "agent3@browser.test")


def prepare_invalid_agents(customer: Any, *, count: int = 4) -> None:
    """Agents of ``customer`` (committed): some synced, ``BROKEN`` ones Invalid."""
    actor = Actor.system("browser test setup")
    with in_org(customer):
        for i in range(count):
            user = OrgUser.objects.create(email=f"agent{i}@browser.test")
            services.set_contact_center(user=user, license_type=catalogue.CC_STANDARD, actor=actor)
        services.run_sync(backend=DatabaseRoster(faults={"fail_emails": list(BROKEN)}))
        assert Agent.objects.filter(sync_status=SyncStatus.INVALID).count() == len(BROKEN)


def _statuses(page: Any) -> dict[str, str]:
    rows = page.locator("#agents tbody tr[data-email]")
    return {
        rows.nth(i).get_attribute("data-email"): rows.nth(i)
        .locator("[data-sync-status]")
        .get_attribute("data-sync-status")
        for i in range(rows.count())
    }


def synchronize_users_in_browser(
    page: Any, base_url: str, *, email: str, password: str, drain_queue: Callable[[], None]
) -> None:
    """Sign in, see the Invalid rows, click Synchronize users, watch the run finish,
    see every row synced."""
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.goto(f"{base_url}/contact-center/?sync_status=invalid")
    assert set(_statuses(page)) == set(BROKEN)
    page.goto(f"{base_url}/contact-center/settings/")
    page.click("#synchronize-users")
    page.wait_for_url("**/contact-center/sync-runs/*/")
    drain_queue()
    # The run page refreshes itself every 2 s until the run is finished.
    page.wait_for_selector('#run-status[data-status="completed"]', timeout=20_000)
    page.goto(f"{base_url}/contact-center/")
    assert set(_statuses(page).values()) == {SyncStatus.SYNCED}
    page.goto(f"{base_url}/contact-center/?sync_status=invalid")
    assert _statuses(page) == {}
