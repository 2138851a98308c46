"""The user CSV's columns: a contract shared with scripts outside the code (SPEC §4)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from licensing import catalogue
from licensing.models import SubscriptionLine, SubscriptionStatus

FIRST_NAME = "First Name"
LAST_NAME = "Last Name"
DISPLAY_NAME = "Display Name"
EMAIL = "User ID/Email (Required)"
STATUS = "User Status"
PHONE = "Phone Number"
EXTENSION = "Extension"
LOCATION = "Location"
JABBER_CALLING = "Jabber Calling"
JABBER_TEAMS = "Jabber with Webex Teams"
SITE = "Preferred Webex Site"
CC_STANDARD = "Webex Contact Center Standard"
CC_PREMIUM = "Webex Contact Center Premium"

BASIC_COLUMNS = {
    "Basic Messaging": catalogue.BASIC_MESSAGING,
    "Basic Space Meetings": catalogue.BASIC_SPACE_MEETINGS,
    "Call on Webex": catalogue.CALL_ON_WEBEX,
}
FIXED_COLUMNS = [
    FIRST_NAME, LAST_NAME, DISPLAY_NAME, EMAIL, STATUS, PHONE, EXTENSION, LOCATION,
    JABBER_CALLING, JABBER_TEAMS, SITE, *BASIC_COLUMNS, CC_STANDARD, CC_PREMIUM,
]  # fmt: skip
BOOLEAN_COLUMNS = [JABBER_CALLING, JABBER_TEAMS, *BASIC_COLUMNS, CC_STANDARD, CC_PREMIUM]
SUSPENDED_SUFFIX = " (Suspended)"
PACKAGE_HEADER = re.compile(
    r"^(?P<package>.+?) \[(?P<subscription>[^\]]+)\](?P<suspended> \(Suspended\))?$"
)


@dataclass(frozen=True)
class PackageColumn:
    header: str
    line: SubscriptionLine

    @property
    def usable(self) -> bool:
        return self.line.subscription.status == SubscriptionStatus.ACTIVE


def package_header(line: SubscriptionLine) -> str:
    name = catalogue.license_type(line.license_type).name
    header = f"{name} [{line.subscription.external_id}]"
    return (
        header
        if line.subscription.status == SubscriptionStatus.ACTIVE
        else header + SUSPENDED_SUFFIX
    )


def package_lines() -> list[SubscriptionLine]:
    return list(
        SubscriptionLine.objects.filter(license_type__in=catalogue.PACKAGES)
        .select_related("subscription")
        .order_by("license_type", "subscription__external_id")
    )


def export_headers(lines: list[SubscriptionLine]) -> list[str]:
    return FIXED_COLUMNS + [package_header(line) for line in lines]


def resolve_package_header(header: str, lines: list[SubscriptionLine]) -> SubscriptionLine | None:
    """The line a package header names: ``Webex Calling [Sub-100234]`` (with or without
    `` (Suspended)``), or plain ``Webex Calling`` when one subscription carries it."""
    match = PACKAGE_HEADER.match(header)
    if match:
        package = catalogue.package_by_name(match["package"])
        return next(
            (
                line
                for line in lines
                if package
                and line.license_type == package.code
                and line.subscription.external_id == match["subscription"]
            ),
            None,
        )
    package = catalogue.package_by_name(header)
    if package is None:
        return None
    matching = [line for line in lines if line.license_type == package.code]
    return matching[0] if len(matching) == 1 else None
