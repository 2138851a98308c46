"""The shapes of a calling batch (``calling.services.bulk``): what a row of the user
or workspace CSV wants (``WantedCalling``), what it does to the holder's calling data
(``CallingChange``) and the batch's changes, errors and warnings (``CallingBatch``).
Licensing's user CSV reaches them through ``CallingHooks``."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

REMOVE = "REMOVE"
NUMBER, EXT, LOCATION = "number", "extension", "location"

# What happens to a holder's calling data.
CREATE, UPDATE, REMOVED, UNCHANGED = "create", "update", "remove", "unchanged"
# Whose calling data.
USER, WORKSPACE = "user", "workspace"


@dataclass(frozen=True)
class WantedCalling:
    """One row of the batch. ``calling``: True when the holder ends with calling (a
    package with calling, a Workspace Calling license), False when it loses it, None
    when it has none before or after; ``deleted``: the holder itself is deleted.
    ``number`` / ``extension`` / ``location`` are the cells as given: blank = no
    change, ``REMOVE`` = remove. ``email`` names the holder: a user's e-mail, a
    workspace's name; ``workspace_id`` is set for an existing workspace."""

    key: Hashable
    email: str
    user_id: int | None
    calling: bool | None
    deleted: bool = False
    number: str = ""
    extension: str = ""
    location: str = ""
    holder: str = USER
    workspace_id: int | None = None

    @property
    def holder_id(self) -> int | None:
        return self.workspace_id if self.holder == WORKSPACE else self.user_id


@dataclass
class CallingChange:
    """What a row does to the holder's calling data (``kind``), before and after."""

    key: Hashable
    email: str
    user_id: int | None
    kind: str
    profile_id: int | None = None
    location_id: int | None = None
    extension: str | None = None
    number_id: int | None = None
    before: dict[str, str] | None = None
    after: dict[str, str] | None = None
    holder: str = USER
    workspace_id: int | None = None

    @property
    def holder_id(self) -> int | None:
        return self.workspace_id if self.holder == WORKSPACE else self.user_id

    def describe(self) -> str:
        """The change as words, for a dry run."""

        def text(state: dict[str, str] | None) -> str:
            state = state or {}
            parts = [f"location {state.get('location')}"]
            if state.get("number"):
                parts.append(f"number {state['number']}")
            if state.get("extension"):
                parts.append(f"extension {state['extension']}")
            return ", ".join(parts)

        if self.kind == CREATE:
            return f"calling set up: {text(self.after)}"
        if self.kind == REMOVED:
            return f"calling removed: {text(self.before)}"
        return f"calling changed from {text(self.before)} to {text(self.after)}"


@dataclass
class CallingBatch:
    changes: dict[Hashable, CallingChange] = field(default_factory=dict)
    errors: list[tuple[Hashable, str, str]] = field(default_factory=list)  # key, field, message
    warnings: list[tuple[Hashable, str, str]] = field(default_factory=list)

    def changed(self, kind: str | None = None) -> list[CallingChange]:
        return [c for c in self.changes.values() if c.kind != UNCHANGED and kind in (None, c.kind)]
