"""The kinds of background job calling runs (``OrgJob.kind``); their runners are in
``calling/tasks.py``, registered in ``CallingConfig.ready()``."""

from __future__ import annotations

from django.db import models


class CallingJob(models.TextChoices):
    WORKSPACE_CSV = "workspace_csv", "Workspaces CSV import"
    DIRECTORY_SYNC = "directory_sync", "Directory sync"
