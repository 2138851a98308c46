"""Shapes of the calling org API (SPEC §6)."""

from __future__ import annotations

from rest_framework import serializers

from calling.models import CallingProfile, Location, PhoneNumber


class LocationOut(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "name", "address", "country", "time_zone", "main_number", "is_default"]


class LocationIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    country = serializers.RegexField(r"^[A-Za-z]{2}$", help_text="ISO 3166 alpha-2 code")
    address = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    time_zone = serializers.CharField(max_length=64, required=False, default="UTC")
    main_number = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)


class LocationPatchIn(serializers.Serializer):
    """Any of the fields; the service checks them (name unique, IANA time zone, …)."""

    name = serializers.CharField(max_length=120, required=False)
    country = serializers.CharField(max_length=8, required=False)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    time_zone = serializers.CharField(max_length=64, required=False)
    main_number = serializers.CharField(max_length=20, required=False, allow_blank=True)


class NumberOut(serializers.ModelSerializer):
    location = serializers.PrimaryKeyRelatedField(read_only=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = PhoneNumber
        fields = ["id", "e164", "location", "state", "service"]

    def get_state(self, number: PhoneNumber) -> str:
        return "available" if number.is_available else "assigned"


class NumbersIn(serializers.Serializer):
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all())
    numbers = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, allow_empty=False
    )
    range = serializers.CharField(
        max_length=64, required=False, help_text="e.g. +4722000000-+4722000099"
    )

    def validate(self, attrs: dict) -> dict:
        if bool(attrs.get("numbers")) == bool(attrs.get("range")):
            raise serializers.ValidationError("Give either 'numbers' or 'range'.")
        return attrs


class UserCallingIn(serializers.Serializer):
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all())
    extension = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)
    number = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)


class UserCallingOut(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id", read_only=True)
    location = LocationOut(read_only=True)
    number = serializers.SerializerMethodField()

    class Meta:
        model = CallingProfile
        fields = ["user", "location", "extension", "number", "voicemail_enabled"]

    def get_number(self, profile: CallingProfile) -> str | None:
        number = PhoneNumber.objects.filter(profile=profile).first()
        return number.e164 if number else None
