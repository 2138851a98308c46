"""Sync to the contact-center management portal (SPEC §7).

Every change of an agent marks it pending and calls ``request_sync()``; after
commit one automatic sync task of the org pushes the pending agents. *Synchronize
users* runs the same sync over every pending **and** invalid agent, as one task of
the org with progress (a ``SyncRun``).

Consistency: agents are pushed in batches, each in one transaction that locks the
agents, pushes them, and writes their status. With the built-in roster the roster
rows commit together with the status; with a remote roster the status is written
only after the push returned. A crash therefore leaves an agent pending or invalid,
never synced without being on the roster. Syncs of one org are serialised by an
advisory lock, so pruning (removing roster entries of deleted agents) never races
a push.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from contactcenter.errors import SyncAlreadyRunning
from contactcenter.models import Agent, SyncRun, SyncRunKind, SyncRunStatus, SyncStatus
from contactcenter.roster import AgentRecord, RosterBackend, RosterError, get_roster_backend
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor

ACTIVE_RUN_STATUSES = (SyncRunStatus.QUEUED, SyncRunStatus.IN_PROGRESS)
STALE_RUN_AFTER = timedelta(hours=1)


def batch_size() -> int:
    return int(getattr(settings, "CONTACT_CENTER_SYNC_BATCH_SIZE", 500))


# --- asking for a sync -------------------------------------------------------------


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
        from contactcenter.tasks import enqueue_automatic_sync

        enqueue_automatic_sync(schema_name)

    enqueue.contactcenter_sync_of = schema_name  # type: ignore[attr-defined]
    transaction.on_commit(enqueue)


@transaction.atomic
def synchronize_users(*, actor: Actor) -> SyncRun:
    """*Synchronize users* (Services → Contact Center → Settings): one task of the org
    re-runs the sync for every pending and invalid agent (SPEC §7). One at a time."""
    _lock_org(transaction_scoped=True)
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
        from contactcenter.tasks import synchronize_agents

        synchronize_agents.enqueue(schema_name=schema_name, run_id=run.pk)

    transaction.on_commit(enqueue)
    return run


# --- running a sync (inside the task, in the org's schema) --------------------------


def _lock_key(purpose: str = "sync") -> int:
    return zlib.crc32(f"contactcenter-{purpose}:{connection.schema_name}".encode())


def _lock_org(*, transaction_scoped: bool = False) -> None:
    """Session lock: one sync of the org at a time. Transaction lock (another key, so
    it never waits for a running sync): one *Synchronize users* request at a time."""
    if transaction_scoped:
        sql, key = "SELECT pg_advisory_xact_lock(%s)", _lock_key("synchronize")
    else:
        sql, key = "SELECT pg_advisory_lock(%s)", _lock_key()
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])


@contextmanager
def _org_sync_lock() -> Iterator[None]:
    _lock_org()
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_lock_key()])


@dataclass
class BatchResult:
    synced: int = 0
    invalid: int = 0


def _push_batch(
    agent_ids: list[int], statuses: list[str], backend: RosterBackend
) -> tuple[list[Agent], dict[str, str]]:
    agents = list(
        Agent.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(id__in=agent_ids, sync_status__in=statuses)
        .order_by("id")
    )
    try:
        rejected = backend.push([AgentRecord.of(agent) for agent in agents]) if agents else {}
    except RosterError as error:
        # A failure of the whole backend: every agent of the batch is Invalid.
        rejected = {agent.user.email: str(error) for agent in agents}
    return agents, rejected


def sync_batch(
    agent_ids: list[int], *, statuses: list[str], backend: RosterBackend, run_id: int | None
) -> BatchResult:
    """Push these agents and record the outcome in one transaction (see module doc)."""
    with transaction.atomic():
        agents, rejected = _push_batch(agent_ids, statuses, backend)
        invalid = [agent for agent in agents if agent.user.email in rejected]
        for agent in invalid:
            agent.sync_status = SyncStatus.INVALID
            agent.sync_error = rejected[agent.user.email][:255]
        Agent.objects.bulk_update(invalid, ["sync_status", "sync_error"])
        # The synced ones all get the same values: one UPDATE.
        Agent.objects.filter(
            id__in=[agent.id for agent in agents if agent.user.email not in rejected]
        ).update(sync_status=SyncStatus.SYNCED, sync_error="", synced_at=timezone.now())
        result = BatchResult(synced=len(agents) - len(rejected), invalid=len(rejected))
        if run_id is not None:
            SyncRun.objects.filter(pk=run_id).update(
                rows_done=F("rows_done") + len(agent_ids),
                synced=F("synced") + result.synced,
                invalid=F("invalid") + result.invalid,
            )
    return result


def prune_roster(backend: RosterBackend) -> int:
    """Take agents that no longer exist (license removed, user deleted) off the roster."""
    agent_emails = set(Agent.objects.values_list("user__email", flat=True))
    stale = backend.emails() - agent_emails
    return backend.remove(stale) if stale else 0


def _start(run_id: int | None, *, kind: str, total: int) -> int | None:
    now = timezone.now()
    if run_id is None:
        if not total:
            return None
        return SyncRun.objects.create(
            kind=kind, status=SyncRunStatus.IN_PROGRESS, rows_total=total, started_at=now
        ).pk
    SyncRun.objects.filter(pk=run_id).update(
        status=SyncRunStatus.IN_PROGRESS, rows_total=total, rows_done=0, started_at=now
    )
    return run_id


def _finish(run_id: int | None, *, removed: int) -> None:
    if run_id is None:
        return
    run = SyncRun.objects.get(pk=run_id)
    run.removed = removed
    run.rows_done = run.rows_total
    run.status = SyncRunStatus.COMPLETED_WITH_ERRORS if run.invalid else SyncRunStatus.COMPLETED
    run.finished_at = timezone.now()
    run.save(update_fields=["removed", "rows_done", "status", "finished_at"])


def fail_run(run_id: int | None, *, error: BaseException) -> None:
    """A crash: the run is failed; its agents stay pending/invalid (nothing half-done)."""
    if run_id is None:
        return
    SyncRun.objects.filter(pk=run_id).update(
        status=SyncRunStatus.FAILED,
        error=f"{type(error).__name__}: {error}"[:2000],
        finished_at=timezone.now(),
    )


def run_sync(
    *,
    run_id: int | None = None,
    include_invalid: bool = False,
    backend: RosterBackend | None = None,
) -> int | None:
    """Push the pending (and, for *Synchronize users*, the invalid) agents of this org.

    Returns the ``SyncRun`` id (automatic syncs with nothing to do create none)."""
    statuses = [SyncStatus.PENDING] + ([SyncStatus.INVALID] if include_invalid else [])
    kind = SyncRunKind.SYNCHRONIZE if include_invalid else SyncRunKind.AUTOMATIC
    backend = backend or get_roster_backend()
    with _org_sync_lock():
        ids = list(
            Agent.objects.filter(sync_status__in=statuses)
            .order_by("id")
            .values_list("id", flat=True)
        )
        run_id = _start(run_id, kind=kind, total=len(ids))
        try:
            size = batch_size()
            for start in range(0, len(ids), size):
                sync_batch(
                    ids[start : start + size], statuses=statuses, backend=backend, run_id=run_id
                )
            removed = prune_roster(backend)
        except Exception as error:
            fail_run(run_id, error=error)
            raise
        _finish(run_id, removed=removed)
    return run_id
