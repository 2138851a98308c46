"""Directory sync upload, the provisioning failure report and a template's *apply to
existing users* (issue #4 items 9–11): thin pages over calling.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import FormView, ListView

from calling.services import directory, provisioning
from licensing.models import AutoLicenseTemplate
from licensing.services import template_apply, templates
from partnerhub.audit.services import Actor
from partnerhub.csvfiles.writing import csv_download, download_name
from partnerhub.errors import DomainError
from partnerhub.forms import add_domain_error
from partnerhub.permissions import Capability
from partnerhub.tenant_access import TenantCapabilityRequiredMixin, request_can


class DirectoryFeedForm(forms.Form):
    file = forms.FileField(
        label="Directory export (.csv or .json)",
        help_text="Columns email, first name, last name, work phone (CSV), or a JSON list of "
        '{"email", "first_name", "last_name", "work_phone"}.',
    )


class DirectorySyncView(TenantCapabilityRequiredMixin, FormView):
    write_capability = Capability.MANAGE_USERS
    form_class = DirectoryFeedForm
    template_name = "calling/provisioning/directory_sync.html"

    def form_valid(self, form: DirectoryFeedForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            directory.check_feed_size(upload.name, upload.size)
            job = directory.start_directory_sync(
                actor=Actor.from_request(self.request), file_name=upload.name, content=upload.read()
            )
        except DomainError as error:
            add_domain_error(form, error, "file")
            return self.form_invalid(form)
        return redirect("job-detail", pk=job.pk)


class FailureReportView(TenantCapabilityRequiredMixin, ListView):
    template_name = "calling/provisioning/failures.html"
    context_object_name = "failures"
    paginate_by = 100

    def get_queryset(self) -> Any:
        return provisioning.failure_report()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            can_manage_org=request_can(self.request, Capability.MANAGE_ORG),
            templates=AutoLicenseTemplate.objects.filter(is_active=True).order_by("name"),
            **kwargs,
        )


class FailureReportCsvView(TenantCapabilityRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return csv_download(
            provisioning.failure_report_csv(), filename=download_name("provisioning-failures")
        )


class TemplateApplyView(TenantCapabilityRequiredMixin, View):
    """Preview (who is covered, who would lose calling), then start the task."""

    capability = Capability.MANAGE_ORG

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, get_object_or_404(AutoLicenseTemplate, pk=pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = get_object_or_404(AutoLicenseTemplate, pk=pk)
        try:
            job = template_apply.start_template_apply(
                template=template,
                actor=Actor.from_request(request),
                confirmation=request.POST.get("confirmation", ""),
            )
        except DomainError as error:
            return self._render(request, template, error=error, status=409)
        return redirect("job-detail", pk=job.pk)

    def _render(
        self, request: HttpRequest, template: AutoLicenseTemplate, *, error: Any = None,
        status: int = 200,
    ) -> HttpResponse:  # fmt: skip
        return render(
            request,
            "calling/provisioning/template_apply.html",
            {
                "template": template,
                "covered": len(templates.users_covered_by(template)),
                "losing": template_apply.calling_loss_by_template(template),
                "error": error,
            },
            status=status,
        )
