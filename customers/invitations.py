"""The first admin's invitation of a customer org, seen and resent from the partner
side (SPEC §1, §2; issue 9 §5: an e-mail that could not be sent after the org was
committed is shown, with a way to resend, never an error of the provisioning)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from customers.models import Customer
from customers.services import customer_host, first_admin_role
from partnerhub import invitations, permissions
from partnerhub.audit.services import Actor
from partnerhub.models import Account, Invitation


@dataclass(frozen=True)
class FirstAdminInvitation:
    customer: Customer
    email: str
    state: str  # sent, failed, pending, accepted, expired, none
    error: str = ""
    expires_at: object = None


def _first_admin(customer: Customer) -> Account:
    account = Account.objects.filter(
        email=customer.admin_email, customer_memberships__customer=customer
    ).first()
    if account is None:
        raise Http404("The first administrator is no longer an administrator of this org.")
    return account


def state_of(invitation: Invitation | None) -> tuple[str, str]:
    if invitation is None:
        return "none", ""
    if invitation.used_at:
        return "accepted", ""
    delivery = invitations.delivery_of(invitation)
    if delivery.state == "failed":
        return "failed", delivery.error
    if invitations.why_unusable(invitation):
        return "expired", ""
    return delivery.state, ""


def first_admin_invitation(*, account: Account, customer_id: int) -> FirstAdminInvitation:
    """The state of the first admin's latest invitation (customer visible, else 404)."""
    customer = permissions.get_visible_customer(account, pk=customer_id)
    admin = _first_admin(customer)
    invitation = invitations.latest_invitation(account=admin, host=customer_host(customer))
    state, error = state_of(invitation)
    return FirstAdminInvitation(
        customer=customer, email=admin.email, state=state, error=error,
        expires_at=invitation.expires_at if invitation else None,
    )  # fmt: skip


def resend_first_admin_invitation(
    *, account: Account, customer_id: int, actor: Actor
) -> Invitation:
    """A new link for the org's first admin (full and provisioning admins only)."""
    customer = permissions.get_visible_customer(account, pk=customer_id)
    if not permissions.can_provision(account, customer.partner_id):
        raise PermissionDenied("Only full and provisioning administrators resend invitations.")
    return invitations.resend(
        account=_first_admin(customer), host=customer_host(customer),
        about=first_admin_role(customer), actor=actor,
    )  # fmt: skip
