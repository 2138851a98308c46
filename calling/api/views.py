"""Org API of the calling app: thin — parse, call a service, serialize."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from calling import errors
from calling.api import serializers as s
from calling.models import CallingProfile, Location, PhoneNumber
from calling.services import locations, numbers, profiles
from calling.services.settings import set_user_calling
from licensing.models import OrgUser
from partnerhub.audit.services import Actor
from partnerhub.permissions import Capability
from partnerhub.tenant_access import HasTenantCapability


class CallingAPIView(APIView):
    permission_classes = [HasTenantCapability]
    write_capability = Capability.MANAGE_ORG


def _valid(serializer_class: type, request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class LocationListAPI(CallingAPIView):
    @extend_schema(operation_id="calling_locations_list", responses=s.LocationOut(many=True))
    def get(self, request: Request) -> Response:
        return Response(s.LocationOut(Location.objects.all(), many=True).data)

    @extend_schema(request=s.LocationIn, responses={201: s.LocationOut})
    def post(self, request: Request) -> Response:
        data = _valid(s.LocationIn, request)
        location = locations.create_location(actor=Actor.from_request(request), **data)
        return Response(s.LocationOut(location).data, status=status.HTTP_201_CREATED)


class LocationDetailAPI(CallingAPIView):
    @extend_schema(responses=s.LocationOut)
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.LocationOut(get_object_or_404(Location, pk=pk)).data)

    @extend_schema(request=s.LocationPatchIn, responses=s.LocationOut)
    def patch(self, request: Request, pk: int) -> Response:
        serializer = s.LocationPatchIn(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        location = locations.update_location(
            location=get_object_or_404(Location, pk=pk),
            actor=Actor.from_request(request),
            **serializer.validated_data,
        )
        return Response(s.LocationOut(location).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        location = get_object_or_404(Location, pk=pk)
        locations.delete_location(location=location, actor=Actor.from_request(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class LocationDefaultAPI(CallingAPIView):
    """POST: make this location the org's default."""

    @extend_schema(request=None, responses=s.LocationOut)
    def post(self, request: Request, pk: int) -> Response:
        location = locations.make_default(
            location=get_object_or_404(Location, pk=pk), actor=Actor.from_request(request)
        )
        return Response(s.LocationOut(location).data)


class NumberListAPI(CallingAPIView):
    @extend_schema(
        operation_id="calling_numbers_list",
        parameters=[
            OpenApiParameter("location", OpenApiTypes.INT, description="Location id"),
            OpenApiParameter("state", OpenApiTypes.STR, enum=["available", "assigned"]),
        ],
        responses=s.NumberOut(many=True),
    )
    def get(self, request: Request) -> Response:
        found = PhoneNumber.objects.all()
        location = request.query_params.get("location", "")
        if location:
            if not location.isdigit():
                raise errors.DomainError("'location' must be a location id.", field="location")
            found = found.filter(location_id=int(location))
        state = request.query_params.get("state", "")
        if state == "available":
            found = found.filter(profile__isnull=True, service="")
        elif state == "assigned":
            found = found.exclude(profile__isnull=True, service="")
        elif state:
            raise errors.DomainError("'state' must be 'available' or 'assigned'.", field="state")
        return Response(s.NumberOut(found, many=True).data)

    @extend_schema(request=s.NumbersIn, responses={201: s.NumberOut(many=True)})
    def post(self, request: Request) -> Response:
        data = _valid(s.NumbersIn, request)
        created = numbers.add_numbers(
            location=data["location"],
            numbers=data.get("numbers") or data["range"],
            actor=Actor.from_request(request),
        )
        return Response(s.NumberOut(created, many=True).data, status=status.HTTP_201_CREATED)


def _user(pk: int) -> OrgUser:
    return get_object_or_404(OrgUser, pk=pk)


def _profile(user: OrgUser) -> CallingProfile:
    return get_object_or_404(CallingProfile.objects.select_related("location"), user=user)


class UserCallingAPI(CallingAPIView):
    """GET / PUT (set up or change) / DELETE (``?confirm=true``) a user's calling data.
    A user's calling is a user's data, like its package: MANAGE_USERS."""

    write_capability = Capability.MANAGE_USERS

    @extend_schema(responses=s.UserCallingOut)
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.UserCallingOut(_profile(_user(pk))).data)

    @extend_schema(request=s.UserCallingIn, responses=s.UserCallingOut)
    def put(self, request: Request, pk: int) -> Response:
        user = _user(pk)
        data = _valid(s.UserCallingIn, request)
        details = profiles.CallingDetails(
            location=data["location"], extension=data["extension"], number=data["number"]
        )
        # The same rules as the calling page: a calling license first (SPEC §6).
        profile = set_user_calling(user=user, details=details, actor=Actor.from_request(request))
        return Response(s.UserCallingOut(profile).data)

    @extend_schema(
        parameters=[OpenApiParameter("confirm", OpenApiTypes.BOOL, required=True)],
        responses={204: None},
    )
    def delete(self, request: Request, pk: int) -> Response:
        user = _user(pk)
        _profile(user)
        profiles.check_calling_outside_package(user)
        if request.query_params.get("confirm", "").lower() != "true":
            lost = profiles.calling_loss_preview(user=user)
            raise errors.CallingLossNotConfirmed(
                f"Removing calling from {user} deletes its calling data for good: "
                f"{'; '.join(lost)}. Repeat with ?confirm=true to go ahead.",
                lost=lost,
            )
        profiles.remove_unlicensed_user_calling(user=user, actor=Actor.from_request(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
