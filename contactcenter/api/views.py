"""Contact-center API of an org (SPEC §7, §8): parse, call a service, serialize."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from contactcenter import selectors, services
from contactcenter.api.serializers import (
    AgentOutput,
    AgentTemplateUploadInput,
    AgentTemplateUploadOutput,
    ContactCenterInput,
    SyncRunOutput,
    UserContactCenterOutput,
)
from contactcenter.models import SyncStatus
from contactcenter.services.agent_template import export_agent_template, upload_agent_template
from licensing.models import OrgUser
from partnerhub.audit.services import Actor
from partnerhub.csvfiles.writing import csv_download, download_name
from partnerhub.permissions import Capability
from partnerhub.tenant_access import HasTenantCapability


class _OrgAPIView:
    permission_classes = [HasTenantCapability]
    write_capability = Capability.MANAGE_USERS


class AgentListAPI(_OrgAPIView, generics.ListAPIView):
    """Contact-center users; filter ``sync_status`` (synced/pending/invalid),
    ``license_type``; ``search`` by e-mail."""

    serializer_class = AgentOutput

    def get_queryset(self) -> Any:
        params = self.request.query_params
        sync_status = params.get("sync_status", "")
        return selectors.agent_list(
            search=params.get("search", ""),
            sync_status=sync_status if sync_status in SyncStatus.values else "",
            license_type=params.get("license_type", ""),
        )

    filter_backends: list = []


class UserContactCenterAPI(_OrgAPIView, APIView):
    """GET a user's contact center; PUT ``{license_type, role}`` to set it
    (``license_type: null`` removes it)."""

    def _answer(self, user: OrgUser) -> Response:
        agent = selectors.agent_of(user)
        data = {"user_id": user.pk, "email": user.email, "agent": agent}
        return Response(UserContactCenterOutput(data).data)

    @extend_schema(responses=UserContactCenterOutput)
    def get(self, request: Request, user_id: int) -> Response:
        return self._answer(get_object_or_404(OrgUser, pk=user_id))

    @extend_schema(request=ContactCenterInput, responses=UserContactCenterOutput)
    def put(self, request: Request, user_id: int) -> Response:
        user = get_object_or_404(OrgUser, pk=user_id)
        data = ContactCenterInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_contact_center(
            user=user, actor=Actor.from_request(request), **data.validated_data
        )
        return self._answer(user)


class AdminRightsAPI(_OrgAPIView, APIView):
    """POST grants full admin rights (Premium only); DELETE removes them."""

    @extend_schema(request=None, responses=AgentOutput)
    def post(self, request: Request, user_id: int) -> Response:
        user = get_object_or_404(OrgUser, pk=user_id)
        agent = services.grant_admin_rights(user=user, actor=Actor.from_request(request))
        return Response(AgentOutput(agent).data)

    @extend_schema(request=None, responses=AgentOutput)
    def delete(self, request: Request, user_id: int) -> Response:
        user = get_object_or_404(OrgUser, pk=user_id)
        agent = services.remove_admin_rights(user=user, actor=Actor.from_request(request))
        return Response(AgentOutput(agent).data)


class SynchronizeUsersAPI(_OrgAPIView, APIView):
    """*Synchronize users*: 202 with the run to poll; 409 if one is running."""

    @extend_schema(request=None, responses={202: SyncRunOutput})
    def post(self, request: Request) -> Response:
        run = services.synchronize_users(actor=Actor.from_request(request))
        return Response(SyncRunOutput(run).data, status=status.HTTP_202_ACCEPTED)


class SyncRunListAPI(_OrgAPIView, generics.ListAPIView):
    serializer_class = SyncRunOutput
    filter_backends: list = []

    def get_queryset(self) -> Any:
        return selectors.sync_runs(kind=self.request.query_params.get("kind", ""))


class SyncRunAPI(_OrgAPIView, APIView):
    @extend_schema(responses=SyncRunOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(SyncRunOutput(selectors.get_sync_run(pk)).data)


class AgentTemplateAPI(_OrgAPIView, APIView):
    """GET the agent template (CSV) of the synced agents; POST a file (multipart
    ``file``) to apply it, all or nothing."""

    parser_classes = [MultiPartParser]

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request) -> HttpResponse:
        return csv_download(export_agent_template(), filename=download_name("agent-template"))

    @extend_schema(
        request={"multipart/form-data": AgentTemplateUploadInput},
        responses={200: AgentTemplateUploadOutput, 400: AgentTemplateUploadOutput},
    )
    def post(self, request: Request) -> Response:
        data = AgentTemplateUploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload_file = data.validated_data["file"]
        upload = upload_agent_template(
            content=upload_file.read(),
            actor=Actor.from_request(request),
            file_name=upload_file.name,
        )
        answer = status.HTTP_200_OK if upload.applied else status.HTTP_400_BAD_REQUEST
        return Response(AgentTemplateUploadOutput(upload).data, status=answer)
