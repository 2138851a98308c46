"""API of the org's tasks (jobs of every app): the same services as the pages."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from partnerhub.csvfiles.writing import csv_download, download_name
from partnerhub.jobs.models import OrgJob
from partnerhub.jobs.reaper import reap_stale_jobs
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
