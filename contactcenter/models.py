"""Contact-center agents of one customer org (tenant schema, SPEC §7).

The license itself is a ``licensing.LicenseAssignment`` of type ``cc_standard`` or
``cc_premium``; an ``Agent`` carries what comes with it: role, admin rights, the
sync state towards the contact-center roster and the agent details.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class AgentRole(models.TextChoices):
    AGENT = "agent", "Agent"
    SUPERVISOR = "supervisor", "Supervisor"


class SyncStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SYNCED = "synced", "Synced"
    INVALID = "invalid", "Invalid"


class Agent(models.Model):
    user = models.OneToOneField("licensing.OrgUser", on_delete=models.CASCADE, related_name="agent")
    license_type = models.CharField(
        max_length=20,
        choices=[("cc_standard", "Standard Agent"), ("cc_premium", "Premium Agent")],
    )
    role = models.CharField(max_length=16, choices=AgentRole.choices, default=AgentRole.AGENT)
    is_admin = models.BooleanField(
        default=False, help_text="Full contact-center admin rights (Premium only)."
    )
    sync_status = models.CharField(
        max_length=10, choices=SyncStatus.choices, default=SyncStatus.PENDING, db_index=True
    )
    sync_error = models.CharField(max_length=255, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    team = models.CharField(max_length=120, blank=True)
    site = models.CharField(max_length=120, blank=True)
    skill_profile = models.CharField(max_length=120, blank=True)
    agent_profile = models.CharField(max_length=120, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(is_admin=False) | Q(license_type="cc_premium"),
                name="admin_rights_need_premium",
            ),
            models.CheckConstraint(
                condition=Q(role="agent") | Q(license_type="cc_premium"),
                name="supervisor_needs_premium",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_license_type_display()} {self.user}"


class RosterEntry(models.Model):
    """The built-in contact-center roster: what the management portal knows of an agent.

    It stands for the other system, so it holds copies (keyed by e-mail), not keys to
    ``Agent``: a reconciliation check can compare the two (SPEC §7).
    """

    email = models.CharField("e-mail", max_length=254, unique=True)
    display_name = models.CharField(max_length=128, blank=True)
    license_type = models.CharField(max_length=20)
    role = models.CharField(max_length=16)
    is_admin = models.BooleanField(default=False)
    team = models.CharField(max_length=120, blank=True)
    site = models.CharField(max_length=120, blank=True)
    skill_profile = models.CharField(max_length=120, blank=True)
    agent_profile = models.CharField(max_length=120, blank=True)
    pushed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["email"]
        verbose_name_plural = "roster entries"

    def __str__(self) -> str:
        return self.email


class SyncRunKind(models.TextChoices):
    AUTOMATIC = "automatic", "After a change"
    SYNCHRONIZE = "synchronize", "Synchronize users"


class SyncRunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    COMPLETED_WITH_ERRORS = "completed_with_errors", "Completed with errors"
    FAILED = "failed", "Failed"


class SyncRun(models.Model):
    """One run of the sync task of this org, with its progress (rows done / total)."""

    kind = models.CharField(max_length=16, choices=SyncRunKind.choices)
    status = models.CharField(
        max_length=24, choices=SyncRunStatus.choices, default=SyncRunStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    synced = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    actor_email = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (
            SyncRunStatus.COMPLETED,
            SyncRunStatus.COMPLETED_WITH_ERRORS,
            SyncRunStatus.FAILED,
        )

    @property
    def badge(self) -> str:
        """The portal's badge class for this status (portal.css)."""
        return {
            SyncRunStatus.IN_PROGRESS: "running",
            SyncRunStatus.COMPLETED: "done",
            SyncRunStatus.COMPLETED_WITH_ERRORS: "done_with_warnings",
        }.get(self.status, self.status)

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.is_finished else 0
        return min(100, self.rows_done * 100 // self.rows_total)


class AgentTemplateUpload(models.Model):
    """One upload of the agent template and its outcome: all applied or nothing."""

    file_name = models.CharField(max_length=255, blank=True)
    applied = models.BooleanField(default=False)
    rows_total = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    file_error = models.TextField(blank=True)
    row_errors = models.JSONField(default=list, blank=True)
    error_report = models.TextField(blank=True, help_text="The rows with an Errors column (CSV).")
    actor_email = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Agent template {self.file_name or self.pk}"

    @property
    def error_count(self) -> int:
        return len(self.row_errors) + (1 if self.file_error else 0)
