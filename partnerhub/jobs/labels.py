"""Human names of the org task kinds (issue #11 Tasks page). One dict beside the
kinds, so the job-kind registry can take it over in one move."""

from __future__ import annotations

JOB_KIND_LABELS: dict[str, str] = {
    "user_csv": "User CSV import",
    "workspace_csv": "Workspace CSV import",
    "agent_csv": "Contact-center agent CSV",
    "directory_sync": "Directory sync",
    "template_apply": "Template applied to existing users",
}


def job_kind_label(kind: str) -> str:
    return JOB_KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())
