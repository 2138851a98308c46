"""SCIM filters (RFC 7644 §3.4.2.2) as Django ``Q`` objects.

``scim2-models`` parses and checks the filter (its grammar also reads Entra ID's
``emails[type eq "work"].value eq "…"``); this visitor maps each attribute the org
keeps to its column. An attribute that is not kept is an ``invalidFilter`` error
that names it, rather than a silently empty list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import Q
from scim2_models import EnterpriseUser, Group, SCIMException, ScimFilter, User
from scim2_models.path import (
    AttrPath,
    CompareOperator,
    Comparison,
    FilterVisitor,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)

from licensing.models import UserStatus
from licensing.scim.errors import ScimError
from licensing.scim.protocol import check_storable, resource_id

LOOKUPS = {
    CompareOperator.eq: "iexact",
    CompareOperator.co: "icontains",
    CompareOperator.sw: "istartswith",
    CompareOperator.ew: "iendswith",
    CompareOperator.gt: "gt",
    CompareOperator.ge: "gte",
    CompareOperator.lt: "lt",
    CompareOperator.le: "lte",
}


def _text(columns: tuple[str, ...]) -> Callable[[CompareOperator, Any], Q]:
    def compare(op: CompareOperator, value: Any) -> Q:
        if op == CompareOperator.ne:
            return ~_text(columns)(CompareOperator.eq, value)
        result = Q()
        for column in columns:
            result |= Q(**{f"{column}__{LOOKUPS[op]}": value})
        return result

    return compare


def _email(op: CompareOperator, value: Any) -> Q:
    # E-mails are stored lower-cased: eq uses the unique index.
    if op == CompareOperator.eq:
        return Q(email=str(value).strip().lower())
    return _text(("email",))(op, value)


def _case_exact(column: str) -> Callable[[CompareOperator, Any], Q]:
    """externalId is caseExact (RFC 7643 §3.1): eq uses the column's index."""

    def compare(op: CompareOperator, value: Any) -> Q:
        if op == CompareOperator.eq:
            return Q(**{column: value})
        return _text((column,))(op, value)

    return compare


def _user_name(op: CompareOperator, value: Any) -> Q:
    # Users made on the pages (no SCIM record) have their e-mail as userName.
    return _text(("scim__user_name",))(op, value) | (Q(scim__isnull=True) & _email(op, value))


def _active(op: CompareOperator, value: Any) -> Q:
    if op not in (CompareOperator.eq, CompareOperator.ne):
        raise ScimError(400, "active can only be compared with eq or ne.", "invalidFilter")
    active = value if isinstance(value, bool) else str(value).lower() == "true"
    inactive = Q(status=UserStatus.INACTIVE)
    return ~inactive if active == (op == CompareOperator.eq) else inactive


def _id(op: CompareOperator, value: Any) -> Q:
    if op != CompareOperator.eq:
        raise ScimError(400, "id can only be compared with eq.", "invalidFilter")
    pk = resource_id(value)
    return Q(pk=pk) if pk is not None else Q(pk__in=[])


def _member(op: CompareOperator, value: Any) -> Q:
    if op not in (CompareOperator.eq, CompareOperator.ne):
        raise ScimError(400, "members can only be compared with eq or ne.", "invalidFilter")
    pk = resource_id(value)
    has = Q(users__pk=pk) if pk is not None else Q(pk__in=[])
    return has if op == CompareOperator.eq else ~has


def _moment(column: str) -> Callable[[CompareOperator, Any], Q]:
    def compare(op: CompareOperator, value: Any) -> Q:
        if op not in LOOKUPS or op in (CompareOperator.co, CompareOperator.sw, CompareOperator.ew):
            raise ScimError(
                400, f"{column} is compared with eq, gt, ge, lt or le.", "invalidFilter"
            )
        try:
            moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        except ValueError:
            raise ScimError(400, f"'{value}' is not a date and time.", "invalidFilter") from None
        lookup = "exact" if op == CompareOperator.eq else LOOKUPS[op]
        return Q(**{f"{column}__{lookup}": moment})

    return compare


USER_COLUMNS: dict[str, Callable[[CompareOperator, Any], Q]] = {
    "id": _id,
    "username": _user_name,
    "externalid": _case_exact("scim__external_id"),
    "displayname": _text(("display_name",)),
    "name.givenname": _text(("first_name",)),
    "name.familyname": _text(("last_name",)),
    "emails": _email,
    "emails.value": _email,
    "active": _active,
    "department": _text(("scim__department",)),
    "employeenumber": _text(("scim__employee_number",)),
    "meta.lastmodified": _moment("updated_at"),
    "meta.created": _moment("created_at"),
}
GROUP_COLUMNS: dict[str, Callable[[CompareOperator, Any], Q]] = {
    "id": _id,
    "displayname": _text(("name",)),
    "externalid": _case_exact("scim__external_id"),
    "members": _member,
    "members.value": _member,
}
# "<attribute> pr" where a column can be empty; any other kept attribute is always present.
USER_PRESENT = {
    "externalid": Q(scim__external_id__gt=""),
    "displayname": Q(display_name__gt=""),
    "name.givenname": Q(first_name__gt=""),
    "name.familyname": Q(last_name__gt=""),
}
GROUP_PRESENT = {"externalid": Q(scim__external_id__gt=""), "members": Q(users__isnull=False)}
MAX_FILTER_LENGTH = 10_000  # characters; an identity provider's filters are a few dozen


