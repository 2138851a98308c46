"""A template's *apply to existing users* (SPEC §5; issue #4 item 9): a licensing
rule, run as a job of the org. The users the template covers

* holding its package on another subscription: the license moves there, services kept;
* without calling, when it gives calling: calling from their work phone, through
  calling's side of the seam (``CallingHooks.provision_from_work_phones``: the same
  batch directory sync and SCIM use), or the failure report with the reason;
* with calling, when it gives none and *keep licenses for existing users* is off:
  calling removed (``CallingHooks.remove_calling_of``: snapshots kept 30 days) — only
  with the template's name typed as confirmation, after ``calling_loss_by_template``
  showed who loses what.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from licensing import catalogue
from licensing.errors import TemplateCallingLossNotConfirmed
from licensing.jobs import LicensingJob
from licensing.models import AutoLicenseTemplate, LicenseAssignment, OrgUser, SubscriptionLine
from licensing.services import hooks
from licensing.services.licenses import ensure_capacity, ensure_usable, lock_lines
from licensing.services.line_order import lock_lines_of
from licensing.services.summary import schedule_usage_summary
from licensing.services.templates import users_covered_by
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, Change, record, record_many
from partnerhub.bulk import among
from partnerhub.jobs.models import OrgJob
from partnerhub.jobs.services import start_job


@dataclass
class TemplateRun:
    """What a run did, by e-mail."""

    moved: list[str] = field(default_factory=list)
    provisioned: list[str] = field(default_factory=list)
    unprovisioned: dict[str, str] = field(default_factory=dict)  # e-mail → reason
    calling_removed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "moved": self.moved,
            "provisioned": self.provisioned,
            "unprovisioned": [{"email": e, "reason": r} for e, r in self.unprovisioned.items()],
            "calling_removed": self.calling_removed,
        }


def _package_line(template: AutoLicenseTemplate) -> SubscriptionLine | None:
    return next(
        (line for line in template.lines.all() if line.license_type in catalogue.PACKAGES), None
    )


def calling_loss_by_template(
    template: AutoLicenseTemplate, *, covered: Sequence[OrgUser] | None = None
) -> list[str]:
    """Who loses calling when the template runs with *keep licenses for existing users*
    off and gives no calling (e-mails, sorted); empty when it keeps them or gives
    calling. ``covered``: the template's users, when the caller has them already."""
    package = _package_line(template)
    if template.keep_licenses_for_existing_users or (
        package is not None and package.license_type in catalogue.CALLING_PACKAGES
    ):
        return []
    covered = users_covered_by(template) if covered is None else covered
    return list(
        OrgUser.objects.filter(pk__in=among(user.pk for user in covered), calling__isnull=False)
        .order_by("email")
        .values_list("email", flat=True)
    )


def _refuse_unconfirmed_loss(
    template: AutoLicenseTemplate, losing: list[str], confirmation: str, *, names: bool
) -> None:
    if not losing or confirmation.strip() == template.name:
        return
    who = f": {', '.join(losing[:20])}{' …' if len(losing) > 20 else ''}" if names else ""
    detail = (
        ". Their numbers, extensions, voicemail and settings are deleted (restorable for 30 days)"
        if names
        else ""
    )
    raise TemplateCallingLossNotConfirmed(
        f"Applying {template.name} removes calling from {len(losing)} user(s){who}{detail}. "
        f"Type the template's name ({template.name}) to confirm.",
        lost=losing,
    )


@transaction.atomic
def apply_template_to_existing(
    *, template: AutoLicenseTemplate, actor: Actor, confirmation: str = ""
) -> TemplateRun:
    """*Apply to existing users* (see the module docstring), in one transaction.
    Raises ``CallingLossNotConfirmed`` (nothing changed) when users would lose calling
    and ``confirmation`` is not the template's name; ``LicenseExhausted`` rolls back."""
    covered = users_covered_by(template)
    losing = calling_loss_by_template(template, covered=covered)
    _refuse_unconfirmed_loss(template, losing, confirmation, names=True)
    # Every line it may give back (the covered users') or draw from (the template's),
    # in id order, before any change (line_order): moves, provisioning and the calling
    # taken back would otherwise lock them one step after another, out of order.
    lock_lines_of(user_ids=[u.pk for u in covered], line_ids=_template_line_ids(template))
    run = TemplateRun()
    emails = {user.pk: user.email for user in covered}
    package = _package_line(template)
    if package is not None:
        run.moved = [emails[i] for i in _move_packages(covered, package, actor=actor)]
    outcome = hooks.calling().provision_from_work_phones(covered, source="template", actor=actor)
    run.provisioned = [emails[i] for i in outcome.provisioned]
    run.unprovisioned = {emails[i]: reason for i, reason in outcome.failed.items()}
    if losing:
        run.calling_removed = _remove_calling(covered, emails, actor=actor)
    record(
        actor=actor,
        action=AuditAction.TEMPLATE_APPLIED_TO_EXISTING,
        target=template,
        after={k: len(v) for k, v in run.as_dict().items()},
    )
    return run


def _template_line_ids(template: AutoLicenseTemplate) -> list[int]:
    return list(template.lines.values_list("pk", flat=True))


def _move_packages(
    users: Sequence[OrgUser], package: SubscriptionLine, *, actor: Actor
) -> list[int]:
    """Users holding the template's package type on another line: move it (bulk)."""
    held = list(
        LicenseAssignment.objects.filter(
            user_id__in=among(u.pk for u in users), license_type=package.license_type
        ).exclude(line_id=package.pk)
    )
    if not held:
        return []
    locked = lock_lines({package.pk, *(a.line_id for a in held)})
    ensure_usable(locked[package.pk])
    LicenseAssignment.objects.filter(pk__in=[a.pk for a in held]).update(line_id=package.pk)
    ensure_capacity(locked, added={package.pk: len(held)})
    record_many(
        actor=actor,
        changes=[
            Change(
                action=AuditAction.LICENSE_MOVED_BY_TEMPLATE,
                target_type="licensing.OrgUser",
                target_id=str(a.user_id),
                before={"line": a.line_id},
                after={"line": package.pk},
            )
            for a in held
        ],
    )
    schedule_usage_summary()
    return [a.user_id for a in held]


def _remove_calling(users: Sequence[OrgUser], emails: dict[int, str], *, actor: Actor) -> list[str]:
    """Calling goes (calling keeps snapshots), then the calling packages it needed."""
    removed = hooks.calling().remove_calling_of(user_ids=[u.pk for u in users], reason="template")
    lock_lines_of(user_ids=removed)  # the lines given back, in id order: line_order
    LicenseAssignment.objects.filter(
        user_id__in=among(removed), license_type__in=catalogue.CALLING_PACKAGES
    ).delete()
    record_many(
        actor=actor,
        changes=[
            Change(
                action=AuditAction.CALLING_REMOVED_BY_TEMPLATE,
                target_type="licensing.OrgUser",
                target_id=str(user_id),
                target_repr=emails[user_id],
            )
            for user_id in removed
        ],
    )
    schedule_usage_summary()
    return sorted(emails[user_id] for user_id in removed)


def start_template_apply(
    *, template: AutoLicenseTemplate, actor: Actor, confirmation: str = ""
) -> OrgJob:
    """*Apply to existing users* as a job of the org. A missing typed confirmation is
    refused now, before anything is queued."""
    losing = calling_loss_by_template(template)
    _refuse_unconfirmed_loss(template, losing, confirmation, names=False)
    return start_job(
        kind=LicensingJob.TEMPLATE_APPLY,
        actor=actor,
        file_name=template.name,
        params={"template": template.pk, "confirmation": confirmation},
    )
