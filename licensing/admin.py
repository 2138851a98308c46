"""Tenant admin for support staff (on the org host's /admin/)."""

from __future__ import annotations

from django.contrib import admin

from licensing.models import (
    AutoLicenseTemplate,
    Group,
    LicenseAssignment,
    OrgUser,
    Subscription,
    SubscriptionLine,
)
from partnerhub.admin_base import TenantModelAdmin


class SubscriptionLineInline(admin.TabularInline):
    model = SubscriptionLine
    extra = 0


class LicenseInline(admin.TabularInline):
    model = LicenseAssignment
    fk_name = "user"
    extra = 0
    raw_id_fields = ("line",)
    fields = ("license_type", "kind", "line", "assigned_at")


@admin.register(OrgUser)
class OrgUserAdmin(TenantModelAdmin):
    list_display = ("email", "first_name", "last_name", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("email", "first_name", "last_name", "display_name")
    filter_horizontal = ("groups",)
    inlines = [LicenseInline]


@admin.register(Subscription)
class SubscriptionAdmin(TenantModelAdmin):
    list_display = ("external_id", "status", "start_date", "end_date")
    list_filter = ("status",)
    search_fields = ("external_id",)
    inlines = [SubscriptionLineInline]


@admin.register(LicenseAssignment)
class LicenseAssignmentAdmin(TenantModelAdmin):
    list_display = ("license_type", "kind", "user", "workspace", "line", "assigned_at")
    list_filter = ("kind", "license_type")
    search_fields = ("user__email", "workspace__name")
    list_select_related = ("user", "workspace", "line__subscription")
    raw_id_fields = ("user", "workspace", "line")


@admin.register(Group)
class GroupAdmin(TenantModelAdmin):
    search_fields = ("name",)


@admin.register(AutoLicenseTemplate)
class AutoLicenseTemplateAdmin(TenantModelAdmin):
    list_display = ("name", "group", "is_active", "keep_licenses_for_existing_users")
    filter_horizontal = ("lines",)
