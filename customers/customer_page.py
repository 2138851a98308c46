"""The partner's page of one customer (no launch needed) and the alert lists
(SPEC §2 "Customer page on the partner side", issue #11)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from customers import charts, selectors
from customers.models import CustomerStatus, CustomerUsage, LineUsageDay
from customers.services import STATUS_ACTIONS, change_customer_status
from partnerhub import permissions
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError

SUBSCRIPTION_ENDING_WITHIN = dt.timedelta(days=30)


@login_required
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = permissions.get_visible_customer(request.user, pk=customer_id)
    lines = selectors.current_lines(customer)
    histories = selectors.line_history(customer)
    role = permissions.partner_role_for(request.user, customer)
    return render(
        request,
        "customers/customer_detail.html",
        {
            "customer": customer,
            "flags": selectors.customer_flags(customer),
            "flag_labels": selectors.FLAG_LABELS,
            "packages": [selectors.service_name(code) for code in customer.packages],
            "lines": [(line, selectors.service_name(line.license_type)) for line in lines],
            "chart": charts.usage_chart(histories),
            "admins": selectors.customer_admins(customer),
            "audit": selectors.customer_audit(customer),
            "can_manage": role in permissions.MANAGING_PARTNER_ROLES,
            "can_sell": permissions.can_manage_subscriptions(request.user, customer),
            "can_launch": customer.status not in (CustomerStatus.SUSPENDED, CustomerStatus.EXPIRED),
            "user_count": getattr(getattr(customer, "summary", None), "user_count", 0),
        },
    )


@login_required
@require_POST
def customer_status(request: HttpRequest, customer_id: int, action: str) -> HttpResponse:
    customer = permissions.get_visible_customer(request.user, pk=customer_id)
    if action not in STATUS_ACTIONS:
        return redirect("customer-detail", customer_id=customer.pk)
    if not permissions.can_manage_customer(request.user, customer):
        raise PermissionDenied(
            "Your partner role is read-only administrator: you may see this customer "
            "and launch its view read-only, but not suspend or reactivate it. Ask a full "
            "or provisioning administrator of your partner."
        )
    try:
        customer = change_customer_status(
            customer=customer, action=action, actor=Actor.from_request(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"{customer.name} is now {customer.get_status_display().lower()}."
        )
    return redirect("customer-detail", customer_id=customer.pk)


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    """Customers over their licenses, trials ending in 14 days, subscriptions ending
    in 30 days — within the customers the account sees (public tables only)."""
    visible = permissions.visible_customers(request.user)
    today = timezone.localdate()
    over = (
        CustomerUsage.objects.filter(customer__in=visible, used__gt=F("bought"))
        .select_related("customer")
        .order_by("customer__name", "service")
    )
    trials = visible.filter(selectors.badge_filter("trial_ending")).order_by("expires_on", "name")
    latest = LineUsageDay.objects.filter(customer=OuterRef("customer")).order_by("-day")
    ending = (
        LineUsageDay.objects.filter(
            customer__in=visible,
            day=Subquery(latest.values("day")[:1]),
            subscription_status="active",
            subscription_ends__isnull=False,
            subscription_ends__lte=today + SUBSCRIPTION_ENDING_WITHIN,
        )
        .select_related("customer")
        .order_by("subscription_ends", "customer__name", "subscription")
        .distinct("subscription_ends", "customer__name", "subscription")
    )
    return render(
        request,
        "customers/alerts.html",
        {
            "over": [(row, selectors.service_name(row.service)) for row in over],
            "trials": trials,
            "ending": ending,
        },
    )
