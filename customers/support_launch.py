"""Support staff open an org's Django admin from the public admin (issue #11 item 10;
SPEC §1 "support staff use the Django admin"), without a second sign-in.

The same hand-off as the partner's *Launch customer view* (``customers.launch``): the
public admin issues a signed, single-use, short-lived ticket of purpose ``org_admin``;
the org host's ``/admin/open/<token>/`` consumes it, signs the support account in on
that host (with the second factor it passed) and opens ``/admin/``. Only an active
staff account may issue or use one; a ticket opens only the org it was issued for.
Every opening is audited on both sides: who, which org, as support staff.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import Http404, HttpRequest

from customers.launch import locked_ticket, record_on_both_sides, sign_in_from
from customers.models import Customer, LaunchPurpose, LaunchTicket
from customers.services import customer_host
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor
from partnerhub.models import Account

SALT = "partnerhub.support-launch"
AGAIN = "Open the org admin again from the customer in the support admin."


def _is_support_staff(account: Account) -> bool:
    return bool(account.is_authenticated and account.is_active and account.is_staff)


@transaction.atomic
def issue_org_admin_ticket(*, account: Account, customer_id: int, otp_device: str = "") -> str:
    """The URL that opens org ``customer_id``'s admin signed in as ``account``.
    Not support staff, or no such org → ``Http404`` (nothing says which)."""
    if not _is_support_staff(account):
        raise Http404("No such org.")
    customer = (
        Customer.objects.exclude(schema_name__in=["public", settings.TENANT_BASE_SCHEMA])
        .filter(pk=customer_id)
        .first()
    )
    if customer is None:
        raise Http404("No such org.")
    ticket = LaunchTicket.objects.create(
        account=account, customer=customer, otp_device=otp_device, purpose=LaunchPurpose.ORG_ADMIN
    )
    scheme = settings.PARTNERHUB_LINK_SCHEME
    port = f":{settings.PARTNERHUB_LINK_PORT}" if settings.PARTNERHUB_LINK_PORT else ""
    token = signing.dumps({"ticket": ticket.pk}, salt=SALT)
    return f"{scheme}://{customer_host(customer)}{port}/admin/open/{token}/"


@transaction.atomic
def consume_org_admin_ticket(*, request: HttpRequest, token: str) -> Customer:
    """Sign the ticket's support account in on this org's host (once, while fresh).
    Another org's ticket, or an account no longer staff → 404; used or expired →
    ``LaunchTicketInvalid``."""
    customer = request.tenant
    ticket = locked_ticket(
        token=token, salt=SALT, customer=customer, purpose=LaunchPurpose.ORG_ADMIN, again=AGAIN
    )
    account = ticket.account
    if not _is_support_staff(account):
        raise Http404("No such launch.")
    sign_in_from(request, ticket)
    record_on_both_sides(
        actor=Actor(account_id=account.pk, email=account.email),
        action=AuditAction.ORG_ADMIN_OPENED_BY_SUPPORT,
        customer=customer,
        after={"as": "support staff", "customer": customer.slug, "org": customer.name},
    )
    return customer
