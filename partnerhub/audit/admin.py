"""The audit log in the admin, read-only, on both sides: the public host shows
partner-level entries, an org's host that org's entries (the app lives in both)."""

from __future__ import annotations

from django.contrib import admin

from partnerhub.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor_email", "acting_as_partner", "action", "target_repr")
    list_filter = ("action",)
    search_fields = ("actor_email", "target_repr", "action", "target_id")
    date_hierarchy = "created_at"

    def has_add_permission(self, request, *args):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
