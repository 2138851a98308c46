"""Errors of the org's background jobs (SPEC §4 "Running an import"): stable codes,
messages a person can act on."""

from __future__ import annotations

from partnerhub.errors import Conflict


class UnknownJobKind(LookupError):
    """A job kind no app registered: a programming error, raised at once."""


class JobAlreadyRunning(Conflict):
    code = "csv_task_running"


class JobReaped(Conflict):
    """The reaper ended the job while it ran (heartbeat lost): its work is rolled back."""

    code = "task_reaped"


class TaskNotCancellable(Conflict):
    code = "task_not_cancellable"
