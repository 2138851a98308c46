"""Auto-license templates (SPEC §5, §7): the licenses every new user gets, however
it is created (manual add, CSV, directory sync, SCIM). Which template applies: the
templates of the user's groups win over the org-level template; a user in several
groups with templates gets the union of them. Conflicts in that union are settled here,
in one place: one package only (the first template's, by name), one line per license
type, and Premium beats Standard for contact center. Applying them where a refusal is
no answer (SCIM, group joins) is ``template_capacity``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from django.db import transaction

from licensing import catalogue
from licensing.errors import TemplateConflict
from licensing.models import (
    AutoLicenseTemplate,
    Group,
    OrgUser,
    SubscriptionLine,
)
from licensing.selectors import license_types_held
from licensing.services.active_templates import active_templates as _active_templates
from licensing.services.basic_licenses import included_for
from licensing.services.licenses import (
    audit_included,
    ensure_capacity,
    grant_included_licenses,
    insert_assignments,
    lock_lines,
)
from licensing.services.summary import schedule_usage_summary
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, Change
from partnerhub.bulk import among


def _templates_per_user(
    users: Sequence[OrgUser], templates: list[AutoLicenseTemplate]
) -> dict[int, list[AutoLicenseTemplate]]:
    org_template = next((t for t in templates if t.group_id is None), None)
    by_group = {t.group_id: t for t in templates if t.group_id is not None}
    memberships: dict[int, list[int]] = {user.pk: [] for user in users}
    if by_group:  # (no group template: groups change nothing, and are not read)
        through = OrgUser.groups.through.objects.filter(orguser_id__in=among(memberships))
        for user_id, group_id in through.values_list("orguser_id", "group_id"):
            memberships[user_id].append(group_id)
    chosen: dict[int, list[AutoLicenseTemplate]] = {}
    for user_id, group_ids in memberships.items():
        group_templates = [by_group[g] for g in group_ids if g in by_group]
        group_templates.sort(key=lambda t: (t.name, t.pk))
        chosen[user_id] = group_templates or ([org_template] if org_template else [])
    return chosen


def template_for(user: OrgUser) -> AutoLicenseTemplate | None:
    """The template that decides this user's licenses: its (first) group's, else the
    org's (group wins, SPEC §5)."""
    chosen = _templates_per_user([user], _active_templates())[user.pk]
    return chosen[0] if chosen else None


def org_template_package() -> SubscriptionLine | None:
    """The package line the org-level template gives a new user who is in no group
    (CSV rows, directory users), if its subscription is usable."""
    template = next((t for t in _active_templates() if t.group_id is None), None)
    if template is None:
        return None
    return next(
        (
            line
            for line in template.lines.all()
            if line.license_type in catalogue.PACKAGES and line.subscription.is_usable
        ),
        None,
    )


def users_covered_by(template: AutoLicenseTemplate) -> list[OrgUser]:
    """The users whose licenses this template decides: its group's members whose first
    group template it is, or (org-level) the users no group template covers."""
    if template.group_id is None:
        candidates = OrgUser.objects.exclude(groups__template__is_active=True)
    else:
        candidates = OrgUser.objects.filter(groups=template.group_id)
    candidates = list(candidates.distinct().order_by("email"))
    chosen = _templates_per_user(candidates, _active_templates())
    return [user for user in candidates if chosen[user.pk][:1] == [template]]


def resolve_lines(lines: Iterable[SubscriptionLine]) -> list[SubscriptionLine]:
    """Settle conflicts among lines from several templates: one per license type, one
    package, and contact-center Premium wins over Standard (SPEC §7)."""
    by_type: dict[str, SubscriptionLine] = {}
    for line in lines:
        by_type.setdefault(line.license_type, line)
    packages = [code for code in by_type if code in catalogue.PACKAGES]
    for extra_package in packages[1:]:
        del by_type[extra_package]
    if catalogue.CC_PREMIUM in by_type:
        by_type.pop(catalogue.CC_STANDARD, None)
    return list(by_type.values())


def licenses_from_templates(users: Sequence[OrgUser]) -> dict[int, list[SubscriptionLine]]:
    """``{user id: lines its templates give}`` (group wins; premium wins)."""
    chosen = _templates_per_user(list(users), _active_templates())
    return {
        user_id: resolve_lines(
            line for t in templates for line in t.lines.all() if line.subscription.is_usable
        )
        for user_id, templates in chosen.items()
    }


