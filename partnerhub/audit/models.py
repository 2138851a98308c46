"""The audit log (SPEC §8). The app is both shared and per tenant: partner-level
changes are written in the public schema, an org's changes in its own schema. The
actor is stored by id and e-mail, not by foreign key, so tenant tables hold no keys
into public ones."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, help_text="partnerhub.Account id")
    actor_email = models.CharField(max_length=254, blank=True)
    acting_as_partner = models.CharField(
        max_length=200, blank=True, help_text="Set when a partner admin launched the customer view."
    )
    customer_schema = models.CharField(max_length=63, blank=True)
    action = models.CharField(max_length=64)  # indexed in Meta: equality only, no LIKE
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=254, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            # Filtered by equality only: a plain index, without the ``varchar_pattern_ops``
            # twin ``db_index=True`` adds (one index less on every row an import writes).
            models.Index(fields=["action"], name="audit_entry_action"),
        ]

    def __str__(self) -> str:
        who = self.actor_email or "system"
        if self.acting_as_partner:
            who += f" (as partner {self.acting_as_partner})"
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {who}: {self.action} {self.target_repr}"
