"""Bulk actions on the users an admin selected (issue #11 "users for thousands").

A package change or a delete of many users goes the users CSV's way, so every rule
lives once: the selection is exported with the CSV's columns, the change is written
into those rows (the package column TRUE, or every package column FALSE, which
deletes the user — SPEC §4), and the rows are validated as a dry run — the preview,
with the same calling-loss list and confirmation as an upload — before they run as a
task of the org (``partnerhub.jobs.services.start_user_import``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from licensing.csv import columns as col
from licensing.csv.imports import import_users
from licensing.csv.resources import UserResource
from licensing.csv.validation import ADD_REMOVE
from licensing.models import OrgUser, SubscriptionLine
from partnerhub.audit.services import Actor
from partnerhub.csvfiles.writing import csv_text


def selection_csv(user_ids: Sequence[int]) -> str:
    """The selected users exactly as the users export writes them."""
    resource = UserResource()
    dataset = resource.export(queryset=resource.get_queryset().filter(pk__in=user_ids))
    return csv_text(headers=dataset.headers, rows=dataset)  # the one writer: safe cells


def package_change_csv(user_ids: Sequence[int], *, line: SubscriptionLine | None) -> bytes:
    """The selection with its package columns rewritten: ``line``'s column TRUE and
    every other FALSE; ``line=None`` makes every package column FALSE (delete)."""
    rows = list(csv.reader(io.StringIO(selection_csv(user_ids))))
    headers, body = rows[0], rows[1:]
    lines = col.package_lines()
    wanted = {
        index: "TRUE" if line is not None and resolved == line else "FALSE"
        for index, header in enumerate(headers)
        if (
            resolved := col.resolve_package_header(header.removesuffix(col.SUSPENDED_SUFFIX), lines)
        )
    }
    for row in body:
        for index, value in wanted.items():
            row[index] = value
    out = io.StringIO()
    csv.writer(out).writerows([headers, *body])
    return out.getvalue().encode()


@dataclass(frozen=True)
class BulkPreview:
    """What a bulk package change or delete would do, before anything runs."""

    content: bytes
    errors: list[str]
    calling_losses: list[str]  # e-mails of the users who would lose calling data
    counts: dict[str, int]


def preview_package_change(
    *, user_ids: Sequence[int], line: SubscriptionLine | None, actor: Actor
) -> BulkPreview:
    """Validate the change as the import would (dry run, nothing written). Calling
    losses are listed, not errors: the page asks to confirm them."""
    content = package_change_csv(user_ids, line=line)
    result = import_users(
        content=content, actor=actor, mode=ADD_REMOVE, dry_run=True, confirm_calling_loss=True
    )
    plan = result.plan
    return BulkPreview(
        content=content,
        errors=plan.errors,
        calling_losses=plan.calling_losses,
        counts=plan.counts(),
    )


def selected_users(user_ids: Sequence[int]) -> list[OrgUser]:
    return list(OrgUser.objects.filter(pk__in=user_ids).order_by("email"))
