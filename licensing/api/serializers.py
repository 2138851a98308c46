"""API shapes of the licensing app (STYLE: small nested input/output serializers)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from calling.models import Location
from licensing import catalogue, selectors
from licensing.models import Group, SubscriptionLine, UserStatus
from licensing.services.calling_details import calling_details
from licensing.services.subscriptions import MAX_QUANTITY


class LineOut(serializers.Serializer):
    id = serializers.IntegerField()
    subscription = serializers.CharField(source="subscription.external_id")
    license_type = serializers.CharField()
    name = serializers.CharField(source="get_license_type_display")


class LicenseOut(serializers.Serializer):
    license_type = serializers.CharField()
    kind = serializers.CharField()
    included = serializers.BooleanField(
        source="is_included",
        help_text="A basic license included with every org: drawn from no subscription.",
    )
    line = LineOut(allow_null=True)


class UserOut(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    display_name = serializers.CharField()
    status = serializers.CharField()
    jabber_calling = serializers.BooleanField()
    jabber_with_teams = serializers.BooleanField()
    preferred_site = serializers.CharField()
    package = serializers.SerializerMethodField()
    licenses = serializers.SerializerMethodField()

    @extend_schema_field(LicenseOut(many=True))
    def get_licenses(self, user: Any) -> list:
        """Every license, the included basic ones first (``selectors.licenses_of``)."""
        return LicenseOut(selectors.licenses_of(user), many=True).data

    def get_package(self, user: Any) -> str | None:
        package = selectors.package_of(user)
        return package.license_type if package else None


class UserUpdateIn(serializers.Serializer):
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=64)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=64)
    display_name = serializers.CharField(required=False, allow_blank=True, max_length=128)
    status = serializers.ChoiceField(required=False, choices=UserStatus.choices)
    jabber_calling = serializers.BooleanField(required=False)
    jabber_with_teams = serializers.BooleanField(required=False)
    preferred_site = serializers.CharField(required=False, allow_blank=True, max_length=200)
    work_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    groups = serializers.PrimaryKeyRelatedField(
        queryset=Group.objects.all(), many=True, required=False
    )


class CallingIn(serializers.Serializer):
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all())
    extension = serializers.CharField(required=False, allow_blank=True, default="")
    number = serializers.CharField(required=False, allow_blank=True, default="")


def calling_from(data: dict | None) -> Any:
    if not data:
        return None
    return calling_details(
        location=data["location"],
        extension=data.get("extension", ""),
        number=data.get("number", ""),
    )


class EntryIn(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    first_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    last_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    extension = serializers.CharField(required=False, allow_blank=True, default="")
    number = serializers.CharField(required=False, allow_blank=True, default="")


class ContactCenterIn(serializers.Serializer):
    license_type = serializers.ChoiceField(choices=list(catalogue.CONTACT_CENTER_LICENSES))
    role = serializers.ChoiceField(choices=["agent", "supervisor"], default="agent")


class AddUsersIn(serializers.Serializer):
    entries = EntryIn(many=True)
    package_line = serializers.PrimaryKeyRelatedField(
        queryset=SubscriptionLine.objects.select_related("subscription"),
        allow_null=True,
        required=False,
        default=None,
    )
    send_invitations = serializers.BooleanField(default=False)
    calling = CallingIn(required=False, allow_null=True, default=None)
    contact_center = ContactCenterIn(required=False, allow_null=True, default=None)


class OutcomeOut(serializers.Serializer):
    email = serializers.CharField()
    outcome = serializers.CharField()
    reason = serializers.CharField()
    user_id = serializers.SerializerMethodField()

    def get_user_id(self, outcome: Any) -> int | None:
        return outcome.user.pk if outcome.user else None


class ChangePackageIn(serializers.Serializer):
    line = serializers.PrimaryKeyRelatedField(
        queryset=SubscriptionLine.objects.select_related("subscription"), allow_null=True
    )
    calling = CallingIn(required=False, allow_null=True, default=None)
    confirm_calling_loss = serializers.BooleanField(default=False)


class MoveLicenseIn(serializers.Serializer):
    from_line = serializers.PrimaryKeyRelatedField(
        queryset=SubscriptionLine.objects.select_related("subscription")
    )
    to_line = serializers.PrimaryKeyRelatedField(
        queryset=SubscriptionLine.objects.select_related("subscription")
    )


# The subscription shapes are shared with the partner API (customers/subscriptions/api.py):
# one set of fields and limits for both sides.
class LineUsageOut(serializers.Serializer):
    id = serializers.IntegerField()
    license_type = serializers.CharField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    used = serializers.IntegerField()


class SubscriptionOut(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    status = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    lines = LineUsageOut(many=True)


class SubscriptionUpdateIn(serializers.Serializer):
    quantities = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_QUANTITY), required=False
    )
    end_date = serializers.DateField(required=False, allow_null=True, help_text="null clears it")


class SubscriptionAddIn(serializers.Serializer):
    external_id = serializers.CharField(max_length=40)
    quantities = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_QUANTITY), allow_empty=False
    )
    end_date = serializers.DateField(required=False, allow_null=True, default=None)


class SubscriptionStatusIn(serializers.Serializer):
    action = serializers.ChoiceField(choices=["suspend", "reactivate", "cancel"])
    confirmation = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        help_text="To cancel a subscription that still carries calling: its id, typed.",
    )


class TemplateOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    group = serializers.IntegerField(source="group_id", allow_null=True)
    lines = LineOut(many=True)
    is_active = serializers.BooleanField()
    keep_licenses_for_existing_users = serializers.BooleanField()


class TemplateIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    group = serializers.PrimaryKeyRelatedField(
        queryset=Group.objects.all(), allow_null=True, required=False, default=None
    )
    lines = serializers.PrimaryKeyRelatedField(
        queryset=SubscriptionLine.objects.select_related("subscription"), many=True
    )
    is_active = serializers.BooleanField(default=True)
    keep_licenses_for_existing_users = serializers.BooleanField(default=True)


class GroupOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    user_count = serializers.IntegerField()


class GroupIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)
