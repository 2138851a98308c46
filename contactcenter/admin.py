"""Django admin of the contact center, per tenant (SPEC §8): support staff inspect
agents, the built-in roster, sync runs and agent-template uploads, and can re-run a
sync. Role/licence changes go through the pages (one place per rule)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from contactcenter import services
from contactcenter.models import Agent, AgentTemplateUpload, RosterEntry, SyncRun
from partnerhub.admin_base import TenantModelAdmin
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError


@admin.register(Agent)
class AgentAdmin(TenantModelAdmin):
    list_display = ["user", "license_type", "role", "is_admin", "sync_status", "sync_error"]
    list_filter = ["sync_status", "license_type", "role", "is_admin"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    readonly_fields = [
        "user",
        "license_type",
        "role",
        "is_admin",
        "sync_status",
        "sync_error",
        "synced_at",
        "updated_at",
    ]
    actions = ["synchronize_users"]

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False  # agents follow licenses: add the license instead

    @admin.action(description="Synchronize users (every pending and invalid agent)")
    def synchronize_users(self, request: HttpRequest, queryset: QuerySet[Agent]) -> None:
        try:
            run = services.synchronize_users(actor=Actor.from_request(request))
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, f"Synchronize users started (run {run.pk}).")


@admin.register(RosterEntry)
class RosterEntryAdmin(TenantModelAdmin):
    list_display = ["email", "license_type", "role", "is_admin", "team", "site", "pushed_at"]
    search_fields = ["email"]
    list_filter = ["license_type", "role"]


@admin.register(SyncRun)
class SyncRunAdmin(TenantModelAdmin):
    list_display = ["id", "kind", "status", "rows_done", "rows_total", "synced", "invalid"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in SyncRun._meta.fields]

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False


@admin.register(AgentTemplateUpload)
class AgentTemplateUploadAdmin(TenantModelAdmin):
    list_display = ["id", "file_name", "applied", "rows_total", "updated", "created_at"]
    readonly_fields = [f.name for f in AgentTemplateUpload._meta.fields]

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False
