"""Django admin of Webex Calling, per tenant (SPEC §8): support staff inspect
locations, the number inventory, calling data, snapshots and provisioning failures.
Changes go through the pages and API (one place per rule, audited); deleting a
location here goes through the same service. Never shows a voicemail PIN hash."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from calling.models import (
    CallingProfile,
    CallingSnapshot,
    Location,
    PhoneNumber,
    ProvisioningFailure,
    Workspace,
)
from calling.services import locations
from calling.services.profiles import remove_unlicensed_user_calling
from partnerhub.admin_base import TenantModelAdmin
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError


class ReadOnlyTenantAdmin(TenantModelAdmin):
    """Inspect only. Deleting stays allowed where a deletion elsewhere in the admin
    cascades to these rows (a user, a workspace): the admin refuses such deletions
    when a cascaded model may not be deleted."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceDeleteMixin:
    """Deletions go through a service; when it refuses, its message is shown and
    Django's "deleted successfully" is not."""

    def refuse(self, request: HttpRequest, message: str) -> None:
        request.deletion_refused = True  # type: ignore[attr-defined]
        self.message_user(request, message, messages.ERROR)  # type: ignore[attr-defined]

    def response_delete(self, request: HttpRequest, obj_display: str, obj_id: Any) -> Any:
        if getattr(request, "deletion_refused", False):
            opts = self.model._meta  # type: ignore[attr-defined]
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj_id])
            )
        return super().response_delete(request, obj_display, obj_id)  # type: ignore[misc]


class NoDeleteMixin:
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Location)
class LocationAdmin(ServiceDeleteMixin, ReadOnlyTenantAdmin):
    list_display = ["name", "country", "time_zone", "main_number", "is_default", "created_at"]
    list_filter = ["country", "is_default"]
    search_fields = ["name", "address", "main_number"]

    def delete_model(self, request: HttpRequest, obj: Location) -> None:
        try:
            locations.delete_location(location=obj, actor=Actor.from_request(request))
        except DomainError as error:
            self.refuse(request, error.message)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Location]) -> None:
        for location in queryset:
            self.delete_model(request, location)


class NumberStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("available", "Available"), ("assigned", "Assigned")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        available = Q(profile__isnull=True, service="")
        if self.value() == "available":
            return queryset.filter(available)
        if self.value() == "assigned":
            return queryset.exclude(available)
        return queryset


@admin.register(PhoneNumber)
class PhoneNumberAdmin(NoDeleteMixin, ReadOnlyTenantAdmin):
    list_display = ["e164", "location", "state", "profile", "service"]
    list_filter = [NumberStateFilter, "location"]
    search_fields = ["e164", "profile__user__email", "profile__workspace__name", "service"]
    list_select_related = ["location", "profile__user", "profile__workspace"]

    @admin.display(description="state")
    def state(self, number: PhoneNumber) -> str:
        return "available" if number.is_available else "assigned"


@admin.register(CallingProfile)
class CallingProfileAdmin(ServiceDeleteMixin, ReadOnlyTenantAdmin):
    list_display = ["__str__", "location", "extension", "voicemail_enabled", "created_at"]
    list_filter = ["location", "voicemail_enabled"]
    search_fields = ["user__email", "workspace__name", "extension"]
    list_select_related = ["location", "user", "workspace"]
    # The PIN hash is never shown; the PIN is changed on the user's calling page.
    fields = [
        "user",
        "workspace",
        "location",
        "extension",
        "voicemail_enabled",
        "voicemail_pin_set",
        "settings",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description="voicemail PIN set", boolean=True)
    def voicemail_pin_set(self, profile: CallingProfile) -> bool:
        return bool(profile.voicemail_pin_hash)

    def delete_model(self, request: HttpRequest, obj: CallingProfile) -> None:
        """A user's calling goes through the service: refused while its package includes
        calling (the package change removes both); else number released, snapshot kept."""
        if obj.user_id is None:
            self.refuse(request, "Remove a workspace's calling on its workspace page.")
            return
        try:
            remove_unlicensed_user_calling(
                user=obj.user, actor=Actor.from_request(request), reason="admin"
            )
        except DomainError as error:
            self.refuse(request, error.message)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CallingProfile]) -> None:
        for profile in queryset.select_related("user", "location"):
            self.delete_model(request, profile)


@admin.register(CallingSnapshot)
class CallingSnapshotAdmin(NoDeleteMixin, ReadOnlyTenantAdmin):
    list_display = ["holder", "holder_kind", "reason", "created_at", "expires_at", "restored_at"]
    list_filter = ["holder_kind", "reason"]
    search_fields = ["holder"]
    # ``data`` holds the PIN hash: shown without it.
    exclude = ["data"]
    readonly_fields = [
        "user",
        "workspace",
        "holder",
        "holder_kind",
        "calling_data",
        "reason",
        "created_at",
        "expires_at",
        "restored_at",
    ]

    @admin.display(description="calling data")
    def calling_data(self, snapshot: CallingSnapshot) -> dict:
        return {k: v for k, v in (snapshot.data or {}).items() if k != "voicemail_pin_hash"}


@admin.register(ProvisioningFailure)
class ProvisioningFailureAdmin(ReadOnlyTenantAdmin):
    list_display = ["user", "phone_number", "reason", "source", "updated_at"]
    list_filter = ["reason", "source"]
    search_fields = ["user__email", "phone_number"]
    list_select_related = ["user"]
    readonly_fields = ["user", "phone_number", "reason", "source", "updated_at"]


@admin.register(Workspace)
class WorkspaceAdmin(ReadOnlyTenantAdmin):
    """Workspaces (issue #4 item 6): inspected here, changed on the pages; deleting goes
    through the service (calling kept 30 days as a snapshot, license released)."""

    list_display = ["name", "location", "number", "extension", "created_at"]
    list_filter = ["location"]
    search_fields = ["name", "calling__extension", "calling__number__e164"]
    list_select_related = ["location", "calling__number"]
    readonly_fields = ["name", "location", "created_at"]

    @admin.display(description="number")
    def number(self, workspace: Workspace) -> str:
        profile = getattr(workspace, "calling", None)
        number = getattr(profile, "number", None) if profile else None
        return number.e164 if number else "—"

    @admin.display(description="extension")
    def extension(self, workspace: Workspace) -> str:
        profile = getattr(workspace, "calling", None)
        return (profile.extension or "—") if profile else "—"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return TenantModelAdmin.has_delete_permission(self, request, obj)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple:
        """The confirmation page lists the service's preview of what is lost."""
        from calling.workspaces.services import deletion_preview

        listed = [item for workspace in objs for item in deletion_preview(workspace)]
        return listed, {"workspaces": len(objs)}, set(), []

    def delete_model(self, request: HttpRequest, obj: Workspace) -> None:
        from calling.workspaces.services import delete_workspace

        # Django's own confirmation page (listing the calling data) is the preview.
        delete_workspace(workspace=obj, actor=Actor.from_request(request), confirm=True)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Workspace]) -> None:
        for workspace in queryset:
            self.delete_model(request, workspace)
