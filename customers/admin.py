"""Support staff's admin of customer orgs (public side)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.utils.html import format_html

from customers.models import (
    Customer,
    CustomerAssignment,
    CustomerMembership,
    CustomerSummary,
    CustomerUsage,
    Domain,
    LaunchTicket,
)
from customers.services import customer_host
from partnerhub.admin_base import PublicModelAdmin


class ReadOnlyPublicAdmin(PublicModelAdmin):
    def has_add_permission(self, request, *args):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


class UsageInline(admin.TabularInline):
    model = CustomerUsage
    extra = 0
    can_delete = False
    readonly_fields = ("service", "used", "bought")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Customer)
class CustomerAdmin(PublicModelAdmin):
    list_display = ("name", "slug", "partner", "status", "created_at", "tenant_admin")
    list_filter = ("status", "partner")
    search_fields = ("name", "slug", "admin_email", "schema_name")
    readonly_fields = ("schema_name", "created_at", "tenant_admin")
    inlines = [DomainInline, UsageInline]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return (
            super()
            .get_queryset(request)
            .exclude(schema_name__in=["public", settings.TENANT_BASE_SCHEMA])
            .select_related("partner")
        )

    @admin.display(description="Org admin")
    def tenant_admin(self, customer: Customer) -> str:
        port = f":{settings.PARTNERHUB_LINK_PORT}" if settings.PARTNERHUB_LINK_PORT else ""
        url = f"{settings.PARTNERHUB_LINK_SCHEME}://{customer_host(customer)}{port}/admin/"
        return format_html('<a href="{}">open the org\'s admin</a>', url)


@admin.register(Domain)
class DomainAdmin(PublicModelAdmin):
    list_display = ("domain", "tenant", "is_primary")
    search_fields = ("domain",)


@admin.register(CustomerMembership)
class CustomerMembershipAdmin(PublicModelAdmin):
    list_display = ("account", "customer", "role")
    list_filter = ("role",)
    search_fields = ("account__email", "customer__name")
    autocomplete_fields = ("account", "customer")


@admin.register(CustomerAssignment)
class CustomerAssignmentAdmin(PublicModelAdmin):
    list_display = ("membership", "customer")
    search_fields = ("membership__account__email", "customer__name")


@admin.register(CustomerSummary)
class CustomerSummaryAdmin(ReadOnlyPublicAdmin):
    list_display = ("customer", "user_count", "updated_at")


@admin.register(LaunchTicket)
class LaunchTicketAdmin(ReadOnlyPublicAdmin):
    list_display = ("account", "customer", "created_at", "used_at")
    search_fields = ("account__email", "customer__name")
