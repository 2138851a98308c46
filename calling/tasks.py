"""Background tasks of the calling app (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task
from django_tenants.utils import tenant_context

from customers.models import Customer
from partnerhub.audit.services import Actor
from partnerhub.jobs import services as jobs
from partnerhub.jobs.models import JobStatus, OrgJob

MAX_MESSAGES = 1000


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
            jobs.fail_job(job_id=job.pk, reason=getattr(error, "message", None) or repr(error))
            if not hasattr(error, "message"):
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
            jobs.fail_job(job_id=job.pk, reason=getattr(error, "message", None) or repr(error))
            if not hasattr(error, "message"):
                raise
        finally:
            progress.close()
