"""Background tasks of one org (tenant schema): CSV imports and other long work,
with their progress, counts and error report (SPEC §4 "Running an import")."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from partnerhub.jobs import registry


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    VALIDATING = "validating", "Validating"
    RUNNING = "running", "Running"
    DONE = "done", "Completed"
    DONE_WITH_WARNINGS = "done_with_warnings", "Completed with warnings"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATUSES = [JobStatus.QUEUED, JobStatus.VALIDATING, JobStatus.RUNNING]
# Claimed by a worker: its heartbeat and its advisory lock say whether it still lives.
CLAIMED_STATUSES = [JobStatus.VALIDATING, JobStatus.RUNNING]


COUNT_ORDER = (
    "created", "updated", "unchanged", "deleted", "moved", "provisioned", "unprovisioned",
    "errors", "warnings",
)  # fmt: skip


class OrgJob(models.Model):
    kind = models.CharField(max_length=20, help_text="A kind an app registered (registry.py).")
    exclusive = models.BooleanField(
        default=False, help_text="Rewrites users or workspaces in bulk: one such job at a time."
    )
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    file_name = models.CharField(max_length=255, blank=True)
    content = models.BinaryField(blank=True, help_text="The uploaded file, as uploaded.")
    params = models.JSONField(default=dict, blank=True)
    actor = models.JSONField(default=dict, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    messages = models.JSONField(default=list, blank=True, help_text="Row errors and warnings.")
    error_report = models.TextField(blank=True, help_text="CSV: the original rows + errors.")
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True, help_text="host:pid that claimed it.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One CSV task per org at a time, whatever page, API or command started it.
            models.UniqueConstraint(
                models.Value(True),
                condition=Q(exclusive=True, status__in=ACTIVE_STATUSES),
                name="one_active_csv_job_per_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def kind_label(self) -> str:
        """The name the app that registered the kind gives it ("Users CSV import")."""
        return registry.kind_label(self.kind)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def label(self) -> str:
        """Its kind as people say it ("User CSV import")."""
        return self.kind_label

    @property
    def started_by(self) -> str:
        return (self.actor or {}).get("email", "") or "system"

    @property
    def duration(self) -> str:
        """How long it ran (or has been running), e.g. "1 min 5 s"; "" while queued."""
        if self.status == JobStatus.QUEUED:
            return ""
        end = self.finished_at or self.heartbeat_at or timezone.now()
        minutes, seconds = divmod(max(0, int((end - self.created_at).total_seconds())), 60)
        return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"

    @property
    def ordered_counts(self) -> list[tuple[str, int]]:
        """Its counts in reading order (created, updated, unchanged, … errors,
        warnings), not the order PostgreSQL's ``jsonb`` keeps keys in (by length)."""
        counts = self.counts or {}
        known = [(name, counts[name]) for name in COUNT_ORDER if name in counts]
        return known + [(n, v) for n, v in counts.items() if n not in COUNT_ORDER]

    @property
    def applied_nothing(self) -> bool:
        """A dry run, or a run refused for its errors: its counts say what it would do."""
        return self.status == JobStatus.FAILED or bool((self.params or {}).get("dry_run"))

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0
