"""The one background task that runs an org's jobs (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task
from django_tenants.utils import get_tenant_model, tenant_context

from partnerhub.errors import DomainError
from partnerhub.jobs.runner import execute_job


@task()
def run_org_job(schema_name: str, job_id: int) -> None:
    """Run job ``job_id`` of the org in ``schema_name`` with the runner its app
    registered. A domain error ends the job with its message and the task completes;
    anything else fails the task record too (with the traceback)."""
    # tenant_context, not schema_context: services need the org itself (connection.tenant).
    with tenant_context(get_tenant_model().objects.get(schema_name=schema_name)):
        try:
            execute_job(job_id)
        except DomainError:
            return
