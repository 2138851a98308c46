"""The runners of calling's background jobs (``calling/jobs.py``), registered with the
one job runner in ``CallingConfig.ready()``: thin, they call services."""

from __future__ import annotations

from calling.jobs import CallingJob
from calling.services.directory import read_feed_file, sync_directory
from calling.services.template_runs import apply_template_to_existing
from calling.workspace_csv.imports import error_report, import_workspaces
from licensing.csv.jobs import csv_runner
from licensing.models import AutoLicenseTemplate
from partnerhub.audit.services import Actor
from partnerhub.jobs.models import JobStatus, OrgJob
from partnerhub.jobs.registry import JobOutcome, Progress, register_job_kind

MAX_MESSAGES = 1000


def run_directory_sync(job: OrgJob, progress: Progress) -> JobOutcome:
    """Apply one directory feed (all or nothing)."""
    entries = read_feed_file(job.file_name, bytes(job.content))
    progress.update(status=JobStatus.RUNNING, rows_total=len(entries))
    job.rows_total = len(entries)
    result = sync_directory(entries=entries, actor=Actor.from_dict(job.actor))
    counts = {k: v for k, v in result.as_dict().items() if k != "unprovisioned"}
    counts["unprovisioned"] = counts["warnings"] = len(result.unprovisioned)
    return JobOutcome(counts=counts, messages=_unprovisioned(result.unprovisioned), value=result)


def run_template_apply(job: OrgJob, progress: Progress) -> JobOutcome:
    """A template's *apply to existing users* (one transaction)."""
    progress.update(status=JobStatus.RUNNING)
    run = apply_template_to_existing(
        template=AutoLicenseTemplate.objects.get(pk=job.params["template"]),
        actor=Actor.from_dict(job.actor),
        confirmation=job.params.get("confirmation", ""),
    )
    counts = {key: len(value) for key, value in run.as_dict().items()}
    counts["warnings"] = counts["unprovisioned"]
    messages = _unprovisioned(run.unprovisioned)
    messages += [{"change": f"{email}: calling removed"} for email in run.calling_removed]
    return JobOutcome(counts=counts, messages=messages, value=run)


def _unprovisioned(reasons: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"warning": f"{email}: not provisioned for calling ({reason})"}
        for email, reason in sorted(reasons.items())[:MAX_MESSAGES]
    ]


def register() -> None:
    register_job_kind(
        CallingJob.WORKSPACE_CSV,
        runner=csv_runner(importer=import_workspaces, report=error_report),
        exclusive=True,
    )
    register_job_kind(CallingJob.DIRECTORY_SYNC, runner=run_directory_sync, exclusive=True)
    register_job_kind(CallingJob.TEMPLATE_APPLY, runner=run_template_apply, exclusive=True)
