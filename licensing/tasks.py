"""The runners of licensing's background jobs (``licensing/jobs.py``), registered with
the one job runner in ``LicensingConfig.ready()``."""

from __future__ import annotations

from licensing.csv.imports import error_report, import_users
from licensing.csv.jobs import csv_runner
from licensing.jobs import LicensingJob
from partnerhub.jobs.registry import register_job_kind
from partnerhub.permissions import Capability


def register() -> None:
    register_job_kind(
        LicensingJob.USER_CSV,
        runner=csv_runner(importer=import_users, report=error_report),
        exclusive=True,
        capability=Capability.MANAGE_USERS,
    )
