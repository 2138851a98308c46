"""Background tasks of the calling app (``manage.py db_worker``)."""

from __future__ import annotations

import logging

from django_tasks import task
from django_tenants.utils import tenant_context

from customers.models import Customer
from partnerhub.audit.services import Actor
from partnerhub.jobs import services as jobs
from partnerhub.jobs.models import JobStatus, OrgJob

MAX_MESSAGES = 1000
UNEXPECTED = (
    "The task stopped on an unexpected error (something may have changed while it ran); "
    "nothing was applied. Run it again; if it fails again, tell support the task number."
)
logger = logging.getLogger(__name__)


def _fail(job: OrgJob, error: Exception) -> bool:
    """Mark the job failed: a domain error's message as it is; anything else logged,
    with a plain sentence for the admin instead of an exception's repr (and False, so
    the caller re-raises and the worker records the task as failed too)."""
    message = getattr(error, "message", None)
    if message is None:
        logger.exception("task %s (%s) failed", job.pk, job.kind)
    jobs.fail_job(job_id=job.pk, reason=message or UNEXPECTED)
    return message is not None


@task()
def run_directory_sync(schema_name: str, job_id: int) -> None:
    """Apply one directory feed (all or nothing)."""
    from calling.services.directory import read_feed_file, sync_directory

    with tenant_context(Customer.objects.get(schema_name=schema_name)):
        job = OrgJob.objects.get(pk=job_id)
        progress = jobs.ProgressWriter(job)
        try:
            entries = read_feed_file(job.file_name, bytes(job.content))
            progress.update(status=JobStatus.RUNNING, rows_total=len(entries))
            job.rows_total = len(entries)
            result = sync_directory(entries=entries, actor=Actor.from_dict(job.actor))
            counts = {k: v for k, v in result.as_dict().items() if k != "unprovisioned"}
            counts["unprovisioned"] = counts["warnings"] = len(result.unprovisioned)
            jobs.finish_job(
                job=job,
                counts=counts,
                messages=[
                    {"warning": f"{email}: not provisioned for calling ({reason})"}
                    for email, reason in sorted(result.unprovisioned.items())[:MAX_MESSAGES]
                ],
                error_report="",
            )
        except Exception as error:  # nothing was applied: the sync is one transaction
            if not _fail(job, error):
                raise
        finally:
            progress.close()


@task()
def run_template_apply(schema_name: str, job_id: int) -> None:
    """A template's *apply to existing users* (one transaction)."""
    from calling.services.provisioning import apply_template_to_existing
    from licensing.models import AutoLicenseTemplate

    with tenant_context(Customer.objects.get(schema_name=schema_name)):
        job = OrgJob.objects.get(pk=job_id)
        progress = jobs.ProgressWriter(job)
        try:
            progress.update(status=JobStatus.RUNNING)
            template = AutoLicenseTemplate.objects.get(pk=job.params["template"])
            run = apply_template_to_existing(
                template=template,
                actor=Actor.from_dict(job.actor),
                confirmation=job.params.get("confirmation", ""),
            )
            counts = {key: len(value) for key, value in run.as_dict().items()}
            counts["warnings"] = counts["unprovisioned"]
            jobs.finish_job(
                job=job,
                counts=counts,
                messages=[
                    {"warning": f"{email}: not provisioned for calling ({reason})"}
                    for email, reason in sorted(run.unprovisioned.items())[:MAX_MESSAGES]
                ]
                + [{"change": f"{email}: calling removed"} for email in run.calling_removed],
                error_report="",
            )
        except Exception as error:  # one transaction: nothing was applied
            if not _fail(job, error):
                raise
        finally:
            progress.close()
