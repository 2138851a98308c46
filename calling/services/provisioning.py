"""Provisioning calling from a user's work phone (SPEC §5, §6; issue #4 items 9–11).

Directory sync, SCIM and a template's *apply to existing users*
(``licensing.services.template_apply``, through ``CallingHooks``) all end here: users that
a template with calling covers, and that have no calling yet, get calling when their
work phone is

1. E.164, 2. in a location's number inventory, 3. not assigned to anyone or anything
else (nor wanted by an earlier user of the same batch);

the location comes from the number. Everyone else stays unprovisioned with a reason
(``invalid_format``, ``number_not_found``, ``number_in_use``, ``no_number``), listed in
the provisioning failure report until it is fixed and the sync or the template is run
again. An unprovisioned user does not get the template's calling package (a calling
license without a number or extension would break SPEC §6's entitlement rule); the
template's other licenses it does get.

Everything here works on batches with a fixed number of queries, so a directory of
20,000 users syncs in seconds (bench/directory_sync.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from calling import errors
from calling.models import (
    CallingProfile,
    CallingSnapshot,
    PhoneNumber,
    ProvisioningFailure,
    ProvisioningReason,
)
from calling.rules import validated_calling_name, work_phone_e164
from licensing import catalogue
from licensing.models import LicenseAssignment, OrgUser
from licensing.services.template_capacity import apply_templates_within_capacity
from licensing.services.templates import (
    apply_templates_to_new_users,
    licenses_from_templates,
)
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, Change, record_many
from partnerhub.bulk import SMALL_BATCH, among, pg_array
from partnerhub.prepared import hot_cursor


@dataclass
class ProvisioningOutcome:
    provisioned: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)  # user id → reason


def as_e164(work_phone: str) -> str | None:
    """The work phone as E.164 once its formatting is dropped (``calling.rules``:
    spaces, hyphens, dots, parentheses, a ``(0)`` trunk prefix), or None."""
    return work_phone_e164(work_phone)[0]


def classify_work_phones(users: Sequence[OrgUser]) -> dict[int, PhoneNumber | str]:
    """Per user: the free inventory number its work phone names, or the reason why not.
    A number wanted by two users of the batch goes to the first. The numbers stay
    row-locked until the caller's transaction ends, so an admin assigning one of them
    meanwhile waits, then finds it taken (or takes it first, and the sync sees that)."""
    wanted = {user.pk: as_e164(user.work_phone) for user in users}
    numbers = {number.e164: number for number in _lock_numbers({e for e in wanted.values() if e})}
    taken: set[str] = set()
    result: dict[int, PhoneNumber | str] = {}
    for user in users:
        e164 = wanted[user.pk]
        if not calling_name_allowed(user):
            result[user.pk] = ProvisioningReason.INVALID_NAME
        elif not (user.work_phone or "").strip():
            result[user.pk] = ProvisioningReason.NO_NUMBER
        elif e164 is None:
            result[user.pk] = ProvisioningReason.INVALID_FORMAT
        elif e164 not in numbers:
            result[user.pk] = ProvisioningReason.NUMBER_NOT_FOUND
        elif not numbers[e164].is_available or e164 in taken:
            result[user.pk] = ProvisioningReason.NUMBER_IN_USE
        else:
            taken.add(e164)
            result[user.pk] = numbers[e164]
    return result


def _lock_numbers(e164s: set[str]) -> list[PhoneNumber]:
    """The inventory numbers of these E.164s, row-locked in id order (one statement of
    fixed text: a SCIM POST asks for one)."""
    if not e164s:
        return []
    fields = PhoneNumber._meta.concrete_fields
    quote = connection.ops.quote_name
    with hot_cursor(prepared=len(e164s) <= SMALL_BATCH) as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(f.column) for f in fields)} "  # noqa: S608 - our table
            f"FROM {quote(PhoneNumber._meta.db_table)} WHERE e164 = ANY(%s::text[]) "
            "ORDER BY id FOR UPDATE",
            [pg_array(sorted(e164s))],
        )
        rows = cursor.fetchall()
    names = [f.attname for f in fields]
    return [PhoneNumber.from_db("default", names, row) for row in rows]


def calling_name_allowed(user: OrgUser) -> bool:
    """SPEC §6's rule on calling users' names (``profiles.validated_calling_name``)."""
    try:
        validated_calling_name(user.first_name, field="first_name")
        validated_calling_name(user.last_name, field="last_name")
    except errors.InvalidCallingName:
        return False
    return True


def calling_template_users(wanted: Mapping[int, Sequence[Any]]) -> dict[int, int]:
    """``{user id: calling package line id}`` for the users whose template gives a
    package with calling (``wanted``: ``licenses_from_templates`` of the users)."""
    packages = {
        user_id: next((line for line in lines if line.license_type in catalogue.PACKAGES), None)
        for user_id, lines in wanted.items()
    }
    return {
        user_id: line.pk
        for user_id, line in packages.items()
        if line is not None and line.license_type in catalogue.CALLING_PACKAGES
    }


def eligible_users(
    users: Sequence[OrgUser],
    *,
    skip_removed: bool = False,
    wanted: Mapping[int, Sequence[Any]] | None = None,
    created: bool = False,
) -> list[OrgUser]:
    """Users covered by a template with calling that have no calling yet and hold no
    other package (a package an admin chose is never replaced behind their back).
    ``skip_removed``: also leave out users whose calling an admin removed in the last
    30 days (a restorable snapshot exists) — a directory sync must not undo that.
    ``wanted``: ``licenses_from_templates(users)`` when the caller has it; ``created``:
    the users were created in this transaction (no calling, no package yet)."""
    covered = calling_template_users(licenses_from_templates(users) if wanted is None else wanted)
    candidates = [user for user in users if user.pk in covered]
    if skip_removed and candidates:
        removed = set(
            CallingSnapshot.objects.filter(
                holder_kind="user",
                holder__in=among([user.email for user in candidates], "text"),
                restored_at__isnull=True,
                expires_at__gt=timezone.now(),
            ).values_list("holder", flat=True)
        )
        candidates = [user for user in candidates if user.email not in removed]
    if created:
        return candidates
    ids = [user.pk for user in candidates]
    with_calling = set(
        CallingProfile.objects.filter(user_id__in=among(ids)).values_list("user_id", flat=True)
    )
    packages = dict(
        LicenseAssignment.objects.filter(
            user_id__in=among(ids), kind=catalogue.Kind.PACKAGE
        ).values_list("user_id", "license_type")
    )
    return [
        user
        for user in candidates
        if user.pk not in with_calling
        and packages.get(user.pk) in (None, *catalogue.CALLING_PACKAGES)
    ]


# What a provisioning records, by where the work phones came from.
PROVISIONED_BY = {
    "directory_sync": AuditAction.CALLING_PROVISIONED_BY_DIRECTORY_SYNC,
    "template": AuditAction.CALLING_PROVISIONED_BY_TEMPLATE,
    "scim": AuditAction.CALLING_PROVISIONED_BY_SCIM,
}


# No savepoint: nothing here is caught and recovered from inside the caller's
# transaction (a line that runs out is counted, not raised), so a failure rolls the
# whole change back anyway.
@transaction.atomic(savepoint=False)
def provision_from_work_phones(
    users: Sequence[OrgUser],
    *,
    source: str,
    actor: Actor,
    new: bool = False,
    report_shortage: bool = False,
    created: bool = False,
) -> ProvisioningOutcome:
    """Give calling to the eligible users among ``users`` from their work phones (see
    the module docstring), record the others in the failure report. ``new``: the rest
    of the users' template is applied too (users just created, or who just joined a
    group); ``created``: the users were created in this transaction (implies ``new``;
    they hold no calling, package or failure-report row yet, so that is not read), so
    they also get the default basic licenses (SPEC §5: new users only; a template
    gives none, and an existing user's settled choice stays).
    ``report_shortage``: a template line that runs out does not refuse the change; the
    users it leaves without a license land in the failure report as
    ``license_exhausted`` (and without calling when the missing license is their
    calling package) — SCIM's rule, where the identity provider cannot be asked."""
    users, new = list(users), new or created
    wanted = licenses_from_templates(users)
    eligible = eligible_users(
        users, skip_removed=source == "directory_sync", wanted=wanted, created=created
    )
    verdicts = classify_work_phones(eligible)
    # Users of the batch the template no longer wants on calling (or who got calling
    # another way) leave the failure report (users created now are in none).
    eligible_ids = {user.pk for user in eligible}
    if not created:
        _forget_failures([user.pk for user in users if user.pk not in eligible_ids])
    outcome = ProvisioningOutcome()
    for user in eligible:
        verdict = verdicts[user.pk]
        if isinstance(verdict, str):
            outcome.failed[user.pk] = verdict
        else:
            outcome.provisioned.append(user.pk)
    # Templates: new users get everything but the package when they cannot have calling;
    # existing eligible users get what the template adds and they do not hold yet.
    provisioned = set(outcome.provisioned)
    to_template = users if new else [u for u in eligible if u.pk in provisioned]
    _apply_templates(
        to_template, outcome, actor=actor, wanted=wanted,
        report_shortage=report_shortage, created=created,
    )  # fmt: skip
    provisioned = set(outcome.provisioned)  # a line that ran out may have taken some back
    _create_profiles({u.pk: verdicts[u.pk] for u in eligible if u.pk in provisioned})
    _record_failures(
        {user.pk: (user.work_phone, outcome.failed[user.pk]) for user in users if user.pk in outcome.failed},
        source=source,
    )  # fmt: skip
    if not created:
        _forget_failures(outcome.provisioned)
    _audit_provisioned(outcome.provisioned, verdicts, source=source, actor=actor)
    return outcome


def _audit_provisioned(
    user_ids: Sequence[int], numbers: Mapping[int, Any], *, source: str, actor: Actor
) -> None:
    record_many(
        actor=actor,
        changes=[
            Change(
                action=PROVISIONED_BY[source],
                target_type="licensing.OrgUser",
                target_id=str(user_id),
                after={"number": numbers[user_id].e164},
            )
            for user_id in user_ids
        ],
    )


def _apply_templates(
    users: Sequence[OrgUser],
    outcome: ProvisioningOutcome,
    *,
    actor: Actor,
    wanted: Mapping[int, Sequence[Any]],
    report_shortage: bool,
    created: bool = False,
) -> None:
    if not users:
        return
    withheld = {user_id: set(catalogue.PACKAGES) for user_id in outcome.failed}
    if report_shortage:
        short = apply_templates_within_capacity(
            users=users, actor=actor, decided=withheld, included=created, wanted=wanted,
            created=created,
        )  # fmt: skip
        _fail_short_users(outcome, short)
    else:
        apply_templates_to_new_users(
            users=users, actor=actor, decided=withheld, included=created, wanted=wanted
        )


def _forget_failures(user_ids: Sequence[int]) -> None:
    """These users leave the failure report."""
    if user_ids:
        ProvisioningFailure.objects.filter(user_id__in=among(user_ids)).delete()


def _fail_short_users(outcome: ProvisioningOutcome, short: dict[int, list[Any]]) -> None:
    """Users a template line ran out for: in the failure report, and not provisioned
    when the license they miss is their calling package (calling needs it, SPEC §6)."""
    for user_id, lines in short.items():
        if user_id in outcome.failed:
            continue
        if any(line.license_type in catalogue.CALLING_PACKAGES for line in lines):
            if user_id in outcome.provisioned:
                outcome.provisioned.remove(user_id)
        outcome.failed[user_id] = ProvisioningReason.LICENSE_EXHAUSTED


def _create_profiles(numbers: dict[int, PhoneNumber]) -> None:
    """A calling profile per user at its number's location, and the number attached to
    it: one statement (the profiles' ids come back from the insert, not read again)."""
    if not numbers:
        return
    profile = connection.ops.quote_name(CallingProfile._meta.db_table)
    number = connection.ops.quote_name(PhoneNumber._meta.db_table)
    user_ids = list(numbers)
    with hot_cursor(prepared=len(user_ids) <= SMALL_BATCH) as cursor:
        cursor.execute(
            f"WITH p AS (INSERT INTO {profile} (user_id, location_id, voicemail_enabled, "  # noqa: S608
            "voicemail_pin_hash, settings, created_at) SELECT v.u, v.l, false, '', '{}', %s "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS v(u, l) RETURNING id, user_id) "
            f"UPDATE {number} AS t SET profile_id = p.id FROM p "
            "JOIN unnest(%s::bigint[], %s::bigint[]) AS n(u, number_id) ON n.u = p.user_id "
            "WHERE t.id = n.number_id",
            [
                timezone.now(), pg_array(user_ids),
                pg_array(numbers[u].location_id for u in user_ids),
                pg_array(user_ids), pg_array(numbers[u].pk for u in user_ids),
            ],
        )  # fmt: skip


