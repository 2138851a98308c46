"""Launch customer view (SPEC §2): one click on the partner host opens the customer's
portal as the partner admin, without a second sign-in.

The partner host issues a signed, single-use, short-lived ticket; the customer host
consumes it (row lock, so a replay loses), signs the account in on that host and
marks the session as launched. Every launch is audited on both sides.
"""

from __future__ import annotations

import django_otp
from django.conf import settings
from django.contrib.auth import login
from django.core import signing
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django_otp.models import Device

from customers.errors import LaunchRefused, LaunchTicketInvalid
from customers.models import Customer, CustomerStatus, LaunchPurpose, LaunchTicket
from customers.services import customer_host
from partnerhub import permissions, signin
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor
from partnerhub.models import Account
from partnerhub.tenancy import in_public

SALT = "partnerhub.launch"


def launch_url(customer: Customer, token: str) -> str:
    scheme = settings.PARTNERHUB_LINK_SCHEME
    port = f":{settings.PARTNERHUB_LINK_PORT}" if settings.PARTNERHUB_LINK_PORT else ""
    return f"{scheme}://{customer_host(customer)}{port}/launch/{token}/"


@transaction.atomic
def issue_launch_ticket(*, account: Account, customer_id: int, otp_device: str = "") -> str:
    """A hand-off URL into the customer view. Not the account's customer → 404;
    a suspended or expired customer → refused with the reason. ``otp_device``: the
    second factor the launching session passed, carried over to the customer host."""
    customer = permissions.get_visible_customer(account, pk=customer_id)
    if customer.status in (CustomerStatus.SUSPENDED, CustomerStatus.EXPIRED):
        raise LaunchRefused(
            f"{customer.name} is {customer.get_status_display().lower()}; "
            "reactivate it before launching the customer view."
        )
    ticket = LaunchTicket.objects.create(account=account, customer=customer, otp_device=otp_device)
    return launch_url(customer, signing.dumps({"ticket": ticket.pk}, salt=SALT))


def second_factor_of(request: HttpRequest) -> str:
    """The persistent id of the second factor this session passed ("" if none)."""
    device = getattr(request.user, "otp_device", None)
    return device.persistent_id if device is not None else ""


def locked_ticket(
    *, token: str, salt: str, customer: Customer, purpose: str, again: str
) -> LaunchTicket:
    """The unused ticket ``token`` names, for ``customer`` (this host) and ``purpose``,
    locked (``select_for_update``: of two replays one loses). A bad signature, another
    org's or another purpose's ticket → 404; expired or used → ``LaunchTicketInvalid``
    ending with ``again`` (how to get a new one). Call inside a transaction."""
    try:
        data = signing.loads(token, salt=salt, max_age=settings.LAUNCH_TICKET_MAX_AGE)
    except signing.SignatureExpired as error:
        raise LaunchTicketInvalid(f"This launch link has expired. {again}") from error
    except signing.BadSignature as error:
        raise Http404("No such launch.") from error
    ticket = (
        LaunchTicket.objects.select_for_update()
        .select_related("account")
        .filter(pk=data.get("ticket"), customer_id=customer.pk, purpose=purpose)
        .first()
    )
    if ticket is None:
        raise Http404("No such launch.")
    if ticket.used_at is not None:
        raise LaunchTicketInvalid(f"This launch link was already used. {again}")
    return ticket


def sign_in_from(request: HttpRequest, ticket: LaunchTicket) -> None:
    """Mark the ticket used and sign its account in on this host, with the second
    factor the issuing session passed."""
    ticket.used_at = timezone.now()
    ticket.save(update_fields=["used_at"])
    login(request, ticket.account, backend=signin.BACKEND)
    if ticket.otp_device:
        device = Device.from_persistent_id(ticket.otp_device)
        if device is not None and device.user_id == ticket.account_id:
            django_otp.login(request, device)


@transaction.atomic
def consume_launch_ticket(*, request: HttpRequest, token: str) -> Customer:
    """Sign the ticket's account in on this customer host (once, while fresh)."""
    customer = request.tenant
    ticket = locked_ticket(
        token=token,
        salt=SALT,
        customer=customer,
        purpose=LaunchPurpose.CUSTOMER_VIEW,
        again="Launch the customer view again from the customer list.",
    )
    partner_role = permissions.partner_role_for(ticket.account, customer)
    if partner_role is None:
        raise Http404("No such launch.")
    # Suspended (or expired) after the ticket was issued: the hand-off is refused too.
    status = Customer.objects.values_list("status", flat=True).get(pk=customer.pk)
    if status in (CustomerStatus.SUSPENDED, CustomerStatus.EXPIRED):
        raise LaunchTicketInvalid(
            f"{customer.name} is {CustomerStatus(status).label.lower()}; reactivate it "
            "before launching the customer view."
        )
    sign_in_from(request, ticket)
    request.session["launched_customer_id"] = customer.pk
    request.session["launched_as_partner"] = customer.partner.name
    _audit_launch(account=ticket.account, customer=customer, partner_role=partner_role)
    return customer


def _audit_launch(*, account: Account, customer: Customer, partner_role: str) -> None:
    actor = Actor(
        account_id=account.pk, email=account.email, acting_as_partner=customer.partner.name
    )
    details = {"partner": customer.partner.name, "role": partner_role, "customer": customer.slug}
    record_on_both_sides(
        actor=actor, action=AuditAction.CUSTOMER_VIEW_LAUNCHED, customer=customer, after=details
    )


def record_on_both_sides(
    *, actor: Actor, action: AuditAction, customer: Customer, after: dict[str, str]
) -> None:
    """One audit entry in the org's schema (this host) and the same in the public
    schema, where partner-level and support actions are audited."""
    audit.record(actor=actor, action=action, target=customer, after=after)
    with in_public():
        audit.record(actor=actor, action=action, target=customer, after=after)
