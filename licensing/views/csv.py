"""The users CSV pages: upload (a job of the org, watched on the Tasks page) and
export."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView, View

from licensing.csv.errors import CsvFileError
from licensing.csv.exports import export_users_csv
from licensing.csv.jobs import start_user_import
from licensing.csv.reading import check_size
from licensing.csv.validation import ADD, ADD_REMOVE
from partnerhub.audit.services import Actor
from partnerhub.csvfiles.writing import csv_download, download_name
from partnerhub.errors import DomainError
from partnerhub.forms import add_domain_error
from partnerhub.permissions import Capability
from partnerhub.tenant_access import TenantCapabilityRequiredMixin


class UploadForm(forms.Form):
    file = forms.FileField(label="Users CSV")
    mode = forms.ChoiceField(
        choices=[(ADD, "Add services only"), (ADD_REMOVE, "Add and remove services")], initial=ADD
    )
    dry_run = forms.BooleanField(required=False, label="Validate only (dry run)")
    confirm_calling_loss = forms.BooleanField(
        required=False,
        label="Confirm calling loss: users this file takes calling from lose their number, "
        "extension, voicemail and call settings (kept 30 days to restore)",
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except CsvFileError as error:
            raise forms.ValidationError(error.message) from error
        return upload


class UserCsvUploadView(TenantCapabilityRequiredMixin, FormView):
    write_capability = Capability.MANAGE_USERS
    form_class = UploadForm
    template_name = "jobs/upload.html"

    def form_valid(self, form: UploadForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            job = start_user_import(
                actor=Actor.from_request(self.request), file_name=upload.name,
                content=upload.read(), mode=form.cleaned_data["mode"],
                dry_run=form.cleaned_data["dry_run"],
                confirm_calling_loss=form.cleaned_data["confirm_calling_loss"],
            )  # fmt: skip
        except DomainError as error:
            add_domain_error(form, error, "file")
            return self.form_invalid(form)
        return redirect("job-detail", pk=job.pk)


class UserCsvExportView(TenantCapabilityRequiredMixin, View):
    def get(self, request):  # type: ignore[no-untyped-def]
        return csv_download(export_users_csv(), filename=download_name("users"))
