"""Agents follow contact-center licenses; roles and admin rights (SPEC §7).

The license is a ``LicenseAssignment`` of type ``cc_standard`` / ``cc_premium``; the
``Agent`` carries what comes with it. Every writer of those licenses (manual add, the
user page, the CSV, templates) calls ``reconcile_agents`` for the users it touched,
inside its own transaction, so the agents always match the licenses.

Decided where the seeds are silent:
* Premium → Standard drops the supervisor role and admin rights (a Standard agent
  cannot hold them: database constraints on ``Agent``); Standard → Premium starts as
  role Agent without admin rights.
* A user who stays Premium keeps role and admin rights, whoever writes the license
  (the CSV never changes supervisor/admin roles).
* A user holding both licenses (a licensing bug or a race) is a Premium agent.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from contactcenter.models import Agent, AgentRole, SyncStatus
from contactcenter.services.sync_requests import request_sync
from licensing import catalogue
from licensing.models import LicenseAssignment, OrgUser
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, Change

CONTACT_CENTER_LICENSES = catalogue.CONTACT_CENTER_LICENSES
# Large enough for few queries, small enough for any driver's parameter limit.
_CHUNK = 5000


def winning_contact_center_license(license_types: Iterable[str | None]) -> str | None:
    """The contact-center license a user gets from several sources: Premium wins."""
    wanted = set(license_types)
    if catalogue.CC_PREMIUM in wanted:
        return catalogue.CC_PREMIUM
    if catalogue.CC_STANDARD in wanted:
        return catalogue.CC_STANDARD
    return None


def mark_pending(agent: Agent) -> None:
    """Every change of an agent is pushed again by the next sync (SPEC §7)."""
    agent.sync_status = SyncStatus.PENDING
    agent.sync_error = ""
    agent.updated_at = timezone.now()


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _held_licenses(user_ids: Sequence[int]) -> dict[int, str]:
    held: dict[int, set[str]] = {}
    for chunk in _chunks(user_ids):
        rows = LicenseAssignment.objects.filter(
            user_id__in=chunk, license_type__in=CONTACT_CENTER_LICENSES
        ).values_list("user_id", "license_type")
        for user_id, license_type in rows:
            held.setdefault(user_id, set()).add(license_type)
    return {user_id: winning_contact_center_license(types) for user_id, types in held.items()}


def _agents_of(user_ids: Sequence[int]) -> dict[int, Agent]:
    agents: dict[int, Agent] = {}
    for chunk in _chunks(user_ids):
        # Only what reconciling reads: a nothing-changed run of 20,000 stays cheap.
        rows = (
            Agent.objects.select_for_update(of=("self",))
            .filter(user_id__in=chunk)
            .only("id", "user_id", "license_type", "role", "is_admin")
        )
        agents.update({agent.user_id: agent for agent in rows})
    return agents


def _emails_of(user_ids: Sequence[int]) -> dict[int, str]:
    emails: dict[int, str] = {}
    for chunk in _chunks(user_ids):
        emails.update(OrgUser.objects.filter(id__in=chunk).values_list("id", "email"))
    return emails


def _license_of(agents: dict[int, Agent], user_id: int) -> str | None:
    agent = agents.get(user_id)
    return agent.license_type if agent else None


def _change_license(agent: Agent, license_type: str) -> dict[str, object]:
    before = {"license_type": agent.license_type, "role": agent.role, "is_admin": agent.is_admin}
    agent.license_type = license_type
    if license_type != catalogue.CC_PREMIUM:
        agent.role = AgentRole.AGENT
        agent.is_admin = False
    mark_pending(agent)
    return before


def _agent_change(action: AuditAction, user_id: int, email: str, **values: object) -> Change:
    return Change(
        action=action,
        target_type="contactcenter.Agent",
        target_id=str(user_id),
        target_repr=email,
        **values,
    )


@transaction.atomic
def reconcile_agents(*, user_ids: Iterable[int], actor: Actor) -> None:
    """Agents follow contact-center licenses (SPEC §7), for many users in few queries.

    New holder → an Agent (role Agent, pending); Standard ↔ Premium → the Agent's
    license changes (see the module docstring for roles); no license → the Agent is
    deleted. Every real change marks the agent pending and requests a sync on commit.
    """
    ids = sorted(set(user_ids))
    if not ids:
        return
    held = _held_licenses(ids)
    agents = _agents_of(ids)
    changed_ids = [user_id for user_id in ids if held.get(user_id) != _license_of(agents, user_id)]
    if not changed_ids:
        return
    plan = _plan(changed_ids, held=held, agents=agents, emails=_emails_of(changed_ids))
    _write(created=plan.created, updated=plan.updated, deleted=plan.deleted)
    if plan.changes:
        audit.record_many(actor=actor, changes=plan.changes)
        request_sync()


@dataclass
class _Plan:
    created: list[Agent] = field(default_factory=list)
    updated: list[Agent] = field(default_factory=list)
    deleted: list[Agent] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


def _plan(
    changed_ids: list[int],
    *,
    held: dict[int, str],
    agents: dict[int, Agent],
    emails: dict[int, str],
) -> _Plan:
    plan = _Plan()
    for user_id in changed_ids:
        wanted, agent, email = held.get(user_id), agents.get(user_id), emails.get(user_id)
        if email is None:
            continue  # the user was deleted meanwhile; its agent went with it
        if agent is None:
            plan.created.append(Agent(user_id=user_id, license_type=wanted))
            plan.changes.append(
                _agent_change(AuditAction.AGENT_CREATED, user_id, email, after=wanted)
            )
        elif wanted is None:
            plan.deleted.append(agent)
            plan.changes.append(_agent_change(AuditAction.AGENT_DELETED, user_id, email))
        else:
            before = _change_license(agent, wanted)
            plan.updated.append(agent)
            plan.changes.append(
                _agent_change(
                    AuditAction.AGENT_LICENSE_CHANGED, user_id, email, before=before, after=wanted
                )
            )
    return plan


def _write(*, created: list[Agent], updated: list[Agent], deleted: list[Agent]) -> None:
    if created:
        # A concurrent writer may have created the same agent: that one stands.
        Agent.objects.bulk_create(created, batch_size=2000, ignore_conflicts=True)
    if updated:
        Agent.objects.bulk_update(
            updated,
            ["license_type", "role", "is_admin", "sync_status", "sync_error", "updated_at"],
            batch_size=2000,
        )
    for start in range(0, len(deleted), _CHUNK):
        Agent.objects.filter(id__in=[a.id for a in deleted[start : start + _CHUNK]]).delete()


def agents_before_user_delete(*, user_ids: Iterable[int], actor: Actor) -> None:
    """Deleting a user deletes its agent (CASCADE, SPEC §7): audit that, and ask for a
    sync so the roster forgets them. Call inside the deleting transaction."""
    gone = list(
        Agent.objects.filter(user_id__in=list(user_ids)).values_list("user_id", "user__email")
    )
    if not gone:
        return
    audit.record_many(
        actor=actor,
        changes=[
            _agent_change(AuditAction.AGENT_DELETED, user_id, email) for user_id, email in gone
        ],
    )
    request_sync()
