"""Calling data of many users or workspaces at once (SPEC §4, §6): the calling columns
of the user CSV and of the workspace CSV.

Two steps, like the CSV itself. ``validate_calling`` checks a batch of wanted calling
states against the inventory in a handful of queries and returns, per row, what would
change and the problems (each naming the field: ``number``, ``extension`` or
``location``). The caller refuses the whole batch when any row has an error; otherwise
it applies it inside its own transaction with ``remove_calling`` (before users are
deleted) and ``write_calling`` (once every user exists), both bulk statements.

Rules (the same as one user's, ``calling.services.profiles``):

* a number is E.164, in this org's inventory, in the profile's location, and free —
  or already this user's, or freed by another row of the same batch;
* an extension is 2–10 digits and unique in its location — among the org's profiles
  (users and workspaces) and among the rows of the batch;
* the location is named and exists; a holder with calling has a number or an extension;
* a blank value changes nothing; ``REMOVE`` removes the number or the extension.

Removed calling data is kept as a snapshot (``remove_profiles``), restorable for 30 days.

A row's holder is a user (``holder=USER``, the default) or a workspace
(``holder=WORKSPACE``): the rules are the same; the wording follows the holder (the
workspace CSV keeps the single-workspace services' messages).
"""

from __future__ import annotations

from collections.abc import Hashable

from django.db import IntegrityError, transaction
from django.utils import timezone

from calling import errors
from calling.models import CallingProfile, PhoneNumber, violated_constraint

# The batch's shapes and its check are part of this module's API.
from calling.services.bulk_audit import audit_written
from calling.services.bulk_validation import validate_calling
from calling.services.calling_batch import (
    CREATE,
    EXT,
    LOCATION,
    NUMBER,
    REMOVE,
    REMOVED,
    UNCHANGED,
    UPDATE,
    USER,
    WORKSPACE,
    CallingBatch,
    CallingChange,
    WantedCalling,
)
from calling.services.snapshots import remove_profiles
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, Change, record_many
from partnerhub.bulk import among, copy_insert, update_from_arrays
from partnerhub.errors import DomainError

__all__ = [
    "CREATE", "EXT", "LOCATION", "NUMBER", "REMOVE", "REMOVED", "UNCHANGED", "UPDATE", "USER",
    "WORKSPACE", "CallingBatch", "CallingChange", "WantedCalling", "remove_calling",
    "validate_calling", "write_calling",
]  # fmt: skip


AUDIT_ACTION = {
    (USER, CREATE): AuditAction.CALLING_USER_PROVISIONED,
    (USER, UPDATE): AuditAction.CALLING_USER_CHANGED,
    (USER, REMOVED): AuditAction.CALLING_USER_REMOVED,
    (WORKSPACE, CREATE): AuditAction.CALLING_WORKSPACE_PROVISIONED,
    (WORKSPACE, UPDATE): AuditAction.CALLING_WORKSPACE_CHANGED,
    (WORKSPACE, REMOVED): AuditAction.CALLING_WORKSPACE_REMOVED,
}


def _audit(changes: list[CallingChange], actor: Actor, *, reason: str) -> None:
    record_many(
        actor=actor,
        changes=(
            Change(
                action=AUDIT_ACTION[c.holder, c.kind],
                target_type="calling.CallingProfile",
                target_id=str(c.profile_id or ""),
                target_repr=f"calling of {c.email}",
                before=c.before,
                after={**c.after, "via": reason} if c.after else {"via": reason},
            )
            for c in changes
        ),
    )


def loses_calling(change: CallingChange) -> bool:
    """The row removes the holder's calling data."""
    return change.kind == REMOVED


def changes_calling(change: CallingChange) -> bool:
    """The row sets up, changes or removes the holder's calling data."""
    return change.kind != UNCHANGED


def remove_calling(
    batch: CallingBatch, *, actor: Actor, reason: str = "csv", audit: bool = True
) -> int:
    """Remove the calling data of the batch's holders who lose it (call before deleting
    users): snapshot (30 days), numbers released, audited (``audit=False``: the caller
    audits each holder itself). Inside the caller's transaction."""
    removed = batch.changed(REMOVED)
    if not removed:
        return 0
    profiles = CallingProfile.objects.select_related("location", "user", "workspace").filter(
        pk__in=among(c.profile_id for c in removed)
    )
    remove_profiles(profiles, reason=reason)
    if audit:
        _audit(removed, actor, reason=reason)
    return len(removed)