def template_package(users: Sequence[OrgUser]) -> dict[int, SubscriptionLine | None]:
    """The package line each user's templates would give (for asking calling details)."""
    return {
        user_id: next((line for line in lines if line.license_type in catalogue.PACKAGES), None)
        for user_id, lines in licenses_from_templates(users).items()
    }


def lines_to_add(
    *,
    lines: Iterable[SubscriptionLine],
    held: set[str],
    decided: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[SubscriptionLine]:
    """What a template adds to a user holding ``held`` license types: only what the
    user has no license for yet and what no explicit choice (``decided``) settled.
    An explicitly chosen package wins over the template's package."""
    held_package = bool(held & set(catalogue.PACKAGES)) or bool(decided & set(catalogue.PACKAGES))
    held_cc = bool((held | decided) & set(catalogue.CONTACT_CENTER_LICENSES))
    result = []
    for line in lines:
        code = line.license_type
        if code in held or code in decided:
            continue
        if code in catalogue.PACKAGES and held_package:
            continue
        if code in catalogue.CONTACT_CENTER_LICENSES and held_cc:
            continue
        result.append(line)
    return result


Wanted = Mapping[int, list[SubscriptionLine]]  # user id → lines its templates give


def held_licenses(users: Sequence[OrgUser]) -> dict[int, set[str]]:
    """``{user id: license types held}``, the basic ones included (one query)."""
    return license_types_held(user.pk for user in users)


def lines_added(
    users: Sequence[OrgUser],
    wanted: Wanted,
    held: Mapping[int, set[str]],
    decided: Mapping[int, set[str]] | None,
) -> dict[int, list[SubscriptionLine]]:
    """``lines_to_add`` of each user: what its templates (``wanted``) add."""
    return {
        user.pk: lines_to_add(
            lines=wanted.get(user.pk, []),
            held=held[user.pk],
            decided=set((decided or {}).get(user.pk, ())),
        )
        for user in users
    }


@transaction.atomic
def apply_templates_to_new_users(
    *,
    users: Sequence[OrgUser],
    actor: Actor,
    decided: Mapping[int, set[str]] | None = None,
    included: bool = True,
    wanted: Wanted | None = None,
) -> dict[int, list[SubscriptionLine]]:
    """Give new users the licenses of their template (SPEC §5), on top of what they
    already hold. ``decided`` maps a user id to license types an explicit choice settled
    (a CSV cell, a package picked on the page): the template leaves those alone.
    ``included``: the users are new, so they also get the basic licenses every org
    includes (``grant_included_licenses``) — whatever the org's subscriptions.
    ``wanted``: ``licenses_from_templates(users)`` when the caller has it.

    Follows the license protocol; ``LicenseExhausted`` rolls the whole call back.
    Returns the lines added per user."""
    users = list(users)
    wanted = licenses_from_templates(users) if wanted is None else wanted
    if not included and not any(wanted.values()):
        return {user.pk: [] for user in users}  # no template gives anything: nothing read
    held = held_licenses(users)
    added = lines_added(users, wanted, held, decided)
    write_template_assignments(
        added=added, actor=actor,
        included=included_for(users=users, held=held, decided=decided) if included else None,
    )  # fmt: skip
    return added


def grant_included(
    *,
    users: Sequence[OrgUser],
    held: Mapping[int, set[str]],
    decided: Mapping[int, set[str]] | None,
    actor: Actor,
    audited: bool = True,
) -> dict[int, list[str]]:
    """New users get the default basic licenses they neither hold (``held``) nor had
    settled by an explicit choice (``decided``); returns ``{user id: [license type]}``
    given. ``audited=False``: the caller lists them in its own audit row of each user."""
    licenses = included_for(users=users, held=held, decided=decided)
    grant_included_licenses(licenses=licenses, actor=actor, audited=audited)
    return licenses


def write_template_assignments(
    *,
    added: dict[int, list[SubscriptionLine]],
    actor: Actor,
    within: Mapping[int, SubscriptionLine] | None = None,
    included: Mapping[int, list[str]] | None = None,
) -> None:
    """Steps 1–3 of the license protocol for ``added``. ``within``: the caller holds
    the lines' locks already and took no more than their free units (checked under
    those locks), so neither the lock nor the count is repeated. ``included``: basic
    licenses (``included_for``) written and audited with them, in the same
    statement."""
    distinct = {line.pk: line for lines in added.values() for line in lines}
    line_ids = set(distinct)
    if not line_ids and not any((included or {}).values()):
        return
    names = {pk: str(line) for pk, line in distinct.items()}  # per line, not per user
    locked = lock_lines(line_ids) if within is None else None
    insert_assignments(
        drawn=[(user_id, line) for user_id, lines in added.items() for line in lines],
        included=included,
    )
    if locked:
        taken = Counter(line.pk for lines in added.values() for line in lines)
        ensure_capacity(locked, added=taken)
    audit.record_many(
        actor=actor,
        changes=[
            Change(
                action=AuditAction.LICENSE_ASSIGNED_BY_TEMPLATE,
                target_type="licensing.OrgUser",
                target_id=str(user_id),
                after={"lines": [names[line.pk] for line in lines]},
            )
            for user_id, lines in added.items()
            if lines
        ],
    )
    if included:
        audit_included(included, actor=actor)
    schedule_usage_summary()
    cc_users = [
        user_id
        for user_id, lines in added.items()
        if any(line.license_type in catalogue.CONTACT_CENTER_LICENSES for line in lines)
    ]
    if cc_users:
        from licensing.services.hooks import reconcile_agents

        reconcile_agents(user_ids=cc_users, actor=actor)


# --- managing templates --------------------------------------------------------------


def _check_lines(lines: Sequence[SubscriptionLine]) -> list[SubscriptionLine]:
    kinds = [line.license_type for line in lines if line.license_type in catalogue.PACKAGES]
    if len(kinds) > 1:
        raise TemplateConflict(
            "A template gives at most one package (a user holds one package); "
            f"choose one of: {', '.join(catalogue.license_type(k).name for k in kinds)}.",
            field="lines",
        )
    types = [line.license_type for line in lines]
    duplicates = sorted({t for t in types if types.count(t) > 1})
    if duplicates:
        raise TemplateConflict(
            "A template gives one line per license type; pick one subscription for "
            f"{', '.join(catalogue.license_type(t).name for t in duplicates)}.",
            field="lines",
        )
    return list(lines)


def _check_scope(*, group: Group | None, exclude_pk: int | None = None) -> None:
    others = AutoLicenseTemplate.objects.filter(group=group).exclude(pk=exclude_pk)
    if others.exists():
        scope = f"group {group}" if group else "the organisation"
        raise TemplateConflict(
            f"There is already a template for {scope}; edit that one instead.", field="group"
        )


@transaction.atomic
def create_template(
    *,
    name: str,
    lines: Sequence[SubscriptionLine],
    actor: Actor,
    group: Group | None = None,
    is_active: bool = True,
    keep_licenses_for_existing_users: bool = True,
) -> AutoLicenseTemplate:
    """An org-level (``group=None``) or group template (SPEC §5)."""
    _check_scope(group=group)
    lines = _check_lines(lines)
    template = AutoLicenseTemplate.objects.create(
        name=name,
        group=group,
        is_active=is_active,
        keep_licenses_for_existing_users=keep_licenses_for_existing_users,
    )
    template.lines.set(lines)
    audit.record(
        actor=actor,
        action=AuditAction.TEMPLATE_CREATED,
        target=template,
        after={"group": str(group or ""), "lines": [str(line) for line in lines]},
    )
    return template


@transaction.atomic
def update_template(
    *,
    template: AutoLicenseTemplate,
    actor: Actor,
    name: str | None = None,
    lines: Sequence[SubscriptionLine] | None = None,
    is_active: bool | None = None,
    keep_licenses_for_existing_users: bool | None = None,
) -> AutoLicenseTemplate:
    """Change a template. It applies to users created from now on; existing users
    keep what they hold (SPEC §5 "Keep licenses for existing users")."""
    before = _snapshot(template)
    fields = {
        "name": name,
        "is_active": is_active,
        "keep_licenses_for_existing_users": keep_licenses_for_existing_users,
    }
    changed = [field for field, value in fields.items() if value is not None]
    for field in changed:
        setattr(template, field, fields[field])
    if changed:
        template.save(update_fields=changed)
    if lines is not None:
        template.lines.set(_check_lines(lines))
    audit.record(
        actor=actor,
        action=AuditAction.TEMPLATE_UPDATED,
        target=template,
        before=before,
        after=_snapshot(template),
    )
    return template


@transaction.atomic
def delete_template(*, template: AutoLicenseTemplate, actor: Actor) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.TEMPLATE_DELETED,
        target=template,
        before=_snapshot(template),
    )
    template.delete()


def _snapshot(template: AutoLicenseTemplate) -> dict:
    return {
        "name": template.name,
        "active": template.is_active,
        "keep_licenses_for_existing_users": template.keep_licenses_for_existing_users,
        "lines": sorted(str(line) for line in template.lines.all()),
    }
