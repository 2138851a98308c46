"""Users of the org: manual add, edit, delete (SPEC §3).

Manual add: up to 25 e-mails (optionally with names) per batch, one package for the
batch, optional invitations. Each entry stands alone (its own savepoint): one bad
entry fails with a reason and the others go through; the result lists what was
created, updated and failed. A batch of 26 or more is refused whole.

Explicit package vs auto-license template (decided here, SPEC §5): a new user gets
its template's licenses (group template wins over the org's); a package chosen on
the page wins over the template's package, while the template's other licenses
(basic, contact center) are still given. Existing users are updated, never
re-templated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone

from customers import usage
from customers.errors import EmailInAnotherOrg
from licensing import catalogue
from licensing.errors import BatchTooLarge, InvalidUserEntry, SubscriptionNotUsable
from licensing.models import LicenseAssignment, OrgUser, SubscriptionLine, UserStatus
from licensing.services import calling_details, hooks
from licensing.services import templates as template_rules
from licensing.services.bulk_users import NewUser, create_users
from licensing.services.line_order import lock_lines_of
from licensing.services.packages import change_package, has_calling
from licensing.services.summary import schedule_usage_summary
from licensing.services.templates import apply_templates_to_new_users, template_package
from licensing.user_fields import (
    EDITABLE_FIELDS,
    check_user_fields,
    normalise_email,
    validated_user_name,
)
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError

MAX_BATCH = 25


@dataclass(frozen=True)
class UserEntry:
    """One row of manual add: an e-mail, optionally names and calling details."""

    email: str
    first_name: str = ""
    last_name: str = ""
    extension: str = ""
    number: str = ""
    calling: Any = None


@dataclass(frozen=True)
class ContactCenterChoice:
    """Manual add with contact center (SPEC §7): license type and, for Premium, role."""

    license_type: str
    role: str = "agent"


@dataclass(frozen=True)
class EntryOutcome:
    email: str
    outcome: str  # created | updated | failed
    reason: str = ""
    user: OrgUser | None = None


@dataclass
class BatchResult:
    outcomes: list[EntryOutcome] = field(default_factory=list)

    def _of(self, outcome: str) -> list[EntryOutcome]:
        return [o for o in self.outcomes if o.outcome == outcome]

    @property
    def created(self) -> list[EntryOutcome]:
        return self._of("created")

    @property
    def updated(self) -> list[EntryOutcome]:
        return self._of("updated")

    @property
    def failed(self) -> list[EntryOutcome]:
        return self._of("failed")


def check_batch_size(entries: Sequence[UserEntry]) -> None:
    if not entries:
        raise InvalidUserEntry("Give at least one e-mail address.", field="entries")
    if len(entries) > MAX_BATCH:
        raise BatchTooLarge(
            f"You can add at most {MAX_BATCH} users at a time; this batch has {len(entries)}. "
            "Split it, or use the CSV import for more.",
            field="entries",
        )


def _check_package(line: SubscriptionLine | None) -> None:
    if line is None:
        return
    if line.license_type not in catalogue.PACKAGES:
        raise InvalidUserEntry(f"{line} is not a wholesale package.", field="package_line")
    if not line.subscription.is_usable:
        raise SubscriptionNotUsable(
            f"{line.subscription.external_id} is not active; choose a package of an "
            "active subscription.",
            field="package_line",
        )


@transaction.atomic
def add_users(
    *,
    entries: Sequence[UserEntry],
    package_line: SubscriptionLine | None,
    actor: Actor,
    send_invitations: bool = False,
    calling: Any = None,
    contact_center: ContactCenterChoice | None = None,
) -> BatchResult:
    """Add users manually (SPEC §3): ≤ 25 per batch, created or updated per entry,
    failures with their reason. An e-mail that belongs to another org is refused."""
    check_batch_size(entries)
    _check_package(package_line)
    customer = connection.tenant
    result = BatchResult()
    seen: set[str] = set()
    held_elsewhere = usage.emails_held_elsewhere(
        customer=customer, emails=[e.email.strip() for e in entries]
    )
    invited: list[str] = []
    for entry in entries:
        try:
            email = normalise_email(entry.email)
            if email in seen:
                raise InvalidUserEntry(f"{email} appears twice in this batch.")
            seen.add(email)
            if email in held_elsewhere:
                raise EmailInAnotherOrg(emails=[email])
            with transaction.atomic():
                outcome = _add_one(
                    email=email,
                    entry=entry,
                    package_line=package_line,
                    calling=_details_for(entry, calling, single=len(entries) == 1),
                    contact_center=contact_center,
                    actor=actor,
                )
        except DomainError as error:
            outcome = EntryOutcome(email=entry.email, outcome="failed", reason=error.message)
        result.outcomes.append(outcome)
        if outcome.outcome == "created" and send_invitations:
            invited.append(outcome.user.email)
    if invited:
        transaction.on_commit(lambda: send_invitation_emails(emails=invited, customer=customer))
    schedule_usage_summary()
    return result


def _details_for(entry: UserEntry, calling: Any, *, single: bool) -> Any:
    """An entry's own calling details, else the batch's: its location with the entry's
    extension/number, or the batch's whole details for a batch of one."""
    if entry.calling is not None:
        return entry.calling
    if calling is None:
        return None
    if entry.extension or entry.number:
        return calling_details.calling_details(
            location=calling.location, extension=entry.extension, number=entry.number
        )
    return calling if single else None


