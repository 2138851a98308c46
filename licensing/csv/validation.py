"""Validating a user CSV as a whole, before anything is applied (SPEC §4, §7).

Produces a ``Plan``: per row what would change (create / update / move / delete /
unchanged) with its errors and warnings, plus everything ``apply`` needs. State is
loaded in a few queries and every rule runs in memory, so 20,000 rows take seconds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from calling.errors import InvalidCallingName
from calling.models import CallingSnapshot
from calling.rules import extension_problem, number_problem, validated_calling_name
from calling.services import bulk as calling_bulk
from customers.usage import emails_held_elsewhere
from licensing import catalogue
from licensing.csv import columns as col
from licensing.csv.errors import CsvFileError
from licensing.models import LicenseAssignment, OrgUser, SubscriptionLine, SubscriptionStatus
from licensing.services.templates import org_template_package
from partnerhub.csvfiles.reading import known_headers
from partnerhub.rules import email_key, email_problem, name_problem

MAX_CONTACT_CENTER_ROWS = 1000
ADD = "add"
ADD_REMOVE = "add-remove"
MAX_EMAIL = OrgUser._meta.get_field("email").max_length
USER_FIELDS = {
    col.FIRST_NAME: "first_name",
    col.LAST_NAME: "last_name",
    col.DISPLAY_NAME: "display_name",
    col.SITE: "preferred_site",
}
FLAG_FIELDS = {col.JABBER_CALLING: "jabber_calling", col.JABBER_TEAMS: "jabber_with_teams"}
CALLING_COLUMNS = {
    calling_bulk.NUMBER: col.PHONE,
    calling_bulk.EXT: col.EXTENSION,
    calling_bulk.LOCATION: col.LOCATION,
}


@dataclass
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
    calling_change: calling_bulk.CallingChange | None = None

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
    held: dict[int, dict[str, tuple[int, int]]]  # user id -> type -> (assignment, line)
    calling: calling_bulk.CallingBatch = field(default_factory=calling_bulk.CallingBatch)
    confirm_calling_loss: bool = False

    @property
    def calling_losses(self) -> list[str]:
        """E-mails of the users whose calling data the file removes."""
        return [
            r.email
            for r in self.rows
            if r.calling_change and r.calling_change.kind == calling_bulk.REMOVED
        ]

    def counts(self) -> dict[str, int]:
        counts = Counter(row.action for row in self.rows if not row.errors)
        return {
            "created": counts["create"], "updated": counts["update"], "moved": counts["move"],
            "deleted": counts["delete"], "unchanged": counts["unchanged"],
            "warnings": sum(len(r.warnings) for r in self.rows),
            "errors": sum(len(r.errors) for r in self.rows),
        }  # fmt: skip


def check_headers(headers: list[str], lines: list[SubscriptionLine]) -> dict[str, SubscriptionLine]:
    """File-level header checks; returns the package columns and their lines."""
    if col.EMAIL not in headers:
        raise CsvFileError(
            f"The column '{col.EMAIL}' is missing. Start from an exported users CSV; "
            "its headers must stay as they are."
        )
    duplicates = sorted(h for h, n in Counter(headers).items() if n > 1)
    if duplicates:
        raise CsvFileError(
            f"These columns appear twice: {', '.join(duplicates)}. Keep one of each."
        )
    packages, unknown = {}, []
    for header in headers:
        if header in col.FIXED_COLUMNS:
            continue
        line = col.resolve_package_header(header, lines)
        if line is None:
            unknown.append(header)
        else:
            packages[header] = line
    if unknown:
        raise CsvFileError(
            f"Unknown column(s): {', '.join(unknown)}. Package columns are written "
            "'<Package> [<Subscription id>]' for this organisation's subscriptions; "
            "export the users CSV to see them."
        )
    return packages


def parse_bool(row: RowPlan, column: str, value: str) -> bool | None:
    value = value.strip()
    if not value:
        return None
    if value.upper() in ("TRUE", "FALSE"):
        return value.upper() == "TRUE"
    row.error(column, f"'{value}' is not TRUE or FALSE.")
    return None


def check_phone(row: RowPlan, value: str) -> None:
    """The Phone Number cell: ``REMOVE``, empty, or E.164 (``calling.rules``, with the
    hints for what spreadsheets do to numbers)."""
    if not value or value.upper() == "REMOVE":
        return
    problem = number_problem(value)
    if problem is not None:
        row.error(col.PHONE, problem)


def check_email(row: RowPlan) -> None:
    """The one e-mail rule (``partnerhub.rules``): the row's key is the normalised
    address; an address the rule refuses is the row's error."""
    row.email, problem = email_problem(row.email)
    if problem is not None:
        row.error(col.EMAIL, problem)


