"""Who may do what: the one module pages, API and admin all ask (SPEC §1).

Partner level: which customers an account sees and may launch. Tenant level: the
role an account holds inside one org, either as a customer admin or as a partner
admin who launched the customer view (acting with the rights of its partner role).
Anything not the caller's is reported as missing (404), never as forbidden.

This floor imports no app: the customer org is django-tenants' tenant model
(``get_tenant_model()``), and the customer memberships and assignments are reached
through the reverse relations of our own ``Account`` and ``PartnerMembership``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django_tenants.utils import get_tenant_model

from partnerhub.models import Account, CustomerRole, PartnerMembership, PartnerRole

Org = Any  # the tenant model (customers.Customer), typed loosely on this floor


def _assignments() -> type[Model]:
    """``customers.CustomerAssignment``: a partner admin's assigned customers."""
    return PartnerMembership._meta.get_field("assignments").related_model


class Capability(StrEnum):
    VIEW = "view"
    MANAGE_USERS = "manage_users"  # users, packages, licenses, CSV
    MANAGE_ORG = "manage_org"  # locations, templates, contact-center settings
    # What the partner sold: subscriptions (add, quantities, status, end date) and the
    # packages enabled for the org. Never a customer admin's (SPEC §5), only a partner
    # role's, from the partner side or a launched customer view.
    MANAGE_SUBSCRIPTIONS = "manage_subscriptions"


TENANT_CAPABILITIES: dict[str, frozenset[Capability]] = {
    CustomerRole.FULL_ADMIN: frozenset(Capability) - {Capability.MANAGE_SUBSCRIPTIONS},
    CustomerRole.USER_ADMIN: frozenset({Capability.VIEW, Capability.MANAGE_USERS}),
    CustomerRole.READ_ONLY: frozenset({Capability.VIEW}),
}

# A partner admin inside a launched customer view acts with its partner role's rights.
LAUNCHED_ROLE: dict[str, str] = {
    PartnerRole.FULL_ADMIN: CustomerRole.FULL_ADMIN,
    PartnerRole.PROVISIONING_ADMIN: CustomerRole.FULL_ADMIN,
    PartnerRole.READ_ONLY: CustomerRole.READ_ONLY,
}
# Partner roles that change what the partner sold (subscriptions, enabled packages).
SELLING_ROLES = frozenset({PartnerRole.FULL_ADMIN, PartnerRole.PROVISIONING_ADMIN})


# --- partner level -----------------------------------------------------------------


def partner_memberships(account: Account) -> QuerySet[PartnerMembership]:
    if not account.is_authenticated:
        return PartnerMembership.objects.none()
    return PartnerMembership.objects.filter(account=account).select_related("partner")


def visible_customers(account: Account) -> QuerySet[Org]:
    """Every customer the account sees at the partner level: all customers of a
    partner where it is full admin or granted all; otherwise the ones it provisioned
    or was assigned. Never another partner's."""
    orgs = get_tenant_model().objects
    if not account.is_authenticated:
        return orgs.none()
    memberships = PartnerMembership.objects.filter(account=account)
    sees_all = memberships.filter(
        Q(role=PartnerRole.FULL_ADMIN) | Q(all_customers=True), partner=OuterRef("partner")
    )
    assigned = _assignments().objects.filter(customer=OuterRef("pk"), membership__account=account)
    own_partner = memberships.filter(partner=OuterRef("partner"))
    return orgs.exclude(partner=None).filter(
        Exists(sees_all) | (Exists(own_partner) & (Q(provisioned_by=account) | Exists(assigned)))
    )


def partner_role_for(account: Account, customer: Org) -> str | None:
    """The account's partner role over this customer, if the customer is visible to it."""
    if (
        customer.partner_id is None
        or not visible_customers(account).filter(pk=customer.pk).exists()
    ):
        return None
    membership = partner_memberships(account).filter(partner_id=customer.partner_id).first()
    return membership.role if membership else None


def get_visible_customer(account: Account, **lookup: object) -> Org:
    """Fetch and authorise in one call: a customer that is not the account's is a 404,
    exactly like one that does not exist."""
    try:
        return visible_customers(account).get(**lookup)
    except (get_tenant_model().DoesNotExist, ValueError) as error:
        raise Http404("No such customer.") from error


def can_provision(account: Account, partner_id: int) -> bool:
    return (
        partner_memberships(account)
        .filter(
            partner_id=partner_id,
            role__in=[PartnerRole.FULL_ADMIN, PartnerRole.PROVISIONING_ADMIN],
        )
        .exists()
    )


