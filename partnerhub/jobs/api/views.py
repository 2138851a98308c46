"""API of the user CSV and the org's tasks: the same services as the pages."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from licensing.csv.errors import CsvFileError
from licensing.csv.exports import export_users_csv
from licensing.csv.reading import check_size
from licensing.csv.validation import ADD, ADD_REMOVE
from partnerhub.audit.services import Actor
from partnerhub.csvfiles.writing import csv_download, download_name
from partnerhub.jobs import services
from partnerhub.jobs.models import OrgJob
from partnerhub.tenant_access import HasTenantCapability


class JobOutput(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = OrgJob
        fields = [
            "id", "kind", "status", "file_name", "params", "rows_total", "rows_done", "percent",
            "counts", "messages", "failure", "created_at", "finished_at",
        ]  # fmt: skip


class UploadInput(serializers.Serializer):
    file = serializers.FileField()
    mode = serializers.ChoiceField(choices=[ADD, ADD_REMOVE], default=ADD)
    dry_run = serializers.BooleanField(default=False)
    confirm_calling_loss = serializers.BooleanField(default=False)

    def validate_file(self, upload):  # type: ignore[no-untyped-def]
        try:
            check_size(upload.size)
        except CsvFileError as error:
            raise serializers.ValidationError(error.message) from error
        return upload


class UserCsvApi(APIView):
    """GET: the users CSV. POST (multipart ``file``, ``mode``, ``dry_run``,
    ``confirm_calling_loss``): start an import task; 409 while another CSV task of the
    org runs. Rows that remove calling data are errors unless ``confirm_calling_loss``."""

    permission_classes = [HasTenantCapability]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request) -> HttpResponse:
        return csv_download(export_users_csv(), filename=download_name("users"))

    @extend_schema(request=UploadInput, responses={202: JobOutput})
    def post(self, request: Request) -> Response:
        data = UploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        job = services.start_user_import(
            actor=Actor.from_request(request), file_name=upload.name, content=upload.read(),
            mode=data.validated_data["mode"], dry_run=data.validated_data["dry_run"],
            confirm_calling_loss=data.validated_data["confirm_calling_loss"],
        )  # fmt: skip
        return Response(JobOutput(job).data, status=status.HTTP_202_ACCEPTED)


class JobListApi(generics.ListAPIView):
    permission_classes = [HasTenantCapability]
    serializer_class = JobOutput
    filter_backends: list = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if not getattr(self, "swagger_fake_view", False):  # not while the schema is built
            services.reap_stale_jobs()
        return OrgJob.objects.defer("content", "error_report")


class JobDetailApi(generics.RetrieveAPIView):
    permission_classes = [HasTenantCapability]
    serializer_class = JobOutput

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if not getattr(self, "swagger_fake_view", False):  # not while the schema is built
            services.reap_stale_jobs()
        return OrgJob.objects.defer("content", "error_report")


class JobErrorReportApi(APIView):
    permission_classes = [HasTenantCapability]

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request, pk: int) -> HttpResponse:
        job = get_object_or_404(OrgJob.objects.exclude(error_report=""), pk=pk)
        return csv_download(job.error_report, filename=download_name(f"task-{job.pk}-errors"))