class CsvValidator:
    """What every CSV validator (users, workspaces) starts with: the mode, the
    calling-loss confirmation, and its cells by header."""

    def __init__(self, *, headers: list[str], mode: str, confirm_calling_loss: bool) -> None:
        if mode not in (ADD, ADD_REMOVE):
            raise CsvFileError(f"Unknown import mode '{mode}': use '{ADD}' or '{ADD_REMOVE}'.")
        self.headers, self.mode = headers, mode
        self.confirm_calling_loss = confirm_calling_loss
        self.index = {h: i for i, h in enumerate(headers)}

    @staticmethod
    def _numbers(rows: list[list[str]], numbers: list[int] | None) -> list[int]:
        """Each row's number as the spreadsheet shows it (the reader's), or 2, 3, …"""
        return numbers if numbers is not None else list(range(2, len(rows) + 2))

    def _cell(self, cells: list[str], column: str) -> str:
        i = self.index.get(column)
        return cells[i].strip() if i is not None else ""


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
        all_lines = list(SubscriptionLine.objects.select_related("subscription"))
        self.lines = {line.pk: line for line in all_lines}
        self.package_columns = check_headers(
            headers, [line for line in all_lines if line.license_type in catalogue.PACKAGES]
        )
        self.default_line = self._default_lines(all_lines)
        self.template_package = org_template_package()
        self.rows = [
            RowPlan(number=n, email=email_key(self._cell(r, col.EMAIL)), cells=r)
            for n, r in zip(self._numbers(rows, numbers), rows, strict=True)
        ]
        self._check_duplicate_emails()
        self.users = {u["email"]: u for u in OrgUser.objects.filter(
            email__in=[r.email for r in self.rows]).values()}  # fmt: skip
        self.held: dict[int, dict[str, tuple[int, int]]] = {}
        for a_id, user_id, code, line_id in LicenseAssignment.objects.filter(
            user_id__in=[u["id"] for u in self.users.values()]
        ).values_list("id", "user_id", "license_type", "line_id"):
            self.held.setdefault(user_id, {})[code] = (a_id, line_id)
        self.elsewhere = emails_held_elsewhere(
            customer=connection.tenant,
            emails=[r.email for r in self.rows if r.email not in self.users],
        )

    @staticmethod
    def _default_lines(lines: list[SubscriptionLine]) -> dict[str, int]:
        """Where a new contact-center license is drawn from: the first line of
        an active subscription carrying that type."""
        chosen: dict[str, int] = {}
        for line in sorted(lines, key=lambda line: (line.subscription.external_id, line.pk)):
            if line.subscription.status == SubscriptionStatus.ACTIVE:
                chosen.setdefault(line.license_type, line.pk)
        return chosen

    def _check_duplicate_emails(self) -> None:
        seen: dict[str, int] = {}
        for row in self.rows:
            if row.email and row.email in seen:
                raise CsvFileError(
                    f"{row.email} is on row {seen[row.email]} and row {row.number}: "
                    "a user may appear on one row only."
                )
            seen[row.email] = row.number

    def plan(self) -> Plan:
        for row in self.rows:
            self._plan_row(row)
        self._check_contact_center_rows()
        return Plan(
            headers=self.headers, mode=self.mode, rows=self.rows, lines=self.lines, held=self.held,
            calling=self._plan_calling(), confirm_calling_loss=self.confirm_calling_loss,
        )  # fmt: skip

    def _plan_calling(self) -> calling_bulk.CallingBatch:
        """Phone Number, Extension and Location against the number inventory, for the
        whole file at once (``calling.services.bulk``)."""
        rows = {row.number: row for row in self.rows}
        wanted = [
            calling_bulk.WantedCalling(
                key=row.number,
                email=row.email,
                user_id=row.user_id,
                calling=True if row.calling else False if row.had_calling else None,
                deleted=row.action == "delete",
                number=self._cell(row.cells, col.PHONE),
                extension=self._cell(row.cells, col.EXTENSION),
                location=self._cell(row.cells, col.LOCATION),
            )  # fmt: skip
            for row in self.rows
            if (row.calling is not None or row.action == "delete")
            and not any(c in CALLING_COLUMNS.values() for c, _ in row.errors)
        ]
        batch = calling_bulk.validate_calling(wanted)
        for key, name, message in batch.errors:
            rows[key].error(CALLING_COLUMNS[name], message)
        for key, name, message in batch.warnings:
            rows[key].warnings.append((CALLING_COLUMNS[name], message))
        for key, change in batch.changes.items():
            row = rows[key]
            row.calling_change = change
            if change.kind == calling_bulk.REMOVED:
                self._report_calling_loss(row, change)
            if change.kind != calling_bulk.UNCHANGED and row.action == "unchanged":
                row.action = "update"
        return batch

    def _report_calling_loss(self, row: RowPlan, change: calling_bulk.CallingChange) -> None:
        """Removing calling data is always confirmed (issue #4 item 5): unconfirmed, the
        row is an error naming what is lost and how to confirm (the dry run lists the
        same rows); confirmed, a warning."""
        lost = change.describe().removeprefix("calling removed: ")
        keep = f"restorable for {CallingSnapshot.KEEP_DAYS} days"
        if self.confirm_calling_loss:
            row.warnings.append((col.EMAIL, (
                f"{row.email} is deleted with its calling data ({lost}); "
                if row.action == "delete"
                else f"Calling data of {row.email} will be removed ({lost}): the row "
                "takes its package with calling away; "
            ) + f"{keep}."))  # fmt: skip
            return
        row.error(col.EMAIL, (
            f"{row.email} would be deleted with its calling data ({lost}). "
            if row.action == "delete"
            else f"{row.email} would lose its calling data ({lost}): the row takes its "
            "package with calling away. "
        ) + "Removing calling needs confirmation: if that is intended, upload the file "
            "again with 'Confirm calling loss' ticked (API: confirm_calling_loss=true; "
            f"manage.py import_users: --confirm-calling-loss). The data stays {keep}.")  # fmt: skip

    def _check_contact_center_rows(self) -> None:
        """At most 1,000 rows per CSV that change a contact-center license (SPEC §7):
        rows that leave them as they are do not count, so an org of any size
        re-imports its own export."""
        cc = {catalogue.CC_STANDARD, catalogue.CC_PREMIUM}
        changing = sum(
            1
            for row in self.rows
            if not cc.isdisjoint(row.add)
            or not cc.isdisjoint(row.remove)
            or (row.action == "delete" and not cc.isdisjoint(self.held.get(row.user_id, {})))
        )
        if changing > MAX_CONTACT_CENTER_ROWS:
            raise CsvFileError(
                f"{changing} rows change contact-center licenses; at most "
                f"{MAX_CONTACT_CENTER_ROWS} per file (rows that leave them as they are do "
                "not count). Split the file."
            )

    def _plan_row(self, row: RowPlan) -> None:
        if not row.email:
            row.error(col.EMAIL, "The e-mail is required.")
            return
        check_email(row)
        user = self.users.get(row.email)
        if user is None and row.email in self.elsewhere:
            row.error(col.EMAIL, f"{row.email} belongs to a user of another organisation; "
                      "delete it there (e.g. its trial org) before adding it here.")  # fmt: skip
        row.user_id = user["id"] if user else None
        held = self.held.get(row.user_id, {}) if user else {}
        row.had_calling = not catalogue.CALLING_PACKAGES.isdisjoint(held)
        package = self._plan_package(row, held, is_new=user is None)
        if row.action == "delete":
            return
        # A row with errors is still checked cell by cell: every error of a row at once.
        # Its calling is not planned: what the number means depends on the package.
        row.calling = None if row.errors else package is not None and package.includes_calling
        self._plan_fields(row, user, package)
        self._plan_basics(row, held, is_new=user is None)
        self._plan_contact_center(row, held)
        check_phone(row, self._cell(row.cells, col.PHONE))
        extension = self._cell(row.cells, col.EXTENSION)
        if extension and extension.upper() != "REMOVE" and extension_problem(extension):
            row.error(col.EXTENSION, str(extension_problem(extension)))
        status = self._cell(row.cells, col.STATUS)
        if (
            user
            and status
            and status.casefold() not in (user["status"], user["status"].replace("_", " "))
        ):
            row.warnings.append(
                (col.STATUS, "User Status is read-only; the new value was ignored.")
            )
        if user is None:
            row.action = "create"
        elif row.action != "move" and (row.fields or row.add or row.remove):
            row.action = "update"
        elif row.action == "move" and (row.fields or row.add or row.remove):
            row.action = "update"

    def _plan_package(
        self, row: RowPlan, held: dict, *, is_new: bool
    ) -> catalogue.LicenseType | None:
        cells = {h: parse_bool(row, h, self._cell(row.cells, h)) for h in self.package_columns}
        trues = [h for h, v in cells.items() if v]
        held_lines = {line_id for _, line_id in held.values()}
        for header in trues:
            if self.package_columns[header].pk in held_lines:
                continue  # unchanged: an export of a suspended subscription round-trips
            if not col.PackageColumn(header, self.package_columns[header]).usable:
                row.error(
                    header,
                    "This subscription is suspended or cancelled; move the user to an active one.",
                )
        if len(trues) > 1:
            row.error(
                trues[1],
                f"At most one package per user: '{trues[0]}' and '{trues[1]}' are both TRUE.",
            )
        current = next(((code, a) for code, a in held.items() if code in catalogue.PACKAGES), None)
        if cells and all(v is False for v in cells.values()):
            if is_new:
                row.error(col.EMAIL, "A new user needs one package column TRUE.")
            else:
                row.action = "delete"
            return None
        if row.errors:
            return None
        if trues:
            line = self.package_columns[trues[0]]
            row.decided.add("package")
            if current and current[1][1] == line.pk:
                return catalogue.license_type(line.license_type)
            if current and current[0] == line.license_type:
                row.move[current[1][0]] = line.pk
                row.action = "move"
            else:
                if current:
                    row.remove.add(current[0])
                row.add[line.license_type] = line.pk
            return catalogue.license_type(line.license_type)
        if current and self.mode == ADD_REMOVE:
            header = next(
                (h for h, line in self.package_columns.items() if line.pk == current[1][1]), None
            )
            if header and cells.get(header) is False:
                row.remove.add(current[0])
                row.decided.add("package")
                return None
        if any(v is False for v in cells.values()):
            row.decided.add("package")
        if current:
            return catalogue.license_type(current[0])
        return self._template_calling_package(row) if is_new else None

    def _template_calling_package(self, row: RowPlan) -> catalogue.LicenseType | None:
        """A new user with no package cell TRUE gets the org template's package. When
        that package includes calling, the row must give its calling details (as manual
        add asks for them), so the plan takes the package here, where the calling
        columns are checked, instead of leaving it to the template afterwards."""
        line = self.template_package
        if "package" in row.decided or line is None:
            return None
        package = catalogue.license_type(line.license_type)
        if not package.includes_calling:
            return None
        row.add[line.license_type] = line.pk
        row.decided.add("package")
        return package

    def _plan_fields(
        self, row: RowPlan, user: dict | None, package: catalogue.LicenseType | None
    ) -> None:
        for column, name in {**USER_FIELDS}.items():
            value = self._cell(row.cells, column)
            problem = name_problem(value, max_length=OrgUser._meta.get_field(name).max_length)
            if problem is not None:
                row.error(column, problem)
            elif value and (user is None or user[name] != value):
                row.fields[name] = value
        for column, name in FLAG_FIELDS.items():
            value = parse_bool(row, column, self._cell(row.cells, column))
            if value is not None and (user is None or user[name] != value):
                row.fields[name] = value
        if package is not None and package.includes_calling:
            self._check_calling_names(row, user)
        if package is None or package.code not in row.add:
            return
        for required in package.required_fields:
            self._check_required(row, required, package)
        if catalogue.CsvField.PREFERRED_SITE in package.recommended_fields and not self._cell(
            row.cells, col.SITE
        ):
            row.warnings.append((col.SITE, f"Preferred Webex Site is empty; {package.name} users "
                                 "without it can have problems with the meeting site later."))  # fmt: skip

    def _check_calling_names(self, row: RowPlan, user: dict | None) -> None:
        """A row that ends with calling: the names it sets, and both names when the user
        gains calling, follow the calling-name rule (``validated_calling_name``). The
        unchanged names of a user who already had calling are left alone, so an export
        imports back as it is."""
        for column in (col.FIRST_NAME, col.LAST_NAME):
            name = USER_FIELDS[column]
            if row.had_calling and name not in row.fields:
                continue
            try:
                validated_calling_name(str(row.fields.get(name, (user or {}).get(name, ""))),
                                       field=name)  # fmt: skip
            except InvalidCallingName as error:
                row.error(column, error.message)

    def _check_required(self, row: RowPlan, required: str, package: catalogue.LicenseType) -> None:
        if required == catalogue.CsvField.EXTENSION_OR_NUMBER:
            if not (self._cell(row.cells, col.PHONE) or self._cell(row.cells, col.EXTENSION)):
                row.error(col.EXTENSION, f"{package.name} needs an Extension or a Phone Number.")
        elif not self._cell(row.cells, str(required)):
            row.error(str(required), f"{required} is required for {package.name}.")

    def _plan_license(
        self, row: RowPlan, held: dict, code: str, wanted: bool | None, *, exact: bool
    ) -> None:
        if wanted is None:
            return
        row.decided.add(code)
        if wanted and code not in held:
            # An included basic license is drawn from no line (SPEC §5).
            line_id = None if catalogue.is_included(code) else self.default_line.get(code)
            if line_id is None and not catalogue.is_included(code):
                row.error(
                    catalogue.license_type(code).name,
                    "No active subscription of this organisation carries it.",
                )
            else:
                row.add[code] = line_id
        elif not wanted and code in held and exact:
            row.remove.add(code)

    def _plan_basics(self, row: RowPlan, held: dict, *, is_new: bool) -> None:
        """The basic licenses, included with every org (SPEC §5). A new user gets them
        by the one rule every path shares (``apply_templates_to_new_users``) unless the
        row settles them: in *add services only* a blank cell leaves them to that rule;
        in *add and remove* the columns are the truth, so a blank cell of a new user
        gives none (a file without the column leaves it to the rule)."""
        for column, code in col.BASIC_COLUMNS.items():
            wanted = parse_bool(row, column, self._cell(row.cells, column))
            if wanted is None and is_new and self.mode == ADD_REMOVE and column in self.index:
                wanted = False
            self._plan_license(row, held, code, wanted, exact=self.mode == ADD_REMOVE)

    def _plan_contact_center(self, row: RowPlan, held: dict) -> None:
        standard = parse_bool(row, col.CC_STANDARD, self._cell(row.cells, col.CC_STANDARD))
        premium = parse_bool(row, col.CC_PREMIUM, self._cell(row.cells, col.CC_PREMIUM))
        if standard and premium:
            row.error(
                col.CC_PREMIUM,
                "Standard and Premium are both TRUE; a user has one contact-center license.",
            )
            return
        exact = self.mode == ADD_REMOVE
        if standard:
            self._plan_license(row, held, catalogue.CC_PREMIUM, False, exact=True)
        if premium:
            self._plan_license(row, held, catalogue.CC_STANDARD, False, exact=True)
        self._plan_license(row, held, catalogue.CC_STANDARD, standard, exact=exact)
        self._plan_license(row, held, catalogue.CC_PREMIUM, premium, exact=exact)


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
