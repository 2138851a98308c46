"""Auto-license templates, org-level and per group (SPEC §5)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from licensing import selectors
from licensing.forms import GroupForm, TemplateForm
from licensing.models import AutoLicenseTemplate, Group
from licensing.services import groups as group_services
from licensing.services import templates as services
from licensing.views.common import capabilities
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError
from partnerhub.forms import add_domain_error
from partnerhub.permissions import Capability
from partnerhub.tenant_access import TenantCapabilityRequiredMixin


class TemplateListView(TenantCapabilityRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "licensing/templates/list.html",
            {"templates": selectors.template_list(), **capabilities(request)},
        )


def _form_page(request: HttpRequest, form: TemplateForm, title: str) -> HttpResponse:
    return render(
        request,
        "licensing/form.html",
        {"title": title, "form": form, "submit": "Save", "cancel": reverse("template-list")},
    )


class TemplateCreateView(TenantCapabilityRequiredMixin, View):
    capability = Capability.MANAGE_ORG

    def get(self, request: HttpRequest) -> HttpResponse:
        return _form_page(request, TemplateForm(), "New auto-license template")

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                services.create_template(**form.cleaned_data, actor=Actor.from_request(request))
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "The template was created.")
                return redirect("template-list")
        return _form_page(request, form, "New auto-license template")


class TemplateEditView(TenantCapabilityRequiredMixin, View):
    capability = Capability.MANAGE_ORG

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = get_object_or_404(AutoLicenseTemplate, pk=pk)
        initial = {
            "name": template.name,
            "group": template.group,
            "lines": list(template.lines.all()),
            "is_active": template.is_active,
            "keep_licenses_for_existing_users": template.keep_licenses_for_existing_users,
        }
        form = TemplateForm(initial=initial)
        form.fields["group"].disabled = True
        return _form_page(request, form, f"Edit {template}")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = get_object_or_404(AutoLicenseTemplate, pk=pk)
        form = TemplateForm(request.POST, initial={"group": template.group})
        form.fields["group"].disabled = True
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "group"}
            try:
                services.update_template(
                    template=template, **data, actor=Actor.from_request(request)
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"{template} was saved.")
                return redirect("template-list")
        return _form_page(request, form, f"Edit {template}")


class TemplateDeleteView(TenantCapabilityRequiredMixin, View):
    capability = Capability.MANAGE_ORG

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = get_object_or_404(AutoLicenseTemplate, pk=pk)
        return render(
            request,
            "licensing/confirm.html",
            {
                "title": f"Delete the template {template}?",
                "lines": ["Users who already got its licenses keep them."],
                "submit": "Delete template",
                "danger": True,
                "cancel": reverse("template-list"),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = get_object_or_404(AutoLicenseTemplate, pk=pk)
        services.delete_template(template=template, actor=Actor.from_request(request))
        messages.success(request, "The template was deleted.")
        return redirect("template-list")


class GroupListView(TenantCapabilityRequiredMixin, View):
    """Groups (with their user counts); full admins add and delete them."""

    write_capability = Capability.MANAGE_ORG

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, GroupForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = GroupForm(request.POST)
        if form.is_valid():
            try:
                group_services.create_group(
                    name=form.cleaned_data["name"], actor=Actor.from_request(request)
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "The group was created.")
                return redirect("group-list")
        return self._render(request, form)

    def _render(self, request: HttpRequest, form: GroupForm) -> HttpResponse:
        return render(
            request,
            "licensing/templates/groups.html",
            {"groups": selectors.group_list(), "form": form, **capabilities(request)},
        )


class GroupDeleteView(TenantCapabilityRequiredMixin, View):
    capability = Capability.MANAGE_ORG

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        group = get_object_or_404(Group, pk=pk)
        group_services.delete_group(group=group, actor=Actor.from_request(request))
        messages.success(request, f"The group {group.name} was deleted.")
        return redirect("group-list")
