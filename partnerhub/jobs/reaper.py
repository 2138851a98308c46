"""Jobs whose worker died are noticed in seconds and marked failed (SPEC §4 "Running
an import"): a job's work and its final status commit together (``runner.py``), so
a job that never finished applied nothing.

A worker is dead when its job's advisory lock is free (PostgreSQL released it with
the worker's connection: the process was killed, or crashed) or its heartbeat is
older than ``STALE_AFTER`` (a host cut off the network). Checked on every new job of
the org (``start_job``), when a worker starts, and every ``REAP_EVERY`` while
workers run (``manage.py db_worker``).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import get_tenant_model

from partnerhub.jobs import progress
from partnerhub.jobs.models import ACTIVE_STATUSES, CLAIMED_STATUSES, JobStatus, OrgJob
from partnerhub.jobs.tasks import run_org_job
from partnerhub.tenancy import in_org

REAP_EVERY = dt.timedelta(seconds=5)
WORKER_GONE = (
    "The worker running this task stopped before it finished; nothing was applied. "
    "Upload the file again."
)
logger = logging.getLogger(__name__)


def reap_stale_jobs() -> int:
    """Mark the current org's jobs whose worker died as failed; returns how many."""
    reaped = 0
    for job in OrgJob.objects.filter(status__in=ACTIVE_STATUSES).only("status", "heartbeat_at"):
        key = progress.lock_key(connection.schema_name, job.pk)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
            nobody_runs_it = cursor.fetchone()[0]
        try:
            if _is_dead(job, nobody_runs_it=nobody_runs_it):
                reaped += _reap(job)
        finally:
            if nobody_runs_it:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)
    return reaped


def _is_dead(job: OrgJob, *, nobody_runs_it: bool) -> bool:
    stale = job.heartbeat_at is None or job.heartbeat_at < timezone.now() - progress.STALE_AFTER
    if job.status in CLAIMED_STATUSES:
        return nobody_runs_it or stale
    # Queued: dead only if a worker took its task record and died before the claim.
    taken = _task_records(job).exclude(status=TaskResultStatus.READY)
    return (
        nobody_runs_it
        and taken.filter(started_at__lt=timezone.now() - progress.STALE_AFTER).exists()
    )


def _task_records(job: OrgJob):  # type: ignore[no-untyped-def]
    return DBTaskResult.objects.filter(
        task_path=run_org_job.module_path, args_kwargs__args=[connection.schema_name, job.pk]
    )


def _reap(job: OrgJob) -> int:
    """The job failed, and so did its task record (never left RUNNING)."""
    now = timezone.now()
    reaped = OrgJob.objects.filter(pk=job.pk, status=job.status).update(
        status=JobStatus.FAILED, failure=WORKER_GONE, finished_at=now
    )
    if reaped:
        logger.warning(
            "task %s (%s) of %s reaped: its worker is gone",
            job.pk,
            job.kind,
            connection.schema_name,
        )
        _task_records(job).filter(status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=now,
            exception_class_path="partnerhub.jobs.reaper.WorkerGone", traceback=WORKER_GONE,
        )  # fmt: skip
    return reaped


def reap_everywhere() -> int:
    """Reap in every org that has a job task marked running: one query on the public
    queue, then one org at a time (jobs run by commands are reaped by the org's next
    job)."""
    schemas = set(
        DBTaskResult.objects.filter(
            task_path=run_org_job.module_path, status=TaskResultStatus.RUNNING
        ).values_list("args_kwargs__args__0", flat=True)
    )
    reaped = 0
    for org in get_tenant_model().objects.filter(schema_name__in=schemas):
        with in_org(org):
            reaped += reap_stale_jobs()
    return reaped
