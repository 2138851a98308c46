"""The one workspace-CSV import service the page, the API, the task and the command
call: validate the whole file, then apply it all or nothing.

Validation (``validation.validate``) checks every row against the org's state in a
handful of queries and reports every row error; a dry run or a file with errors stops
there. Applying writes the whole plan with bulk statements in one transaction, the
user CSV's way (``licensing.csv.applying``): licensing's protocol (``lock_lines`` the
lines drawn from, write the assignments, ``ensure_capacity``), calling data through
``calling.services.bulk`` (snapshots of removed calling data first), one audit entry
per changed workspace. Something that changed since validation (a number or the last
license taken meanwhile) raises its ``DomainError`` and nothing is applied.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from calling import errors
from calling.models import Workspace
from calling.services import bulk as calling_bulk
from calling.workspaces.csv.plans import Plan, WorkspaceRow
from calling.workspaces.csv.validation import ADD, validate
from licensing import catalogue
from licensing.csv.imports import (
    ImportResult,
    error_report,  # the same report: rows + Errors, Warnings
)
from licensing.models import LicenseAssignment
from licensing.services.licenses import ensure_capacity, ensure_usable, lock_lines
from licensing.services.line_order import lock_lines_of
from licensing.services.summary import schedule_usage_summary
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, Change, record, record_many
from partnerhub.bulk import (
    among,
    collect_young_cycles,
    copy_insert,
    cyclic_gc_paused,
    update_from_values,
)
from partnerhub.csvfiles.reading import read_table

__all__ = ["ImportResult", "apply_plan", "error_report", "import_workspaces"]

Progress = Callable[[int, int], None]  # rows done, rows of the file
SNAPSHOT_REASON = "csv_import"
AUDIT_ACTIONS = {
    "create": AuditAction.CALLING_WORKSPACE_CREATED,
    "update": AuditAction.CALLING_WORKSPACE_UPDATED,
    "move": AuditAction.CALLING_WORKSPACE_LICENSE_MOVED,
    "remove_calling": AuditAction.CALLING_WORKSPACE_REMOVED,
}


def import_workspaces(
    *,
    content: bytes,
    actor: Actor,
    mode: str = ADD,
    dry_run: bool = False,
    confirm_calling_loss: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """File-level problems raise ``CsvFileError``; row errors are in the plan and then
    nothing is applied. A row that removes a workspace's calling is an error unless
    ``confirm_calling_loss``, which the upload page, the API and the command ask for
    explicitly (the dry run reports the same rows)."""
    with cyclic_gc_paused():  # as the users CSV (``partnerhub.bulk``)
        table = read_table(content, what="workspaces CSV")
        plan = validate(
            headers=table.headers, rows=table.rows, numbers=table.numbers, mode=mode,
            confirm_calling_loss=confirm_calling_loss,
        )  # fmt: skip
        collect_young_cycles()  # the validator's working state, before applying
        if progress:
            progress(0, len(plan.rows))
        if dry_run or plan.errors:
            return ImportResult(plan=plan, applied=False)
        apply_plan(plan, actor=actor, progress=progress)
    return ImportResult(plan=plan, applied=True)


@transaction.atomic
def apply_plan(plan: Plan, *, actor: Actor, progress: Progress | None = None) -> None:
    """Apply a plan without errors (the caller refuses plans with errors)."""
    rows = [r for r in plan.rows if r.action != "unchanged"]
    taken = [r for r in rows if r.line is not None]
    # The lines of licenses given back (removed, moved) first, in id order: line_order.
    releasing = [r.workspace_id for r in rows if r.current and (r.remove_calling or r.line)]
    lock_lines_of(workspace_ids=releasing, line_ids=[r.line.pk for r in taken] if releasing else ())
    locked = lock_lines(r.line.pk for r in taken)
    for line in locked.values():
        ensure_usable(line)
    before = _states(plan, rows)
    # Calling lost: snapshot (30 days), numbers released, then the licenses.
    calling_bulk.remove_calling(plan.calling, actor=actor, reason=SNAPSHOT_REASON, audit=False)
    removed = [r.current.assignment_id for r in rows if r.remove_calling and r.current]
    LicenseAssignment.objects.filter(pk__in=among(a for a in removed if a)).delete()
    _create_workspaces([r for r in rows if r.action == "create"])
    moved_location = [(r.workspace_id, r.location.pk) for r in rows if r.current and r.location]
    if moved_location:
        update_from_values(
            Workspace._meta.db_table, moved_location, ["id", "location_id"], ["bigint", "bigint"]
        )
    if progress:
        progress(len(plan.rows) // 2, len(plan.rows))
    _write_licenses(taken)
    ensure_capacity(locked, added=_units_added(taken))
    calling_bulk.write_calling(
        plan.calling, actor=actor, workspace_ids={r.number: r.workspace_id for r in rows},
        reason=SNAPSHOT_REASON, audit=False,
    )  # fmt: skip
    _audit(plan, rows, before, actor)
    if taken or removed:
        schedule_usage_summary()
    if progress:
        progress(len(plan.rows), len(plan.rows))


def _create_workspaces(rows: list[WorkspaceRow]) -> None:
    if not rows:
        return
    now = timezone.now()
    try:
        with transaction.atomic():
            copy_insert(Workspace, ["name", "location", "created_at"],
                        ([r.name, r.location.pk, now] for r in rows))  # fmt: skip
    except IntegrityError:
        raise errors.WorkspaceNameTaken(
            "A workspace of the file was created by someone else while it was being imported; "
            "nothing was applied. Import the file again.",
            field="name",
        ) from None
    ids = dict(
        Workspace.objects.filter(name__in=among((r.name for r in rows), "text")).values_list(
            "name", "pk"
        )
    )
    for row in rows:
        row.workspace_id = ids[row.name]


def _write_licenses(rows: list[WorkspaceRow]) -> None:
    """Moves keep the assignment (and so the calling data) and change its line; new
    calling gets a new assignment."""
    moves = [(r.current.assignment_id, r.line.pk) for r in rows if r.current and r.current.line_id]
    if moves:
        update_from_values(
            LicenseAssignment._meta.db_table, moves, ["id", "line_id"], ["bigint", "bigint"]
        )
    kind = catalogue.license_type(catalogue.WORKSPACE_CALLING).kind
    now = timezone.now()
    copy_insert(
        LicenseAssignment, ["workspace", "line", "license_type", "kind", "assigned_at"],
        ([r.workspace_id, r.line.pk, catalogue.WORKSPACE_CALLING, kind, now]
         for r in rows if not (r.current and r.current.line_id)),
    )  # fmt: skip


def _units_added(rows: list[WorkspaceRow]) -> dict[int, int]:
    added: dict[int, int] = {}
    for row in rows:
        added[row.line.pk] = added.get(row.line.pk, 0) + 1
    return added


def _states(plan: Plan, rows: list[WorkspaceRow]) -> dict[int, dict[str, Any] | None]:
    """Each changing row's workspace as audited before the change (None: a new one)."""
    return {r.number: _state(plan, r, before=True) if r.current else None for r in rows}


