"""Tenant admin for support staff (on the org host's /admin/). Licenses and users'
deletions follow the same rules as the pages and the API (one place per rule):
license assignments are read-only here, deleting a user goes through
``licensing.services.users.delete_users``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from licensing import catalogue, selectors
from licensing.models import (
    AutoLicenseTemplate,
    Group,
    LicenseAssignment,
    OrgUser,
    Subscription,
    SubscriptionLine,
)
from licensing.services import calling_details
from licensing.services.users import delete_users, set_user_groups, update_user
from licensing.user_fields import EDITABLE_FIELDS, check_user_fields
from partnerhub.admin_base import TenantModelAdmin
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError
from partnerhub.forms import add_domain_error


class ReadOnlyLicensesMixin:
    """Assigning, moving and releasing licenses check capacity and usability in the
    services (pages, API, CSV): never here."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SubscriptionLineInline(ReadOnlyLicensesMixin, admin.TabularInline):
    model = SubscriptionLine
    extra = 0


class LicenseInline(ReadOnlyLicensesMixin, admin.TabularInline):
    model = LicenseAssignment
    fk_name = "user"
    extra = 0
    raw_id_fields = ("line",)
    fields = ("license_type", "kind", "line", "assigned_at")


class OrgUserAdminForm(forms.ModelForm):
    class Meta:
        # A display name may hold a line break: a text input would drop it on save.
        widgets = {"display_name": forms.Textarea(attrs={"rows": 2})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        fields = {n: cleaned[n] for n in EDITABLE_FIELDS if n in self.changed_data and n in cleaned}
        try:
            check_user_fields(self.instance, fields)
        except DomainError as error:
            add_domain_error(self, error, error.details.get("field"))
        return cleaned


@admin.register(OrgUser)
class OrgUserAdmin(TenantModelAdmin):
    """Users are added by the pages, the API, the CSV or directory sync; here support
    staff edit a user's own fields and groups through the same services."""

    list_display = ("email", "first_name", "last_name", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("email", "first_name", "last_name", "display_name")
    filter_horizontal = ("groups",)
    inlines = [LicenseInline]
    form = OrgUserAdminForm
    fields = ("email", *EDITABLE_FIELDS, "groups", "included_licenses", "created_at", "updated_at")
    readonly_fields = ("email", "included_licenses", "created_at", "updated_at")

    @admin.display(description="included basic licenses")
    def included_licenses(self, user: OrgUser) -> str:
        """The basic licenses (SPEC §5): stored on the user, so not in the licenses list."""
        names = [catalogue.license_type(code).name for code in selectors.basic_licenses_of(user)]
        return ", ".join(names) or "none"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: OrgUser, form: Any, change: bool) -> None:
        stored = OrgUser.objects.get(pk=obj.pk)
        fields = {name: getattr(obj, name) for name in EDITABLE_FIELDS if name in form.changed_data}
        for name in fields:  # the service compares with what is stored
            setattr(obj, name, getattr(stored, name))
        update_user(user=obj, actor=Actor.from_request(request), **fields)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:  # the licenses inline is read-only: saves nothing
            self.save_formset(request, form, formset, change=change)
        if "groups" in form.changed_data:
            set_user_groups(
                user=form.instance,
                groups=list(form.cleaned_data["groups"]),
                actor=Actor.from_request(request),
            )

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
            listed += [
                f"{catalogue.license_type(code).name} (included with the org)"
                for code in selectors.basic_licenses_of(user)
            ]
            if hasattr(user, "calling"):
                listed += [f"Calling: {lost}" for lost in calling_details.loss_preview(user)]
        return listed, {"users": len(objs)}, set(), []

    def delete_model(self, request: HttpRequest, obj: OrgUser) -> None:
        delete_users(users=[obj], actor=Actor.from_request(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[OrgUser]) -> None:
        delete_users(users=list(queryset), actor=Actor.from_request(request))


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyLicensesMixin, TenantModelAdmin):
    """Read-only: quantities, suspend and cancel (with its calling guard) go through
    the subscription services (pages, API, provision_customer)."""

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
class AutoLicenseTemplateAdmin(ReadOnlyLicensesMixin, TenantModelAdmin):
    """Read-only: a template's lines are checked by the template services (one
    package, one line per type)."""

    list_display = ("name", "group", "is_active", "keep_licenses_for_existing_users")
    filter_horizontal = ("lines",)
