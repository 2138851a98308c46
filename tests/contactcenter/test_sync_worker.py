"""The sync through the real task worker (``db_worker`` drains the queue), in a
throw-away org whose changes commit (SPEC §7 faults)."""

from __future__ import annotations

from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from contactcenter import services
from contactcenter.models import Agent, SyncRun, SyncRunStatus, SyncStatus
from licensing import catalogue
from licensing.models import OrgUser
from tests.contactcenter.test_sync import assert_roster_matches_agents

STANDARD, PREMIUM = catalogue.CC_STANDARD, catalogue.CC_PREMIUM


def test_sync_tasks_take_the_schema_name(db) -> None:
    """(Also makes pytest-django create the test database when this module runs alone:
    the committed-org tests below do not use ``db``.)"""
    from contactcenter.tasks import sync_pending_agents, synchronize_agents

    assert sync_pending_agents.module_path == "contactcenter.tasks.sync_pending_agents"
    assert synchronize_agents.module_path == "contactcenter.tasks.synchronize_agents"


def drain_queue() -> None:
    tenant = connection.tenant
    call_command("db_worker", "--batch", "--no-startup-delay")
    connection.set_tenant(tenant)


def _statuses() -> dict[str, str]:
    return dict(Agent.objects.values_list("user__email", "sync_status"))


def _add_agents(actor, count: int = 4) -> list[OrgUser]:  # type: ignore[no-untyped-def]
    users = []
    for i in range(count):
        user = OrgUser.objects.create(email=f"agent{i}@worker.test")
        services.set_contact_center(user=user, license_type=STANDARD, actor=actor)
        users.append(user)
    return users


def test_worker_syncs_changes_and_a_fault_leaves_the_user_invalid(in_committed_org, actor):
    _add_agents(actor)
    assert set(_statuses().values()) == {SyncStatus.PENDING}
    with override_settings(CONTACT_CENTER_ROSTER_FAULTS={"fail_emails": ["agent2@worker.test"]}):
        drain_queue()
    assert _statuses() == {
        "agent0@worker.test": "synced",
        "agent1@worker.test": "synced",
        "agent2@worker.test": "invalid",
        "agent3@worker.test": "synced",
    }
    assert "rejected agent2@worker.test" in Agent.objects.get(sync_status="invalid").sync_error
    assert_roster_matches_agents()


def test_synchronize_users_heals_invalid_users(in_committed_org, actor):
    _add_agents(actor)
    with override_settings(CONTACT_CENTER_ROSTER_FAULTS={"fail_every": 2}):
        drain_queue()
    assert sorted(_statuses().values()) == ["invalid", "invalid", "synced", "synced"]
    run = services.synchronize_users(actor=actor)
    drain_queue()
    run.refresh_from_db()
    assert (run.status, run.rows_total, run.rows_done, run.synced) == ("completed", 2, 2, 2)
    assert set(_statuses().values()) == {SyncStatus.SYNCED}
    assert_roster_matches_agents()


@override_settings(CONTACT_CENTER_SYNC_BATCH_SIZE=2)
def test_crash_in_the_middle_of_a_sync_task_then_synchronize(in_committed_org, actor):
    _add_agents(actor, count=5)
    with override_settings(CONTACT_CENTER_ROSTER_FAULTS={"crash_after": 3}):
        drain_queue()
    statuses = _statuses()
    assert sorted(statuses.values()) == ["pending", "pending", "pending", "synced", "synced"]
    assert_roster_matches_agents()
    automatic = SyncRun.objects.get()
    assert automatic.status == SyncRunStatus.FAILED
    services.synchronize_users(actor=actor)
    drain_queue()
    assert set(_statuses().values()) == {SyncStatus.SYNCED}
    assert_roster_matches_agents()


def test_synchronize_users_page_turns_invalid_rows_into_synced(in_committed_org):
    """The browser flow's steps through the test client (the browser test itself
    lives in tests/browser/ and shares ``browser_flow``)."""
    from django.test import Client

    from partnerhub.models import Account
    from tests.conftest import host_of
    from tests.contactcenter.browser_flow import BROKEN, prepare_invalid_agents

    prepare_invalid_agents(in_committed_org)
    client = Client(HTTP_HOST=host_of(in_committed_org))
    connection.set_schema_to_public()
    client.force_login(Account.objects.get(email=in_committed_org.admin_email))
    page = client.get("/contact-center/?sync_status=invalid").content.decode()
    assert all(f'data-email="{email}"' in page for email in BROKEN)
    run_url = client.post("/contact-center/settings/").url
    connection.set_tenant(in_committed_org)
    drain_queue()
    assert 'data-status="completed"' in client.get(run_url).content.decode()
    page = client.get("/contact-center/").content.decode()
    assert 'data-sync-status="invalid"' not in page and page.count('data-sync-status="synced"') == 4
