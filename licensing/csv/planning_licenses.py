"""The licenses a user CSV row asks for (SPEC §4, §5, §7): its package column, the
basic licenses (included with every org) and contact center. Part of the user CSV's
``Validator``; each method settles ``row.add`` / ``row.remove`` / ``row.move`` /
``row.decided`` and reports the row's errors."""

from __future__ import annotations

from licensing import catalogue
from licensing.csv import columns as col
from licensing.csv.cells import parse_bool
from licensing.csv.plans import ADD_REMOVE, RowPlan
from licensing.models import SubscriptionLine


class LicensePlanning:
    """Needs the validator's ``mode``, ``index``, ``package_columns`` (and the
    ``unusable_columns`` among them), ``default_line`` and ``template_package``;
    ``values`` are the row's cells by header (``CsvValidator._values``)."""

    mode: str
    index: dict[str, int]
    package_columns: dict[str, SubscriptionLine]
    unusable_columns: set[str]  # of suspended or cancelled subscriptions
    default_line: dict[str, int]
    template_package: SubscriptionLine | None

    def _plan_package(
        self, row: RowPlan, values: dict[str, str], held: dict, *, is_new: bool
    ) -> catalogue.LicenseType | None:
        cells = {h: parse_bool(row, h, values.get(h, "")) for h in self.package_columns}
        trues = [h for h, v in cells.items() if v]
        held_lines = {line_id for _, line_id in held.values()}
        for header in trues:
            if self.package_columns[header].pk in held_lines:
                continue  # unchanged: an export of a suspended subscription round-trips
            if header in self.unusable_columns:
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

    def _plan_basics(
        self, row: RowPlan, values: dict[str, str], held: dict, *, is_new: bool
    ) -> None:
        """The basic licenses, included with every org (SPEC §5). A new user gets them
        by the one rule every path shares (``apply_templates_to_new_users``) unless the
        row settles them: in *add services only* a blank cell leaves them to that rule;
        in *add and remove* the columns are the truth, so a blank cell of a new user
        gives none (a file without the column leaves it to the rule)."""
        for column, code in col.BASIC_COLUMNS.items():
            wanted = parse_bool(row, column, values.get(column, ""))
            if wanted is None and is_new and self.mode == ADD_REMOVE and column in self.index:
                wanted = False
            self._plan_license(row, held, code, wanted, exact=self.mode == ADD_REMOVE)

    def _plan_contact_center(self, row: RowPlan, values: dict[str, str], held: dict) -> None:
        standard = parse_bool(row, col.CC_STANDARD, values.get(col.CC_STANDARD, ""))
        premium = parse_bool(row, col.CC_PREMIUM, values.get(col.CC_PREMIUM, ""))
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
