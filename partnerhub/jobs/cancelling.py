"""Cancelling a queued task (issue #11 item 6 of "Tasks page"): only while it waits
for a worker, and its django-tasks record with it. A task a worker claimed
(validating, running) runs to its end: its work is one transaction, and stopping it
half-way is what the runner exists to prevent.

Race with a worker: the cancel locks the job row and moves it QUEUED → CANCELLED; a
worker's claim (``runner.claim_job``) is an UPDATE … WHERE status = QUEUED, so
whichever commits first wins and the other changes nothing.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, record
from partnerhub.errors import NotFound
from partnerhub.jobs import registry
from partnerhub.jobs.errors import TaskNotCancellable
from partnerhub.jobs.models import JobStatus, OrgJob
from partnerhub.jobs.tasks import run_org_job
from partnerhub.permissions import Capability


def capability_to_cancel(job_id: int) -> Capability:
    """What a role needs to cancel task ``job_id``: the capability that starts its
    kind. A task that does not exist needs ``VIEW``, so that only those who see the
    Tasks page learn it does not (``cancel_job`` answers ``NotFound``); anyone else
    (signed out, no role here) is refused alike whether or not it exists."""
    kind = OrgJob.objects.filter(pk=job_id).values_list("kind", flat=True).first()
    return Capability.VIEW if kind is None else Capability(registry.job_type(kind).capability)


def cancel_job(*, job_id: int, actor: Actor) -> OrgJob:
    """QUEUED → CANCELLED, with its queued django-tasks record marked failed
    ("cancelled") so no worker takes it, and an audit entry ``task.cancelled``.
    Not this org's job → ``NotFound``; claimed or ended → ``TaskNotCancellable``
    saying why. Who may cancel is the caller's check (the capability that starts the
    kind, ``capability_to_cancel``)."""
    with transaction.atomic():
        job = OrgJob.objects.select_for_update().defer("content").filter(pk=job_id).first()
        if job is None:
            raise NotFound(f"There is no task #{job_id} in this organisation.")
        if job.status != JobStatus.QUEUED:
            raise TaskNotCancellable(_refusal(job))
        now = timezone.now()
        job.status = JobStatus.CANCELLED
        job.finished_at = now
        job.failure = f"Cancelled by {actor.email} before it started; nothing was applied."
        job.save(update_fields=["status", "finished_at", "failure"])
        _cancel_queued_task_record(job, reason=job.failure, at=now)
        record(
            actor=actor, action=AuditAction.TASK_CANCELLED, target=job,
            before={"status": JobStatus.QUEUED.label}, after={"status": JobStatus.CANCELLED.label},
        )  # fmt: skip
    return job


def _refusal(job: OrgJob) -> str:
    name = f"Task #{job.pk} ({job.kind_label})"
    if job.status in (JobStatus.VALIDATING, JobStatus.RUNNING):
        return (
            f"{name} is already running and cannot be cancelled: a running task always "
            "finishes (or fails) as a whole. Wait until it ends."
        )
    return f"{name} has already ended ({job.get_status_display().lower()}); nothing to cancel."


def _cancel_queued_task_record(job: OrgJob, *, reason: str, at: object) -> None:
    DBTaskResult.objects.filter(
        task_path=run_org_job.module_path,
        status=TaskResultStatus.READY,
        args_kwargs__args=[connection.schema_name, job.pk],
    ).update(
        status=TaskResultStatus.FAILED, finished_at=at, traceback=reason,
        exception_class_path=f"{TaskNotCancellable.__module__}.{TaskNotCancellable.__name__}",
    )  # fmt: skip
