"""The one import service the page, the API, the task and the command call."""

from __future__ import annotations

from dataclasses import dataclass

from licensing.csv.applying import Progress, apply_plan
from licensing.csv.reading import read_users_csv
from licensing.csv.validation import ADD, Plan, validate
from partnerhub.audit.services import Actor
from partnerhub.bulk import cyclic_gc_paused
from partnerhub.csvfiles.writing import csv_text


@dataclass
class ImportResult:
    """What an import did (users or workspaces CSV): its plan, and whether it applied."""

    plan: Plan
    applied: bool

    @property
    def counts(self) -> dict[str, int]:
        return self.plan.counts()


def import_users(
    *,
    content: bytes,
    actor: Actor,
    mode: str = ADD,
    dry_run: bool = False,
    confirm_calling_loss: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate the whole file; apply it only if no row has an error (all or nothing).
    A row that removes calling data is an error unless ``confirm_calling_loss``, which
    the upload page, the API and the command ask for explicitly (the dry run reports
    the same rows). File-level problems raise ``CsvFileError``. ``progress(done,
    total)`` is told the rows done of the file's rows (the reader's count)."""
    with cyclic_gc_paused():
        table = read_users_csv(content)
        plan = validate(
            headers=table.headers, rows=table.rows, numbers=table.numbers, mode=mode,
            confirm_calling_loss=confirm_calling_loss,
        )  # fmt: skip
        # Its rows live on in the plan; nothing else of it is needed. The validator's
        # working state is freed as it goes (no reference cycle is left to collect:
        # a pass over the young objects cost 60 ms at 20,000 rows).
        del table
        if progress:
            progress(0, len(plan.rows))
        if dry_run or plan.errors:
            return ImportResult(plan=plan, applied=False)
        apply_plan(plan, actor=actor, progress=progress)
    return ImportResult(plan=plan, applied=True)


def error_report(plan: Plan) -> str:
    """The original rows plus an Errors column (and Warnings), as CSV text written by
    the one writer (uploaded cells echoed spreadsheet-safe)."""
    return csv_text(
        headers=[*plan.headers, "Errors", "Warnings"],
        rows=(
            [
                *row.cells,
                "; ".join(f"{c}: {m}" for c, m in row.errors),
                "; ".join(f"{c}: {m}" for c, m in row.warnings),
            ]
            for row in plan.rows
        ),
    )