def _state(plan: Plan, row: WorkspaceRow, *, before: bool) -> dict[str, Any]:
    current, change = row.current, row.calling_change
    location_id = current.location_id if before or row.location is None else row.location.pk
    if before:
        line_id = current.line_id if current else None
        calling = change.before if change else None
    else:
        held = current.line_id if current else None
        line_id = None if row.remove_calling else (row.line.pk if row.line else held)
        calling = None if row.remove_calling else (change.after if change else None)
    line = plan.lines.get(line_id) if line_id else None
    state: dict[str, Any] = {
        "name": row.name,
        "location": plan.location_names[location_id],
        "license": line.subscription.external_id if line else ("held" if line_id else ""),
    }
    if calling:
        state |= {"number": calling["number"], "extension": calling["extension"]}
    return state


def _audit(
    plan: Plan, rows: list[WorkspaceRow], before: dict[int, dict[str, Any] | None], actor: Actor
) -> None:
    record_many(
        actor=actor,
        changes=(
            Change(
                action=AUDIT_ACTIONS[r.action],
                target_type="calling.Workspace",
                target_id=str(r.workspace_id),
                target_repr=r.name,
                before=before[r.number],
                after={**_state(plan, r, before=False), "via": "csv"},
            )
            for r in rows
        ),
    )
    record(
        actor=actor, action=AuditAction.CALLING_WORKSPACE_CSV_IMPORTED,
        target_type="calling.Workspace", target_repr=f"{len(plan.rows)} rows",
        after={"mode": plan.mode, **plan.counts()},
    )  # fmt: skip
