"""What a workspaces CSV would do, row by row (``validation`` builds it, ``imports``
applies it): each row's workspace as it is (``Current``) and what the row changes
(``WorkspaceRow``), and the file's ``Plan`` with its messages and counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from calling.models import Location
from calling.services import bulk as calling_bulk
from licensing.csv.plans import PlanMessages
from licensing.models import SubscriptionLine


@dataclass
class WorkspaceRow:
    number: int
    name: str
    cells: list[str]
    action: str = "unchanged"  # create / update / move / remove_calling / unchanged
    workspace_id: int | None = None
    location: Location | None = None  # the new location, when it changes
    line: SubscriptionLine | None = None  # calling from this line (given or moved to)
    line_header: str = ""
    remove_calling: bool = False
    current: Current | None = None  # what the workspace has now (None: a new one)
    calling_change: calling_bulk.CallingChange | None = None
    loses: str = ""  # what the workspace loses with its calling, when the row removes it
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))

    @property
    def label(self) -> str:
        return self.name

    @property
    def calling(self) -> bool | None:
        """Ends with calling (True), loses it (False), none before or after (None)."""
        if self.remove_calling:
            return False
        if self.line is not None or (self.current is not None and self.current.line_id):
            return True
        return None


@dataclass
class Plan(PlanMessages):
    headers: list[str]
    mode: str
    rows: list[WorkspaceRow]
    calling: calling_bulk.CallingBatch = field(default_factory=calling_bulk.CallingBatch)
    lines: dict[int, SubscriptionLine] = field(default_factory=dict)
    location_names: dict[int, str] = field(default_factory=dict)
    confirm_calling_loss: bool = False

    @property
    def calling_losses(self) -> list[str]:
        """Names of the workspaces whose calling the file removes."""
        return [r.name for r in self.rows if r.loses]

    def counts(self) -> dict[str, int]:
        counts = Counter(row.action for row in self.rows if not row.errors)
        return {
            "created": counts["create"], "updated": counts["update"], "moved": counts["move"],
            "calling_removed": counts["remove_calling"], "unchanged": counts["unchanged"],
            "warnings": sum(len(r.warnings) for r in self.rows),
            "errors": sum(len(r.errors) for r in self.rows),
        }  # fmt: skip


@dataclass
class Current:
    """What a workspace has now."""

    id: int
    location_id: int
    line_id: int | None = None
    assignment_id: int | None = None


def row_action(row: WorkspaceRow) -> str:
    """What the row does to its workspace, once it has no errors."""
    change = row.calling_change
    if row.current is None:
        return "create"
    if row.remove_calling:
        return "remove_calling"
    if row.location or (change and change.kind in (calling_bulk.CREATE, calling_bulk.UPDATE)):
        return "update"
    if row.line is not None:
        return "move"
    return "unchanged"
