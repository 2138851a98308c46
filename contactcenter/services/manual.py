"""The manual path: add-users flow and the user's contact-center page (SPEC §7).

Licenses go through licensing's protocol (``assign_license`` / ``release_license``:
lock lines → write the assignment → ensure capacity); those call
``reconcile_agents`` themselves, so the agent follows. Roles and admin rights are
set here, and only here.
"""

from __future__ import annotations

from django.db import transaction

from contactcenter.errors import (
    AdminRightsNeedPremium,
    NoContactCenterLine,
    NotAnAgent,
    SupervisorNeedsPremium,
    UnknownAgentRole,
    UnknownContactCenterLicense,
)
from contactcenter.models import Agent, AgentRole
from contactcenter.services.agents import mark_pending
from contactcenter.services.sync_requests import request_sync
from licensing import catalogue
from licensing.errors import LicenseExhausted
from licensing.models import (
    LicenseAssignment,
    OrgUser,
    SubscriptionLine,
    SubscriptionStatus,
)
from licensing.services.licenses import (
    assign_license,
    exhausted_message,
    line_usage,
    release_license,
)
from licensing.services.line_order import lock_lines_of
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor

LICENSE_NAMES = {
    catalogue.CC_STANDARD: "Standard Agent",
    catalogue.CC_PREMIUM: "Premium Agent",
}


def _check_choice(license_type: str | None, role: str) -> None:
    if license_type is not None and license_type not in catalogue.CONTACT_CENTER_LICENSES:
        raise UnknownContactCenterLicense(
            f"'{license_type}' is not a contact-center license: choose "
            f"{catalogue.CC_STANDARD} (Standard Agent) or {catalogue.CC_PREMIUM} (Premium Agent).",
            field="license_type",
        )
    if role not in AgentRole.values:
        raise UnknownAgentRole(
            f"'{role}' is not an agent role: choose agent or supervisor.", field="role"
        )
    if role == AgentRole.SUPERVISOR and license_type != catalogue.CC_PREMIUM:
        raise SupervisorNeedsPremium(
            "The Supervisor role needs a Premium Agent license: choose Premium Agent, "
            "or the Agent role.",
            field="role",
        )


def line_for(license_type: str) -> SubscriptionLine:
    """The line to draw a unit from: the first active line with a unit left. None
    left: "No … licenses left on Sub-…: 5 of 5 used" (``assign_license`` checks again
    under the line lock, so a concurrent writer still cannot oversell)."""
    lines = list(
        SubscriptionLine.objects.select_related("subscription")
        .filter(license_type=license_type, subscription__status=SubscriptionStatus.ACTIVE)
        .order_by("subscription__external_id")
    )
    if not lines:
        name = catalogue.license_type(license_type).name
        raise NoContactCenterLine(
            f"No active subscription of this organisation carries {name} licenses. "
            "Ask your partner to add them.",
            field="license_type",
        )
    usage = line_usage(line.pk for line in lines)
    free = next((line for line in lines if usage[line.pk] < line.quantity), None)
    if free is None:
        full = lines[0]
        raise LicenseExhausted(
            exhausted_message(full, usage[full.pk]),
            subscription=full.subscription.external_id,
            license_type=license_type,
            used=usage[full.pk],
            quantity=full.quantity,
        )
    return free


