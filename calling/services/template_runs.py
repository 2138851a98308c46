"""A template's *apply to existing users* and *keep licenses* (SPEC §5; issue #4 item 9):
the users a template covers get what it gives now — packages moved to its line,
calling provisioned from their work phones (``provisioning``), calling removed when it
gives none and keeps nothing (only with the template's name typed to confirm)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from calling import errors
from calling.jobs import CallingJob
from calling.models import CallingProfile
from calling.services.provisioning import provision_from_work_phones
from calling.services.snapshots import profiles_of, remove_profiles
from licensing import catalogue
from licensing.models import LicenseAssignment, OrgUser
from licensing.services.licenses import ensure_capacity, ensure_usable, lock_lines
from licensing.services.summary import schedule_usage_summary
from licensing.services.templates import users_covered_by
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, Change, record, record_many
from partnerhub.bulk import among
from partnerhub.jobs.services import start_job


@dataclass
class TemplateRun:
    moved: list[str] = field(default_factory=list)
    provisioned: list[str] = field(default_factory=list)
    unprovisioned: dict[str, str] = field(default_factory=dict)
    calling_removed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "moved": self.moved,
            "provisioned": self.provisioned,
            "unprovisioned": [{"email": e, "reason": r} for e, r in self.unprovisioned.items()],
            "calling_removed": self.calling_removed,
        }


def _template_package_line(template: Any) -> Any:
    return next(
        (line for line in template.lines.all() if line.license_type in catalogue.PACKAGES), None
    )


def calling_loss_by_template(
    template: Any, *, covered: Sequence[OrgUser] | None = None
) -> list[str]:
    """Who loses calling when the template runs with *keep licenses for existing users*
    off and gives no calling (e-mails); empty when it keeps them or gives calling.
    ``covered``: the template's users, when the caller has them already."""
    package = _template_package_line(template)
    if template.keep_licenses_for_existing_users or (
        package is not None and package.license_type in catalogue.CALLING_PACKAGES
    ):
        return []
    covered = users_covered_by(template) if covered is None else covered
    return list(
        CallingProfile.objects.filter(user_id__in=among(user.pk for user in covered))
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


@transaction.atomic
def apply_template_to_existing(
    *, template: Any, actor: Actor, confirmation: str = ""
) -> TemplateRun:
    """*Apply to existing users* (SPEC §5): the users the template covers

    * holding its package on another subscription: the license moves there, services kept;
    * without calling, when it gives calling: provisioned from their work phone (or in
      the failure report with the reason);
    * with calling, when it gives none and *keep licenses for existing users* is off:
      calling removed (snapshots kept 30 days) — only with the template's name typed as
      ``confirmation``, after ``calling_loss_by_template`` showed who loses what."""
    covered = users_covered_by(template)
    losing = calling_loss_by_template(template, covered=covered)
    if losing and confirmation.strip() != template.name:
        raise errors.CallingLossNotConfirmed(
            f"Applying {template.name} removes calling from {len(losing)} user(s): "
            f"{', '.join(losing[:20])}{' …' if len(losing) > 20 else ''}. Their numbers, "
            "extensions, voicemail and settings are deleted (restorable for 30 days). Type "
            f"the template's name ({template.name}) to confirm.",
            lost=losing,
        )
    run = TemplateRun()
    emails = {user.pk: user.email for user in covered}
    package = _template_package_line(template)
    if package is not None:
        run.moved = [emails[i] for i in _move_packages(covered, package, actor=actor)]
    outcome = provision_from_work_phones(covered, source="template", actor=actor)
    run.provisioned = [emails[i] for i in outcome.provisioned]
    run.unprovisioned = {emails[i]: reason for i, reason in outcome.failed.items()}
    if losing:
        run.calling_removed = _remove_calling(covered, actor=actor)
    record(
        actor=actor,
        action=AuditAction.TEMPLATE_APPLIED_TO_EXISTING,
        target=template,
        after={k: len(v) for k, v in run.as_dict().items()},
    )
    return run


def _move_packages(users: Sequence[OrgUser], package: Any, *, actor: Actor) -> list[int]:
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


def _remove_calling(users: Sequence[OrgUser], *, actor: Actor) -> list[str]:
    profiles = profiles_of(user_ids=[u.pk for u in users])
    remove_profiles(profiles, reason="template")
    LicenseAssignment.objects.filter(
        user_id__in=among(p.user_id for p in profiles), license_type__in=catalogue.CALLING_PACKAGES
    ).delete()
    record_many(
        actor=actor,
        changes=[
            Change(
                action=AuditAction.CALLING_REMOVED_BY_TEMPLATE,
                target_type="licensing.OrgUser",
                target_id=str(p.user_id),
                target_repr=p.user.email,
            )
            for p in profiles
        ],
    )
    schedule_usage_summary()
    return sorted(p.user.email for p in profiles)


def start_template_apply(*, template: Any, actor: Actor, confirmation: str = "") -> Any:
    """*Apply to existing users* as a task of the org. A missing typed confirmation is
    refused now, before anything is queued."""
    losing = calling_loss_by_template(template)
    if losing and confirmation.strip() != template.name:
        raise errors.CallingLossNotConfirmed(
            f"Applying {template.name} removes calling from {len(losing)} user(s). Type the "
            f"template's name ({template.name}) to confirm.",
            lost=losing,
        )
    return start_job(
        kind=CallingJob.TEMPLATE_APPLY,
        actor=actor,
        file_name=template.name,
        params={"template": template.pk, "confirmation": confirmation},
    )
