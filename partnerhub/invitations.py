"""Invitations (SPEC §1): every invited account gets an e-mail with a single-use link,
valid ``PARTNERHUB_INVITATION_HOURS`` (72 h) on one host, to set its password.

A link is a random token; only its SHA-256 is stored, so a database reader cannot
use it. Issuing a new invitation for an account and host replaces the older ones.
The e-mail goes out after commit; a delivery that fails (SMTP down, a bad header) is
recorded on the invitation (``send_error``) — never an error of the change that
invited the account — so pages can say so and offer to resend.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor
from partnerhub.errors import InvitationLinkInvalid, ResendTooSoon
from partnerhub.models import Account, Invitation

logger = logging.getLogger(__name__)

# A new link is not sent more often than this per account and host (the resend
# button of an expired link is public: it must not become a mail cannon).
RESEND_PAUSE = timedelta(minutes=2)


@dataclass(frozen=True)
class Delivery:
    """What became of the e-mail of an invitation."""

    state: str  # "sent", "failed", "pending" (not yet committed / sent)
    error: str = ""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_of(host: str, token: str) -> str:
    scheme = settings.PARTNERHUB_LINK_SCHEME
    port = f":{settings.PARTNERHUB_LINK_PORT}" if settings.PARTNERHUB_LINK_PORT else ""
    return f"{scheme}://{host}{port}/invitation/{token}/"


def invite(*, account: Account, host: str, about: str, actor: Actor) -> Invitation:
    """Issue a link for ``account`` on ``host`` and e-mail it after commit.

    Call inside the transaction that gives the account its role; older open links of
    the account on that host stop working.
    """
    now = timezone.now()
    Invitation.objects.filter(account=account, host=host, used_at=None, replaced_at=None).update(
        replaced_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        account=account,
        host=host,
        about=about[:255],
        token_hash=_hash(token),
        invited_by=actor.email,
        created_at=now,
        expires_at=now + timedelta(hours=settings.PARTNERHUB_INVITATION_HOURS),
    )
    audit.record(
        actor=actor,
        action=AuditAction.INVITATION_ISSUED,
        target=account,
        after={"host": host, "about": invitation.about},
    )
    transaction.on_commit(lambda: deliver(invitation_id=invitation.pk, token=token))
    return invitation


def deliver(*, invitation_id: int, token: str) -> Delivery:
    """Send the e-mail of an invitation; a failure is recorded, never raised."""
    invitation = Invitation.objects.select_related("account").get(pk=invitation_id)
    hours = settings.PARTNERHUB_INVITATION_HOURS
    try:
        send_mail(
            subject=f"You are invited to PartnerHub: {invitation.about}",
            message=(
                f"{invitation.invited_by or 'PartnerHub'} made {invitation.account.email} "
                f"{invitation.about}.\n\n"
                f"Set your password here (the link works once, for {hours} hours):\n"
                f"{link_of(invitation.host, token)}\n\n"
                "If the link has expired, open it anyway: the page sends you a new one."
            ),
            from_email=None,
            recipient_list=[invitation.account.email],
        )
    except Exception as error:  # noqa: BLE001 — any mail failure is recorded, not raised
        logger.exception("Invitation %s could not be sent", invitation_id)
        invitation.send_error = f"{type(error).__name__}: {error}"[:500] or "unknown error"
        invitation.save(update_fields=["send_error"])
        return Delivery("failed", invitation.send_error)
    invitation.sent_at = timezone.now()
    invitation.send_error = ""
    invitation.save(update_fields=["sent_at", "send_error"])
    return Delivery("sent")


def delivery_of(invitation: Invitation) -> Delivery:
    invitation.refresh_from_db(fields=["sent_at", "send_error"])
    if invitation.send_error:
        return Delivery("failed", invitation.send_error)
    return Delivery("sent" if invitation.sent_at else "pending")


def latest_invitation(*, account: Account, host: str) -> Invitation | None:
    return Invitation.objects.filter(account=account, host=host).order_by("-created_at").first()


@transaction.atomic
def resend(*, account: Account, host: str, about: str, actor: Actor) -> Invitation:
    """A new link for the account on this host (from an admin, or from the page of an
    expired or used link). Refused within ``RESEND_PAUSE`` of the last one sent."""
    last = latest_invitation(account=account, host=host)
    if last is not None and not last.send_error and timezone.now() - last.created_at < RESEND_PAUSE:
        raise ResendTooSoon(
            "An invitation was sent less than two minutes ago; check the inbox (and spam "
            "folder) before asking for another."
        )
    return invite(account=account, host=host, about=about, actor=actor)


def open_invitation(*, token: str, host: str, for_update: bool = False) -> Invitation | None:
    """The invitation of this link on this host (a link of another host is unknown)."""
    invitations = Invitation.objects.select_related("account")
    if for_update:
        invitations = invitations.select_for_update()
    return invitations.filter(token_hash=_hash(token), host=host).first()


def why_unusable(invitation: Invitation) -> str:
    """Why the link can no longer set a password ("" if it can)."""
    if invitation.used_at is not None:
        return "This invitation link was already used to set a password."
    if invitation.replaced_at is not None:
        return "This invitation link was replaced by a newer one."
    if invitation.expires_at <= timezone.now():
        return "This invitation link has expired."
    if not invitation.account.is_active:
        return "This account is deactivated."
    return ""


@transaction.atomic
def accept(*, token: str, host: str, password: str) -> Account:
    """Set the account's password from a valid link, once. The caller validated the
    password (Django's validators, via ``SetPasswordForm``)."""
    invitation = open_invitation(token=token, host=host, for_update=True)
    if invitation is None:
        raise InvitationLinkInvalid("This invitation link does not exist.")
    reason = why_unusable(invitation)
    if reason:
        raise InvitationLinkInvalid(reason)
    account = invitation.account
    account.set_password(password)
    account.save(update_fields=["password"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    audit.record(
        actor=Actor(account_id=account.pk, email=account.email),
        action=AuditAction.INVITATION_ACCEPTED,
        target=account,
        after={"host": host},
    )
    return account