@transaction.atomic
def set_contact_center(
    *, user: OrgUser, license_type: str | None, role: str = AgentRole.AGENT, actor: Actor
) -> Agent | None:
    """Give the user this contact-center license (``None``: none) and, for Premium,
    this role (SPEC §7, manual add and the user page). The new license is assigned
    before the old one is released, so a Standard ↔ Premium change keeps the agent
    and its details. Returns the agent, or ``None`` when it has no license now."""
    _check_choice(license_type, role)
    held = set(
        LicenseAssignment.objects.filter(
            user=user, license_type__in=catalogue.CONTACT_CENTER_LICENSES
        ).values_list("license_type", flat=True)
    )
    drawn = (
        line_for(license_type) if license_type is not None and license_type not in held else None
    )
    # Every line given back or drawn, in id order, before any is touched (line_order):
    # a Standard -> Premium change and a Premium -> Standard one never wait in a circle.
    if drawn is not None or held - {license_type}:
        lock_lines_of(user_ids=[user.pk], line_ids=[drawn.pk] if drawn is not None else [])
    if drawn is not None:
        assign_license(line=drawn, user=user, actor=actor)
    for old in sorted(held - {license_type}):
        release_license(license_type=old, user=user, actor=actor)
    if license_type == catalogue.CC_PREMIUM:
        return set_agent_role(user=user, role=role, actor=actor)
    return Agent.objects.filter(user=user).first()


def apply_contact_center_licenses(
    *, user: OrgUser, license_types: set[str], actor: Actor
) -> Agent | None:
    """Licenses from several sources (e.g. two group templates): Premium wins."""
    from contactcenter.services.agents import winning_contact_center_license

    winner = winning_contact_center_license(license_types)
    if winner is None:
        return Agent.objects.filter(user=user).first()
    return set_contact_center(user=user, license_type=winner, actor=actor)


def _locked_agent(user: OrgUser) -> Agent:
    agent = Agent.objects.select_for_update().filter(user=user).first()
    if agent is None:
        raise NotAnAgent(
            f"{user.email} has no contact-center license. Give the user a Standard or "
            "Premium Agent license first."
        )
    return agent


def _save(
    agent: Agent, *, action: AuditAction, before: object, after: object, actor: Actor
) -> Agent:
    mark_pending(agent)
    agent.save(update_fields=["role", "is_admin", "sync_status", "sync_error", "updated_at"])
    audit.record(
        actor=actor,
        action=action,
        target_type="contactcenter.Agent",
        target_id=str(agent.user_id),
        target_repr=agent.user.email,
        before=before,
        after=after,
    )
    request_sync()
    return agent


@transaction.atomic
def set_agent_role(*, user: OrgUser, role: str, actor: Actor) -> Agent:
    """Premium roles: Agent or Supervisor (SPEC §7). A Standard agent is always Agent."""
    if role not in AgentRole.values:
        raise UnknownAgentRole(
            f"'{role}' is not an agent role: choose agent or supervisor.", field="role"
        )
    agent = _locked_agent(user)
    if agent.role == role:
        return agent
    if agent.license_type != catalogue.CC_PREMIUM:
        raise SupervisorNeedsPremium(
            f"{user.email} has a Standard Agent license: the Supervisor role needs Premium. "
            "Change the license to Premium Agent first.",
            field="role",
        )
    before, agent.role = agent.role, role
    return _save(
        agent, action=AuditAction.AGENT_ROLE_CHANGED, before=before, after=role, actor=actor
    )


@transaction.atomic
def grant_admin_rights(*, user: OrgUser, actor: Actor) -> Agent:
    """Administrator = full admin rights, only for a user who already has Premium
    (SPEC §7: a new user is created with Premium first, then granted)."""
    agent = Agent.objects.select_for_update().filter(user=user).first()
    if agent is None or agent.license_type != catalogue.CC_PREMIUM:
        raise AdminRightsNeedPremium(
            f"{user.email} has no Premium Agent license. Give the user a Premium Agent "
            "license first (a new user: create it with Premium Agent), then grant full "
            "admin rights."
        )
    if agent.is_admin:
        return agent
    agent.is_admin = True
    return _save(
        agent, action=AuditAction.AGENT_ADMIN_GRANTED, before=False, after=True, actor=actor
    )


@transaction.atomic
def remove_admin_rights(*, user: OrgUser, actor: Actor) -> Agent:
    """ "No admin rights" (SPEC §7). The license and role stay."""
    agent = _locked_agent(user)
    if not agent.is_admin:
        return agent
    agent.is_admin = False
    return _save(
        agent, action=AuditAction.AGENT_ADMIN_REMOVED, before=True, after=False, actor=actor
    )
