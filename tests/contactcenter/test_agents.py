"""Agents follow contact-center licenses; roles and admin rights (SPEC §7)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contactcenter import services
from contactcenter.errors import AdminRightsNeedPremium, SupervisorNeedsPremium
from contactcenter.models import Agent, AgentRole, SyncStatus
from licensing import catalogue
from licensing.errors import LicenseExhausted
from licensing.models import LicenseAssignment, SubscriptionLine
from partnerhub.audit.models import AuditEntry

STANDARD, PREMIUM = catalogue.CC_STANDARD, catalogue.CC_PREMIUM


def _give(user, license_type: str) -> None:  # type: ignore[no-untyped-def]
    line = SubscriptionLine.objects.get(license_type=license_type)
    LicenseAssignment.objects.create(
        line=line, license_type=license_type, kind=catalogue.Kind.CONTACT_CENTER, user=user
    )


def test_new_contact_center_license_creates_a_pending_agent(make_user, actor) -> None:
    user = make_user("a@acme.test")
    services.set_contact_center(user=user, license_type=STANDARD, actor=actor)
    agent = Agent.objects.get(user=user)
    assert (agent.license_type, agent.role, agent.is_admin) == (STANDARD, "agent", False)
    assert agent.sync_status == SyncStatus.PENDING
    assert AuditEntry.objects.filter(action="agent.created", target_repr=user.email).exists()


def test_premium_wins_when_a_user_would_get_both(make_user, actor) -> None:
    user = make_user("both@acme.test")
    assert services.winning_contact_center_license({STANDARD, PREMIUM}) == PREMIUM
    services.apply_contact_center_licenses(
        user=user, license_types={STANDARD, PREMIUM}, actor=actor
    )
    assert Agent.objects.get(user=user).license_type == PREMIUM
    assert set(user.licenses.values_list("license_type", flat=True)) == {PREMIUM}
    # Licenses written by another path (both held): the agent is Premium.
    other = make_user("both2@acme.test")
    _give(other, STANDARD)
    _give(other, PREMIUM)
    services.reconcile_agents(user_ids=[other.pk], actor=actor)
    assert Agent.objects.get(user=other).license_type == PREMIUM


def test_premium_user_gets_the_chosen_role(make_user, actor) -> None:
    user = make_user("sup@acme.test")
    services.set_contact_center(
        user=user, license_type=PREMIUM, role=AgentRole.SUPERVISOR, actor=actor
    )
    assert Agent.objects.get(user=user).role == AgentRole.SUPERVISOR


def test_supervisor_role_needs_premium(make_user, actor) -> None:
    user = make_user("std@acme.test")
    with pytest.raises(SupervisorNeedsPremium):
        services.set_contact_center(
            user=user, license_type=STANDARD, role=AgentRole.SUPERVISOR, actor=actor
        )
    assert not Agent.objects.filter(user=user).exists()
    assert not user.licenses.exists()


def test_admin_rights_need_premium(make_user, actor) -> None:
    user = make_user("adm@acme.test")
    services.set_contact_center(user=user, license_type=STANDARD, actor=actor)
    before = Agent.objects.values().get(user=user)
    with pytest.raises(AdminRightsNeedPremium) as error:
        services.grant_admin_rights(user=user, actor=actor)
    assert error.value.code == "admin_rights_need_premium"
    assert "Give the user a Premium Agent license first" in error.value.message
    assert Agent.objects.values().get(user=user) == before
    stranger = make_user("new@acme.test")
    with pytest.raises(AdminRightsNeedPremium):
        services.grant_admin_rights(user=stranger, actor=actor)
    assert not Agent.objects.filter(user=stranger).exists()


def test_admin_rights_are_granted_to_premium_and_removable(make_user, actor) -> None:
    user = make_user("boss@acme.test")
    services.set_contact_center(user=user, license_type=PREMIUM, actor=actor)
    Agent.objects.filter(user=user).update(sync_status=SyncStatus.SYNCED)
    assert services.grant_admin_rights(user=user, actor=actor).is_admin
    assert Agent.objects.get(user=user).sync_status == SyncStatus.PENDING
    assert not services.remove_admin_rights(user=user, actor=actor).is_admin
    assert AuditEntry.objects.filter(action="agent.admin_removed").exists()


def test_csv_style_reconcile_keeps_supervisor_and_admin(make_user, actor) -> None:
    user = make_user("keep@acme.test")
    services.set_contact_center(
        user=user, license_type=PREMIUM, role=AgentRole.SUPERVISOR, actor=actor
    )
    services.grant_admin_rights(user=user, actor=actor)
    Agent.objects.filter(user=user).update(sync_status=SyncStatus.SYNCED)
    # The CSV wrote "Premium TRUE" again and reconciles: nothing changes.
    services.reconcile_agents(user_ids=[user.pk], actor=actor)
    agent = Agent.objects.get(user=user)
    assert (agent.role, agent.is_admin, agent.sync_status) == ("supervisor", True, "synced")


def test_premium_to_standard_drops_supervisor_and_admin_but_keeps_details(make_user, actor) -> None:
    user = make_user("down@acme.test")
    services.set_contact_center(
        user=user, license_type=PREMIUM, role=AgentRole.SUPERVISOR, actor=actor
    )
    services.grant_admin_rights(user=user, actor=actor)
    Agent.objects.filter(user=user).update(team="Blue", sync_status=SyncStatus.SYNCED)
    services.set_contact_center(user=user, license_type=STANDARD, actor=actor)
    agent = Agent.objects.get(user=user)
    assert (agent.license_type, agent.role, agent.is_admin) == (STANDARD, "agent", False)
    assert (agent.team, agent.sync_status) == ("Blue", SyncStatus.PENDING)
    assert set(user.licenses.values_list("license_type", flat=True)) == {STANDARD}


def test_no_contact_center_license_deletes_the_agent(make_user, actor) -> None:
    user = make_user("gone@acme.test")
    services.set_contact_center(user=user, license_type=STANDARD, actor=actor)
    services.set_contact_center(user=user, license_type=None, actor=actor)
    assert not Agent.objects.filter(user=user).exists()
    assert not user.licenses.exists()


def test_deleting_a_user_deletes_its_agent(make_user, actor) -> None:
    user = make_user("del@acme.test")
    services.set_contact_center(user=user, license_type=PREMIUM, actor=actor)
    user.delete()
    assert not Agent.objects.filter(user_id=user.pk).exists()


def test_contact_center_licenses_are_never_oversold(make_user, actor) -> None:
    line = SubscriptionLine.objects.get(license_type=PREMIUM)
    users = [make_user(f"p{i}@acme.test") for i in range(line.quantity + 1)]
    for user in users[:-1]:
        services.set_contact_center(user=user, license_type=PREMIUM, actor=actor)
    with pytest.raises(LicenseExhausted) as error:
        services.set_contact_center(user=users[-1], license_type=PREMIUM, actor=actor)
    assert error.value.message == (
        f"No Webex Contact Center Premium licenses left on Sub-100234: "
        f"{line.quantity} of {line.quantity} used."
    )
    assert not users[-1].licenses.exists()
    assert not Agent.objects.filter(user=users[-1]).exists()


def _queries_to_reconcile(users, actor) -> int:  # type: ignore[no-untyped-def]
    line = SubscriptionLine.objects.get(license_type=STANDARD)
    LicenseAssignment.objects.bulk_create(
        LicenseAssignment(line=line, license_type=STANDARD, kind="contact_center", user=u)
        for u in users
    )
    with CaptureQueriesContext(connection) as queries:
        services.reconcile_agents(user_ids=[u.pk for u in users], actor=actor)
    return len(queries)


def test_reconcile_query_count_does_not_grow_with_users(make_user, actor) -> None:
    SubscriptionLine.objects.filter(license_type=STANDARD).update(quantity=1000)
    few = _queries_to_reconcile([make_user(f"few{i}@acme.test") for i in range(3)], actor)
    many = _queries_to_reconcile([make_user(f"many{i}@acme.test") for i in range(300)], actor)
    assert many == few
    assert Agent.objects.count() == 303


def test_deleting_users_audits_their_agents_and_asks_for_a_sync(make_user, actor) -> None:
    user = make_user("bye@acme.test")
    Agent.objects.create(user=user, license_type=STANDARD)
    services.agents_before_user_delete(user_ids=[user.pk], actor=actor)
    user.delete()
    assert AuditEntry.objects.filter(action="agent.deleted", target_repr="bye@acme.test").exists()
    assert any(getattr(c, "contactcenter_sync_of", None) for _, c, _ in connection.run_on_commit)