def write_calling(
    batch: CallingBatch,
    *,
    actor: Actor,
    user_ids: dict[Hashable, int] | None = None,
    workspace_ids: dict[Hashable, int] | None = None,
    reason: str = "csv",
    audit: bool = True,
) -> int:
    """Create and update the batch's calling profiles and assign their numbers, inside
    the caller's transaction (call once every holder exists; ``user_ids`` /
    ``workspace_ids`` give the ids of holders created meanwhile, by key). A number or
    extension taken since validation raises ``NumberAlreadyAssigned`` /
    ``ExtensionTaken`` and the caller rolls back. ``audit=False``: the caller audits
    each holder itself."""
    creates, updates = batch.changed(CREATE), batch.changed(UPDATE)
    if not creates and not updates:
        return 0
    for change in creates:
        if change.holder == WORKSPACE:
            change.workspace_id = change.workspace_id or (workspace_ids or {})[change.key]
        else:
            change.user_id = change.user_id or (user_ids or {})[change.key]
    mine = {c.profile_id for c in updates}
    _lock_numbers(creates + updates, mine)
    try:
        with transaction.atomic():
            _write_profiles(creates, updates, mine)
    except IntegrityError as error:
        raise _taken_meanwhile(error) from None
    if audit:
        written = creates + updates
        audit_written(
            written, [AUDIT_ACTION[c.holder, c.kind] for c in written], actor, reason=reason
        )
    return len(creates) + len(updates)


def _lock_numbers(changes: list[CallingChange], mine: set[int | None]) -> None:
    """Lock the numbers this batch assigns; each is still free or one of ours."""
    wanted_numbers = [c.number_id for c in changes if c.number_id is not None]
    if not wanted_numbers:
        return  # extensions only (half a typical file's rows): no statement
    for e164, holder, service in (
        PhoneNumber.objects.select_for_update()
        .filter(pk__in=among(wanted_numbers))
        .order_by("pk")
        .values_list("e164", "profile_id", "service")
    ):
        if service or (holder is not None and holder not in mine):
            raise errors.NumberAlreadyAssigned(
                f"Phone number {e164} was assigned to someone else while the file was being "
                "imported; nothing was applied. Import the file again.",
                field="number",
            )


def _write_profiles(
    creates: list[CallingChange], updates: list[CallingChange], mine: set[int | None]
) -> None:
    if mine:  # free what changes first, so numbers and extensions can swap in the batch
        PhoneNumber.objects.filter(profile_id__in=among(mine)).update(profile=None)
        CallingProfile.objects.filter(pk__in=among(mine)).update(extension=None)
    now = timezone.now()
    copy_insert(
        CallingProfile,
        ["user", "workspace", "location", "extension", "voicemail_enabled",
         "voicemail_pin_hash", "settings", "created_at"],
        ([c.user_id if c.holder == USER else None,
          c.workspace_id if c.holder == WORKSPACE else None,
          c.location_id, c.extension, False, "", {}, now] for c in creates),
    )  # fmt: skip
    _note_created_ids(creates)
    if updates:
        update_from_arrays(
            CallingProfile._meta.db_table,
            {
                "id": ("bigint", [c.profile_id for c in updates]),
                "location_id": ("bigint", [c.location_id for c in updates]),
                "extension": ("varchar", [c.extension for c in updates]),
            },
        )
    assigned = [(c.number_id, c.profile_id) for c in creates + updates if c.number_id]
    if assigned:
        update_from_arrays(
            PhoneNumber._meta.db_table,
            {
                "id": ("bigint", [number for number, _ in assigned]),
                "profile_id": ("bigint", [profile for _, profile in assigned]),
            },
        )


def _note_created_ids(creates: list[CallingChange]) -> None:
    """The new profiles' ids, back onto their changes (one query per kind of holder)."""
    for holder, column in ((USER, "user_id"), (WORKSPACE, "workspace_id")):
        mine_created = [c for c in creates if c.holder == holder]
        if not mine_created:
            continue
        created = dict(
            CallingProfile.objects.filter(
                **{f"{column}__in": among(c.holder_id for c in mine_created)}
            ).values_list(column, "pk")
        )
        for change in mine_created:
            change.profile_id = created[change.holder_id]


def _taken_meanwhile(error: IntegrityError) -> DomainError:
    if violated_constraint(error) != "extension_unique_in_location":
        return errors.CallingAlreadySetUp(
            "Calling of a user or workspace of the file was set up by someone else while "
            "it was being imported; nothing was applied. Import the file again."
        )
    return errors.ExtensionTaken(
        "An extension of the file was taken by someone else while it was being imported; "
        "nothing was applied. Import the file again.",
        field="extension",
    )
