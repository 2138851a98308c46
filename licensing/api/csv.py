"""API of the users CSV: the same services as the pages."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from licensing.csv.errors import CsvFileError
from licensing.csv.exports import export_users_csv
from licensing.csv.jobs import start_user_import
from licensing.csv.reading import check_size
from licensing.csv.validation import ADD, ADD_REMOVE
from partnerhub.audit.services import Actor
from partnerhub.csvfiles.writing import csv_download, download_name
from partnerhub.jobs.api.views import JobOutput
from partnerhub.tenant_access import HasTenantCapability


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
        job = start_user_import(
            actor=Actor.from_request(request), file_name=upload.name, content=upload.read(),
            mode=data.validated_data["mode"], dry_run=data.validated_data["dry_run"],
            confirm_calling_loss=data.validated_data["confirm_calling_loss"],
        )  # fmt: skip
        return Response(JobOutput(job).data, status=status.HTTP_202_ACCEPTED)
