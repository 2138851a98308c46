"""Tasks page, task page and error report of an org (jobs of every app)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView, View

from partnerhub.audit.services import Actor
from partnerhub.csvfiles.writing import csv_download, download_name
from partnerhub.errors import DomainError, NotFound
from partnerhub.jobs import registry
from partnerhub.jobs.cancelling import cancel_job, capability_to_cancel
from partnerhub.jobs.models import OrgJob
from partnerhub.jobs.reaper import reap_stale_jobs
from partnerhub.permissions import Capability
from partnerhub.tenant_access import TenantCapabilityRequiredMixin, request_can


def cancellable_kinds(request: HttpRequest) -> set[str]:
    """The job kinds this request's role may start, and so cancel while queued."""
    return {
        job_type.kind.value
        for job_type in registry.job_types()
        if request_can(request, Capability(job_type.capability))
    }


class JobListView(TenantCapabilityRequiredMixin, ListView):
    template_name = "jobs/list.html"
    context_object_name = "jobs"
    paginate_by = 50

    def get_queryset(self):  # type: ignore[no-untyped-def]
        reap_stale_jobs()
        return OrgJob.objects.defer("content", "error_report")

    def get_context_data(self, **kwargs):  # type: ignore[no-untyped-def]
        # Tasks the apps keep in their own tables (contact-center syncs, agent template).
        return super().get_context_data(
            other_tasks=registry.other_tasks(),
            cancellable_kinds=cancellable_kinds(self.request),
            **kwargs,
        )


class JobDetailView(TenantCapabilityRequiredMixin, DetailView):
    template_name = "jobs/detail.html"
    context_object_name = "job"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        reap_stale_jobs()
        return OrgJob.objects.defer("content")

    def get_context_data(self, **kwargs):  # type: ignore[no-untyped-def]
        return super().get_context_data(cancellable_kinds=cancellable_kinds(self.request), **kwargs)


class JobCancelView(TenantCapabilityRequiredMixin, View):
    """POST: cancel a queued task (``jobs.cancelling``); the role must be one that may
    start its kind. Back to the Tasks page with what happened."""

    def required_capability(self, request: HttpRequest) -> Capability:
        return capability_to_cancel(self.kwargs["pk"])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            job = cancel_job(job_id=pk, actor=Actor.from_request(request))
        except NotFound as error:
            raise Http404(error.message) from None
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Task #{job.pk} ({job.label}) was cancelled.")
        return redirect("job-list")


class JobErrorReportView(TenantCapabilityRequiredMixin, View):
    def get(self, request, pk: int):  # type: ignore[no-untyped-def]
        job = get_object_or_404(OrgJob, pk=pk)
        if not job.error_report:
            raise Http404("This task has no error report.")
        return csv_download(job.error_report, filename=download_name(f"task-{job.pk}-errors"))
