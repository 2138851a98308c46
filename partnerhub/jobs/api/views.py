"""API of the org's tasks (jobs of every app): the same services as the pages."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partnerhub.audit.services import Actor
from partnerhub.csvfiles.writing import csv_download, download_name
from partnerhub.jobs.cancelling import cancel_job, capability_to_cancel
from partnerhub.jobs.models import OrgJob
from partnerhub.jobs.reaper import reap_stale_jobs
from partnerhub.permissions import Capability
from partnerhub.tenant_access import HasTenantCapability


class JobOutput(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    kind_label = serializers.CharField(read_only=True)

    class Meta:
        model = OrgJob
        fields = [
            "id", "kind", "kind_label", "status", "file_name", "params", "rows_total", "rows_done", "percent",
            "counts", "messages", "failure", "created_at", "finished_at",
        ]  # fmt: skip


class JobListApi(generics.ListAPIView):
    permission_classes = [HasTenantCapability]
    serializer_class = JobOutput
    filter_backends: list = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if not getattr(self, "swagger_fake_view", False):  # not while the schema is built
            reap_stale_jobs()
        return OrgJob.objects.defer("content", "error_report")


class JobDetailApi(generics.RetrieveAPIView):
    permission_classes = [HasTenantCapability]
    serializer_class = JobOutput

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if not getattr(self, "swagger_fake_view", False):  # not while the schema is built
            reap_stale_jobs()
        return OrgJob.objects.defer("content", "error_report")


class JobErrorReportApi(APIView):
    permission_classes = [HasTenantCapability]

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request, pk: int) -> HttpResponse:
        job = get_object_or_404(OrgJob.objects.exclude(error_report=""), pk=pk)
        return csv_download(job.error_report, filename=download_name(f"task-{job.pk}-errors"))


class JobCancelApi(APIView):
    """``POST /api/tasks/<id>/cancel/``: cancel a queued task (``jobs.cancelling``, the
    page's service); 409 ``task_not_cancellable`` once a worker claimed it or it ended.
    Needs the capability that starts the task's kind."""

    permission_classes = [HasTenantCapability]

    @property
    def write_capability(self) -> Capability:
        return capability_to_cancel(self.kwargs["pk"])

    @extend_schema(request=None, responses=JobOutput)
    def post(self, request: Request, pk: int) -> Response:
        job = cancel_job(job_id=pk, actor=Actor.from_request(request))
        return Response(JobOutput(job).data)
