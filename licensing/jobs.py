"""The kinds of background job licensing runs (``OrgJob.kind``); their runners are in
``licensing/tasks.py``, registered in ``LicensingConfig.ready()``."""

from __future__ import annotations

from django.db import models


class LicensingJob(models.TextChoices):
    USER_CSV = "user_csv", "Users CSV import"
    TEMPLATE_APPLY = "template_apply", "Template applied to existing users"
