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
