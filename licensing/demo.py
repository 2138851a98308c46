"""Demo data of users and licenses (``manage.py demo``): a few dozen users, some
with the Webex Meetings package, three groups, an org-level template and a group
template. Idempotent; runs in the org's schema; uses only lines the org has."""

from __future__ import annotations

from licensing import catalogue
from licensing.models import AutoLicenseTemplate, Group, OrgUser, SubscriptionLine
from licensing.services.templates import create_template
from licensing.services.users import UserEntry, add_users, set_user_groups
from partnerhub.audit.services import Actor

FIRST = ["Anna", "Bjørn", "Chen", "Dana", "Emil", "Fatima", "Gustav", "Hana", "Ivan", "Julia"]
LAST = ["Berg", "Kowalski", "Nakamura", "Popescu", "Hansen", "Ivanova"]
GROUPS = ["Sales", "Support", "Engineering"]
DEMO_USERS = 36


def _line(license_type: str) -> SubscriptionLine | None:
    return (
        SubscriptionLine.objects.select_related("subscription")
        .filter(license_type=license_type, subscription__status="active")
        .order_by("subscription__external_id")
        .first()
    )


def _templates(groups: dict[str, Group], actor: Actor) -> None:
    """Everyone gets Webex Meetings; Sales (its group template wins) nothing but the
    basic licenses every new user gets anyway."""
    meetings = _line(catalogue.WEBEX_MEETINGS)
    if not AutoLicenseTemplate.objects.filter(group__isnull=True).exists():
        create_template(name="Everyone", lines=[meetings] if meetings else [], actor=actor)
    if not AutoLicenseTemplate.objects.filter(group=groups["Sales"]).exists():
        create_template(name="Sales", group=groups["Sales"], lines=[], actor=actor)


def _email(first: str, last: str, index: int, slug: str) -> str:
    local = f"{first}.{last}{index}".lower().replace("ø", "o")
    return f"{local}@{slug}.example"


def load_demo(*, customer: object, actor: Actor) -> None:
    slug = getattr(customer, "slug", "demo")
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in GROUPS}
    _templates(groups, actor)
    entries = [
        UserEntry(
            email=_email(FIRST[i % len(FIRST)], LAST[i % len(LAST)], i, slug),
            first_name=FIRST[i % len(FIRST)],
            last_name=LAST[i % len(LAST)],
        )
        for i in range(DEMO_USERS)
    ]
    new = [e for e in entries if not OrgUser.objects.filter(email=e.email).exists()]
    for start in range(0, len(new), 25):
        result = add_users(entries=new[start : start + 25], package_line=None, actor=actor)
        for index, outcome in enumerate(result.created):
            if outcome.user is not None:
                group = groups[GROUPS[index % len(GROUPS)]]
                set_user_groups(user=outcome.user, groups=[group], actor=actor)
