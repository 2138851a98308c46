"""Locations: list, create, detail (its numbers and who uses them), edit, make
default, delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from calling import selectors
from calling.forms import LocationForm, show_domain_error
from calling.models import Location
from calling.services import locations
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError
from partnerhub.permissions import Capability
from partnerhub.tenant_access import TenantCapabilityRequiredMixin, request_can


class LocationListView(TenantCapabilityRequiredMixin, ListView):
    template_name = "calling/locations/list.html"
    context_object_name = "locations"

    def get_queryset(self) -> Any:
        return selectors.location_list()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        can_manage = request_can(self.request, Capability.MANAGE_ORG)
        return super().get_context_data(can_manage_org=can_manage, **kwargs)


class LocationCreateView(TenantCapabilityRequiredMixin, View):
    capability = Capability.MANAGE_ORG

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, LocationForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LocationForm(request.POST)
        if form.is_valid():
            try:
                location = locations.create_location(
                    actor=Actor.from_request(request), **form.cleaned_data
                )
            except DomainError as error:
                show_domain_error(form, error, field="main_number")
            else:
                messages.success(request, f"Location {location} was created.")
                return redirect("calling-location-detail", pk=location.pk)
        return self._render(request, form)

    def _render(self, request: HttpRequest, form: LocationForm) -> HttpResponse:
        return render(
            request,
            "licensing/form.html",
            {
                "title": "New location",
                "form": form,
                "submit": "Create location",
                "cancel": reverse("calling-location-list"),
            },
        )


class LocationDetailView(TenantCapabilityRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        location = get_object_or_404(selectors.location_list(), pk=pk)
        context = {
            "location": location,
            "numbers": selectors.number_list(location=location.pk)[:200],
            "profiles": selectors.profiles_in(location),
            "can_manage_org": request_can(request, Capability.MANAGE_ORG),
        }
        return render(request, "calling/locations/detail.html", context)


class LocationDeleteView(TenantCapabilityRequiredMixin, View):
    capability = Capability.MANAGE_ORG

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        location = get_object_or_404(Location, pk=pk)
        return render(
            request,
            "licensing/confirm.html",
            {
                "title": f"Delete location {location}?",
                "lines": [
                    "A location can be deleted only when no user, workspace or number uses it, "
                    "and never the default location."
                ],
                "submit": "Delete location",
                "danger": True,
                "cancel": reverse("calling-location-detail", args=[location.pk]),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        location = get_object_or_404(Location, pk=pk)
        try:
            locations.delete_location(location=location, actor=Actor.from_request(request))
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("calling-location-detail", pk=location.pk)
        messages.success(request, f"Location {location} was deleted.")
        return redirect("calling-location-list")


class LocationEditView(TenantCapabilityRequiredMixin, View):
    capability = Capability.MANAGE_ORG

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        location = get_object_or_404(Location, pk=pk)
        initial = {name: getattr(location, name) for name in locations.EDITABLE}
        return self._render(request, location, LocationForm(initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        location = get_object_or_404(Location, pk=pk)
        form = LocationForm(request.POST)
        if form.is_valid():
            try:
                locations.update_location(
                    location=location, actor=Actor.from_request(request), **form.cleaned_data
                )
            except DomainError as error:
                show_domain_error(form, error, field="name")
            else:
                messages.success(request, "The location was saved.")
                return redirect("calling-location-detail", pk=location.pk)
        return self._render(request, location, form)

    def _render(self, request: HttpRequest, location: Location, form: LocationForm) -> HttpResponse:
        return render(
            request,
            "licensing/form.html",
            {
                "title": f"Edit location {location}",
                "form": form,
                "submit": "Save",
                "cancel": reverse("calling-location-detail", args=[location.pk]),
            },
        )


class LocationDefaultView(TenantCapabilityRequiredMixin, View):
    """POST: make this location the org's default."""

    capability = Capability.MANAGE_ORG

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        location = get_object_or_404(Location, pk=pk)
        locations.make_default(location=location, actor=Actor.from_request(request))
        messages.success(request, f"{location} is now the default location.")
        return redirect("calling-location-detail", pk=location.pk)
