"""The agent template: after sync, the agent details (team, site, skill profile, agent
profile) are exported for the synced agents and uploaded back (SPEC §7).

Rules: the file is checked whole first (encoding, headers, size) — a file-level
error applies nothing; then every row — any row error applies nothing. A row names
a synced agent by e-mail; other users are row errors. The row is the truth: a blank
cell clears that detail. Changed agents are marked pending, so the next sync pushes
their details to the roster.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tablib
from django.db import transaction

from contactcenter.errors import AgentTemplateFileError
from contactcenter.models import Agent, AgentTemplateUpload
from contactcenter.resources import DETAIL_FIELDS, AgentTemplateResource
from contactcenter.selectors import synced_agents
from contactcenter.services.agents import mark_pending
from contactcenter.services.sync_requests import request_sync
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, Change
from partnerhub.csvfiles.errors import CsvFileError
from partnerhub.csvfiles.reading import known_headers, read_table
from partnerhub.csvfiles.writing import csv_text

HEADERS = ("Agent Email", "Team", "Site", "Skill Profile", "Agent Profile")
COLUMN_OF = dict(zip(("email", *DETAIL_FIELDS), HEADERS, strict=True))
MAX_CHANGED_ROWS = 1000  # SPEC §7: at most 1,000 contact-center rows per CSV that change


def export_agent_template() -> str:
    """The template as CSV text (the one writer): one row per synced agent, current
    details filled in."""
    dataset = AgentTemplateResource().export(queryset=synced_agents())
    return csv_text(headers=dataset.headers, rows=dataset)


@dataclass
class TemplateFile:
    """A read agent template: its rows, and each row's number as the spreadsheet shows
    it (the reader's, the numbering of the user and workspace CSVs' errors)."""

    dataset: tablib.Dataset
    numbers: list[int]


def read_agent_template(content: bytes) -> TemplateFile:
    """The file through the one CSV reader, with the template's exact columns."""
    try:
        table = read_table(content, what="agent template")
    except CsvFileError as error:
        raise AgentTemplateFileError(error.message) from None
    headers = known_headers(table.headers, HEADERS)
    missing = [h for h in HEADERS if h not in headers]
    unknown = [h for h in headers if h not in HEADERS]
    if missing or unknown:
        parts = [f"missing {', '.join(missing)}" if missing else ""]
        parts.append(f"unknown {', '.join(unknown)}" if unknown else "")
        raise AgentTemplateFileError(
            f"Wrong columns ({'; '.join(p for p in parts if p)}). "
            f"The agent template has exactly: {', '.join(HEADERS)}."
        )
    dataset = tablib.Dataset(headers=headers)
    for row in table.rows:
        dataset.append([cell.strip() for cell in row])
    return TemplateFile(dataset=dataset, numbers=table.numbers)


@dataclass
class TemplateOutcome:
    rows_total: int = 0
    changed: list[Agent] = field(default_factory=list)
    unchanged: int = 0
    row_errors: list[dict[str, object]] = field(default_factory=list)


def _messages(error: object) -> str:
    detail = getattr(error, "message_dict", None)
    if detail:
        return "; ".join(
            f"{COLUMN_OF.get(name, name)}: {' '.join(msgs)}" for name, msgs in detail.items()
        )
    return " ".join(getattr(error, "messages", [str(error)]))


def _email(values: tuple[object, ...] | None) -> str:
    return str(values[0]) if values else ""


def validate_agent_template(file: TemplateFile) -> TemplateOutcome:
    """Every row checked; row errors carry the reader's row numbers (``row``)."""
    dataset = file.dataset
    resource = AgentTemplateResource()
    result = resource.import_data(dataset, dry_run=False, raise_errors=False)
    number_of = file.numbers  # import-export counts data rows from 1
    errors = [
        {"row": number_of[row.number - 1], "email": _email(row.values),
         "error": _messages(row.error)}
        for row in result.invalid_rows
    ]  # fmt: skip
    errors += [
        {"row": number_of[number - 1], "email": "", "error": str(error.error)}
        for number, row_errors in result.row_errors()
        for error in row_errors
    ]
    errors.sort(key=lambda item: item["row"])
    if len(resource.changed) > MAX_CHANGED_ROWS:
        raise AgentTemplateFileError(
            f"{len(resource.changed)} rows change agents; at most {MAX_CHANGED_ROWS} per file "
            "(unchanged rows do not count). Split the file."
        )
    return TemplateOutcome(
        rows_total=len(dataset),
        changed=resource.changed,
        unchanged=len(dataset) - len(resource.changed) - len(errors),
        row_errors=errors,
    )


def error_report(file: TemplateFile, row_errors: list[dict[str, object]]) -> str:
    """The original rows plus an ``Errors`` column (errors by the reader's row numbers)."""
    by_row: dict[int, list[str]] = {}
    for item in row_errors:
        by_row.setdefault(int(item["row"]), []).append(str(item["error"]))
    return csv_text(
        headers=[*file.dataset.headers, "Errors"],
        rows=(
            [*row, "; ".join(by_row.get(number, []))]
            for number, row in zip(file.numbers, file.dataset, strict=True)
        ),
    )


@transaction.atomic
def upload_agent_template(
    *, content: bytes, actor: Actor, file_name: str = ""
) -> AgentTemplateUpload:
    """Apply the agent template, all or nothing (see the module docstring)."""
    upload = AgentTemplateUpload(file_name=file_name[:255], actor_email=actor.email)
    try:
        file = read_agent_template(content)
    except AgentTemplateFileError as error:
        upload.file_error = str(error)
        upload.save()
        return upload
    try:
        outcome = validate_agent_template(file)
    except AgentTemplateFileError as error:
        upload.file_error = str(error)
        upload.save()
        return upload
    upload.rows_total = outcome.rows_total
    if outcome.row_errors:
        upload.row_errors = outcome.row_errors
        upload.error_report = error_report(file, outcome.row_errors)
        upload.save()
        return upload
    _apply(outcome.changed, actor=actor)
    upload.applied = True
    upload.updated, upload.unchanged = len(outcome.changed), outcome.unchanged
    upload.save()
    return upload


def _apply(changed: list[Agent], *, actor: Actor) -> None:
    if not changed:
        return
    for agent in changed:
        mark_pending(agent)
    Agent.objects.bulk_update(
        changed, [*DETAIL_FIELDS, "sync_status", "sync_error", "updated_at"], batch_size=1000
    )
    audit.record_many(
        actor=actor,
        changes=[
            Change(
                action=AuditAction.AGENT_DETAILS_UPLOADED,
                target_type="contactcenter.Agent",
                target_id=str(agent.user_id),
                target_repr=agent.user.email,
                after={name: getattr(agent, name) for name in DETAIL_FIELDS},
            )
            for agent in changed
        ],
    )
    request_sync()
