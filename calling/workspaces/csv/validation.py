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
  snapshot), and only with ``confirm_calling_loss`` (issue #4 item 5): unconfirmed,
  the row is an error naming what the workspace would lose and how to confirm, as
  the single-workspace services refuse it unconfirmed; in *add services only* mode
  nothing changes and the row gets a warning.
  A workspace is never deleted by the CSV (the page and the API delete);
* a new workspace needs a Location; with no subscription column TRUE it is created
  without calling; a workspace given calling needs an Extension or a Phone Number; a
  number or extension on a workspace without calling is an error;
* a row changing Location moves the workspace and its calling: its number must then
  belong to the new location (or be replaced in the same row).

The whole file is checked in a handful of queries, nothing written: the workspaces
named, their licenses, the lines' usage (no line over-consumed, rows taking units in
file order after the units the file frees), and the calling data against the number
inventory with the user CSV's checker (``calling.services.bulk.validate_calling``,
workspaces as holders). ``imports.apply_plan`` then writes it all in bulk.
"""

from __future__ import annotations

from django.db.models.functions import Lower

from calling.models import CallingSnapshot, Location, PhoneNumber, Workspace
from calling.services import bulk as calling_bulk
from calling.workspaces.csv import columns as col
from calling.workspaces.csv.plans import Current, Plan, WorkspaceRow, row_action
from calling.workspaces.names import NAME_MAX
from licensing import catalogue
from licensing.csv.cells import CsvValidator, check_extension, check_phone, parse_bool
from licensing.csv.errors import CsvFileError
from licensing.csv.plans import ADD, ADD_REMOVE
from licensing.models import LicenseAssignment, SubscriptionStatus
from licensing.services.licenses import exhausted_message, line_usage
from partnerhub.bulk import among
from partnerhub.csvfiles.reading import known_headers
from partnerhub.rules import name_problem

_HOW_TO_CONFIRM = (
    "Removing calling needs confirmation: if that is intended, upload the file again with "
    "'Confirm calling loss' ticked (API: confirm_calling_loss=true; manage.py "
    "import_workspaces: --confirm-calling-loss)."
)
CALLING_COLUMNS = {
    calling_bulk.NUMBER: col.PHONE,
    calling_bulk.EXT: col.EXTENSION,
    calling_bulk.LOCATION: col.LOCATION,
}


class Validator(CsvValidator):
    def __init__(
        self,
        *,
        headers: list[str],
        rows: list[list[str]],
        mode: str,
        confirm_calling_loss: bool = False,
        numbers: list[int] | None = None,
    ) -> None:
        headers = known_headers(headers, col.FIXED_COLUMNS)
        super().__init__(headers=headers, mode=mode, confirm_calling_loss=confirm_calling_loss)
        self.line_columns = col.check_headers(headers, col.lines())
        self.header_of = {line.pk: header for header, line in self.line_columns.items()}
        self.rows = [
            WorkspaceRow(number=n, name=self._cell(r, col.NAME), cells=r)
            for n, r in zip(self._numbers(rows, numbers), rows, strict=True)
        ]
        self._check_duplicate_names()
        self.locations = {loc.name.casefold(): loc for loc in Location.objects.all()}
        self.location_names = {loc.pk: loc.name for loc in self.locations.values()}
        self.current = self._load_current()
        # Numbers of the inventory were checked when added: only others need parsing.
        given = {self._cell(r.cells, col.PHONE) for r in self.rows} - {""}
        self.inventory = set(
            PhoneNumber.objects.filter(e164__in=among(given, "text")).values_list("e164", flat=True)
        )

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
        """Current state of the workspaces the file names, by lower-cased name (their
        calling data is read by ``validate_calling``)."""
        keys = [r.name.lower() for r in self.rows if r.name]
        found, key_of = {}, {}
        for ws_id, location_id, key in (
            Workspace.objects.annotate(key=Lower("name"))
            .filter(key__in=among(keys, "text"))
            .values_list("id", "location_id", "key")
        ):
            found[ws_id], key_of[ws_id] = Current(id=ws_id, location_id=location_id), key
        for ws_id, line_id, assignment_id in LicenseAssignment.objects.filter(
            workspace_id__in=among(found), license_type=catalogue.WORKSPACE_CALLING
        ).values_list("workspace_id", "line_id", "pk"):
            found[ws_id].line_id, found[ws_id].assignment_id = line_id, assignment_id
        return {key_of[ws_id]: current for ws_id, current in found.items()}

    def plan(self) -> Plan:
        for row in self.rows:
            self._plan_row(row)
        batch = self._plan_calling()
        self._plan_capacity()
        for row in self.rows:
            if row.remove_calling and not row.errors:
                self._report_calling_loss(row)
        for row in self.rows:
            if not row.errors:
                row.action = row_action(row)
        lines = {line.pk: line for line in self.line_columns.values()}
        return Plan(headers=self.headers, mode=self.mode, rows=self.rows, calling=batch,
                    lines=lines, location_names=self.location_names,
                    confirm_calling_loss=self.confirm_calling_loss)  # fmt: skip

    def _plan_row(self, row: WorkspaceRow) -> None:
        if not row.name:
            row.error(col.NAME, "The workspace name is required.")
            return
        current = self.current.get(row.name.lower())
        row.current = current
        row.workspace_id = current.id if current else None
        if current is None and len(row.name) > NAME_MAX:
            row.error(col.NAME, f"A workspace needs a name of 1 to {NAME_MAX} characters.")
        elif current is None and name_problem(row.name, max_length=NAME_MAX):
            row.error(col.NAME, str(name_problem(row.name, max_length=NAME_MAX)))
        self._plan_location(row, current)
        self._plan_license(row, current)
        self._check_number_and_extension(row)

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

    def _check_number_and_extension(self, row: WorkspaceRow) -> None:
        """The cells' shape, checked whatever else is wrong with the row (every problem
        of a row at once, as the user CSV does). What they mean depends on the
        location and the license, so a row with an error there stops after the shape;
        what they mean against the inventory is ``_plan_calling``'s."""
        if row.remove_calling:
            return
        settled = not row.errors
        phone = self._cell(row.cells, col.PHONE)
        extension = self._cell(row.cells, col.EXTENSION)
        if phone not in self.inventory:
            check_phone(row, phone)
        check_extension(row, extension)
        if not settled:
            return
        if row.calling is None:
            for column, value in ((col.PHONE, phone), (col.EXTENSION, extension)):
                if value and value.upper() != col.REMOVE:
                    row.error(
                        column,
                        "This workspace has no calling: set a Workspace Calling column TRUE "
                        "to give it calling with this value.",
                    )
            return
        gets_calling = row.current is None or row.current.line_id is None
        given = [v for v in (phone, extension) if v and v.upper() != col.REMOVE]
        if gets_calling and not given:
            row.error(col.EXTENSION, "Workspace Calling needs an Extension or a Phone Number.")

    def _plan_calling(self) -> calling_bulk.CallingBatch:
        """Phone Number and Extension against the number inventory, for the whole file
        at once, by the users' rules (``calling.services.bulk``). A workspace's calling
        is always in the workspace's location."""
        rows = {row.number: row for row in self.rows}
        wanted = []
        for row in self.rows:
            if row.errors or row.calling is None:
                continue
            location_id = row.location.pk if row.location else row.current.location_id
            wanted.append(
                calling_bulk.WantedCalling(
                    key=row.number,
                    email=row.name,
                    user_id=None,
                    calling=row.calling,
                    holder=calling_bulk.WORKSPACE,
                    workspace_id=row.workspace_id,
                    number=self._cell(row.cells, col.PHONE),
                    extension=self._cell(row.cells, col.EXTENSION),
                    location=self.location_names[location_id],
                )
            )
        batch = calling_bulk.validate_calling(wanted)
        for key, name, message in batch.errors:
            rows[key].error(CALLING_COLUMNS[name], message)
        for key, name, message in batch.warnings:
            rows[key].warnings.append((CALLING_COLUMNS[name], message))
        for key, change in batch.changes.items():
            rows[key].calling_change = change
        return batch

    def _report_calling_loss(self, row: WorkspaceRow) -> None:
        """Removing calling is always confirmed (issue #4 item 5), as the user CSV does
        (``licensing.csv.validation``) and the single-workspace services do: unconfirmed,
        the row is an error naming what is lost and how to confirm (the dry run lists
        the same rows); confirmed, a warning. Checked after capacity, so the units the
        removal frees count as they will once confirmed."""
        change = row.calling_change
        keep = f"restorable for {CallingSnapshot.KEEP_DAYS} days"
        if change is not None and change.kind == calling_bulk.REMOVED:
            row.loses = change.describe().removeprefix("calling removed: ")
            confirmed = (
                f"Calling data of workspace {row.name} will be removed ({row.loses}); {keep}."
            )
            unconfirmed = (
                f"Workspace {row.name} would lose its calling data ({row.loses}): the row takes "
                f"its Workspace Calling license away. {_HOW_TO_CONFIRM} The data stays {keep}."
            )
        else:  # a license without calling data (e.g. restored when the data could not be)
            row.loses = "Workspace Calling license"
            confirmed = f"Workspace {row.name} will lose its {row.loses}; it has no calling data."
            unconfirmed = (
                f"Workspace {row.name} would lose its {row.loses} (it has no calling data). "
                + _HOW_TO_CONFIRM
            )
        if self.confirm_calling_loss:
            row.warnings.append((col.NAME, confirmed))
        else:
            row.error(col.NAME, unconfirmed)

    def _plan_capacity(self) -> None:
        """No line over-consumed: the units the file frees first, then the units rows
        take, in file order; the first row a line cannot serve gets the error."""
        lines = {line.pk: line for line in self.line_columns.values()}
        used = line_usage(lines) if lines else {}
        for row in self.rows:
            held = row.current.line_id if row.current else None
            if not row.errors and held in used and (row.remove_calling or row.line is not None):
                used[held] -= 1
        for row in self.rows:
            if row.errors or row.line is None:
                continue
            line = row.line
            if used[line.pk] >= line.quantity:
                row.error(row.line_header, exhausted_message(line, used[line.pk]))
            else:
                used[line.pk] += 1


def validate(
    *,
    headers: list[str],
    rows: list[list[str]],
    mode: str = ADD,
    confirm_calling_loss: bool = False,
    numbers: list[int] | None = None,
) -> Plan:
    """The plan of the file; ``numbers`` are the rows' numbers from the reader."""
    return Validator(
        headers=headers, rows=rows, mode=mode, confirm_calling_loss=confirm_calling_loss,
        numbers=numbers,
    ).plan()  # fmt: skip
