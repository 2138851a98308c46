from __future__ import annotations

from rest_framework import serializers

from customers import selectors
from customers.forms import parse_subscription_spec
from customers.models import Customer


class UsageSerializer(serializers.Serializer):
    service = serializers.CharField()
    name = serializers.SerializerMethodField()
    used = serializers.IntegerField()
    bought = serializers.IntegerField()

    def get_name(self, row) -> str:  # type: ignore[no-untyped-def]
        return selectors.service_name(row.service)


class CustomerOutputSerializer(serializers.ModelSerializer):
    org_id = serializers.CharField(source="slug")
    badges = serializers.SerializerMethodField()
    users = serializers.SerializerMethodField()
    usage = UsageSerializer(many=True)
    partner = serializers.CharField(source="partner.slug")

    class Meta:
        model = Customer
        fields = [
            "id",
            "org_id",
            "name",
            "partner",
            "status",
            "badges",
            "country",
            "admin_email",
            "packages",
            "users",
            "usage",
            "expires_on",
            "created_at",
        ]

    def get_badges(self, customer: Customer) -> list[str]:
        return selectors.customer_badges(customer)

    def get_users(self, customer: Customer) -> int:
        summary = getattr(customer, "summary", None)
        return summary.user_count if summary else 0


class ProvisionInputSerializer(serializers.Serializer):
    partner = serializers.SlugField(
        required=False, help_text="Partner slug; needed if you admin several."
    )
    name = serializers.CharField(max_length=200)
    org_id = serializers.CharField(max_length=50)
    country = serializers.CharField(max_length=2, required=False, default="")
    admin_email = serializers.CharField(help_text="Checked by the one e-mail rule.")
    packages = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    subscriptions = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="Each like Sub-100234:webex_calling=50,webex_meetings=100",
    )

    def validate_subscriptions(self, value: list[str]):  # type: ignore[no-untyped-def]
        from django import forms

        try:
            return [parse_subscription_spec(text) for text in value]
        except forms.ValidationError as error:
            raise serializers.ValidationError(error.messages) from error
