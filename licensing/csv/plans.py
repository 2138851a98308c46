"""The plan of a user CSV (SPEC §4): per row what would change (create / update /
move / delete / unchanged) with its errors and warnings, and the file's ``Plan`` that
``applying.apply_plan`` writes. ``PlanMessages`` is what the workspaces CSV's plan
shares with it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from licensing.models import SubscriptionLine
from licensing.services import hooks

ADD = "add"
ADD_REMOVE = "add-remove"


@dataclass(slots=True)  # 20,000 of them: no per-row __dict__
class RowPlan:
    number: int
    email: str
    cells: list[str]
    action: str = "unchanged"
    user_id: int | None = None
    fields: dict[str, object] = field(default_factory=dict)
    add: dict[str, int | None] = field(default_factory=dict)  # type -> line id (None: basic)
    remove: set[str] = field(default_factory=set)  # license types
    move: dict[int, int] = field(default_factory=dict)  # assignment id -> new line id
    decided: set[str] = field(default_factory=set)  # license types the row settled
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    # Calling: does the user end with a package with calling (None: not planned), did
    # it hold one, and what the row does to its calling data.
    calling: bool | None = None
    had_calling: bool = False
    calling_change: Any = None  # calling's change of the row (CallingHooks)

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))


class PlanMessages:
    """What every CSV plan (users, workspaces) reports the same way: its rows'
    errors and warnings as ``row N, column C: message``, and the calling losses still
    waiting for a confirmation. Needs ``rows``, ``confirm_calling_loss`` and
    ``calling_losses``."""

    rows: list[Any]
    confirm_calling_loss: bool
    calling_losses: list[str]

    @property
    def unconfirmed_calling_losses(self) -> list[str]:
        return [] if self.confirm_calling_loss else self.calling_losses

    @property
    def errors(self) -> list[str]:
        return [f"row {r.number}, column {c}: {m}" for r in self.rows for c, m in r.errors]

    @property
    def warnings(self) -> list[str]:
        return [f"row {r.number}, column {c}: {m}" for r in self.rows for c, m in r.warnings]


@dataclass
class Plan(PlanMessages):
    headers: list[str]
    mode: str
    rows: list[RowPlan]
    lines: dict[int, SubscriptionLine]
    # user id -> type -> (assignment, line); (None, None) for a basic license (no row)
    held: dict[int, dict[str, tuple[int | None, int | None]]]
    calling: Any = field(default_factory=lambda: hooks.calling().CallingBatch())
    confirm_calling_loss: bool = False

    @property
    def calling_losses(self) -> list[str]:
        """E-mails of the users whose calling data the file removes."""
        return [
            r.email
            for r in self.rows
            if r.calling_change and hooks.calling().loses_calling(r.calling_change)
        ]

    def counts(self) -> dict[str, int]:
        counts = Counter(row.action for row in self.rows if not row.errors)
        return {
            "created": counts["create"], "updated": counts["update"], "moved": counts["move"],
            "deleted": counts["delete"], "unchanged": counts["unchanged"],
            "warnings": sum(len(r.warnings) for r in self.rows),
            "errors": sum(len(r.errors) for r in self.rows),
        }  # fmt: skip
