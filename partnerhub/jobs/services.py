"""Starting an org's background jobs (SPEC §4 "Running an import"). The lifecycle
around a runner lives in ``runner.py``, the progress connection in ``progress.py``,
finding jobs whose worker died in ``reaper.py``."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.db.models import TextChoices
from django.utils import timezone

from partnerhub.audit.services import Actor
from partnerhub.jobs import registry
from partnerhub.jobs.errors import JobAlreadyRunning
from partnerhub.jobs.models import ACTIVE_STATUSES, OrgJob
from partnerhub.jobs.reaper import reap_stale_jobs
from partnerhub.jobs.tasks import run_org_job


def start_job(
    *,
    kind: TextChoices,
    actor: Actor,
    file_name: str = "",
    content: bytes = b"",
    params: dict | None = None,
    enqueue: bool = True,
) -> OrgJob:
    """Create the job row of a registered ``kind`` and, after commit, queue it for a
    worker (``enqueue=False``: the caller runs it in its own process with
    ``runner.execute_job``, as the import commands do). Jobs whose worker died are
    reaped first, so a crash never blocks the next upload; the database refuses a
    second active exclusive job of the org (``JobAlreadyRunning``)."""
    job_type = registry.job_type(kind)
    reap_stale_jobs()
    try:
        with transaction.atomic():
            job = OrgJob.objects.create(
                kind=job_type.kind.value, exclusive=job_type.exclusive, file_name=file_name,
                content=content, params=params or {}, actor=actor.as_dict(),
                heartbeat_at=timezone.now(),
            )  # fmt: skip
    except IntegrityError as error:
        running = OrgJob.objects.filter(status__in=ACTIVE_STATUSES, exclusive=True).first()
        raise JobAlreadyRunning(
            "A CSV, directory-sync or template task of this organisation is still running"
            + (f" (task #{running.pk}, {running.file_name})" if running else "")
            + ". Wait until it finishes, then upload the next file."
        ) from error
    if enqueue:
        schema = connection.schema_name
        transaction.on_commit(lambda: run_org_job.enqueue(schema, job.pk))
    return job
