"""The runners of licensing's background jobs (``licensing/jobs.py``), registered with
the one job runner in ``LicensingConfig.ready()``."""

from __future__ import annotations

from licensing.csv.imports import error_report, import_users
from licensing.csv.jobs import csv_runner
from licensing.jobs import LicensingJob
from licensing.models import AutoLicenseTemplate
from licensing.services.template_apply import apply_template_to_existing
from partnerhub.audit.services import Actor
from partnerhub.jobs.models import JobStatus, OrgJob
from partnerhub.jobs.registry import JobOutcome, Progress, register_job_kind
from partnerhub.permissions import Capability

MAX_MESSAGES = 1000


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
    messages = unprovisioned_messages(run.unprovisioned)
    messages += [{"change": f"{email}: calling removed"} for email in run.calling_removed]
    return JobOutcome(counts=counts, messages=messages, value=run)


def unprovisioned_messages(reasons: dict[str, str]) -> list[dict[str, str]]:
    """A job's warnings for users left without calling (e-mail → reason), the first
    ``MAX_MESSAGES`` by e-mail — template runs and directory syncs alike."""
    return [
        {"warning": f"{email}: not provisioned for calling ({reason})"}
        for email, reason in sorted(reasons.items())[:MAX_MESSAGES]
    ]


def register() -> None:
    register_job_kind(
        LicensingJob.USER_CSV,
        runner=csv_runner(importer=import_users, report=error_report),
        exclusive=True,
        capability=Capability.MANAGE_USERS,
    )
    register_job_kind(
        LicensingJob.TEMPLATE_APPLY,
        runner=run_template_apply,
        exclusive=True,
        capability=Capability.MANAGE_ORG,
    )
