"""Tasks page, task page and error report of an org (jobs of every app)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, View

from partnerhub.csvfiles.writing import csv_download, download_name
from partnerhub.jobs import registry
from partnerhub.jobs.models import OrgJob
from partnerhub.jobs.reaper import reap_stale_jobs
from partnerhub.tenant_access import TenantCapabilityRequiredMixin


class JobListView(TenantCapabilityRequiredMixin, ListView):
    template_name = "jobs/list.html"
    context_object_name = "jobs"
    paginate_by = 50

    def get_queryset(self):  # type: ignore[no-untyped-def]
        reap_stale_jobs()
        return OrgJob.objects.defer("content", "error_report")

    def get_context_data(self, **kwargs):  # type: ignore[no-untyped-def]
        # Tasks the apps keep in their own tables (contact-center syncs, agent template).
        return super().get_context_data(other_tasks=registry.other_tasks(), **kwargs)


class JobDetailView(TenantCapabilityRequiredMixin, DetailView):
    template_name = "jobs/detail.html"
    context_object_name = "job"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        reap_stale_jobs()
        return OrgJob.objects.defer("content")


class JobErrorReportView(TenantCapabilityRequiredMixin, View):
    def get(self, request, pk: int):  # type: ignore[no-untyped-def]
        job = get_object_or_404(OrgJob, pk=pk)
        if not job.error_report:
            raise Http404("This task has no error report.")
        return csv_download(job.error_report, filename=download_name(f"task-{job.pk}-errors"))
