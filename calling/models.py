"""Webex Calling set-up of one customer org (tenant schema, SPEC §6).

``CallingProfile`` is the calling data of a user or a workspace: location,
extension, voicemail and call settings; its number is the ``PhoneNumber`` that
points at it. Extensions are unique within a location and a number belongs to at
most one profile or service — both enforced by the database.
"""

from __future__ import annotations

from django.db import IntegrityError, models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone


def violated_constraint(error: IntegrityError) -> str:
    """The name of the database constraint ``error`` broke ("" when unknown): a race
    that ends on a constraint is told apart from another one by its name."""
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) or ""


class Location(models.Model):
    name = models.CharField(max_length=120, unique=True)
    address = models.CharField(max_length=255, blank=True)
    country = models.CharField(max_length=2, help_text="ISO 3166 alpha-2 code")
    time_zone = models.CharField(max_length=64, default="UTC")
    main_number = models.CharField(max_length=20, blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_location"
            ),
            # "Oslo" and "oslo" are one location: the services check it, this backs it up.
            models.UniqueConstraint(Lower("name"), name="location_name_unique_any_case"),
        ]

    def __str__(self) -> str:
        return self.name


class Workspace(models.Model):
    """A shared space (meeting room, lobby phone) that can hold a calling license."""

    name = models.CharField(max_length=120, unique=True)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="workspaces")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="workspace_name_unique_any_case"),
        ]

    def __str__(self) -> str:
        return self.name


class CallingProfile(models.Model):
    """Calling data of exactly one user or one workspace."""

    user = models.OneToOneField(
        "licensing.OrgUser",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calling",
    )
    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, null=True, blank=True, related_name="calling"
    )
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="profiles")
    extension = models.CharField(max_length=10, null=True, blank=True)
    voicemail_enabled = models.BooleanField(default=False)
    voicemail_pin_hash = models.CharField(max_length=128, blank=True)
    settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, workspace__isnull=True)
                | Q(user__isnull=True, workspace__isnull=False),
                name="calling_of_user_or_workspace",
            ),
            models.UniqueConstraint(
                fields=["location", "extension"],
                condition=Q(extension__isnull=False),
                name="extension_unique_in_location",
            ),
            models.CheckConstraint(
                condition=Q(extension__isnull=True) | Q(extension__regex=r"^[0-9]{2,10}$"),
                name="extension_is_2_to_10_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"calling of {self.user or self.workspace}"


class PhoneNumber(models.Model):
    """A pre-provisioned E.164 number of a location: available, or assigned to one
    calling profile or one service."""

    e164 = models.CharField("number", max_length=16, unique=True)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="numbers")
    profile = models.OneToOneField(
        CallingProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="number"
    )
    service = models.CharField(
        max_length=120, blank=True, help_text="Set when a service (hunt group, …) uses it."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["e164"]
        constraints = [
            models.CheckConstraint(
                condition=Q(profile__isnull=True) | Q(service=""), name="number_has_one_holder"
            ),
            models.CheckConstraint(
                condition=Q(e164__regex=r"^\+[1-9][0-9]{6,14}$"), name="number_is_e164"
            ),
        ]

    def __str__(self) -> str:
        return self.e164

    @property
    def is_available(self) -> bool:
        return self.profile_id is None and not self.service


class CallingSnapshot(models.Model):
    """Calling data removed from a user or workspace, restorable for 30 days (SPEC §6,
    beyond the anchor). ``holder`` keeps the e-mail / workspace name so the snapshot
    outlives a deleted user and can be restored to one created again with that e-mail."""

    KEEP_DAYS = 30

    user = models.ForeignKey(
        "licensing.OrgUser",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calling_snapshots",
    )
    workspace = models.ForeignKey(
        Workspace,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calling_snapshots",
    )
    holder = models.CharField(max_length=254, db_index=True, help_text="E-mail or workspace name.")
    holder_kind = models.CharField(
        max_length=10, choices=[("user", "user"), ("workspace", "workspace")], default="user"
    )
    data = models.JSONField(
        help_text="location, extension, number, voicemail_enabled, voicemail_pin_hash, settings"
    )
    reason = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"calling of {self.holder} ({self.created_at:%Y-%m-%d})"


class ProvisioningReason(models.TextChoices):
    INVALID_FORMAT = "invalid_format", "Work phone is not E.164"
    NUMBER_NOT_FOUND = "number_not_found", "Number is not in any location"
    NUMBER_IN_USE = "number_in_use", "Number is assigned to someone or something else"
    NO_NUMBER = "no_number", "No work phone number"
    INVALID_NAME = (
        "invalid_name",
        'Name not allowed for calling (≤ 30 characters, none of % # < > \\ / ")',
    )
    LICENSE_EXHAUSTED = "license_exhausted", "No license left on the line the template draws from"


class ProvisioningFailure(models.Model):
    """A user whose template wanted calling but who could not be provisioned (SPEC §6
    provisioning failure report). Gone once the user is provisioned."""

    user = models.OneToOneField(
        "licensing.OrgUser", on_delete=models.CASCADE, related_name="calling_failure"
    )
    phone_number = models.CharField(max_length=40, blank=True)
    reason = models.CharField(max_length=20, choices=ProvisioningReason.choices)
    source = models.CharField(
        max_length=20,
        choices=[("directory_sync", "directory sync"), ("template", "template"), ("scim", "SCIM")],
        default="directory_sync",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["user__email"]
        indexes = [models.Index(fields=["reason"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.reason}"