def _record_failures(failures: dict[int, tuple[str, str]], *, source: str) -> None:
    """Upsert the failure report rows; unchanged rows are not written (idempotent)."""
    if not failures:
        return
    current = {
        f.user_id: f for f in ProvisioningFailure.objects.filter(user_id__in=among(failures))
    }
    now = timezone.now()
    new, changed = [], []
    for user_id, (phone, reason) in failures.items():
        row = current.get(user_id)
        if row is None:
            new.append(
                ProvisioningFailure(
                    user_id=user_id,
                    phone_number=phone,
                    reason=reason,
                    source=source,
                    updated_at=now,
                )  # fmt: skip
            )
        elif (row.phone_number, row.reason) != (phone, reason):
            row.phone_number, row.reason, row.source, row.updated_at = phone, reason, source, now
            changed.append(row)
    ProvisioningFailure.objects.bulk_create(new, batch_size=5000)
    ProvisioningFailure.objects.bulk_update(
        changed, ["phone_number", "reason", "source", "updated_at"], batch_size=2000
    )


def failure_report() -> Iterable[ProvisioningFailure]:
    """The provisioning failure report, by e-mail: users still without calling (one
    given calling another way since — page, API, CSV, restore — is not listed)."""
    return (
        ProvisioningFailure.objects.filter(user__calling__isnull=True)
        .select_related("user")
        .order_by("user__email")
    )


FAILURE_REPORT_HEADERS = ["User ID/Email", "First Name", "Last Name", "Phone Number", "Reason"]


def failure_report_csv() -> str:
    """The failure report as CSV (the one writer: spreadsheet-safe, numbers intact)."""
    from partnerhub.csvfiles.writing import csv_text

    return csv_text(
        headers=FAILURE_REPORT_HEADERS,
        rows=(
            (f.user.email, f.user.first_name, f.user.last_name, f.phone_number, f.reason)
            for f in failure_report()
        ),
    )
