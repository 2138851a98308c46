"""API of directory sync, the provisioning failure report and a template's *apply to
existing users* (issue #4 items 9–11): the same services as the pages."""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from calling.models import ProvisioningFailure
from calling.services import directory, provisioning
from licensing.models import AutoLicenseTemplate
from licensing.services import template_apply, templates
from partnerhub.audit.services import Actor
from partnerhub.csvfiles.writing import csv_download, download_name
from partnerhub.jobs.api.views import JobOutput
from partnerhub.permissions import Capability
from partnerhub.tenant_access import HasTenantCapability


class DirectoryUserIn(serializers.Serializer):
    email = serializers.CharField()
    first_name = serializers.CharField(required=False, allow_blank=True, default="")
    last_name = serializers.CharField(required=False, allow_blank=True, default="")
    work_phone = serializers.CharField(required=False, allow_blank=True, default="")


class DirectorySyncAPI(APIView):
    """POST a JSON list of directory users (or a multipart ``file``, .csv or .json):
    the feed is checked now (400 with the reason), then synced as a task of the org
    (202 with the task; 409 while another CSV/sync task of the org runs)."""

    permission_classes = [HasTenantCapability]
    write_capability = Capability.MANAGE_USERS
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(request=DirectoryUserIn(many=True), responses={202: JobOutput})
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file") if hasattr(request, "FILES") else None
        if upload is not None:
            directory.check_feed_size(upload.name, upload.size)
            name, content = upload.name, upload.read()
        else:
            entries = directory.entries_from_json(request.data)
            name = "directory.json"
            content = json.dumps([entry.__dict__ for entry in entries]).encode()
        job = directory.start_directory_sync(
            actor=Actor.from_request(request), file_name=name, content=content
        )
        return Response(JobOutput(job).data, status=status.HTTP_202_ACCEPTED)


class FailureOut(serializers.ModelSerializer):
    email = serializers.CharField(source="user.email")
    user = serializers.IntegerField(source="user_id")
    reason_text = serializers.CharField(source="get_reason_display")

    class Meta:
        model = ProvisioningFailure
        fields = ["user", "email", "phone_number", "reason", "reason_text", "source", "updated_at"]


class FailureReportAPI(APIView):
    permission_classes = [HasTenantCapability]

    @extend_schema(operation_id="calling_provisioning_failures", responses=FailureOut(many=True))
    def get(self, request: Request) -> Response:
        return Response(FailureOut(provisioning.failure_report(), many=True).data)


class FailureReportCsvAPI(APIView):
    permission_classes = [HasTenantCapability]

    @extend_schema(
        operation_id="calling_provisioning_failures_csv",
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request: Request) -> HttpResponse:
        return csv_download(
            provisioning.failure_report_csv(), filename=download_name("provisioning-failures")
        )


class TemplateApplyIn(serializers.Serializer):
    confirmation = serializers.CharField(required=False, allow_blank=True, default="")


class TemplateApplyPreviewOut(serializers.Serializer):
    covered = serializers.IntegerField()
    calling_lost_by = serializers.ListField(child=serializers.CharField())


class TemplateApplyAPI(APIView):
    """GET: preview (users covered, who would lose calling). POST ``{"confirmation"}``:
    run *apply to existing users* as a task (202); the template's name must be typed
    when users would lose calling (400 otherwise)."""

    permission_classes = [HasTenantCapability]
    write_capability = Capability.MANAGE_ORG

    @extend_schema(responses=TemplateApplyPreviewOut)
    def get(self, request: Request, pk: int) -> Response:
        template = get_object_or_404(AutoLicenseTemplate, pk=pk)
        return Response(
            {
                "covered": len(templates.users_covered_by(template)),
                "calling_lost_by": template_apply.calling_loss_by_template(template),
            }
        )

    @extend_schema(request=TemplateApplyIn, responses={202: JobOutput})
    def post(self, request: Request, pk: int) -> Response:
        template = get_object_or_404(AutoLicenseTemplate, pk=pk)
        data = TemplateApplyIn(data=request.data)
        data.is_valid(raise_exception=True)
        job = template_apply.start_template_apply(
            template=template,
            actor=Actor.from_request(request),
            confirmation=data.validated_data["confirmation"],
        )
        return Response(JobOutput(job).data, status=status.HTTP_202_ACCEPTED)
