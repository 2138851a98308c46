from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views import View
from django.views.generic import ListView

from partnerhub.audit.models import AuditEntry
from partnerhub.audit.selectors import AuditFilterForm, audit_csv_response, filter_entries
from partnerhub.tenant_access import TenantCapabilityRequiredMixin


def filtered_log(request: HttpRequest, entries: Any) -> tuple[AuditFilterForm, Any]:
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        entries = filter_entries(entries, form.cleaned_data)
    elif form.is_bound:
        entries = entries.none()
    return form, entries


class AuditLogView(TenantCapabilityRequiredMixin, ListView):
    """The org's audit log (SPEC §8), newest first, filtered by the URL."""

    paginate_by = 50
    template_name = "audit/log.html"
    context_object_name = "entries"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        self.filters, entries = filtered_log(self.request, AuditEntry.objects.all())
        return entries

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "filters": self.filters,
                "export_url_name": "org-audit-log-csv"}  # fmt: skip


class AuditLogCsvView(TenantCapabilityRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        _form, entries = filtered_log(request, AuditEntry.objects.all())
        return audit_csv_response(entries, name="audit-log")
