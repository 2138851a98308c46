"""``execute_job``: the one lifecycle of an org's job, whatever app registered it —
claim, heartbeat, progress, finish, fail — with one failure policy.

The runner's work and the job's final status commit in one transaction: a job
marked failed by the reaper meanwhile (its worker taken for dead) rolls the work
back, so "nothing was applied" is always true of a failed job.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from partnerhub.errors import DomainError
from partnerhub.jobs import registry
from partnerhub.jobs.errors import JobReaped
from partnerhub.jobs.models import ACTIVE_STATUSES, CLAIMED_STATUSES, JobStatus, OrgJob
from partnerhub.jobs.progress import ProgressWriter, worker_name

logger = logging.getLogger(__name__)

UNEXPECTED = (
    "The task stopped on an unexpected error (something may have changed while it ran); "
    "nothing was applied. Run it again; if it fails again, tell support the task number."
)


def execute_job(job_id: int) -> registry.JobOutcome | None:
    """Run the job in this process, in the current org's schema. ``None`` when another
    process holds or already claimed it (two workers never run one job twice). A
    failure is recorded on the job (``failure_reason``) and raised again."""
    job = OrgJob.objects.get(pk=job_id)
    job_type = registry.job_type(job.kind)
    progress = ProgressWriter(job)
    try:
        if not progress.lock() or not claim_job(job):
            return None
        progress.start_heartbeat()
        try:
            with transaction.atomic():
                outcome = job_type.runner(job, progress)
                _finish_unless_reaped(job, outcome)
        except BaseException as error:
            fail_job(job_id=job.pk, reason=failure_reason(job, error))
            raise
        return outcome
    finally:
        progress.close()


def failure_reason(job: OrgJob, error: BaseException) -> str:
    """The one failure policy: a domain error's message as it is; anything else is
    logged with its traceback and the admin reads a plain sentence, never a repr."""
    if isinstance(error, DomainError):
        return error.message
    logger.error("task %s (%s) failed", job.pk, job.kind, exc_info=error)
    return UNEXPECTED


def claim_job(job: OrgJob) -> bool:
    """QUEUED → VALIDATING by this process; False when another worker claimed it (or it
    ended) first. Committed at once: the worker runs outside any transaction."""
    claimed = OrgJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.VALIDATING, worker=worker_name(), heartbeat_at=timezone.now()
    )
    return claimed == 1


def _finish_unless_reaped(job: OrgJob, outcome: registry.JobOutcome) -> None:
    still_ours = (
        OrgJob.objects.select_for_update()
        .filter(pk=job.pk, status__in=CLAIMED_STATUSES)
        .values_list("pk", flat=True)
    )
    if not still_ours:
        raise JobReaped(
            "The task was stopped because its worker stopped answering; nothing was applied."
        )
    finish_job(job=job, outcome=outcome)


# Each row's error says what to do (a calling loss: upload again with the confirmation).
ROW_ERRORS = (
    "The file has errors; nothing was applied. Download the error report, fix the rows it "
    "lists and upload the file again."
)


def finish_job(*, job: OrgJob, outcome: registry.JobOutcome) -> None:
    status = JobStatus.DONE
    if outcome.counts.get("errors"):
        status = JobStatus.FAILED
    elif outcome.counts.get("warnings"):
        status = JobStatus.DONE_WITH_WARNINGS
    OrgJob.objects.filter(pk=job.pk).update(
        status=status, counts=outcome.counts, messages=outcome.messages,
        error_report=outcome.error_report, rows_total=job.rows_total, rows_done=job.rows_total,
        finished_at=timezone.now(), heartbeat_at=timezone.now(),
        failure="" if status != JobStatus.FAILED else ROW_ERRORS,
    )  # fmt: skip


def fail_job(*, job_id: int, reason: str) -> None:
    """Mark a job failed unless it already ended (the reaper may have been first)."""
    OrgJob.objects.filter(pk=job_id, status__in=ACTIVE_STATUSES).update(
        status=JobStatus.FAILED, failure=reason, finished_at=timezone.now()
    )
