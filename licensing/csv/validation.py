"""Validating a user CSV as a whole, before anything is applied (SPEC §4, §7).

Produces a ``Plan``: per row what would change (create / update / move / delete /
unchanged) with its errors and warnings, plus everything ``apply`` needs. State is
loaded in a few queries and every rule runs in memory, so 20,000 rows take seconds.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from customers.usage import emails_held_elsewhere
from licensing import catalogue
from licensing.csv import columns as col
from licensing.csv.cells import (
    CsvValidator,
    check_email,
    check_extension,
    check_headers,
    check_phone,
    parse_bool,
)
from licensing.csv.errors import CsvFileError
from licensing.csv.planning_licenses import LicensePlanning
from licensing.csv.plans import ADD, ADD_REMOVE, Plan, RowPlan
from licensing.models import LicenseAssignment, OrgUser, SubscriptionLine, SubscriptionStatus
from licensing.services import hooks
from licensing.services.templates import org_template_package
from licensing.user_fields import MULTI_LINE_FIELDS
from partnerhub.bulk import among
from partnerhub.csvfiles.reading import known_headers
from partnerhub.errors import DomainError
from partnerhub.rules import email_key, name_problem, with_lf_line_breaks

__all__ = ["ADD", "ADD_REMOVE", "Plan", "RowPlan", "Validator", "validate"]

MAX_CONTACT_CENTER_ROWS = 1000
MAX_EMAIL = OrgUser._meta.get_field("email").max_length
USER_FIELDS = {
    col.FIRST_NAME: "first_name",
    col.LAST_NAME: "last_name",
    col.DISPLAY_NAME: "display_name",
    col.SITE: "preferred_site",
}
MAX_LENGTH = {name: OrgUser._meta.get_field(name).max_length for name in USER_FIELDS.values()}
FLAG_FIELDS = {col.JABBER_CALLING: "jabber_calling", col.JABBER_TEAMS: "jabber_with_teams"}
# What a row is compared with: only these columns of each user are loaded.
USER_COLUMNS = ["id", "email", "status", *USER_FIELDS.values(), *FLAG_FIELDS.values(),
                "basic_licenses"]  # fmt: skip
CALLING_COLUMNS = {
    "number": col.PHONE,
    "extension": col.EXTENSION,
    "location": col.LOCATION,
}


class Validator(LicensePlanning, CsvValidator):
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
        self.unusable_columns = {
            h for h, line in self.package_columns.items() if not col.PackageColumn(h, line).usable
        }
        self.default_line = self._default_lines(all_lines)
        self.template_package = org_template_package()
        self.rows = [
            RowPlan(number=n, email=email_key(self._cell(r, col.EMAIL)), cells=r)
            for n, r in zip(self._numbers(rows, numbers), rows, strict=True)
        ]
        self._check_duplicate_emails()
        # One array parameter each (``among``), not 20,000 placeholders.
        self.users = {u["email"]: u for u in OrgUser.objects.filter(
            email__in=among([r.email for r in self.rows], "varchar")).values(*USER_COLUMNS)}  # fmt: skip
        self.held: dict[int, dict[str, tuple[int | None, int | None]]] = {}
        for a_id, user_id, code, line_id in LicenseAssignment.objects.filter(
            user_id__in=among(u["id"] for u in self.users.values())
        ).values_list("id", "user_id", "license_type", "line_id"):
            self.held.setdefault(user_id, {})[code] = (a_id, line_id)
        for user in self.users.values():  # basic licenses: no row, no line (SPEC §5)
            for code in catalogue.basic_codes(user["basic_licenses"]):
                self.held.setdefault(user["id"], {})[code] = (None, None)
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

    def _plan_calling(self) -> Any:
        """Phone Number, Extension and Location against the number inventory, for the
        whole file at once (calling's ``validate_calling``, through ``CallingHooks``)."""
        calling = hooks.calling()
        rows = {row.number: row for row in self.rows}
        wanted = []
        for row in self.rows:
            if (row.calling is None and row.action != "delete") or any(
                c in CALLING_COLUMNS.values() for c, _ in row.errors
            ):
                continue
            cells = [self._cell(row.cells, c) for c in (col.PHONE, col.EXTENSION, col.LOCATION)]
            ends_with = True if row.calling else False if row.had_calling else None
            if ends_with is None and row.action != "delete" and not any(cells):
                continue  # no calling before or after, no cell to warn about: nothing to plan
            wanted.append(calling.WantedCalling(
                key=row.number, email=row.email, user_id=row.user_id, calling=ends_with,
                deleted=row.action == "delete", number=cells[0], extension=cells[1],
                location=cells[2],
            ))  # fmt: skip
        batch = calling.validate_calling(wanted)
        for key, name, message in batch.errors:
            rows[key].error(CALLING_COLUMNS[name], message)
        for key, name, message in batch.warnings:
            rows[key].warnings.append((CALLING_COLUMNS[name], message))
        for key, change in batch.changes.items():
            row = rows[key]
            row.calling_change = change
            if calling.loses_calling(change):
                self._report_calling_loss(row, change)
            if calling.changes_calling(change) and row.action == "unchanged":
                row.action = "update"
        return batch

    def _report_calling_loss(self, row: RowPlan, change: Any) -> None:
        """Removing calling data is always confirmed (issue #4 item 5): unconfirmed, the
        row is an error naming what is lost and how to confirm (the dry run lists the
        same rows); confirmed, a warning."""
        lost = change.describe().removeprefix("calling removed: ")
        keep = f"restorable for {hooks.calling().snapshot_keep_days()} days"
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
        values = self._values(row.cells)
        package = self._plan_package(row, values, held, is_new=user is None)
        if row.action == "delete":
            return
        # A row with errors is still checked cell by cell: every error of a row at once.
        # Its calling is not planned: what the number means depends on the package.
        row.calling = None if row.errors else package is not None and package.includes_calling
        self._plan_fields(row, values, user, package)
        self._plan_basics(row, values, held, is_new=user is None)
        self._plan_contact_center(row, values, held)
        check_phone(row, values.get(col.PHONE, ""))
        check_extension(row, values.get(col.EXTENSION, ""))
        status = values.get(col.STATUS, "")
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

    def _plan_fields(
        self,
        row: RowPlan,
        values: dict[str, str],
        user: dict | None,
        package: catalogue.LicenseType | None,
    ) -> None:
        for column, name in USER_FIELDS.items():
            value = values.get(column, "")
            if not value:
                continue
            multi_line = name in MULTI_LINE_FIELDS
            if multi_line:
                value = with_lf_line_breaks(value)
            problem = name_problem(value, max_length=MAX_LENGTH[name], line_breaks=multi_line)
            if problem is not None:
                row.error(column, problem)
            elif user is None or user[name] != value:
                row.fields[name] = value
        for column, name in FLAG_FIELDS.items():
            value = parse_bool(row, column, values.get(column, ""))
            if value is not None and (user is None or user[name] != value):
                row.fields[name] = value
        if package is not None and package.includes_calling:
            self._check_calling_names(row, user)
        if package is None or package.code not in row.add:
            return
        for required in package.required_fields:
            self._check_required(row, values, required, package)
        if catalogue.CsvField.PREFERRED_SITE in package.recommended_fields and not values.get(
            col.SITE
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
                hooks.calling().validated_calling_name(
                    str(row.fields.get(name, (user or {}).get(name, ""))), field=name
                )
            except DomainError as error:
                row.error(column, error.message)

    def _check_required(
        self, row: RowPlan, values: dict[str, str], required: str, package: catalogue.LicenseType
    ) -> None:
        if required == catalogue.CsvField.EXTENSION_OR_NUMBER:
            if not (values.get(col.PHONE) or values.get(col.EXTENSION)):
                row.error(col.EXTENSION, f"{package.name} needs an Extension or a Phone Number.")
        elif not values.get(str(required)):
            row.error(str(required), f"{required} is required for {package.name}.")


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
