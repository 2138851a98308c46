"""Org API of workspaces (issue #4 item 6): thin — parse, call the workspace services,
serialize. Writes need ``MANAGE_ORG`` like the rest of the calling API."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from calling import errors
from calling.api.serializers import LocationOut
from calling.models import Location, Workspace
from calling.workspaces import services as service
from calling.workspaces.csv.exports import export_workspaces_csv
from calling.workspaces.csv.jobs import start_workspace_import
from calling.workspaces.selectors import workspace_list
from licensing import catalogue
from licensing.api.csv import UploadInput
from licensing.models import SubscriptionLine
from partnerhub.audit.services import Actor
from partnerhub.csvfiles.writing import csv_download, download_name
from partnerhub.jobs.api.views import JobOutput
from partnerhub.permissions import Capability
from partnerhub.tenant_access import HasTenantCapability


def _lines():  # type: ignore[no-untyped-def]
    return SubscriptionLine.objects.filter(license_type=catalogue.WORKSPACE_CALLING)


class WorkspaceOut(serializers.ModelSerializer):
    location = LocationOut(read_only=True)
    extension = serializers.SerializerMethodField()
    number = serializers.SerializerMethodField()
    subscription = serializers.SerializerMethodField()
    line = serializers.SerializerMethodField()

    class Meta:
        model = Workspace
        fields = ["id", "name", "location", "extension", "number", "subscription", "line"]

    def _profile(self, workspace: Workspace):  # type: ignore[no-untyped-def]
        return getattr(workspace, "calling", None)

    def _license(self, workspace: Workspace):  # type: ignore[no-untyped-def]
        held = getattr(workspace, "calling_licenses", None)  # prefetched by workspace_list
        if held is None:
            return service.calling_license(workspace)
        return held[0] if held else None

    def get_extension(self, workspace: Workspace) -> str | None:
        profile = self._profile(workspace)
        return (profile.extension or None) if profile else None

    def get_number(self, workspace: Workspace) -> str | None:
        profile = self._profile(workspace)
        number = getattr(profile, "number", None) if profile else None
        return number.e164 if number else None

    def get_subscription(self, workspace: Workspace) -> str | None:
        assignment = self._license(workspace)
        return assignment.line.subscription.external_id if assignment else None

    def get_line(self, workspace: Workspace) -> int | None:
        assignment = self._license(workspace)
        return assignment.line_id if assignment else None


class WorkspaceIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all())
    line = serializers.PrimaryKeyRelatedField(
        queryset=_lines(), required=False, allow_null=True, default=None,
        help_text="Workspace Calling line of a subscription; empty: no calling.",
    )  # fmt: skip
    extension = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)
    number = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)


class WorkspaceEditIn(serializers.Serializer):
    """Fields left out stay as they are; an empty extension or number removes it."""

    name = serializers.CharField(max_length=120, required=False)
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False)
    extension = serializers.CharField(max_length=32, required=False, allow_blank=True)
    number = serializers.CharField(max_length=32, required=False, allow_blank=True)


class WorkspaceLicenseIn(serializers.Serializer):
    line = serializers.PrimaryKeyRelatedField(
        queryset=_lines(), allow_null=True,
        help_text="Another subscription's line: a move (calling data kept). null: remove calling.",
    )  # fmt: skip
    extension = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)
    number = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)
    confirm_calling_loss = serializers.BooleanField(required=False, default=False)


class WorkspaceRestoreIn(serializers.Serializer):
    line = serializers.PrimaryKeyRelatedField(
        queryset=_lines(), help_text="The Workspace Calling line the license comes from."
    )


class WorkspaceRestoreOut(serializers.Serializer):
    workspace = WorkspaceOut(source="profile.workspace")
    restored = serializers.ListField(child=serializers.CharField())
    not_restored = serializers.ListField(child=serializers.CharField())


class WorkspaceAPIView(APIView):
    permission_classes = [HasTenantCapability]
    write_capability = Capability.MANAGE_ORG


def _valid(serializer_class: type, request: Request, *, partial: bool = False) -> dict:
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _workspace(pk: int) -> Workspace:
    return get_object_or_404(workspace_list(), pk=pk)


class WorkspaceListAPI(WorkspaceAPIView, GenericAPIView):
    """GET: workspaces (``search``, ``location`` id, ``page``). POST: create one."""

    serializer_class = WorkspaceOut
    filter_backends: list = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        params = self.request.query_params
        location = params.get("location", "")
        if location and not location.isdigit():
            raise errors.DomainError("'location' must be a location id.", field="location")
        return workspace_list(
            search=params.get("search", "").strip(),
            location_id=int(location) if location else None,
        )

    @extend_schema(
        operation_id="calling_workspaces_list",
        parameters=[
            OpenApiParameter("search", OpenApiTypes.STR, description="Name, number or extension"),
            OpenApiParameter("location", OpenApiTypes.INT, description="Location id"),
        ],
        responses=WorkspaceOut(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(WorkspaceOut(page, many=True).data)

    @extend_schema(request=WorkspaceIn, responses={201: WorkspaceOut})
    def post(self, request: Request) -> Response:
        data = _valid(WorkspaceIn, request)
        workspace = service.create_workspace(actor=Actor.from_request(request), **data)
        return Response(WorkspaceOut(_workspace(workspace.pk)).data, status=status.HTTP_201_CREATED)


class WorkspaceDetailAPI(WorkspaceAPIView):
    """GET, PATCH (rename, location, number, extension), DELETE (``?confirm=true``; without
    it the answer lists what would be lost)."""

    @extend_schema(responses=WorkspaceOut)
    def get(self, request: Request, pk: int) -> Response:
        return Response(WorkspaceOut(_workspace(pk)).data)

    @extend_schema(request=WorkspaceEditIn, responses=WorkspaceOut)
    def patch(self, request: Request, pk: int) -> Response:
        workspace = _workspace(pk)
        data = _valid(WorkspaceEditIn, request, partial=True)
        service.update_workspace(workspace=workspace, actor=Actor.from_request(request), **data)
        return Response(WorkspaceOut(_workspace(pk)).data)

    @extend_schema(
        parameters=[OpenApiParameter("confirm", OpenApiTypes.BOOL, required=True)],
        responses={204: None},
    )
    def delete(self, request: Request, pk: int) -> Response:
        workspace = _workspace(pk)
        service.delete_workspace(
            workspace=workspace,
            actor=Actor.from_request(request),
            confirm=request.query_params.get("confirm", "").lower() == "true",
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class WorkspaceLicenseAPI(WorkspaceAPIView):
    """PUT: edit licenses — the subscription the Workspace Calling license comes from.
    Another subscription moves it (number, extension, voicemail, settings stay); null
    removes calling (needs ``confirm_calling_loss``); from none it gives calling
    (extension and/or number needed)."""

    @extend_schema(request=WorkspaceLicenseIn, responses=WorkspaceOut)
    def put(self, request: Request, pk: int) -> Response:
        workspace = _workspace(pk)
        data = _valid(WorkspaceLicenseIn, request)
        service.set_workspace_license(
            workspace=workspace, actor=Actor.from_request(request), **data
        )
        return Response(WorkspaceOut(_workspace(pk)).data)


class WorkspaceRestoreAPI(WorkspaceAPIView):
    """POST: restore the calling data removed in the last 30 days (license from
    ``line``); the answer lists what came back and what could not."""

    @extend_schema(request=WorkspaceRestoreIn, responses=WorkspaceRestoreOut)
    def post(self, request: Request, pk: int) -> Response:
        workspace = _workspace(pk)
        data = _valid(WorkspaceRestoreIn, request)
        result = service.restore_workspace_calling(
            workspace=workspace, line=data["line"], actor=Actor.from_request(request)
        )
        result.profile.workspace = _workspace(pk)
        return Response(WorkspaceRestoreOut(result).data)


class WorkspaceCsvAPI(WorkspaceAPIView):
    """GET: the workspaces CSV. POST (multipart ``file``, ``mode``, ``dry_run``,
    ``confirm_calling_loss``; files over 10 MB refused with 400): start an import task;
    409 while another CSV task of the org runs. Rows that remove a workspace's calling
    are errors unless ``confirm_calling_loss``."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="calling_workspaces_csv_export",
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request: Request) -> HttpResponse:
        return csv_download(export_workspaces_csv(), filename=download_name("workspaces"))

    @extend_schema(request=UploadInput, responses={202: JobOutput})
    def post(self, request: Request) -> Response:
        data = _valid(UploadInput, request)
        upload = data["file"]
        job = start_workspace_import(
            actor=Actor.from_request(request), file_name=upload.name, content=upload.read(),
            mode=data["mode"], dry_run=data["dry_run"],
            confirm_calling_loss=data["confirm_calling_loss"],
        )  # fmt: skip
        return Response(JobOutput(job).data, status=status.HTTP_202_ACCEPTED)
