"""Running queued jobs inside a test. The real ``db_worker`` closes the connection,
which a test inside a rolled-back transaction cannot survive; so the tasks an upload
put on the queue are taken from it and run here, as the worker would (real worker
processes are exercised in tests/jobs/test_worker_processes.py)."""

from __future__ import annotations

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import get_tenant_model

from partnerhub.jobs.tasks import run_org_job


def drain_queue() -> None:
    """Run every queued job task once (taken off the queue first, as a worker would)."""
    queued = list(
        DBTaskResult.objects.filter(
            task_path=run_org_job.module_path, status=TaskResultStatus.READY
        )
    )
    # Tasks of orgs committed and dropped by other tests (or runs) are not ours.
    orgs = set(get_tenant_model().objects.values_list("schema_name", flat=True))
    queued = [result for result in queued if result.args_kwargs["args"][0] in orgs]
    assert queued, "nothing was queued"
    for result in queued:
        DBTaskResult.objects.filter(pk=result.pk).update(status=TaskResultStatus.RUNNING)
        run_org_job.call(*result.args_kwargs["args"])
