"""Asking for a contact-center sync (SPEC §7): every change of an agent calls
``request_sync()`` (one automatic sync task of the org after commit); *Synchronize
users* starts a ``SyncRun`` task. Running a sync is ``sync``, called by the tasks.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

# The module, not its names: the tasks import the sync services in turn.
from contactcenter import tasks
from contactcenter.errors import SyncAlreadyRunning
from contactcenter.models import Agent, SyncRun, SyncRunKind, SyncStatus
from contactcenter.services.sync import ACTIVE_RUN_STATUSES, STALE_RUN_AFTER, lock_org
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor


def _already_requested(schema_name: str) -> bool:
    return any(
        getattr(callback, "contactcenter_sync_of", None) == schema_name
        for _savepoints, callback, _robust in connection.run_on_commit
    )


def request_sync() -> None:
    """After commit, let the automatic sync task push this org's pending agents
    (once per transaction; skipped when ``CONTACT_CENTER_AUTO_SYNC`` is off)."""
    schema_name = connection.schema_name
    if schema_name == "public" or not getattr(settings, "CONTACT_CENTER_AUTO_SYNC", True):
        return
    if connection.in_atomic_block and _already_requested(schema_name):
        return

    def enqueue() -> None:
        tasks.enqueue_automatic_sync(schema_name)

    enqueue.contactcenter_sync_of = schema_name  # type: ignore[attr-defined]
    transaction.on_commit(enqueue)


@transaction.atomic
def synchronize_users(*, actor: Actor) -> SyncRun:
    """*Synchronize users* (Services → Contact Center → Settings): one task of the org
    re-runs the sync for every pending and invalid agent (SPEC §7). One at a time."""
    lock_org(transaction_scoped=True)
    # A run older than this was lost with its worker (killed): it no longer blocks.
    recent = timezone.now() - STALE_RUN_AFTER
    running = SyncRun.objects.filter(
        kind=SyncRunKind.SYNCHRONIZE, status__in=ACTIVE_RUN_STATUSES, created_at__gte=recent
    ).first()
    if running is not None:
        raise SyncAlreadyRunning(
            f"Synchronize users is already running (run {running.pk}, "
            f"{running.rows_done} of {running.rows_total} users done). "
            "Wait for it to finish.",
            run_id=running.pk,
        )
    run = SyncRun.objects.create(
        kind=SyncRunKind.SYNCHRONIZE,
        actor_email=actor.email,
        rows_total=Agent.objects.filter(
            sync_status__in=[SyncStatus.PENDING, SyncStatus.INVALID]
        ).count(),
    )
    audit.record(actor=actor, action=AuditAction.CONTACT_CENTER_SYNCHRONIZED, target=run)
    schema_name = connection.schema_name

    def enqueue() -> None:
        tasks.synchronize_agents.enqueue(schema_name=schema_name, run_id=run.pk)

    transaction.on_commit(enqueue)
    return run
