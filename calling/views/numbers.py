"""The number inventory: search, filter by location and state, add numbers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from calling import selectors
from calling.forms import AddNumbersForm, NumberFilterForm, show_domain_error
from calling.services import numbers
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError
from partnerhub.permissions import Capability
from partnerhub.tenant_access import TenantCapabilityRequiredMixin, request_can


class NumberListView(TenantCapabilityRequiredMixin, ListView):
    template_name = "calling/numbers/list.html"
    context_object_name = "numbers"
    paginate_by = 50

    def get_queryset(self) -> Any:
        self.filters = NumberFilterForm(self.request.GET or None)
        data = self.filters.cleaned_data if self.filters.is_valid() else {}
        location = data.get("location")
        return selectors.number_list(
            search=(data.get("q") or "").strip(),
            location=location.pk if location else None,
            state=data.get("state") or "",
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filters=self.filters,
            can_manage_org=request_can(self.request, Capability.MANAGE_ORG),
            **kwargs,
        )


class AddNumbersView(TenantCapabilityRequiredMixin, View):
    """Add one number, a list, or a range to a location: all of them or none."""

    capability = Capability.MANAGE_ORG

    def get(self, request: HttpRequest) -> HttpResponse:
        location = request.GET.get("location", "")
        initial = {"location": location} if location.isdigit() else {}
        return self._render(request, AddNumbersForm(initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AddNumbersForm(request.POST)
        if form.is_valid():
            location = form.cleaned_data["location"]
            try:
                added = numbers.add_numbers(
                    location=location,
                    numbers=form.numbers_or_range(),
                    actor=Actor.from_request(request),
                )
            except DomainError as error:
                show_domain_error(form, error, field="numbers")
            else:
                messages.success(request, f"{len(added)} number(s) added to {location}.")
                return redirect(f"{reverse('calling-number-list')}?location={location.pk}")
        return self._render(request, form)

    def _render(self, request: HttpRequest, form: AddNumbersForm) -> HttpResponse:
        return render(
            request,
            "licensing/form.html",
            {
                "title": "Add numbers",
                "form": form,
                "submit": "Add numbers",
                "cancel": reverse("calling-number-list"),
            },
        )
