"""The runners of calling's background jobs (``calling/jobs.py``), registered with the
one job runner in ``CallingConfig.ready()``: thin, they call services."""

from __future__ import annotations

from calling.jobs import CallingJob
from calling.services.directory import read_feed_file, sync_directory
from calling.workspaces.csv.imports import error_report, import_workspaces
from licensing.csv.jobs import csv_runner
from licensing.tasks import MAX_MESSAGES
from partnerhub.audit.services import Actor
from partnerhub.jobs.models import JobStatus, OrgJob
from partnerhub.jobs.registry import JobOutcome, Progress, register_job_kind
from partnerhub.permissions import Capability


def run_directory_sync(job: OrgJob, progress: Progress) -> JobOutcome:
    """Apply one directory feed (all or nothing)."""
    entries = read_feed_file(job.file_name, bytes(job.content))
    progress.update(status=JobStatus.RUNNING, rows_total=len(entries))
    job.rows_total = len(entries)
    result = sync_directory(entries=entries, actor=Actor.from_dict(job.actor))
    counts = {k: v for k, v in result.as_dict().items() if k != "unprovisioned"}
    counts["unprovisioned"] = counts["warnings"] = len(result.unprovisioned)
    messages = [
        {"warning": result.explain(email)} for email in sorted(result.unprovisioned)[:MAX_MESSAGES]
    ]  # as the command prints them: the work phone as written, the reason and its hint
    return JobOutcome(counts=counts, messages=messages, value=result)


def register() -> None:
    register_job_kind(
        CallingJob.WORKSPACE_CSV,
        runner=csv_runner(importer=import_workspaces, report=error_report),
        exclusive=True,
        capability=Capability.MANAGE_ORG,
    )
    register_job_kind(
        CallingJob.DIRECTORY_SYNC,
        runner=run_directory_sync,
        exclusive=True,
        capability=Capability.MANAGE_USERS,
    )
