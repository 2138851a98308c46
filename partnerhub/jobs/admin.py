"""An org's tasks (job records) in its Django admin, read-only (issue #11 item 10):
support staff see what ran, who started it, its counts and why it failed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from partnerhub.admin_base import TenantModelAdmin
from partnerhub.jobs.models import OrgJob
from partnerhub.jobs.registry import kind_label


@admin.register(OrgJob)
class OrgJobAdmin(TenantModelAdmin):
    list_display = ("id", "task", "status", "started_by", "created_at", "finished_at", "rows")
    list_filter = ("status", "kind")
    search_fields = ("file_name", "kind", "failure")
    date_hierarchy = "created_at"
    exclude = ("content",)  # the uploaded file: its name is shown, not its bytes

    @admin.display(description="Task", ordering="kind")
    def task(self, job: OrgJob) -> str:
        return kind_label(job.kind)

    @admin.display(description="Started by")
    def started_by(self, job: OrgJob) -> str:
        return (job.actor or {}).get("email", "")

    @admin.display(description="Rows")
    def rows(self, job: OrgJob) -> str:
        return f"{job.rows_done} / {job.rows_total}"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in OrgJob._meta.fields if f.name != "content"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
