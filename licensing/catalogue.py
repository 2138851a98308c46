"""The catalogue of license types and wholesale packages, as data (SPEC §4, §5, §7).

One place for: which license types exist, which of them are wholesale packages,
which packages include calling, and which CSV fields each package requires.
Read-only reference data shared by every org; a customer may use the subset of
packages its partner enabled (``customers.Customer.packages``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    PACKAGE = "package"
    BASIC = "basic"
    CONTACT_CENTER = "contact_center"
    WORKSPACE = "workspace"


class CsvField(StrEnum):
    """CSV columns a package may require (SPEC §4, table 1)."""

    EXTENSION_OR_NUMBER = "Extension or Phone Number"
    LOCATION = "Location"
    JABBER_CALLING = "Jabber Calling"
    JABBER_WITH_TEAMS = "Jabber with Webex Teams"
    PREFERRED_SITE = "Preferred Webex Site"


@dataclass(frozen=True)
class LicenseType:
    code: str
    name: str
    kind: Kind
    includes_calling: bool = False
    required_fields: frozenset[CsvField] = field(default_factory=frozenset)
    # Missing these gives a warning, not an error.
    recommended_fields: frozenset[CsvField] = field(default_factory=frozenset)


_ALL_PACKAGES_REQUIRE = frozenset({CsvField.JABBER_CALLING, CsvField.JABBER_WITH_TEAMS})
_CALLING_REQUIRES = _ALL_PACKAGES_REQUIRE | {CsvField.EXTENSION_OR_NUMBER, CsvField.LOCATION}
_SITE = frozenset({CsvField.PREFERRED_SITE})


def _package(code: str, name: str, *, calling: bool = False, site: bool = True) -> LicenseType:
    return LicenseType(
        code=code,
        name=name,
        kind=Kind.PACKAGE,
        includes_calling=calling,
        required_fields=_CALLING_REQUIRES if calling else _ALL_PACKAGES_REQUIRE,
        recommended_fields=_SITE if site else frozenset(),
    )


WEBEX_CALLING = "webex_calling"
WEBEX_CALLING_STANDARD = "webex_calling_standard"
WEBEX_SUITE = "webex_suite"
WEBEX_VOICE = "webex_voice"
WEBEX_MEETINGS = "webex_meetings"
COMMON_AREA_CALLING = "common_area_calling"
BASIC_MESSAGING = "basic_messaging"
BASIC_SPACE_MEETINGS = "basic_space_meetings"
CALL_ON_WEBEX = "call_on_webex"
CC_STANDARD = "cc_standard"
CC_PREMIUM = "cc_premium"
WORKSPACE_CALLING = "workspace_calling"

LICENSE_TYPES: dict[str, LicenseType] = {
    lt.code: lt
    for lt in [
        _package(WEBEX_CALLING, "Webex Calling", calling=True),
        _package(WEBEX_CALLING_STANDARD, "Webex Calling Standard", calling=True),
        _package(WEBEX_SUITE, "Webex Suite", calling=True),
        _package(WEBEX_VOICE, "Webex Voice", site=False),
        _package(WEBEX_MEETINGS, "Webex Meetings"),
        _package(COMMON_AREA_CALLING, "Common Area Calling"),
        LicenseType(BASIC_MESSAGING, "Basic Messaging", Kind.BASIC),
        LicenseType(BASIC_SPACE_MEETINGS, "Basic Space Meetings", Kind.BASIC),
        LicenseType(CALL_ON_WEBEX, "Call on Webex", Kind.BASIC),
        LicenseType(CC_STANDARD, "Webex Contact Center Standard", Kind.CONTACT_CENTER),
        LicenseType(CC_PREMIUM, "Webex Contact Center Premium", Kind.CONTACT_CENTER),
        LicenseType(WORKSPACE_CALLING, "Workspace Calling", Kind.WORKSPACE, includes_calling=True),
    ]
}

PACKAGES: dict[str, LicenseType] = {
    code: lt for code, lt in LICENSE_TYPES.items() if lt.kind is Kind.PACKAGE
}
CALLING_PACKAGES = frozenset(code for code, lt in PACKAGES.items() if lt.includes_calling)
# Included with every org, as in Webex (SPEC §5): no subscription line, no quantity.
# A user's basic licenses are entitlements stored on the user: ``OrgUser.basic_licenses``,
# a bit mask whose bit i is ``BASIC_LICENSES[i]`` — so this order is stored data: append
# new basic licenses, never reorder or remove one (``basic_mask`` / ``basic_codes``).
BASIC_LICENSES: tuple[str, ...] = (BASIC_MESSAGING, BASIC_SPACE_MEETINGS, CALL_ON_WEBEX)
BASIC_BIT: dict[str, int] = {code: 1 << i for i, code in enumerate(BASIC_LICENSES)}
ALL_BASIC_MASK = (1 << len(BASIC_LICENSES)) - 1
# Every new user gets these on top of its package, however it is created, unless an
# explicit choice (a CSV cell, "add and remove" mode) settles them.
DEFAULT_BASIC_LICENSES = BASIC_LICENSES
DEFAULT_BASIC_MASK = sum(BASIC_BIT[code] for code in DEFAULT_BASIC_LICENSES)
# What a subscription line may carry: everything but the included basic licenses.
SOLD_LICENSE_TYPES: dict[str, LicenseType] = {
    code: lt for code, lt in LICENSE_TYPES.items() if lt.kind is not Kind.BASIC
}
CONTACT_CENTER_LICENSES: tuple[str, ...] = (CC_STANDARD, CC_PREMIUM)

LICENSE_TYPE_CHOICES = [(lt.code, lt.name) for lt in LICENSE_TYPES.values()]
SOLD_LICENSE_TYPE_CHOICES = [(lt.code, lt.name) for lt in SOLD_LICENSE_TYPES.values()]
PACKAGE_CHOICES = [(lt.code, lt.name) for lt in PACKAGES.values()]


def license_type(code: str) -> LicenseType:
    return LICENSE_TYPES[code]


def is_included(code: str) -> bool:
    """True for the basic licenses every org includes (no line, no quantity)."""
    return code in BASIC_LICENSES


def basic_mask(codes: Iterable[str]) -> int:
    """The bit mask of these basic licenses (``OrgUser.basic_licenses``); codes that are
    not basic licenses are ignored, so any set of held license types may be passed."""
    mask = 0
    for code in codes:  # a plain loop: called twice per row of a 20,000-row import
        mask |= BASIC_BIT.get(code, 0)
    return mask


def basic_codes(mask: int) -> tuple[str, ...]:
    """The basic licenses of a bit mask, in catalogue order (memoised: 8 masks)."""
    return _BASIC_CODES[mask]


_BASIC_CODES = tuple(
    tuple(code for code, bit in BASIC_BIT.items() if mask & bit)
    for mask in range(ALL_BASIC_MASK + 1)
)


def package_by_name(name: str) -> LicenseType | None:
    """The package called ``name`` (case-insensitive), as written in CSV headers."""
    wanted = name.strip().casefold()
    return next((lt for lt in PACKAGES.values() if lt.name.casefold() == wanted), None)
