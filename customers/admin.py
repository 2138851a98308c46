"""Support staff's admin of customer orgs (public side)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from customers import support_launch
from customers.launch import second_factor_of
from customers.models import (
    Customer,
    CustomerAssignment,
    CustomerMembership,
    CustomerSummary,
    CustomerUsage,
    Domain,
    LaunchTicket,
)
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
        url = reverse("admin:customers_customer_open_org_admin", args=[customer.pk])
        return format_html(
            '<a href="{}">Open org admin<span class="visually-hidden"> of {}</span></a>',
            url,
            customer.name,
        )

    def get_urls(self) -> list:
        own = [
            path(
                "<int:customer_id>/open-org-admin/",
                self.admin_site.admin_view(self.open_org_admin),
                name="customers_customer_open_org_admin",
            )
        ]
        return own + super().get_urls()

    def open_org_admin(self, request: HttpRequest, customer_id: int) -> HttpResponse:
        """GET: what opening the org's admin does; POST: the one-time hand-off
        (``customers.support_launch``) to the org host."""
        customer = get_object_or_404(self.get_queryset(request), pk=customer_id)
        if request.method == "POST":
            url = support_launch.issue_org_admin_ticket(
                account=request.user,
                customer_id=customer.pk,
                otp_device=second_factor_of(request),
            )
            return HttpResponseRedirect(url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Open the org admin of {customer.name}",
            "customer": customer,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/customers/customer/open_org_admin.html", context)


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
