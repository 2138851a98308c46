"""Tenant admin for support staff (on the org host's /admin/). Licenses and users'
deletions follow the same rules as the pages and the API (one place per rule):
license assignments are read-only here, deleting a user goes through
``licensing.services.users.delete_users``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from licensing.models import (
    AutoLicenseTemplate,
    Group,
    LicenseAssignment,
    OrgUser,
    Subscription,
    SubscriptionLine,
)
from licensing.services import calling_details
from licensing.services.users import delete_users
from partnerhub.admin_base import TenantModelAdmin
from partnerhub.audit.services import Actor


class ReadOnlyLicensesMixin:
    """Assigning, moving and releasing licenses check capacity and usability in the
    services (pages, API, CSV): never here."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SubscriptionLineInline(admin.TabularInline):
    model = SubscriptionLine
    extra = 0


class LicenseInline(ReadOnlyLicensesMixin, admin.TabularInline):
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

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple:
        """The confirmation page lists what goes with the users: their licenses (back to
        their lines) and their calling data (kept 30 days as a snapshot)."""
        listed: list[str] = []
        for user in objs:
            listed.append(f"User {user.email}")
            listed += [
                f"License {held.line} (back to its subscription)"
                for held in user.licenses.select_related("line__subscription")
            ]
            if hasattr(user, "calling"):
                listed += [f"Calling: {lost}" for lost in calling_details.loss_preview(user)]
        return listed, {"users": len(objs)}, set(), []

    def delete_model(self, request: HttpRequest, obj: OrgUser) -> None:
        delete_users(users=[obj], actor=Actor.from_request(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[OrgUser]) -> None:
        delete_users(users=list(queryset), actor=Actor.from_request(request))


@admin.register(Subscription)
class SubscriptionAdmin(TenantModelAdmin):
    list_display = ("external_id", "status", "start_date", "end_date")
    list_filter = ("status",)
    search_fields = ("external_id",)
    inlines = [SubscriptionLineInline]


@admin.register(LicenseAssignment)
class LicenseAssignmentAdmin(ReadOnlyLicensesMixin, TenantModelAdmin):
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
