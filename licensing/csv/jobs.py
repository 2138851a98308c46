"""An uploaded CSV as a job of the org: starting it, and the runner that validates
then applies it (all or nothing), shared by the users CSV and the workspaces CSV."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import TextChoices

from licensing.jobs import LicensingJob
from partnerhub.audit.services import Actor
from partnerhub.jobs.models import JobStatus, OrgJob
from partnerhub.jobs.registry import JobOutcome, Progress, Runner
from partnerhub.jobs.services import start_job

MAX_CHANGES = 1000
ACTIONS = {
    "create": "created", "update": "updated", "move": "moved", "delete": "deleted",
    "remove_calling": "left without calling",
}  # fmt: skip


def csv_runner(*, importer: Callable[..., Any], report: Callable[[Any], str]) -> Runner:
    """A runner calling ``importer(content=, actor=, progress=, **job.params)`` — the
    options the upload stored (mode, dry run, confirmations) — and ``report(plan)``
    for the error report. The importer reports ``progress(done, total)``: rows as the
    reader counted them (any line ends, cells with line breaks, blank rows left out)."""

    def run(job: OrgJob, progress: Progress) -> JobOutcome:
        def report_progress(done: int, total: int) -> None:
            job.rows_total = total
            progress.update(status=JobStatus.RUNNING, rows_total=total, rows_done=done)

        options = {"mode": "add", "dry_run": False, **job.params}
        result = importer(
            content=bytes(job.content), actor=Actor.from_dict(job.actor),
            progress=report_progress, **options,
        )  # fmt: skip
        plan = result.plan
        return JobOutcome(
            counts=result.counts,
            messages=plan_messages(plan, dry_run=not result.applied),
            error_report=report(plan) if plan.errors or plan.warnings else "",
            value=result,
        )

    return run


def plan_messages(plan: Any, *, dry_run: bool) -> list[dict[str, str]]:
    """Row errors and warnings; for a dry run also what each changed row would do."""
    messages: list[dict[str, str]] = [{"error": e} for e in plan.errors]
    messages += [{"warning": w} for w in plan.warnings]
    if not dry_run or plan.errors:
        return messages
    messages += [
        {"change": f"row {row.number}: {_label(row)} would be {ACTIONS[row.action]}"}
        for row in plan.rows
        if row.action != "unchanged" and not row.errors
    ][:MAX_CHANGES]
    return messages


def _label(row: Any) -> str:
    return getattr(row, "email", None) or row.name


def start_csv_import(
    *,
    kind: TextChoices,
    actor: Actor,
    file_name: str,
    content: bytes,
    mode: str,
    dry_run: bool = False,
    confirm_calling_loss: bool = False,
    enqueue: bool = True,
) -> OrgJob:
    """Upload → a job of the org (one CSV job of any kind at a time); the params are
    the importer's options (``import_users``, ``import_workspaces``)."""
    return start_job(
        kind=kind, actor=actor, file_name=file_name, content=content, enqueue=enqueue,
        params={"mode": mode, "dry_run": dry_run, "confirm_calling_loss": confirm_calling_loss},
    )  # fmt: skip


def start_user_import(**options: Any) -> OrgJob:
    """The users CSV as a job of the org; ``options`` as ``start_csv_import``'s."""
    return start_csv_import(kind=LicensingJob.USER_CSV, **options)