class _ToQ(FilterVisitor[Q]):
    def __init__(
        self, columns: dict[str, Callable[[CompareOperator, Any], Q]], present: dict[str, Q]
    ) -> None:
        self.columns, self.present = columns, present

    @staticmethod
    def _key(attr_path: AttrPath) -> str:
        sub = f".{attr_path.sub_attr.lower()}" if attr_path.sub_attr else ""
        return attr_path.attr.lower() + sub

    def _column(self, attr_path: AttrPath) -> Callable[[CompareOperator, Any], Q]:
        key = self._key(attr_path)
        if key not in self.columns:
            raise ScimError(
                400,
                f"Filtering on '{attr_path}' is not supported; filter on "
                f"{', '.join(sorted(self.columns))}.",
                "invalidFilter",
            )
        return self.columns[key]

    def visit_comparison(self, node: Comparison) -> Q:
        column = self._column(node.attr_path)
        if node.value is None:
            # RFC 7644 §3.4.2.2 compares with a value; null is "no value" (RFC 7643
            # §2.5), so "userName eq null" is not meaningful — userName is required and
            # never null. Answering 400 rather than matching none tells the client its
            # query asked nothing, and how to ask what it likely meant.
            raise ScimError(
                400,
                f"'{node.attr_path} {node.op.value} null' is not a comparison: to find "
                f"resources with or without a value, use '{node.attr_path} pr' or "
                f"'not ({node.attr_path} pr)'.",
                "invalidFilter",
            )
        if isinstance(node.value, str):
            # A literal's \u escapes are decoded by the parser: "\u0000" is a NUL.
            check_storable(node.value, scim_type="invalidFilter")
        return column(node.op, node.value)

    def visit_present(self, node: Present) -> Q:
        self._column(node.attr_path)  # an attribute the kind does not keep is refused
        return self.present.get(self._key(node.attr_path), Q())

    def visit_not(self, node: Not) -> Q:
        return ~self.visit(node.expr)

    def visit_logical_expr(self, node: LogicalExpr) -> Q:
        terms = [self.visit(term) for term in node.terms]
        result = terms[0]
        for term in terms[1:]:
            result = result & term if node.op == LogicalOperator.and_ else result | term
        return result

    def visit_value_path(self, node: ValuePath) -> Q:
        # emails[type eq "work" and value eq "…"]: the org keeps one e-mail per user,
        # its work e-mail; a type other than work matches nobody.
        if node.attr_path.attr.lower() not in ("emails", "members"):
            raise ScimError(
                400, f"Filtering inside '{node.attr_path}' is not supported.", "invalidFilter"
            )
        return _ValueFilter(self, node.attr_path.attr).visit(node.val_filter)


class _ValueFilter(FilterVisitor[Q]):
    def __init__(self, outer: _ToQ, attr: str) -> None:
        self.outer, self.attr = outer, attr

    def visit_comparison(self, node: Comparison) -> Q:
        if node.attr_path.attr.lower() == "type":
            works = str(node.value).lower() in ("work", "user")
            return Q() if works == (node.op == CompareOperator.eq) else Q(pk__in=[])
        return self.outer.visit_comparison(
            Comparison(AttrPath(self.attr, node.attr_path.attr), node.op, node.value)
        )

    def visit_present(self, node: Present) -> Q:
        return Q()

    def visit_not(self, node: Not) -> Q:
        return ~self.visit(node.expr)

    def visit_logical_expr(self, node: LogicalExpr) -> Q:
        return _ToQ.visit_logical_expr(self, node)  # type: ignore[arg-type]

    def visit_value_path(self, node: ValuePath) -> Q:
        raise ScimError(400, "A filter inside a filter is not supported.", "invalidFilter")


def user_filter(text: str) -> Q:
    return _to_q(text, User[EnterpriseUser], USER_COLUMNS, USER_PRESENT)


def group_filter(text: str) -> Q:
    return _to_q(text, Group, GROUP_COLUMNS, GROUP_PRESENT)


def _to_q(text: str, model: Any, columns: dict, present: dict) -> Q:
    if len(text) > MAX_FILTER_LENGTH:
        raise ScimError(
            400,
            f"The filter has {len(text)} characters; send at most {MAX_FILTER_LENGTH}.",
            "invalidFilter",
        )
    try:
        parsed = ScimFilter[model](text)
    except SCIMException as error:
        raise ScimError(
            400, f"The filter '{text}' is not valid: {error}", "invalidFilter"
        ) from None
    except (ValueError, TypeError) as error:
        raise ScimError(
            400, f"The filter '{text}' is not valid: {error}", "invalidFilter"
        ) from None
    return _ToQ(columns, present).visit(parsed.ast)
