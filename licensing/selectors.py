"""Reads for pages, the API and exports (STYLE: selectors return querysets)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import CharField, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim

from licensing import catalogue
from licensing.models import (
    AutoLicenseTemplate,
    Group,
    LicenseAssignment,
    OrgUser,
    Subscription,
    SubscriptionLine,
    SubscriptionStatus,
)
from partnerhub.bulk import among
from partnerhub.search import search_term

# Sort keys of the users list: column → expression; users without the value (no
# number, no calling) come last either way.
USER_SORT_COLUMNS = {
    "email": F("email"),
    "name": F("shown_name"),
    "package": F("package_code"),
    "number": F("calling__number__e164"),
    "extension": F("calling__extension"),
    "location": F("calling__location__name"),
    "status": F("status"),
}
USER_SORTS = [key for column in USER_SORT_COLUMNS for key in (column, f"-{column}")]


def _user_ordering(sort: str) -> list:
    column = sort.removeprefix("-")
    expression = USER_SORT_COLUMNS.get(column, F("email"))
    if sort.startswith("-"):
        return [expression.desc(nulls_last=True), F("pk").desc()]
    return [expression.asc(nulls_last=True), F("pk").asc()]


def shown_name() -> Coalesce:
    """The display name, or "First Last" when it is empty."""
    return Coalesce(
        NullIf(Trim("display_name"), Value("")),
        NullIf(
            Trim(Concat("first_name", Value(" "), "last_name", output_field=CharField())), Value("")
        ),
        output_field=CharField(),
    )


def user_list(
    *,
    search: str = "",
    package: str = "",
    status: str = "",
    group: int | None = None,
    sort: str = "email",
) -> QuerySet[OrgUser]:
    """Users with their licenses, calling number / extension / location and shown
    name (one query for the page, one for the licenses), sorted by ``sort``.

    ``package``: a package code, ``none`` for users without a package, or a license
    type (a basic license: its holders, read from ``OrgUser.basic_licenses``)."""
    package_code = LicenseAssignment.objects.filter(
        user=OuterRef("pk"), kind=catalogue.Kind.PACKAGE
    ).values("license_type")[:1]
    users = (
        OrgUser.objects.select_related("calling__location", "calling__number")
        .annotate(shown_name=shown_name(), package_code=Subquery(package_code))
        .prefetch_related(
            Prefetch(
                "licenses",
                queryset=LicenseAssignment.objects.select_related("line__subscription").order_by(
                    "kind", "license_type"
                ),
            )
        )
    )
    search = search_term(search)
    if search:
        users = users.filter(
            Q(email__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(display_name__icontains=search)
        )
    if package == "none":
        users = users.exclude(licenses__kind=catalogue.Kind.PACKAGE)
    elif package in catalogue.BASIC_BIT:  # stored on the user, no row (SPEC §5)
        bit = catalogue.BASIC_BIT[package]
        users = users.alias(held_bit=F("basic_licenses").bitand(bit)).filter(held_bit__gt=0)
    elif package:
        users = users.filter(licenses__license_type=package)
    if status:
        users = users.filter(status=status)
    if group:
        users = users.filter(groups=group)
    return users.order_by(*_user_ordering(sort))


def package_of(user: OrgUser) -> LicenseAssignment | None:
    """The user's package (uses prefetched licenses when there are)."""
    return next((a for a in user.licenses.all() if a.kind == catalogue.Kind.PACKAGE), None)


def user_detail(pk: int) -> OrgUser:
    return user_list().prefetch_related("groups").get(pk=pk)


def subscriptions_with_usage() -> QuerySet[Subscription]:
    """Subscriptions with their lines, each line annotated with ``used``."""
    lines = SubscriptionLine.objects.annotate(used=Count("assignments")).order_by("license_type")
    return Subscription.objects.prefetch_related(Prefetch("lines", queryset=lines)).order_by(
        "external_id"
    )


def usable_lines(*, license_types: list[str] | None = None) -> QuerySet[SubscriptionLine]:
    """Lines of active subscriptions, annotated with ``used`` (for choices)."""
    lines = (
        SubscriptionLine.objects.filter(subscription__status=SubscriptionStatus.ACTIVE)
        .select_related("subscription")
        .annotate(used=Count("assignments"))
        .order_by("license_type", "subscription__external_id")
    )
    if license_types is not None:
        lines = lines.filter(license_type__in=license_types)
    return lines


