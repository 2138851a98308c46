"""Org API of a user's calling after set-up: details, voicemail, call settings,
restore (SPEC §6, issue #4). Thin: parse, call the service, serialize. The voicemail
PIN goes in, never out."""

from __future__ import annotations

from dataclasses import asdict

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from calling.api.serializers import UserCallingOut
from calling.models import Location
from calling.services import settings as calling_settings
from calling.services.profiles import CallingDetails
from calling.services.snapshots import restore_calling
from licensing.models import OrgUser
from partnerhub.audit.services import Actor
from partnerhub.permissions import Capability
from partnerhub.tenant_access import HasTenantCapability


class UserCallingSettingsAPIView(APIView):
    permission_classes = [HasTenantCapability]
    # A user's calling is a user's data (like its package); locations and numbers
    # need MANAGE_ORG.
    write_capability = Capability.MANAGE_USERS


def _user(pk: int) -> OrgUser:
    return get_object_or_404(OrgUser, pk=pk)


def _valid(serializer_class: type, request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class DetailsIn(serializers.Serializer):
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all())
    extension = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)
    number = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)


class UserCallingDetailsAPI(UserCallingSettingsAPIView):
    """PUT: change location / number / extension (or set up a licensed user)."""

    @extend_schema(request=DetailsIn, responses=UserCallingOut)
    def put(self, request: Request, pk: int) -> Response:
        user = _user(pk)
        details = CallingDetails(**_valid(DetailsIn, request))
        profile = calling_settings.set_user_calling(
            user=user, details=details, actor=Actor.from_request(request)
        )
        return Response(UserCallingOut(profile).data)


class VoicemailIn(serializers.Serializer):
    enabled = serializers.BooleanField()
    pin = serializers.CharField(
        max_length=32,
        required=False,
        default="",
        allow_blank=True,
        write_only=True,
        help_text=f"{calling_settings.PIN_RULE}; empty keeps the stored PIN.",
    )


class VoicemailOut(serializers.Serializer):
    enabled = serializers.BooleanField()
    pin_set = serializers.BooleanField()


def _voicemail(user: OrgUser) -> dict:
    profile = calling_settings.calling_profile_of(user)
    return {"enabled": profile.voicemail_enabled, "pin_set": bool(profile.voicemail_pin_hash)}


class UserVoicemailAPI(UserCallingSettingsAPIView):
    @extend_schema(responses=VoicemailOut)
    def get(self, request: Request, pk: int) -> Response:
        return Response(VoicemailOut(_voicemail(_user(pk))).data)

    @extend_schema(request=VoicemailIn, responses=VoicemailOut)
    def put(self, request: Request, pk: int) -> Response:
        user = _user(pk)
        data = _valid(VoicemailIn, request)
        calling_settings.set_voicemail(
            user=user,
            enabled=data["enabled"],
            pin=data["pin"],
            actor=Actor.from_request(request),
        )
        return Response(VoicemailOut(_voicemail(user)).data)


class CallSettingsIO(serializers.Serializer):
    forwarding = serializers.ChoiceField(
        choices=list(calling_settings.FORWARDING_MODES), required=False, default="off"
    )
    forward_to = serializers.CharField(
        max_length=32,
        required=False,
        default="",
        allow_blank=True,
        help_text="E.164 number or an extension of the org; needed unless forwarding is off.",
    )
    do_not_disturb = serializers.BooleanField(required=False, default=False)
    caller_id = serializers.ChoiceField(choices=list(calling_settings.CALLER_IDS))


class UserCallSettingsAPI(UserCallingSettingsAPIView):
    @extend_schema(responses=CallSettingsIO)
    def get(self, request: Request, pk: int) -> Response:
        profile = calling_settings.calling_profile_of(_user(pk))
        return Response(asdict(calling_settings.call_settings_of(profile)))

    @extend_schema(request=CallSettingsIO, responses=CallSettingsIO)
    def put(self, request: Request, pk: int) -> Response:
        user = _user(pk)
        wanted = calling_settings.CallSettings(**_valid(CallSettingsIO, request))
        saved = calling_settings.update_call_settings(
            user=user,
            settings=wanted,
            actor=Actor.from_request(request),
        )
        return Response(asdict(saved))


class RestoreOut(serializers.Serializer):
    restored = serializers.ListField(child=serializers.CharField())
    not_restored = serializers.ListField(child=serializers.CharField())
    calling = UserCallingOut()


class UserRestoreCallingAPI(UserCallingSettingsAPIView):
    """POST: restore the user's calling removed in the last 30 days."""

    @extend_schema(request=None, responses=RestoreOut)
    def post(self, request: Request, pk: int) -> Response:
        result = restore_calling(holder=_user(pk), actor=Actor.from_request(request))
        body = {
            "restored": result.restored,
            "not_restored": result.not_restored,
            "calling": result.profile,
        }
        return Response(RestoreOut(body).data)
