"""The agent template: after sync, the agent details (team, site, skill profile, agent
profile) are exported for the synced agents and uploaded back (SPEC §7).

Rules: the file is checked whole first (encoding, headers, size) — a file-level
error applies nothing; then every row — any row error applies nothing. A row names
a synced agent by e-mail; other users are row errors. The row is the truth: a blank
cell clears that detail. Changed agents are marked pending, so the next sync pushes
their details to the roster.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import tablib
from django.db import transaction

from contactcenter.models import Agent, AgentTemplateUpload
from contactcenter.resources import DETAIL_FIELDS, AgentTemplateResource
from contactcenter.selectors import synced_agents
from contactcenter.services.agents import mark_pending
from contactcenter.services.sync import request_sync
from partnerhub.audit import services as audit
from partnerhub.audit.services import Actor, Change

HEADERS = ("Agent Email", "Team", "Site", "Skill Profile", "Agent Profile")
COLUMN_OF = dict(zip(("email", *DETAIL_FIELDS), HEADERS, strict=True))
MAX_ROWS = 1000  # SPEC §7: at most 1,000 contact-center rows per CSV
MAX_BYTES = 1_000_000


class AgentTemplateFileError(Exception):
    """The file as a whole cannot be read; nothing is applied."""


def export_agent_template() -> str:
    """The template as CSV text: one row per synced agent, current details filled in
    (formulae escaped: ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT``)."""
    return AgentTemplateResource().export(queryset=synced_agents()).csv


def read_agent_template(content: bytes) -> tablib.Dataset:
    if not content.strip():
        raise AgentTemplateFileError("The file is empty: upload the exported agent template.")
    if len(content) > MAX_BYTES:
        raise AgentTemplateFileError(f"The file is over {MAX_BYTES // 1_000_000} MB.")
    if b"\x00" in content:
        raise AgentTemplateFileError("This is not a CSV file (it contains binary data).")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise AgentTemplateFileError(
            "The file is not UTF-8 text: save it as CSV UTF-8 and upload it again."
        ) from error
    rows = list(csv.reader(io.StringIO(text)))
    headers = [header.strip() for header in rows[0]]
    missing = [h for h in HEADERS if h not in headers]
    unknown = [h for h in headers if h not in HEADERS]
    if missing or unknown:
        parts = [f"missing {', '.join(missing)}" if missing else ""]
        parts.append(f"unknown {', '.join(unknown)}" if unknown else "")
        raise AgentTemplateFileError(
            f"Wrong columns ({'; '.join(p for p in parts if p)}). "
            f"The agent template has exactly: {', '.join(HEADERS)}."
        )
    body = [row for row in rows[1:] if any(cell.strip() for cell in row)]
    if len(body) > MAX_ROWS:
        raise AgentTemplateFileError(f"{len(body)} rows: at most {MAX_ROWS} rows per file.")
    dataset = tablib.Dataset(headers=headers)
    for number, row in enumerate(body, 2):
        if len(row) != len(headers):
            raise AgentTemplateFileError(
                f"Line {number} has {len(row)} cells, the header {len(headers)}."
            )
        dataset.append([cell.strip() for cell in row])
    return dataset


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


def validate_agent_template(dataset: tablib.Dataset) -> TemplateOutcome:
    resource = AgentTemplateResource()
    result = resource.import_data(dataset, dry_run=False, raise_errors=False)
    errors = [
        {"row": row.number + 1, "email": _email(row.values), "error": _messages(row.error)}
        for row in result.invalid_rows
    ]
    errors += [
        {"row": number + 1, "email": "", "error": str(error.error)}
        for number, row_errors in result.row_errors()
        for error in row_errors
    ]
    errors.sort(key=lambda item: item["row"])
    return TemplateOutcome(
        rows_total=len(dataset),
        changed=resource.changed,
        unchanged=len(dataset) - len(resource.changed) - len(errors),
        row_errors=errors,
    )


def error_report(dataset: tablib.Dataset, row_errors: list[dict[str, object]]) -> str:
    """The original rows plus an ``Errors`` column (row 2 is the first data row)."""
    by_row: dict[int, list[str]] = {}
    for item in row_errors:
        by_row.setdefault(int(item["row"]), []).append(str(item["error"]))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*dataset.headers, "Errors"])
    for number, row in enumerate(dataset, 2):
        writer.writerow([*row, "; ".join(by_row.get(number, []))])
    return out.getvalue()


@transaction.atomic
def upload_agent_template(
    *, content: bytes, actor: Actor, file_name: str = ""
) -> AgentTemplateUpload:
    """Apply the agent template, all or nothing (see the module docstring)."""
    upload = AgentTemplateUpload(file_name=file_name[:255], actor_email=actor.email)
    try:
        dataset = read_agent_template(content)
    except AgentTemplateFileError as error:
        upload.file_error = str(error)
        upload.save()
        return upload
    outcome = validate_agent_template(dataset)
    upload.rows_total = outcome.rows_total
    if outcome.row_errors:
        upload.row_errors = outcome.row_errors
        upload.error_report = error_report(dataset, outcome.row_errors)
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
                action="agent.details_uploaded",
                target_type="contactcenter.Agent",
                target_id=str(agent.user_id),
                target_repr=agent.user.email,
                after={name: getattr(agent, name) for name in DETAIL_FIELDS},
            )
            for agent in changed
        ],
    )
    request_sync()
