"""API shapes of the contact center (HackSoft: small Input/Output serializers)."""

from __future__ import annotations

from rest_framework import serializers

from contactcenter.models import Agent, AgentRole, AgentTemplateUpload, SyncRun
from licensing import catalogue

# Plain value lists, the same as licensing's add-users input: one enum per field name
# in the OpenAPI schema (different choice sets under one name collide).
LICENSE_TYPES = list(catalogue.CONTACT_CENTER_LICENSES)
ROLES = list(AgentRole.values)


class AgentOutput(serializers.ModelSerializer):
    user_id = serializers.IntegerField(read_only=True)
    license_type = serializers.ChoiceField(choices=LICENSE_TYPES, read_only=True)
    role = serializers.ChoiceField(choices=ROLES, read_only=True)
    email = serializers.CharField(source="user.email", read_only=True)

    class Meta:
        model = Agent
        fields = [
            "user_id",
            "email",
            "license_type",
            "role",
            "is_admin",
            "sync_status",
            "sync_error",
            "synced_at",
            "team",
            "site",
            "skill_profile",
            "agent_profile",
        ]


class ContactCenterInput(serializers.Serializer):
    license_type = serializers.ChoiceField(choices=LICENSE_TYPES, allow_null=True)
    role = serializers.ChoiceField(choices=ROLES, default=AgentRole.AGENT)


class UserContactCenterOutput(serializers.Serializer):
    user_id = serializers.IntegerField()
    email = serializers.CharField()
    agent = AgentOutput(allow_null=True)


class SyncRunOutput(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = SyncRun
        fields = [
            "id",
            "kind",
            "status",
            "rows_total",
            "rows_done",
            "percent",
            "synced",
            "invalid",
            "removed",
            "error",
            "actor_email",
            "created_at",
            "started_at",
            "finished_at",
        ]


class AgentTemplateUploadInput(serializers.Serializer):
    file = serializers.FileField()


class AgentTemplateUploadOutput(serializers.ModelSerializer):
    class Meta:
        model = AgentTemplateUpload
        fields = [
            "id",
            "file_name",
            "applied",
            "rows_total",
            "updated",
            "unchanged",
            "file_error",
            "row_errors",
            "created_at",
        ]