def lines_for_move(assignment: LicenseAssignment) -> QuerySet[SubscriptionLine]:
    """Where a license can move: active lines of its type, and its current line."""
    return (
        SubscriptionLine.objects.filter(
            Q(license_type=assignment.license_type, subscription__status=SubscriptionStatus.ACTIVE)
            | Q(pk=assignment.line_id)
        )
        .select_related("subscription")
        .annotate(used=Count("assignments"))
        .order_by("subscription__external_id")
    )


def package_lines() -> QuerySet[SubscriptionLine]:
    return usable_lines(license_types=list(catalogue.PACKAGES))


def template_list() -> QuerySet[AutoLicenseTemplate]:
    return (
        AutoLicenseTemplate.objects.select_related("group")
        .prefetch_related(
            Prefetch("lines", queryset=SubscriptionLine.objects.select_related("subscription"))
        )
        .order_by("group__name", "name")
    )


def group_list() -> QuerySet[Group]:
    return Group.objects.annotate(user_count=Count("users")).order_by("name")


@dataclass(frozen=True)
class Meter:
    """A drawn usage figure: used of bought, and the percentage (capped for drawing)."""

    label: str
    used: int
    bought: int

    @property
    def percent(self) -> int:
        if not self.bought:
            return 100 if self.used else 0
        return min(100, round(100 * self.used / self.bought))

    @property
    def is_over(self) -> bool:
        return self.used > self.bought


@dataclass(frozen=True)
class Included:
    """A basic license included with every org: how many users hold it, no meter."""

    label: str
    holders: int


def included_licenses() -> list[Included]:
    """The basic licenses (SPEC §5) and their holders, in catalogue order (one query)."""
    bits = {
        f"bit_{i}": F("basic_licenses").bitand(bit)
        for i, bit in enumerate(catalogue.BASIC_BIT.values())
    }
    holders = OrgUser.objects.alias(**bits).aggregate(
        **{code: Count("pk", filter=Q(**{f"bit_{i}__gt": 0}))
           for i, code in enumerate(catalogue.BASIC_LICENSES)}
    )  # fmt: skip
    return [
        Included(catalogue.license_type(code).name, holders[code] or 0)
        for code in catalogue.BASIC_LICENSES
    ]


def basic_licenses_of(user: OrgUser) -> tuple[str, ...]:
    """The basic licenses the user holds, in catalogue order (``OrgUser.basic_licenses``)."""
    return catalogue.basic_codes(user.basic_licenses)


def licenses_of(user: OrgUser) -> list[LicenseAssignment]:
    """Every license the user holds, as pages and the API show them: its basic licenses
    as unsaved assignments without a line (``is_included``), then its rows (prefetched
    by ``user_list``), ordered by kind and license type."""
    included = [
        LicenseAssignment(user=user, line=None, license_type=code, kind=catalogue.Kind.BASIC)
        for code in basic_licenses_of(user)
    ]
    return sorted([*included, *user.licenses.all()], key=lambda a: (a.kind, a.license_type))


def license_types_held(user_ids: Iterable[int]) -> dict[int, set[str]]:
    """``{user id: license types held}`` for these users, basic licenses included (one
    query); a user id without a user maps to an empty set."""
    held: dict[int, set[str]] = {user_id: set() for user_id in user_ids}
    rows = OrgUser.objects.filter(pk__in=among(held)).values_list(
        "pk", "basic_licenses", "licenses__license_type"
    )
    for user_id, mask, code in rows:
        held[user_id].update(catalogue.basic_codes(mask))
        if code is not None:
            held[user_id].add(code)
    return held


def license_meters() -> list[Meter]:
    """Used / bought per license type over active subscriptions (org overview)."""
    from licensing.services.summary import org_figures

    _users, services = org_figures()
    return [
        Meter(catalogue.license_type(code).name, used, bought)
        for code, (used, bought) in sorted(
            services.items(), key=lambda item: list(catalogue.LICENSE_TYPES).index(item[0])
        )
    ]
