"""Starting, tracking and finishing an org's background tasks."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import psycopg
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from partnerhub.audit.services import Actor
from partnerhub.errors import Conflict
from partnerhub.jobs.models import ACTIVE_STATUSES, JobStatus, OrgJob

# A job whose worker has not been heard of for this long has died.
STALE_AFTER = dt.timedelta(minutes=5)
HEARTBEAT_EVERY = dt.timedelta(seconds=30)


class JobAlreadyRunning(Conflict):
    code = "csv_task_running"


def start_job(
    *,
    kind: str,
    actor: Actor,
    file_name: str = "",
    content: bytes = b"",
    params: dict | None = None,
) -> OrgJob:
    """Create the job row; the database refuses a second active CSV job of the org."""
    try:
        with transaction.atomic():
            return OrgJob.objects.create(
                kind=kind, file_name=file_name, content=content, params=params or {},
                actor=actor.as_dict(), heartbeat_at=timezone.now(),
            )  # fmt: skip
    except IntegrityError as error:
        running = OrgJob.objects.filter(status__in=ACTIVE_STATUSES).first()
        raise JobAlreadyRunning(
            "A CSV, directory-sync or template task of this organisation is still running"
            + (f" (task #{running.pk}, {running.file_name})" if running else "")
            + ". Wait until it finishes, then upload the next file."
        ) from error


class ProgressWriter:
    """Writes a job's progress on a connection of its own, so the task page shows it
    while the import's own transaction is still open (and may still roll back). A
    thread beats the job's heartbeat meanwhile, so a long step (one big statement)
    is never taken for a dead worker by ``reap_stale_jobs``."""

    def __init__(self, job: OrgJob) -> None:
        self.job_id = job.pk
        self.table = f'"{connection.schema_name}"."jobs_orgjob"'
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params.pop("server_side_binding", None)
        self._connection = psycopg.connect(**params, autocommit=True)
        self._stop = threading.Event()
        self._beat = threading.Thread(target=self._keep_alive, daemon=True)
        self._beat.start()

    def _keep_alive(self) -> None:
        while not self._stop.wait(HEARTBEAT_EVERY.total_seconds()):
            try:
                self.update()
            except psycopg.Error:
                return

    def update(self, **fields: Any) -> None:
        fields["heartbeat_at"] = timezone.now()
        assignments = ", ".join(f"{name} = %s" for name in fields)
        values = [
            psycopg.types.json.Jsonb(v) if isinstance(v, dict | list) else v
            for v in fields.values()
        ]
        self._connection.execute(
            f"UPDATE {self.table} SET {assignments} WHERE id = %s",  # noqa: S608 - names are ours
            [*values, self.job_id],
        )

    def close(self) -> None:
        self._stop.set()
        self._beat.join(timeout=5)
        self._connection.close()


def finish_job(
    *, job: OrgJob, counts: dict[str, int], messages: list[dict], error_report: str
) -> None:
    status = JobStatus.DONE
    if counts.get("errors"):
        status = JobStatus.FAILED
    elif counts.get("warnings"):
        status = JobStatus.DONE_WITH_WARNINGS
    OrgJob.objects.filter(pk=job.pk).update(
        status=status, counts=counts, messages=messages, error_report=error_report,
        rows_done=job.rows_total, finished_at=timezone.now(), heartbeat_at=timezone.now(),
        failure="" if status != JobStatus.FAILED else "The file has errors; nothing was applied. "
        "Download the error report, fix the rows and upload it again (rows that only say who "
        "would lose calling need the upload again with Confirm calling loss ticked).",
    )  # fmt: skip


def fail_job(*, job_id: int, reason: str) -> None:
    OrgJob.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED, failure=reason, finished_at=timezone.now()
    )


def reap_stale_jobs() -> int:
    """Mark jobs whose worker died as failed. The import applies in one transaction,
    so such a job applied nothing."""
    return OrgJob.objects.filter(
        status__in=[JobStatus.VALIDATING, JobStatus.RUNNING],
        heartbeat_at__lt=timezone.now() - STALE_AFTER,
    ).update(
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        failure="The worker running this task stopped before it finished; nothing was "
        "applied. Upload the file again.",
    )


def start_user_import(
    *,
    actor: Actor,
    file_name: str,
    content: bytes,
    mode: str,
    dry_run: bool = False,
    confirm_calling_loss: bool = False,
) -> OrgJob:
    """Upload → a task of the org, run by the worker; one CSV task at a time. The
    params are the importer's options (``licensing.csv.imports.import_users``)."""
    from partnerhub.jobs.tasks import run_user_csv_import

    job = start_job(
        kind="user_csv", actor=actor, file_name=file_name, content=content,
        params={"mode": mode, "dry_run": dry_run, "confirm_calling_loss": confirm_calling_loss},
    )  # fmt: skip
    schema = connection.schema_name
    transaction.on_commit(lambda: run_user_csv_import.enqueue(schema, job.pk))
    return job


def start_workspace_import(
    *,
    actor: Actor,
    file_name: str,
    content: bytes,
    mode: str,
    dry_run: bool = False,
    confirm_calling_loss: bool = False,
) -> OrgJob:
    """Workspaces CSV upload → a task of the org, like the users CSV (one CSV task of
    any kind at a time); the params are ``import_workspaces``' options."""
    from partnerhub.jobs.tasks import run_workspace_csv_import

    job = start_job(
        kind="workspace_csv", actor=actor, file_name=file_name, content=content,
        params={"mode": mode, "dry_run": dry_run, "confirm_calling_loss": confirm_calling_loss},
    )  # fmt: skip
    schema = connection.schema_name
    transaction.on_commit(lambda: run_workspace_csv_import.enqueue(schema, job.pk))
    return job
