"""Background tasks of the contact center: thin, they switch to the org's schema and
call the sync service (SPEC §7). Run by ``manage.py db_worker``."""

from __future__ import annotations

from django_tasks import task
from django_tasks_db.models import DBTaskResult

from contactcenter.services import sync
from partnerhub.tenancy import in_org, org_by_schema


@task()
def sync_pending_agents(schema_name: str) -> int | None:
    """The automatic sync after a change: pushes the org's pending agents."""
    with in_org(org_by_schema(schema_name)):
        return sync.run_sync(include_invalid=False)


@task()
def synchronize_agents(schema_name: str, run_id: int) -> int | None:
    """*Synchronize users*: pushes every pending and invalid agent, with progress."""
    with in_org(org_by_schema(schema_name)):
        return sync.run_sync(run_id=run_id, include_invalid=True)


def enqueue_automatic_sync(schema_name: str) -> None:
    """Enqueue the automatic sync unless one for this org is still waiting: that one
    has not selected its agents yet, so it will push this change too."""
    waiting = (
        DBTaskResult.objects.ready()
        .filter(
            task_path=sync_pending_agents.module_path,
            args_kwargs__kwargs__schema_name=schema_name,
        )
        .exists()
    )
    if not waiting:
        sync_pending_agents.enqueue(schema_name=schema_name)
