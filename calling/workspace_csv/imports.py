"""The one workspace-CSV import service the page, the API, the task and the command
call: validate the whole file, then apply it all or nothing.

Applying runs the workspace services row by row (one savepoint each) inside one
transaction, so every rule lives in one place (``calling.services.workspaces``) and
the line locks of licensing's protocol apply. A service's refusal becomes a row error
naming the column; if any row has an error, or on a dry run, the whole transaction
is rolled back. Dry runs therefore also report the stateful errors (number taken,
no licenses left) an apply would hit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from calling.models import Workspace
from calling.services import workspaces as service
from calling.workspace_csv import columns as col
from calling.workspace_csv.reading import read_rows
from calling.workspace_csv.validation import ADD, Plan, WorkspaceRow, validate
from licensing.csv.imports import error_report  # the same report: rows + Errors, Warnings
from partnerhub.audit.services import Actor, record
from partnerhub.errors import DomainError

__all__ = ["ImportResult", "error_report", "import_workspaces"]

Progress = Callable[[int], None]
FIELD_COLUMNS = {
    "name": col.NAME,
    "location": col.LOCATION,
    "number": col.PHONE,
    "extension": col.EXTENSION,
}


@dataclass
class ImportResult:
    plan: Plan
    applied: bool

    @property
    def counts(self) -> dict[str, int]:
        return self.plan.counts()


class _RollBack(Exception):
    pass


def import_workspaces(
    *,
    content: bytes,
    actor: Actor,
    mode: str = ADD,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """File-level problems raise ``CsvFileError``; row errors are in the plan and then
    nothing is applied."""
    headers, rows = read_rows(content)
    plan = validate(headers=headers, rows=rows, mode=mode)
    if progress:
        progress(0)
    try:
        with transaction.atomic():
            _apply(plan, actor=actor, progress=progress)
            if dry_run or plan.errors:
                raise _RollBack
            record(
                actor=actor, action="calling.workspace.csv_imported",
                target_type="calling.Workspace", target_repr=f"{len(plan.rows)} rows",
                after={"mode": mode, **plan.counts()},
            )  # fmt: skip
    except _RollBack:
        return ImportResult(plan=plan, applied=False)
    return ImportResult(plan=plan, applied=True)


def _apply(plan: Plan, *, actor: Actor, progress: Progress | None) -> None:
    for done, row in enumerate(plan.rows, start=1):
        if not row.errors and row.action != "unchanged":
            try:
                with transaction.atomic():
                    _apply_row(row, actor)
            except DomainError as error:
                row.error(_column_of(error, row), error.message)
        if progress and done % 200 == 0:
            progress(done)


def _apply_row(row: WorkspaceRow, actor: Actor) -> None:
    if row.action == "create":
        service.create_workspace(
            name=row.name, location=row.location, actor=actor, line=row.line,
            extension=row.extension or "", number=row.phone or "",
        )  # fmt: skip
        return
    workspace = Workspace.objects.select_related("location").get(pk=row.workspace_id)
    if row.remove_calling:
        service.remove_workspace_calling(
            workspace=workspace, actor=actor, confirm=True, reason="csv_import"
        )
        if row.location:
            service.update_workspace(workspace=workspace, actor=actor, location=row.location)
        return
    has_calling = service.calling_license(workspace) is not None
    if row.line is not None and has_calling:
        service.move_workspace_license(workspace=workspace, to_line=row.line, actor=actor)
    if row.line is not None and not has_calling:
        if row.location:
            workspace = service.update_workspace(
                workspace=workspace, actor=actor, location=row.location
            )
        service.set_workspace_license(
            workspace=workspace, line=row.line, actor=actor,
            extension=row.extension or "", number=row.phone or "",
        )  # fmt: skip
        return
    if row.location or row.extension is not None or row.phone is not None:
        service.update_workspace(
            workspace=workspace, actor=actor, location=row.location,
            extension=row.extension, number=row.phone,
        )  # fmt: skip


def _column_of(error: DomainError, row: WorkspaceRow) -> str:
    field = error.details.get("field")
    if field in FIELD_COLUMNS:
        return FIELD_COLUMNS[field]
    if row.line_header and (field == "line" or "subscription" in error.details or field is None):
        return row.line_header
    return col.NAME
