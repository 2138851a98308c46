"""Partner-side pages: a customer's subscriptions and enabled packages (SPEC §5).

Readable by every partner admin who sees the customer; changed only by its full and
provisioning administrators. Each view parses, calls ``services``, and shows domain
errors in place.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from customers.subscriptions import services
from customers.subscriptions.forms import (
    AddSubscriptionForm,
    ChangeSubscriptionForm,
    EnabledPackagesForm,
    quantities_from,
)
from partnerhub import permissions
from partnerhub.errors import DomainError
from partnerhub.forms import add_domain_error


def _page(request: HttpRequest, customer, add_form=None, packages_form=None, status=200):  # type: ignore[no-untyped-def]
    return render(
        request,
        "customers/subscriptions/list.html",
        {
            "customer": customer,
            "subscriptions": services.subscriptions_of(customer=customer),
            "can_sell": permissions.can_manage_subscriptions(request.user, customer),
            "add_form": add_form or AddSubscriptionForm(),
            "packages_form": packages_form
            or EnabledPackagesForm(initial={"packages": customer.packages}),
        },
        status=status,
    )


@login_required
def subscription_list(request: HttpRequest, customer_id: int) -> HttpResponse:
    """GET: the customer's subscriptions; POST: add one."""
    if request.method != "POST":
        return _page(request, services.customer_for_reading(request.user, customer_id))
    customer = services.customer_for_selling(request.user, customer_id)
    form = AddSubscriptionForm(request.POST)
    if form.is_valid():
        try:
            added = services.add_subscription(
                customer=customer,
                external_id=form.cleaned_data["external_id"].strip(),
                quantities=quantities_from(form),
                end_date=form.cleaned_data["end_date"],
                actor=services.partner_actor(request.user, customer),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{added.external_id} was added to {customer.name}.")
            return redirect("partner-subscriptions", customer_id=customer.pk)
    return _page(request, customer, add_form=form, status=400)


@login_required
def subscription_change(
    request: HttpRequest, customer_id: int, subscription_id: int
) -> HttpResponse:
    """Quantities and end date of one subscription."""
    if request.method == "POST":
        customer = services.customer_for_selling(request.user, customer_id)
    else:
        customer = services.customer_for_reading(request.user, customer_id)
    subscription = services.subscription_of(customer=customer, subscription_id=subscription_id)
    form = ChangeSubscriptionForm(request.POST or None, subscription=subscription)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_subscription(
                customer=customer,
                subscription_id=subscription.id,
                quantities=quantities_from(form),
                end_date=form.cleaned_data["end_date"],
                actor=services.partner_actor(request.user, customer),
            )
        except DomainError as error:
            add_domain_error(form, error, field=None)
        else:
            messages.success(request, f"{subscription.external_id} was saved.")
            return redirect("partner-subscriptions", customer_id=customer.pk)
    return render(
        request,
        "customers/subscriptions/change.html",
        {
            "customer": customer,
            "subscription": subscription,
            "form": form,
            "can_sell": permissions.can_manage_subscriptions(request.user, customer),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def subscription_status(
    request: HttpRequest, customer_id: int, subscription_id: int, action: str
) -> HttpResponse:
    """Suspend, reactivate or cancel (cancel may need the id typed as confirmation)."""
    customer = services.customer_for_selling(request.user, customer_id)
    try:
        changed = services.change_subscription_status(
            customer=customer,
            subscription_id=subscription_id,
            action=action,
            confirmation=request.POST.get("confirmation", "").strip(),
            actor=services.partner_actor(request.user, customer),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{changed.external_id} is now {changed.status_display.lower()}.")
    return redirect("partner-subscriptions", customer_id=customer.pk)


@login_required
@require_POST
def enabled_packages(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = services.customer_for_selling(request.user, customer_id)
    form = EnabledPackagesForm(request.POST)
    if form.is_valid():
        try:
            services.set_enabled_packages(
                customer=customer,
                packages=form.cleaned_data["packages"],
                actor=services.partner_actor(request.user, customer),
            )
        except DomainError as error:
            add_domain_error(form, error, field="packages")
        else:
            messages.success(request, f"The packages of {customer.name} were saved.")
            return redirect("partner-subscriptions", customer_id=customer.pk)
    return _page(request, customer, packages_form=form, status=400)
