"""Demo data of the contact center (``manage.py demo``): a few agents of each role,
synced to the built-in roster, one of them left Invalid by an injected fault so that
*Synchronize users* has something to heal. Idempotent; runs in the org's schema."""

from __future__ import annotations

from contactcenter import services
from contactcenter.models import Agent, AgentRole
from contactcenter.roster import DatabaseRoster
from licensing import catalogue
from licensing.models import OrgUser, SubscriptionLine, SubscriptionStatus
from licensing.services.users import create_user
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError

# (local part, first, last, license, role, full admin rights)
DEMO_AGENTS = [
    ("maria.lopez", "Maria", "Lopez", catalogue.CC_PREMIUM, AgentRole.SUPERVISOR, True),
    ("li.wei", "Li", "Wei", catalogue.CC_PREMIUM, AgentRole.AGENT, False),
    ("omar.haddad", "Omar", "Haddad", catalogue.CC_STANDARD, AgentRole.AGENT, False),
    ("sofia.rossi", "Sofia", "Rossi", catalogue.CC_STANDARD, AgentRole.AGENT, False),
]
LEFT_INVALID = "sofia.rossi"


def _user(email: str, first: str, last: str, actor: Actor) -> OrgUser:
    existing = OrgUser.objects.filter(email=email).first()
    if existing is not None:
        return existing
    return create_user(email=email, first_name=first, last_name=last, actor=actor)


def load_demo(*, customer: object, actor: Actor) -> None:
    has_lines = SubscriptionLine.objects.filter(
        license_type__in=catalogue.CONTACT_CENTER_LICENSES,
        subscription__status=SubscriptionStatus.ACTIVE,
    ).exists()
    if not has_lines:
        return
    slug = getattr(customer, "slug", "demo")
    for local, first, last, license_type, role, admin in DEMO_AGENTS:
        email = f"{local}@{slug}.example"
        user = _user(email, first, last, actor)
        if Agent.objects.filter(user=user).exists():
            continue
        try:
            services.set_contact_center(
                user=user, license_type=license_type, role=role, actor=actor
            )
            if admin:
                services.grant_admin_rights(user=user, actor=actor)
        except DomainError:
            continue  # not enough licenses in this org: fewer demo agents
    faults = {"fail_emails": [f"{LEFT_INVALID}@{slug}.example"]}
    services.run_sync(backend=DatabaseRoster(faults=faults))
