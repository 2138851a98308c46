"""Reads of the contact center for pages, the API and exports (SPEC §7)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from contactcenter.errors import SyncRunNotFound
from contactcenter.models import Agent, AgentTemplateUpload, SyncRun, SyncRunKind, SyncStatus
from licensing.models import OrgUser
from partnerhub.jobs.registry import TaskEntry
from partnerhub.search import search_term


def agent_list(
    *, search: str = "", sync_status: str = "", license_type: str = ""
) -> QuerySet[Agent]:
    """Contact-center users with their sync status (one query per page)."""
    agents = Agent.objects.select_related("user")
    search = search_term(search)
    if search:
        agents = agents.filter(
            Q(user__email__icontains=search) | Q(user__display_name__icontains=search)
        )
    if sync_status:
        agents = agents.filter(sync_status=sync_status)
    if license_type:
        agents = agents.filter(license_type=license_type)
    return agents.order_by("user__email")


def sync_status_counts() -> dict[str, int]:
    """``{synced: n, pending: n, invalid: n}`` for the settings page."""
    counts = dict.fromkeys(SyncStatus.values, 0)
    rows = Agent.objects.values("sync_status").annotate(n=Count("id")).order_by()
    counts.update({row["sync_status"]: row["n"] for row in rows})
    return counts


def agent_of(user: OrgUser) -> Agent | None:
    return Agent.objects.filter(user=user).first()


def sync_runs(*, kind: str = "") -> QuerySet[SyncRun]:
    runs = SyncRun.objects.all()
    return runs.filter(kind=kind) if kind else runs


def latest_synchronize_run() -> SyncRun | None:
    return SyncRun.objects.filter(kind=SyncRunKind.SYNCHRONIZE).first()


def get_sync_run(run_id: int) -> SyncRun:
    run = SyncRun.objects.filter(pk=run_id).first()
    if run is None:
        raise SyncRunNotFound(f"No synchronisation run {run_id} in this organisation.")
    return run


def synced_agents() -> QuerySet[Agent]:
    """The agents the agent template is for: synced ones (SPEC §7)."""
    return (
        Agent.objects.filter(sync_status=SyncStatus.SYNCED)
        .select_related("user")
        .order_by("user__email")
    )


def recent_tasks(limit: int) -> list[TaskEntry]:
    """The contact center's own task records (sync runs, agent template uploads) as the
    org's Tasks page lists them (registered in ``ContactcenterConfig.ready()``)."""
    runs = [
        TaskEntry(
            label=f"Contact-center sync: {run.get_kind_display()}",
            status=run.badge,
            status_label=run.get_status_display(),
            percent=run.percent,
            created_at=run.created_at,
            url=reverse("cc-sync-run", args=[run.pk]),
        )  # fmt: skip
        for run in SyncRun.objects.order_by("-created_at", "-id")[:limit]
    ]
    uploads = [
        TaskEntry(
            label=f"Agent template upload: {upload.file_name}",
            status="done" if upload.applied else "failed",
            status_label="Completed" if upload.applied else "Failed",
            percent=100,
            created_at=upload.created_at,
            url=reverse("cc-agent-template"),
        )  # fmt: skip
        for upload in AgentTemplateUpload.objects.order_by("-created_at", "-id")[:limit]
    ]
    return runs + uploads
