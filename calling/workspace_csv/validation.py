"""Validating a workspaces CSV as a whole, before anything is applied.

The user CSV's rules where they apply (SPEC §4, §5): strict TRUE/FALSE (blank = no
change), E.164 numbers (a missing + says so), 2–10 digit extensions, ``REMOVE`` in
Phone Number / Extension, TRUE in a suspended subscription's column refused, row
errors as ``row N, column C: message``. Rules of the workspace CSV:

* a row names one workspace by name (case-insensitive); a name twice is a file error;
* a workspace holds one Workspace Calling license: at most one subscription column
  TRUE. TRUE on another subscription than the current one is a **move** (calling data
  kept), whatever the current column says;
* TRUE on a suspended subscription is accepted only where the workspace already is
  (an export re-imported changes nothing);
* the current subscription's column FALSE (or every subscription column FALSE) with no
  TRUE: in *add and remove* mode the workspace **loses calling** (kept as a 30-day
  snapshot); in *add services only* mode nothing changes and the row gets a warning.
  A workspace is never deleted by the CSV (the page and the API delete);
* a new workspace needs a Location; with no subscription column TRUE it is created
  without calling; a workspace given calling needs an Extension or a Phone Number; a
  number or extension on a workspace without calling is an error;
* a row changing Location moves the workspace and its calling: its number must then
  belong to the new location (or be replaced in the same row).

The stateful rules (number free and in the location, extension free, licenses left)
are the services' own: ``imports.apply_plan`` runs them per row and turns their
errors into row errors.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models.functions import Lower

from calling.models import CallingProfile, Location, PhoneNumber, Workspace
from calling.services.profiles import EXTENSION
from calling.workspace_csv import columns as col
from licensing import catalogue
from licensing.csv.errors import CsvFileError
from licensing.csv.validation import ADD, ADD_REMOVE, check_phone, parse_bool
from licensing.models import LicenseAssignment, SubscriptionLine, SubscriptionStatus


@dataclass
class WorkspaceRow:
    number: int
    name: str
    cells: list[str]
    action: str = "unchanged"  # create / update / move / remove_calling / unchanged
    workspace_id: int | None = None
    location: Location | None = None  # the new location, when it changes
    extension: str | None = None  # None: unchanged, "": removed
    phone: str | None = None
    line: SubscriptionLine | None = None  # calling from this line (given or moved to)
    line_header: str = ""
    remove_calling: bool = False
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))

    @property
    def label(self) -> str:
        return self.name


@dataclass
class Plan:
    headers: list[str]
    mode: str
    rows: list[WorkspaceRow]

    @property
    def errors(self) -> list[str]:
        return [f"row {r.number}, column {c}: {m}" for r in self.rows for c, m in r.errors]

    @property
    def warnings(self) -> list[str]:
        return [f"row {r.number}, column {c}: {m}" for r in self.rows for c, m in r.warnings]

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
    extension: str = ""
    number: str = ""


class Validator:
    def __init__(self, *, headers: list[str], rows: list[list[str]], mode: str) -> None:
        if mode not in (ADD, ADD_REMOVE):
            raise CsvFileError(f"Unknown import mode '{mode}': use '{ADD}' or '{ADD_REMOVE}'.")
        self.headers, self.mode = headers, mode
        self.index = {h: i for i, h in enumerate(headers)}
        self.line_columns = col.check_headers(headers, col.lines())
        self.header_of = {line.pk: header for header, line in self.line_columns.items()}
        self.rows = [
            WorkspaceRow(number=n + 2, name=self._cell(r, col.NAME), cells=r)
            for n, r in enumerate(rows)
        ]
        self._check_duplicate_names()
        self.locations = {loc.name.casefold(): loc for loc in Location.objects.all()}
        self.current = self._load_current()

    def _cell(self, cells: list[str], column: str) -> str:
        i = self.index.get(column)
        return cells[i].strip() if i is not None else ""

    def _check_duplicate_names(self) -> None:
        seen: dict[str, int] = {}
        for row in self.rows:
            key = row.name.casefold()
            if key and key in seen:
                raise CsvFileError(
                    f"Workspace '{row.name}' is on row {seen[key]} and row {row.number}: "
                    "a workspace may appear on one row only."
                )
            seen[key] = row.number

    def _load_current(self) -> dict[str, Current]:
        """Current state of the workspaces the file names, by lower-cased name."""
        keys = {r.name.lower() for r in self.rows if r.name}
        found, key_of = {}, {}
        for ws_id, location_id, key in (
            Workspace.objects.annotate(key=Lower("name"))
            .filter(key__in=keys)
            .values_list("id", "location_id", "key")
        ):
            found[ws_id], key_of[ws_id] = Current(id=ws_id, location_id=location_id), key
        ids = list(found)
        for ws_id, line_id in LicenseAssignment.objects.filter(
            workspace_id__in=ids, license_type=catalogue.WORKSPACE_CALLING
        ).values_list("workspace_id", "line_id"):
            found[ws_id].line_id = line_id
        for ws_id, extension in CallingProfile.objects.filter(workspace_id__in=ids).values_list(
            "workspace_id", "extension"
        ):
            found[ws_id].extension = extension or ""
        for ws_id, e164 in PhoneNumber.objects.filter(profile__workspace_id__in=ids).values_list(
            "profile__workspace_id", "e164"
        ):
            found[ws_id].number = e164
        return {key_of[ws_id]: current for ws_id, current in found.items()}

    def plan(self) -> Plan:
        for row in self.rows:
            self._plan_row(row)
        return Plan(headers=self.headers, mode=self.mode, rows=self.rows)

    def _plan_row(self, row: WorkspaceRow) -> None:
        if not row.name:
            row.error(col.NAME, "The workspace name is required.")
            return
        current = self.current.get(row.name.lower())
        row.workspace_id = current.id if current else None
        self._plan_location(row, current)
        self._plan_license(row, current)
        if row.errors:  # what the number and extension mean depends on the license
            return
        self._plan_number_and_extension(row, current)
        if row.errors:
            return
        if current is None:
            row.action = "create"
        elif row.remove_calling:
            row.action = "remove_calling"
        elif row.location or row.extension is not None or row.phone is not None:
            row.action = "update"
        elif row.line is not None:
            row.action = "move"

    def _plan_location(self, row: WorkspaceRow, current: Current | None) -> None:
        name = self._cell(row.cells, col.LOCATION)
        if not name:
            if current is None:
                row.error(col.LOCATION, "A new workspace needs a Location.")
            return
        location = self.locations.get(name.casefold())
        if location is None:
            row.error(
                col.LOCATION,
                f"Location '{name}' does not exist: create it first, or use one of "
                f"{', '.join(sorted(loc.name for loc in self.locations.values())) or '(none yet)'}.",
            )
        elif current is None or location.pk != current.location_id:
            row.location = location

    def _plan_license(self, row: WorkspaceRow, current: Current | None) -> None:
        cells = {h: parse_bool(row, h, self._cell(row.cells, h)) for h in self.line_columns}
        trues = [h for h, v in cells.items() if v]
        held = current.line_id if current else None
        for header in trues:
            line = self.line_columns[header]
            if line.subscription.status != SubscriptionStatus.ACTIVE and line.pk != held:
                row.error(
                    header,
                    "This subscription is suspended or cancelled: choose an active one.",
                )
        if len(trues) > 1:
            row.error(
                trues[1],
                f"A workspace holds one Workspace Calling license: '{trues[0]}' and "
                f"'{trues[1]}' are both TRUE.",
            )
        if row.errors:
            return
        if trues:
            line = self.line_columns[trues[0]]
            if line.pk != held:
                row.line, row.line_header = line, trues[0]
            return
        if held is None:
            return
        current_header = self.header_of.get(held)
        all_false = bool(cells) and all(v is False for v in cells.values())
        if all_false or (current_header and cells.get(current_header) is False):
            if self.mode == ADD_REMOVE:
                row.remove_calling = True
            else:
                row.warnings.append(
                    (current_header or col.NAME,
                     "FALSE leaves calling as it is in 'add services only' mode; import in "
                     "'add and remove services' mode to remove the workspace's calling.")
                )  # fmt: skip

    def _plan_number_and_extension(self, row: WorkspaceRow, current: Current | None) -> None:
        phone = self._cell(row.cells, col.PHONE)
        extension = self._cell(row.cells, col.EXTENSION)
        has_calling = current is not None and current.line_id is not None
        if row.remove_calling:
            return
        check_phone(row, phone)
        if extension and extension.upper() != col.REMOVE and not EXTENSION.match(extension):
            row.error(col.EXTENSION, f"'{extension}' is not an extension: use 2 to 10 digits.")
        gets_calling = row.line is not None and not has_calling
        if not has_calling and not gets_calling:
            for column, value in ((col.PHONE, phone), (col.EXTENSION, extension)):
                if value and value.upper() != col.REMOVE:
                    row.error(
                        column,
                        "This workspace has no calling: set a Workspace Calling column TRUE "
                        "to give it calling with this value.",
                    )
            return
        if gets_calling:
            given = [v for v in (phone, extension) if v and v.upper() != col.REMOVE]
            if not given:
                row.error(col.EXTENSION, "Workspace Calling needs an Extension or a Phone Number.")
                return
            row.phone, row.extension = _wanted(phone, ""), _wanted(extension, "")
            return
        row.phone = _change(phone, current.number)
        row.extension = _change(extension, current.extension)
        final_phone = current.number if row.phone is None else row.phone
        final_extension = current.extension if row.extension is None else row.extension
        if not final_phone and not final_extension:
            row.error(
                col.EXTENSION,
                "A workspace with calling keeps an Extension or a Phone Number: "
                "do not REMOVE both.",
            )


def _wanted(value: str, default: str) -> str:
    return default if not value or value.upper() == col.REMOVE else value


def _change(value: str, current: str) -> str | None:
    """``None`` when the cell changes nothing; ``""`` to remove; else the new value."""
    if not value:
        return None
    if value.upper() == col.REMOVE:
        return "" if current else None
    return None if value == current else value


def validate(*, headers: list[str], rows: list[list[str]], mode: str = ADD) -> Plan:
    return Validator(headers=headers, rows=rows, mode=mode).plan()
