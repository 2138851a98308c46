"""The one background task that runs an org's jobs (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from partnerhub.errors import DomainError
from partnerhub.jobs.runner import execute_job
from partnerhub.tenancy import in_org, org_by_schema


@task()
def run_org_job(schema_name: str, job_id: int) -> None:
    """Run job ``job_id`` of the org in ``schema_name`` with the runner its app
    registered. A domain error ends the job with its message and the task completes;
    anything else fails the task record too (with the traceback)."""
    # The org row itself, not only its schema: services read connection.tenant.
    with in_org(org_by_schema(schema_name)):
        try:
            execute_job(job_id)
        except DomainError:
            return