def _add_one(
    *,
    email: str,
    entry: UserEntry,
    package_line: SubscriptionLine | None,
    calling: Any,
    contact_center: ContactCenterChoice | None,
    actor: Actor,
) -> EntryOutcome:
    # line_order: every line it may draw from, in id order, before the first draw.
    also = [contact_center.license_type] if contact_center and contact_center.license_type else []
    user = OrgUser.objects.select_for_update().filter(email=email).first()
    if user is not None:
        _update_names(user=user, entry=entry, actor=actor)
        lock_lines_of(user_ids=[user.pk], line_ids=[package_line.pk] if package_line else [],
                      license_types=also)  # fmt: skip
        if package_line is not None:
            change_package(user=user, line=package_line, actor=actor, calling=calling)
        _set_contact_center(user, contact_center, actor=actor)
        return EntryOutcome(email=email, outcome="updated", user=user)
    user = create_user(email=email, first_name=entry.first_name, last_name=entry.last_name,
                       package_line=package_line, calling=calling, actor=actor,
                       also_drawn=also)  # fmt: skip
    _set_contact_center(user, contact_center, actor=actor)
    return EntryOutcome(email=email, outcome="created", user=user)


def _set_contact_center(user: OrgUser, choice: ContactCenterChoice | None, *, actor: Actor) -> None:
    if choice is not None:
        hooks.set_contact_center(
            user=user, license_type=choice.license_type, role=choice.role, actor=actor
        )


def _update_names(*, user: OrgUser, entry: UserEntry, actor: Actor) -> None:
    names = {
        name: value.strip()
        for name, value in (("first_name", entry.first_name), ("last_name", entry.last_name))
        if value and value.strip()
    }
    if names:
        update_user(user=user, actor=actor, **names)


@transaction.atomic
def create_user(
    *,
    email: str,
    actor: Actor,
    first_name: str = "",
    last_name: str = "",
    package_line: SubscriptionLine | None = None,
    calling: Any = None,
    also_drawn: Sequence[str] = (),
) -> OrgUser:
    """One new user: claims its e-mail across orgs, takes the chosen package, then its
    template's other licenses; calling details when its package includes calling.
    ``also_drawn``: license types the caller draws next (locked with the rest)."""
    email = normalise_email(email)
    first_name, last_name = (
        validated_user_name(first_name, "first_name"),
        validated_user_name(last_name, "last_name"),
    )
    [user_id] = create_users(
        users=[NewUser(email=email, first_name=first_name, last_name=last_name)], actor=actor
    )
    user = OrgUser.objects.get(pk=user_id)
    wanted = template_rules.licenses_from_templates([user])
    # line_order: the package's and the template's lines, in id order, before any draw
    lock_lines_of(line_ids=[line.pk for line in [package_line, *wanted[user.pk]] if line],
                  license_types=also_drawn)  # fmt: skip
    decided: set[str] = set()
    if package_line is not None:
        change_package(user=user, line=package_line, actor=actor, calling=calling)
        decided.add(package_line.license_type)
    else:
        template_line = template_package([user]).get(user.pk)
        if template_line is not None and has_calling(template_line.license_type):
            # A template with calling makes manual add ask for the details (SPEC §5).
            calling_details.validate_fields(calling, package_name=str(template_line))
    apply_templates_to_new_users(users=[user], actor=actor, decided={user.pk: decided},
                                 wanted=wanted)  # fmt: skip
    if package_line is None:
        _provision_template_calling(user=user, calling=calling, actor=actor)
    schedule_usage_summary()
    return user


