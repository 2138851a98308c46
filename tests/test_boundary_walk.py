"""The boundary walk is complete: every URL pattern of the org and partner URLconfs
is walked by ``tests/boundaries.py``'s helpers somewhere in the suite, or names
nothing of an org or a customer (listed here, with why). Runs after every walk
(``tests/conftest.py`` puts it last); skipped when the session left a walk out."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.boundaries import ORG_URLCONF, PARTNER_URLCONF, WALKED

TESTS = Path(__file__).resolve().parent
WALK_CALLS = (
    "assert_org_urls_closed_to_outsiders(",
    "assert_partner_urls_closed_to_other_partners(",
    "record_walk(",
)

# The caller's own account and the public entry points: no org's or customer's object
# is in the URL, so there is nothing to reach across a boundary.
ACCOUNT = {
    "", "login/", "logout/", "password/", "password/reset/", "password/reset/sent/",
    "password/reset/<uidb64>/<token>/", "password/reset/done/", "invitation/<str:token>/",
    "invitation/<str:token>/resend/", "account/mfa/", "account/mfa/verify/",
    "account/mfa/recovery-codes/", "account/mfa/remove/", "tokens/",
    "tokens/<str:token_key>/revoke/", "api/tokens/", "api/tokens/<str:token_key>/",
    "api/auth/token/", "api/schema/", "api/docs/", "api/redoc/",
    # a stylesheet, the same for everyone
    "charts/usage-chart.css",
}  # fmt: skip
NOT_WALKED = {
    ORG_URLCONF: ACCOUNT
    | {
        # a single-use signed ticket is the only key (tests/customers/test_launch.py)
        "launch/<str:token>/",
    },
    PARTNER_URLCONF: ACCOUNT
    | {
        # the caller's own partner only: lists, provisioning, its admins' settings
        "partner/",
        "partner/customers/",
        "partner/customers/export.csv",
        "partner/customers/new/",
        "partner/alerts/",
        "partner/audit/",
        "partner/audit/export.csv",
        "partner/admins/",
        "partner/admins/second-factor/",
        "api/partner/customers/",
        "api/partner/customers/export.csv",
        "api/partner/customers/provision/",
        "api/partner/admins/",
        "api/partner/security/",
    },  # fmt: skip
}
# Django's admin has its own gate (staff of the host's schema, tests/partnerhub/test_admin.py).
NOT_WALKED_PREFIXES = ("admin/",)


def _join(prefix: str, pattern: str) -> str:
    # as Django joins an included pattern to its prefix (ResolverMatch.route)
    return prefix + pattern.removeprefix("^")


def url_patterns(urlconf: str) -> set[str]:
    """Every route of the URLconf, as ``ResolverMatch.route`` spells it."""

    def walk(patterns: list, prefix: str) -> set[str]:
        found: set[str] = set()
        for pattern in patterns:
            route = _join(prefix, str(pattern.pattern))
            if isinstance(pattern, URLResolver):
                found |= walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                found.add(route)
        return found

    return walk(get_resolver(urlconf).url_patterns, "")


def _walking_modules() -> set[str]:
    return {
        str(path.relative_to(TESTS.parent))
        for path in TESTS.rglob("test_*.py")
        if any(call in path.read_text(encoding="utf-8") for call in WALK_CALLS)
    }


def test_every_url_of_the_urlconfs_is_walked(request: pytest.FixtureRequest) -> None:
    ran = {item.nodeid.split("::")[0] for item in request.session.items}
    left_out = _walking_modules() - ran
    if left_out:
        pytest.skip(f"the session left out walks: {', '.join(sorted(left_out))}")
    missing = [
        f"{urlconf}: {route}"
        for urlconf in (ORG_URLCONF, PARTNER_URLCONF)
        for route in sorted(url_patterns(urlconf) - WALKED[urlconf] - NOT_WALKED[urlconf])
        if not route.startswith(NOT_WALKED_PREFIXES)
    ]
    assert not missing, (
        "URL patterns no boundary walk covers: add them to the app's walk "
        "(tests/boundaries.py):\n" + "\n".join(missing)
    )
