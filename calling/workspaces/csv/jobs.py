"""The workspaces CSV as a job of the org (the runner is ``calling/tasks.py``'s)."""

from __future__ import annotations

from typing import Any

from calling.jobs import CallingJob
from licensing.csv.jobs import start_csv_import
from partnerhub.jobs.models import OrgJob


def start_workspace_import(**options: Any) -> OrgJob:
    """Workspaces CSV upload → a job of the org, like the users CSV (one CSV job of any
    kind at a time); ``options`` as ``licensing.csv.jobs.start_csv_import``'s."""
    return start_csv_import(kind=CallingJob.WORKSPACE_CSV, **options)
