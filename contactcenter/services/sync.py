"""Sync to the contact-center management portal (SPEC §7): running it (inside the
task). Asking for one is ``sync_requests``.

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

from contactcenter.errors import RosterError
from contactcenter.models import Agent, SyncRun, SyncRunKind, SyncRunStatus, SyncStatus
from contactcenter.roster import AgentRecord, RosterBackend, get_roster_backend

ACTIVE_RUN_STATUSES = (SyncRunStatus.QUEUED, SyncRunStatus.IN_PROGRESS)
STALE_RUN_AFTER = timedelta(hours=1)


def batch_size() -> int:
    return int(getattr(settings, "CONTACT_CENTER_SYNC_BATCH_SIZE", 500))


# --- running a sync (inside the task, in the org's schema) --------------------------


def _lock_key(purpose: str = "sync") -> int:
    return zlib.crc32(f"contactcenter-{purpose}:{connection.schema_name}".encode())


def lock_org(*, transaction_scoped: bool = False) -> None:
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
    lock_org()
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