def provisioning_partners(account: Account, *, slug: str | None = None) -> list:
    """Partners for which the account may provision customers (optionally the one
    with this slug): where it is full or provisioning administrator."""
    memberships = partner_memberships(account).filter(
        role__in=[PartnerRole.FULL_ADMIN, PartnerRole.PROVISIONING_ADMIN]
    )
    if slug:
        memberships = memberships.filter(partner__slug=slug)
    return [m.partner for m in memberships.order_by("partner__name")]


def can_manage_partner_admins(account: Account, partner_id: int) -> bool:
    return (
        partner_memberships(account)
        .filter(partner_id=partner_id, role=PartnerRole.FULL_ADMIN)
        .exists()
    )


MANAGING_PARTNER_ROLES = frozenset({PartnerRole.FULL_ADMIN, PartnerRole.PROVISIONING_ADMIN})


def can_manage_customer(account: Account, customer: Org) -> bool:
    """Suspend / reactivate and the partner's other changes to one customer: its
    partner's full admins and the provisioning admins who see it."""
    return partner_role_for(account, customer) in MANAGING_PARTNER_ROLES


def can_launch(account: Account, customer: Org) -> bool:
    return partner_role_for(account, customer) is not None


# --- tenant level ------------------------------------------------------------------


def customer_role(account: Account, customer: Org) -> str | None:
    """The account's own customer-admin role in this org, if any."""
    if not account.is_authenticated:
        return None
    membership = account.customer_memberships.filter(customer=customer).first()
    return membership.role if membership else None


def tenant_role(account: Account, customer: Org, *, launched_partner_role: str = "") -> str | None:
    """The role the account acts with in this org: its customer-admin role, or the one
    its partner role maps to when it launched the customer view."""
    if launched_partner_role:
        return LAUNCHED_ROLE.get(launched_partner_role)
    return customer_role(account, customer)


# What each role may do and who may do a capability, in the words of the 403 pages.
ROLE_MAY = {
    CustomerRole.FULL_ADMIN: "change everything in this organisation",
    CustomerRole.USER_ADMIN: "see everything and manage users, packages, licenses and the users CSV",
    CustomerRole.READ_ONLY: "see everything but change nothing",
}
CAPABILITY_NEEDS = {
    Capability.VIEW: "an administrator role in this organisation",
    Capability.MANAGE_USERS: "a full administrator or a user and license administrator",
    Capability.MANAGE_ORG: "a full administrator (locations, templates, settings)",
    Capability.MANAGE_SUBSCRIPTIONS: "the partner that sold the subscriptions (a full or provisioning partner administrator)",
}
PARTNER_ROLE_MAY = {
    PartnerRole.FULL_ADMIN: "see every customer of your partner, provision customers and manage partner administrators",
    PartnerRole.PROVISIONING_ADMIN: "provision customers and see and launch the customers you provisioned or were assigned",
    PartnerRole.READ_ONLY: "see and launch (read-only) the customers you were assigned",
}


def capability_refusal(role: str | None, capability: Capability) -> str:
    """The 403 text of a tenant page: the caller's role, what it may do, what is needed."""
    if role is None:
        return (
            "You have no role in this organisation. Ask one of its full administrators to add you."
        )
    label = CustomerRole(role).label.lower() if role in CustomerRole.values else role
    return (
        f"You are {label} here: you may {ROLE_MAY.get(role, 'see this organisation')}. "
        f"This needs {CAPABILITY_NEEDS[capability]}."
    )


def partner_refusal(account: Account, needed: str) -> str:
    """The 403 text of a partner page: the caller's partner role(s) and what they allow."""
    roles = [m.role for m in partner_memberships(account)]
    if not roles:
        return (
            "Your account is not an administrator of any partner. Ask a partner's full "
            "administrator to add you."
        )
    said = "; ".join(
        f"as {PartnerRole(role).label.lower()} you may {PARTNER_ROLE_MAY[role]}" for role in roles
    )
    return f"{said[0].upper()}{said[1:]}. {needed}"


def role_can(role: str | None, capability: Capability) -> bool:
    return role is not None and capability in TENANT_CAPABILITIES.get(role, frozenset())


def capabilities_of_role(
    role: str | None, *, launched_partner_role: str = ""
) -> frozenset[Capability]:
    """What a tenant role may do, plus the partner's own (subscriptions, packages)
    when it acts with a selling partner role."""
    capabilities = TENANT_CAPABILITIES.get(role, frozenset()) if role else frozenset()
    if launched_partner_role in SELLING_ROLES:
        capabilities |= {Capability.MANAGE_SUBSCRIPTIONS}
    return capabilities


def can_manage_subscriptions(account: Account, customer: Org) -> bool:
    """Partner side: may change what the partner sold this (visible) customer."""
    return partner_role_for(account, customer) in SELLING_ROLES
