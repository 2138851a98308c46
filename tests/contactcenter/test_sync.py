"""Sync to the contact-center roster (SPEC §7), run in-process inside Acme's schema.

The worker itself (``db_worker`` draining the queue) is exercised in
``test_sync_worker.py``; here the sync service runs directly, with the built-in
roster and its fault-injection switch."""

from __future__ import annotations

import pytest
from django.test import override_settings

from contactcenter import services
from contactcenter.errors import RosterCrash, SyncAlreadyRunning
from contactcenter.models import Agent, RosterEntry, SyncRun, SyncRunStatus, SyncStatus
from licensing import catalogue

STANDARD, PREMIUM = catalogue.CC_STANDARD, catalogue.CC_PREMIUM


def assert_roster_matches_agents() -> None:
    """The reconciliation check: an agent shown synced is on the roster, as it is."""
    roster = {entry.email: entry for entry in RosterEntry.objects.all()}
    for agent in Agent.objects.select_related("user"):
        if agent.sync_status != SyncStatus.SYNCED:
            continue
        entry = roster.get(agent.user.email)
        assert entry is not None, f"{agent.user.email} shown synced but not on the roster"
        assert (entry.license_type, entry.role, entry.is_admin) == (
            agent.license_type,
            agent.role,
            agent.is_admin,
        )


@pytest.fixture
def agents(make_user, actor):  # type: ignore[no-untyped-def]
    users = [make_user(f"agent{i}@acme.test", display_name=f"Agent {i}") for i in range(4)]
    for user in users:
        services.set_contact_center(user=user, license_type=STANDARD, actor=actor)
    return users


def _statuses() -> dict[str, str]:
    return dict(Agent.objects.values_list("user__email", "sync_status"))


def test_every_change_marks_pending_and_sync_makes_it_synced(agents, actor) -> None:
    assert set(_statuses().values()) == {SyncStatus.PENDING}
    services.run_sync()
    assert set(_statuses().values()) == {SyncStatus.SYNCED}
    assert RosterEntry.objects.count() == 4
    services.set_contact_center(user=agents[0], license_type=PREMIUM, actor=actor)
    assert _statuses()["agent0@acme.test"] == SyncStatus.PENDING
    services.run_sync()
    assert RosterEntry.objects.get(email="agent0@acme.test").license_type == PREMIUM
    assert_roster_matches_agents()


def test_change_requests_a_sync_task_on_commit(
    make_user, actor, django_capture_on_commit_callbacks
) -> None:
    from django_tasks_db.models import DBTaskResult

    user = make_user("queued@acme.test")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.set_contact_center(user=user, license_type=STANDARD, actor=actor)
    assert any(getattr(c, "contactcenter_sync_of", None) == "org_acme" for c in callbacks)
    assert (
        DBTaskResult.objects.filter(task_path="contactcenter.tasks.sync_pending_agents")
        .filter(args_kwargs__kwargs__schema_name="org_acme")
        .count()
        == 1
    )


def test_backend_failure_marks_the_user_invalid_with_the_reason(agents) -> None:
    faults = {"fail_emails": ["agent1@acme.test"]}
    with override_settings(CONTACT_CENTER_ROSTER_FAULTS=faults):
        services.run_sync()
    agent = Agent.objects.get(user=agents[1])
    assert agent.sync_status == SyncStatus.INVALID
    assert agent.sync_error == (
        "The contact-center roster rejected agent1@acme.test (injected fault)."
    )
    assert _statuses() == {
        "agent0@acme.test": "synced",
        "agent1@acme.test": "invalid",
        "agent2@acme.test": "synced",
        "agent3@acme.test": "synced",
    }
    assert not RosterEntry.objects.filter(email="agent1@acme.test").exists()
    assert_roster_matches_agents()


def test_every_nth_call_fault_and_unavailable_roster(agents) -> None:
    with override_settings(CONTACT_CENTER_ROSTER_FAULTS={"fail_every": 2}):
        services.run_sync()
    assert sorted(_statuses().values()) == ["invalid", "invalid", "synced", "synced"]
    Agent.objects.update(sync_status=SyncStatus.PENDING)
    with override_settings(CONTACT_CENTER_ROSTER_FAULTS={"unavailable": True}):
        services.run_sync()
    assert set(Agent.objects.values_list("sync_error", flat=True)) == {
        "The contact-center roster is unavailable (injected fault)."
    }
    assert_roster_matches_agents()


def test_automatic_sync_leaves_invalid_users_for_synchronize(agents, actor) -> None:
    with override_settings(CONTACT_CENTER_ROSTER_FAULTS={"fail_emails": ["agent2@acme.test"]}):
        services.run_sync()
    services.run_sync()  # automatic: pending only
    assert _statuses()["agent2@acme.test"] == SyncStatus.INVALID
    run = services.synchronize_users(actor=actor)
    assert run.rows_total == 1
    services.run_sync(run_id=run.pk, include_invalid=True)
    run.refresh_from_db()
    assert (run.status, run.rows_done, run.synced, run.invalid) == ("completed", 1, 1, 0)
    assert set(_statuses().values()) == {SyncStatus.SYNCED}
    assert_roster_matches_agents()


def test_second_synchronize_while_one_is_running_is_refused(agents, actor) -> None:
    run = services.synchronize_users(actor=actor)
    with pytest.raises(SyncAlreadyRunning) as error:
        services.synchronize_users(actor=actor)
    assert error.value.details == {"run_id": run.pk}
    assert SyncRun.objects.count() == 1


@override_settings(CONTACT_CENTER_SYNC_BATCH_SIZE=2)
def test_crash_mid_sync_never_shows_a_user_synced_without_the_roster(agents, actor) -> None:
    run = services.synchronize_users(actor=actor)
    with (
        override_settings(CONTACT_CENTER_ROSTER_FAULTS={"crash_after": 3}),
        pytest.raises(RosterCrash),
    ):
        services.run_sync(run_id=run.pk, include_invalid=True)
    # The first batch (2) committed; the crashed batch rolled back whole.
    assert sorted(_statuses().values()) == ["pending", "pending", "synced", "synced"]
    assert RosterEntry.objects.count() == 2
    assert_roster_matches_agents()
    run.refresh_from_db()
    assert run.status == SyncRunStatus.FAILED
    assert "Injected crash" in run.error
    # Synchronize users heals it.
    services.run_sync(run_id=services.synchronize_users(actor=actor).pk, include_invalid=True)
    assert set(_statuses().values()) == {SyncStatus.SYNCED}
    assert_roster_matches_agents()


def test_removed_agents_are_taken_off_the_roster(agents, actor) -> None:
    services.run_sync()
    services.set_contact_center(user=agents[0], license_type=None, actor=actor)
    agents[1].delete()
    services.run_sync()
    assert set(RosterEntry.objects.values_list("email", flat=True)) == {
        "agent2@acme.test",
        "agent3@acme.test",
    }


def test_synchronize_command_runs_now(agents, world) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("synchronize_contact_center", "acme", "--now", stdout=out)
    assert "Completed, 4 synced, 0 invalid" in out.getvalue()
