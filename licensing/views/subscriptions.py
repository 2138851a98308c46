"""Subscriptions with their usage drawn as meters; quantities and status (SPEC §5)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from customers.charts import usage_chart
from customers.selectors import line_history
from licensing import selectors
from licensing.forms import SubscriptionForm
from licensing.services import subscriptions as services
from licensing.views.common import capabilities
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError
from partnerhub.forms import add_domain_error
from partnerhub.permissions import Capability
from partnerhub.tenant_access import TenantCapabilityRequiredMixin

STATUS_ACTIONS = {
    "suspend": services.suspend_subscription,
    "reactivate": services.reactivate_subscription,
    "cancel": services.cancel_subscription,
}


class SubscriptionListView(TenantCapabilityRequiredMixin, View):
    """The org's subscriptions with today's meters and the usage chart of the last 90
    days — the partner's chart, read from the public usage history (no tenant scan)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "subscriptions": selectors.subscriptions_with_usage(),
            "chart": usage_chart(line_history(request.tenant)),
            **capabilities(request),
        }
        return render(request, "licensing/subscriptions/list.html", context)


class SubscriptionEditView(TenantCapabilityRequiredMixin, View):
    capability = Capability.MANAGE_SUBSCRIPTIONS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        subscription = get_object_or_404(selectors.subscriptions_with_usage(), pk=pk)
        return self._render(request, subscription, SubscriptionForm(subscription=subscription))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        subscription = get_object_or_404(selectors.subscriptions_with_usage(), pk=pk)
        form = SubscriptionForm(request.POST, subscription=subscription)
        if form.is_valid():
            try:
                services.update_quantities(
                    subscription=subscription,
                    quantities=form.cleaned_data,
                    actor=Actor.from_request(request),
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"{subscription} was saved.")
                return redirect("subscription-list")
        return self._render(request, subscription, form)

    def _render(self, request: HttpRequest, subscription, form) -> HttpResponse:  # type: ignore[no-untyped-def]
        return render(
            request,
            "licensing/form.html",
            {
                "title": f"Quantities of {subscription}",
                "form": form,
                "submit": "Save",
                "cancel": reverse("subscription-list"),
            },
        )


class SubscriptionStatusView(TenantCapabilityRequiredMixin, View):
    """POST only: suspend, reactivate or cancel."""

    capability = Capability.MANAGE_SUBSCRIPTIONS

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        subscription = get_object_or_404(selectors.subscriptions_with_usage(), pk=pk)
        change = STATUS_ACTIONS.get(action)
        if change is None:
            return redirect("subscription-list")
        kwargs = {}
        if action == "cancel":
            kwargs["confirmation"] = request.POST.get("confirmation", "")
        try:
            change(subscription=subscription, actor=Actor.from_request(request), **kwargs)
        except DomainError as error:
            if error.code == "subscription_carries_calling":
                return render(
                    request,
                    "licensing/subscriptions/cancel_confirm.html",
                    {
                        "subscription": subscription,
                        "error": error,
                        "holders": error.details.get("holders", []),
                        "typed": kwargs.get("confirmation", ""),
                    },
                    status=409,
                )
            messages.error(request, error.message)
        else:
            messages.success(request, f"{subscription}: {action} done.")
        return redirect("subscription-list")
