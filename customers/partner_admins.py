"""Partner admins, managed by a partner's full administrators (SPEC §1)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.http import Http404

from customers.errors import AlreadyPartnerAdmin, LastFullAdmin, NotPartnersCustomer
from customers.models import Customer, CustomerAssignment
from partnerhub import invitations, rules
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor
from partnerhub.models import Account, Invitation, Partner, PartnerMembership, PartnerRole


def managed_memberships(account: Account) -> list[PartnerMembership]:
    """Memberships of every partner where the account is a full admin."""
    partner_ids = PartnerMembership.objects.filter(
        account=account, role=PartnerRole.FULL_ADMIN
    ).values("partner_id")
    return list(
        PartnerMembership.objects.filter(partner_id__in=partner_ids)
        .select_related("account", "partner")
        .prefetch_related("assignments__customer")
        .order_by("partner__name", "account__email")
    )


def get_managed_membership(account: Account, membership_id: int) -> PartnerMembership:
    """A membership the account may manage; anything else is a 404."""
    for membership in managed_memberships(account):
        if membership.pk == membership_id:
            return membership
    raise Http404("No such partner admin.")


def _snapshot(membership: PartnerMembership) -> dict[str, object]:
    return {
        "email": membership.account.email,
        "role": membership.role,
        "all_customers": membership.all_customers,
        "customers": sorted(a.customer.slug for a in membership.assignments.all()),
    }


@transaction.atomic
def add_partner_admin(
    *, partner: Partner, email: str, role: str, actor: Actor, all_customers: bool = False
) -> PartnerMembership:
    account, created = Account.objects.get_or_create(email=rules.normalised_email(email))
    if created:
        account.set_unusable_password()
        account.save(update_fields=["password"])
    if PartnerMembership.objects.filter(account=account, partner=partner).exists():
        raise AlreadyPartnerAdmin(f"{account.email} is already an administrator of {partner.name}.")
    membership = PartnerMembership.objects.create(
        account=account, partner=partner, role=role, all_customers=all_customers
    )
    audit.record(
        actor=actor,
        action=AuditAction.PARTNER_ADMIN_ADDED,
        target=membership,
        after=_snapshot(membership),
    )
    invitations.invite(
        account=account, host=settings.PARTNERHUB_BASE_DOMAIN, about=_role_text(membership),
        actor=actor,
    )  # fmt: skip
    return membership


def _role_text(membership: PartnerMembership) -> str:
    return f"a {membership.get_role_display().lower()} of {membership.partner.name}"


def resend_invitation(*, membership: PartnerMembership, actor: Actor) -> Invitation:
    """A new set-password link for a partner admin (from the admins page or API)."""
    return invitations.resend(
        account=membership.account, host=settings.PARTNERHUB_BASE_DOMAIN,
        about=_role_text(membership), actor=actor,
    )  # fmt: skip


def _ensure_a_full_admin_remains(membership: PartnerMembership) -> None:
    others = PartnerMembership.objects.filter(
        partner=membership.partner, role=PartnerRole.FULL_ADMIN
    ).exclude(pk=membership.pk)
    if membership.role == PartnerRole.FULL_ADMIN and not others.exists():
        raise LastFullAdmin(
            f"{membership.account.email} is the last full administrator of "
            f"{membership.partner.name}; make someone else full administrator first."
        )


@transaction.atomic
def change_partner_admin(
    *,
    membership: PartnerMembership,
    role: str,
    all_customers: bool,
    customers: Iterable[Customer],
    actor: Actor,
) -> PartnerMembership:
    """Role, "sees all customers", and the customers assigned to it."""
    membership = PartnerMembership.objects.select_for_update().get(pk=membership.pk)
    before = _snapshot(membership)
    if role != PartnerRole.FULL_ADMIN:
        _ensure_a_full_admin_remains(membership)
    customers = list(customers)
    foreign = [c.name for c in customers if c.partner_id != membership.partner_id]
    if foreign:
        raise NotPartnersCustomer(
            f"Not customers of {membership.partner.name}: {', '.join(foreign)}."
        )
    membership.role = role
    membership.all_customers = all_customers
    membership.save(update_fields=["role", "all_customers"])
    membership.assignments.exclude(customer__in=customers).delete()
    CustomerAssignment.objects.bulk_create(
        [CustomerAssignment(membership=membership, customer=c) for c in customers],
        ignore_conflicts=True,
    )
    audit.record(
        actor=actor, action=AuditAction.PARTNER_ADMIN_CHANGED, target=membership,
        before=before, after=_snapshot(membership),
    )  # fmt: skip
    return membership


@transaction.atomic
def remove_partner_admin(*, membership: PartnerMembership, actor: Actor) -> None:
    _ensure_a_full_admin_remains(membership)
    before = _snapshot(membership)
    audit.record(
        actor=actor, action=AuditAction.PARTNER_ADMIN_REMOVED, target=membership, before=before
    )
    membership.delete()
