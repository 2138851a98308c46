"""Which kinds of background job exist, and who runs them.

``partnerhub.jobs`` knows no app: each app declares its job kinds as a
``models.TextChoices`` enum (value stored in ``OrgJob.kind``, label shown on the
Tasks page) and registers a runner for each in its ``AppConfig.ready()``::

    class LicensingJob(models.TextChoices):
        USER_CSV = "user_csv", "Users CSV import"

    register_job_kind(LicensingJob.USER_CSV, runner=run_user_csv, exclusive=True)

A runner is ``runner(job, progress) -> JobOutcome``; ``run_org_job`` owns
everything around it (claim, heartbeat, progress, finish, failure). Apps whose
tasks keep their own records (the contact center's sync runs) register a lister
instead, so the Tasks page still shows every task of the org.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from django.db import models

from partnerhub.jobs.errors import UnknownJobKind

if TYPE_CHECKING:
    from partnerhub.jobs.models import OrgJob


class Progress(Protocol):
    """What a runner may tell while it works (written on a connection of its own)."""

    def update(self, **fields: Any) -> None: ...


@dataclass
class JobOutcome:
    """What a runner hands back: ``counts`` (``errors`` > 0 fails the job, ``warnings``
    > 0 completes it with warnings), row ``messages`` (``{"error"|"warning"|"change":
    text}``), a CSV ``error_report`` and ``value``, the service's own result for an
    in-process caller (a command)."""

    counts: dict[str, int]
    messages: list[dict[str, str]] = field(default_factory=list)
    error_report: str = ""
    value: Any = None


Runner = Callable[["OrgJob", Progress], JobOutcome]


@dataclass(frozen=True)
class JobType:
    kind: models.TextChoices
    runner: Runner
    exclusive: bool  # one exclusive job per org at a time (CSV imports, syncs, template runs)
    # The capability (partnerhub.permissions.Capability value) of the pages that start
    # it: who may start a kind may cancel it while it is queued.
    capability: str = "manage_users"

    @property
    def label(self) -> str:
        return str(self.kind.label)


@dataclass(frozen=True)
class TaskEntry:
    """One task an app keeps in its own table, as the Tasks page lists it."""

    label: str
    status: str  # a badge class of portal.css: queued, running, done, done_with_warnings, failed
    status_label: str
    percent: int
    created_at: datetime
    url: str = ""


_types: dict[str, JobType] = {}
_listers: list[Callable[[int], Iterable[TaskEntry]]] = []


def register_job_kind(
    kind: models.TextChoices, *, runner: Runner, exclusive: bool, capability: str = "manage_users"
) -> None:
    """Called from an app's ``AppConfig.ready()``; a value another enum registered
    already is refused (two apps claiming one kind). ``capability``: what starting
    (and so cancelling) it needs."""
    existing = _types.get(kind.value)
    if existing is not None and type(existing.kind) is not type(kind):
        raise ValueError(f"Job kind {kind.value!r} is registered twice.")
    _types[kind.value] = JobType(
        kind=kind, runner=runner, exclusive=exclusive, capability=str(capability)
    )


def register_task_lister(lister: Callable[[int], Iterable[TaskEntry]]) -> None:
    """``lister(limit)`` returns the app's most recent tasks of the current org."""
    if lister not in _listers:
        _listers.append(lister)


def job_type(kind: str | models.TextChoices) -> JobType:
    value = getattr(kind, "value", kind)
    try:
        return _types[value]
    except KeyError:
        raise UnknownJobKind(
            f"No app registered the job kind {value!r}; register it in its AppConfig.ready()."
        ) from None


def kind_label(value: str) -> str:
    """The human name of a stored kind ("Users CSV import"); the raw value if the app
    that registered it is gone."""
    found = _types.get(value)
    return found.label if found else value


def job_types() -> list[JobType]:
    return list(_types.values())


def exclusive_kinds() -> list[str]:
    return sorted(value for value, found in _types.items() if found.exclusive)


def other_tasks(limit: int = 20) -> list[TaskEntry]:
    """Tasks the apps keep in their own tables, newest first."""
    entries = [entry for lister in _listers for entry in lister(limit)]
    return sorted(entries, key=lambda entry: entry.created_at, reverse=True)[:limit]