def _provision_template_calling(*, user: OrgUser, calling: Any, actor: Actor) -> None:
    package = (
        LicenseAssignment.objects.filter(user=user, kind=catalogue.Kind.PACKAGE)
        .values_list("license_type", flat=True)
        .first()
    )
    if has_calling(package):
        calling_details.provision(
            user=user,
            details=calling,
            package_name=catalogue.license_type(package).name,
            actor=actor,
        )


def send_invitation_emails(*, emails: Sequence[str], customer: Any) -> None:
    for email in emails:
        send_mail(
            subject=f"You are invited to {customer.name}",
            message=f"{customer.name} invites you to its Webex services. Sign in with {email}.",
            from_email=None,
            recipient_list=[email],
        )


@transaction.atomic
def update_user(*, user: OrgUser, actor: Actor, **fields: Any) -> OrgUser:
    """Edit a user's own fields (not e-mail, not licenses: those have services)."""
    unknown = sorted(set(fields) - set(EDITABLE_FIELDS))
    if unknown:
        raise InvalidUserEntry(f"These fields cannot be edited here: {', '.join(unknown)}.")
    check_user_fields(user, fields)
    before = {name: getattr(user, name) for name in fields}
    changed = [name for name, value in fields.items() if getattr(user, name) != value]
    if not changed:
        return user
    for name in changed:
        setattr(user, name, fields[name])
    user.updated_at = timezone.now()
    user.save(update_fields=[*changed, "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.USER_UPDATED,
        target=user,
        before={name: before[name] for name in changed},
        after={name: fields[name] for name in changed},
    )
    return user


@transaction.atomic
def change_user_email(*, user: OrgUser, email: str, actor: Actor) -> OrgUser:
    """A user's e-mail changes (the directory renamed them, SCIM ``userName``): the
    new address is claimed across orgs like a new user's, the old one released."""
    email = normalise_email(email)
    if email == user.email:
        return user
    if OrgUser.objects.filter(email=email).exclude(pk=user.pk).exists():
        raise InvalidUserEntry(f"{email} is already a user of this org.", field="email")
    usage.claim_user_emails(customer=connection.tenant, emails=[email])
    before = user.email
    user.email, user.updated_at = email, timezone.now()
    user.save(update_fields=["email", "updated_at"])
    usage.release_user_emails(customer=connection.tenant, emails=[before])
    audit.record(
        actor=actor, action=AuditAction.USER_EMAIL_CHANGED, target=user, before={"email": before},
        after={"email": email},
    )  # fmt: skip
    return user


@transaction.atomic
def set_user_groups(*, user: OrgUser, groups: Sequence[Any], actor: Actor) -> None:
    before = sorted(g.name for g in user.groups.all())
    user.groups.set(groups)
    after = sorted(g.name for g in groups)
    if before != after:
        audit.record(
            actor=actor,
            action=AuditAction.USER_GROUPS_CHANGED,
            target=user,
            before={"groups": before},
            after={"groups": after},
        )


@transaction.atomic
def delete_users(*, users: Sequence[OrgUser], actor: Actor) -> int:
    """Delete users (SPEC §3): their licenses go back to their lines, their e-mail
    claims are released; calling data and contact-center agents go with them
    (CASCADE) after the calling app snapshots what it needs."""
    users = list(users)
    if not users:
        return 0
    lock_lines_of(user_ids=[user.pk for user in users])  # before the cascade: line_order
    hooks.snapshot_before_user_delete(users=users, actor=actor)
    emails = [user.email for user in users]
    audit.record_many(
        actor=actor,
        changes=[
            audit.Change(action=AuditAction.USER_DELETED, target=user, before={"email": user.email})
            for user in users
        ],
    )
    OrgUser.objects.filter(pk__in=[user.pk for user in users]).delete()
    usage.release_user_emails(customer=connection.tenant, emails=emails)
    schedule_usage_summary()
    return len(users)


@transaction.atomic
def resend_invitations(*, users: Sequence[OrgUser], actor: Actor) -> list[str]:
    """Send the invitation e-mail again to the users still waiting for it (status
    invite pending; SPEC §3). Returns their e-mails; the others are skipped."""
    pending = [user for user in users if user.status == UserStatus.INVITE_PENDING]
    audit.record_many(
        actor=actor,
        changes=[
            audit.Change(action=AuditAction.USER_INVITATION_RESENT, target=user) for user in pending
        ],
    )
    emails = [user.email for user in pending]
    customer = connection.tenant
    transaction.on_commit(lambda: send_invitation_emails(emails=emails, customer=customer))
    return emails
