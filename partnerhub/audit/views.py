from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.views import View
from django.views.generic import ListView

from partnerhub.audit.models import AuditEntry
from partnerhub.csvfiles.writing import csv_download, csv_text, download_name
from partnerhub.tenant_access import TenantCapabilityRequiredMixin


class AuditLogView(TenantCapabilityRequiredMixin, ListView):
    """The org's audit log (SPEC §8), newest first."""

    model = AuditEntry
    paginate_by = 50
    template_name = "audit/log.html"
    context_object_name = "entries"


AUDIT_CSV_HEADERS = [
    "When (UTC)", "Who", "As partner", "Action", "Target type", "Target id", "Target",
    "Before", "After",
]  # fmt: skip


def _json(value: object) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


class AuditLogExportView(TenantCapabilityRequiredMixin, View):
    """The org's whole audit log as CSV (the one writer: spreadsheet-safe, since
    targets and values come from users and files), newest first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = (
            [
                entry.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                entry.actor_email or "system",
                entry.acting_as_partner,
                entry.action,
                entry.target_type,
                entry.target_id,
                entry.target_repr,
                _json(entry.before),
                _json(entry.after),
            ]  # fmt: skip
            for entry in AuditEntry.objects.iterator(chunk_size=2000)
        )
        return csv_download(
            csv_text(headers=AUDIT_CSV_HEADERS, rows=rows), filename=download_name("audit-log")
        )
