"""Workspaces of an org and their calling (SPEC §5 "Edit licenses", §6 "Workspaces";
issue #4 items 6 and 7).

A workspace (meeting room, lobby phone) has a name (unique, case-insensitive) and a
location. With calling it also holds one Workspace Calling license drawn from a
subscription line (licensing's protocol: ``assign_license`` / ``move_license`` /
``release_license``, which lock the lines) and a ``CallingProfile``: location,
extension and/or number, voicemail, settings — checked by the same rules as a user's
(``calling.services.profiles.validated_details``).

Rules that are ours:
* a workspace's profile is always in the workspace's location;
* moving the license to another subscription never touches the profile or number;
* losing calling (license removed, workspace deleted) keeps the calling data as a
  30-day snapshot first, then releases the license; it needs ``confirm=True`` after a
  preview of what is lost (``calling_loss_preview``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from calling import errors
from calling.models import CallingProfile, Location, PhoneNumber, Workspace
from calling.services.profiles import (
    CallingDetails,
    check_extension_free,
    create_profile,
    profile_loss,
    profile_summary,
    save_extension,
    validated_details,
)
from calling.services.snapshots import (
    RestoreResult,
    remove_profiles,
    restorable_snapshot,
    restore_calling,
)
from calling.workspaces.names import clean_name, save_named
from licensing import catalogue
from licensing.models import LicenseAssignment, SubscriptionLine
from licensing.services.licenses import assign_license, move_license, release_license
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor, record


def calling_license(workspace: Workspace, *, lock: bool = False) -> LicenseAssignment | None:
    """The workspace's Workspace Calling license, if it holds one."""
    licenses = LicenseAssignment.objects.select_related("line__subscription")
    if lock:
        licenses = licenses.select_for_update(of=("self",))
    return licenses.filter(workspace=workspace, license_type=catalogue.WORKSPACE_CALLING).first()


def calling_profile(workspace: Workspace, *, lock: bool = False) -> CallingProfile | None:
    profiles = CallingProfile.objects.select_related("location", "workspace")
    if lock:
        profiles = profiles.select_for_update(of=("self",))
    return profiles.filter(workspace=workspace).first()


def _check_line(line: SubscriptionLine) -> None:
    if line.license_type != catalogue.WORKSPACE_CALLING:
        raise errors.NotAWorkspaceCallingLine(
            f"{line} is not a Workspace Calling line: choose a subscription's Workspace "
            "Calling line.",
            field="line",
        )


def _provision(
    *, workspace: Workspace, extension: str, number: str, actor: Actor
) -> CallingProfile:
    """The workspace's calling profile in its location, by the users' rules."""
    details = CallingDetails(location=workspace.location, extension=extension, number=number)
    return create_profile(
        holder=workspace,
        details=details,
        action=AuditAction.CALLING_WORKSPACE_PROVISIONED,
        actor=actor,
    )


@transaction.atomic
def create_workspace(
    *,
    name: str,
    location: Location,
    actor: Actor,
    line: SubscriptionLine | None = None,
    extension: str = "",
    number: str = "",
) -> Workspace:
    """A new workspace; with ``line`` it gets calling (extension and/or number needed)."""
    name = clean_name(name)
    if line is None and ((extension or "").strip() or (number or "").strip()):
        raise errors.CallingLicenseRequired(
            "A number or extension needs calling: choose a Workspace Calling subscription.",
            field="line",
        )
    workspace = Workspace(name=name, location=location)
    save_named(workspace)
    record(
        actor=actor,
        action=AuditAction.CALLING_WORKSPACE_CREATED,
        target=workspace,
        after={"name": name, "location": location.name},
    )
    if line is not None:
        _give_calling(
            workspace=workspace, line=line, extension=extension, number=number, actor=actor
        )
    return workspace


def _give_calling(
    *, workspace: Workspace, line: SubscriptionLine, extension: str, number: str, actor: Actor
) -> LicenseAssignment:
    _check_line(line)
    _provision(workspace=workspace, extension=extension, number=number, actor=actor)
    return assign_license(line=line, workspace=workspace, actor=actor)


@transaction.atomic
def update_workspace(
    *,
    workspace: Workspace,
    actor: Actor,
    name: str | None = None,
    location: Location | None = None,
    extension: str | None = None,
    number: str | None = None,
) -> Workspace:
    """Rename, move to another location, change number or extension (``None``: keep,
    ``""``: remove). The number must be free and in the (new) location; at least one
    of number and extension stays while the workspace has calling."""
    workspace = (
        Workspace.objects.select_for_update().select_related("location").get(pk=workspace.pk)
    )
    before = _state(workspace)
    fields = []
    if name is not None and name.strip() != workspace.name:
        workspace.name = clean_name(name, workspace=workspace)
        fields.append("name")
    target = location or workspace.location
    profile = calling_profile(workspace, lock=True)
    if profile is None and ((extension or "").strip() or (number or "").strip()):
        raise errors.CallingNotSetUp(
            f"Workspace {workspace} has no calling: give it a Workspace Calling license "
            "with a number or extension first.",
            field="number" if (number or "").strip() else "extension",
        )
    if profile is not None:
        _change_calling(profile, location=target, extension=extension, number=number)
    if target.pk != workspace.location_id:
        workspace.location = target
        fields.append("location")
    if fields:
        save_named(workspace, update_fields=fields)
    after = _state(workspace)
    if after != before:
        record(
            actor=actor, action=AuditAction.CALLING_WORKSPACE_UPDATED, target=workspace,
            before=before, after=after,
        )  # fmt: skip
    return workspace


def _change_calling(
    profile: CallingProfile, *, location: Location, extension: str | None, number: str | None
) -> None:
    current = PhoneNumber.objects.filter(profile=profile).first()
    wanted_extension = (profile.extension or "") if extension is None else extension.strip()
    wanted_number = (current.e164 if current else "") if number is None else number.strip()
    unchanged = (
        location.pk == profile.location_id
        and wanted_extension == (profile.extension or "")
        and wanted_number == (current.e164 if current else "")
    )
    if unchanged:
        return
    details = CallingDetails(location=location, extension=wanted_extension, number=wanted_number)
    new_extension, phone = validated_details(details, profile=profile)
    check_extension_free(location=location, extension=new_extension, profile=profile)
    if current is not None and (phone is None or phone.pk != current.pk):
        PhoneNumber.objects.filter(pk=current.pk).update(profile=None)
    profile.location = location
    profile.extension = new_extension or None
    save_extension(profile, ["location", "extension"])
    if phone is not None and phone.profile_id != profile.pk:
        phone.profile = profile
        phone.save(update_fields=["profile"])


def _state(workspace: Workspace) -> dict[str, Any]:
    state: dict[str, Any] = {"name": workspace.name, "location": workspace.location.name}
    profile = CallingProfile.objects.filter(workspace=workspace).first()
    if profile is not None:
        number = PhoneNumber.objects.filter(profile=profile).first()
        state["extension"] = profile.extension or ""
        state["number"] = number.e164 if number else ""
    return state


@transaction.atomic
def move_workspace_license(
    *, workspace: Workspace, to_line: SubscriptionLine, actor: Actor
) -> LicenseAssignment:
    """Edit licenses (SPEC §5): the Workspace Calling license moves to ``to_line``; the
    calling data (number, extension, voicemail, settings) stays exactly as it is."""
    _check_line(to_line)
    current = calling_license(workspace)
    if current is None:
        raise errors.CallingNotSetUp(
            f"Workspace {workspace} holds no Workspace Calling license to move: "
            "give it calling instead.",
            field="line",
        )
    return move_license(holder=workspace, from_line=current.line, to_line=to_line, actor=actor)


@transaction.atomic
def set_workspace_license(
    *,
    workspace: Workspace,
    line: SubscriptionLine | None,
    actor: Actor,
    extension: str = "",
    number: str = "",
    confirm_calling_loss: bool = False,
) -> LicenseAssignment | None:
    """Edit licenses with one choice: the subscription the Workspace Calling license
    comes from, or none. Another subscription = a move (calling data kept); none =
    calling removed (needs ``confirm_calling_loss``); from none = calling given
    (extension and/or number needed)."""
    current = calling_license(workspace, lock=True)
    if line is not None and current is not None:
        return move_workspace_license(workspace=workspace, to_line=line, actor=actor)
    if line is not None:
        return _give_calling(
            workspace=workspace, line=line, extension=extension, number=number, actor=actor
        )
    if current is not None:
        remove_workspace_calling(workspace=workspace, actor=actor, confirm=confirm_calling_loss)
    return None


def calling_loss_preview(workspace: Workspace) -> list[str]:
    """What the workspace loses with its calling, as sentences read before confirming."""
    profile = calling_profile(workspace)
    lost = []
    assignment = calling_license(workspace)
    if assignment is not None:
        lost.append(f"Its Workspace Calling license on {assignment.line.subscription}")
    if profile is None:
        return lost
    return [*lost, f"Calling in location {profile.location}", *profile_loss(profile)]


def _calling_loss_error(workspace: Workspace) -> errors.CallingLossNotConfirmed:
    lost = calling_loss_preview(workspace)
    return errors.CallingLossNotConfirmed(
        f"Removing calling from workspace {workspace} deletes its calling data: "
        f"{'; '.join(lost)}. Kept restorable for 30 days; confirm to go ahead.",
        lost=lost,
    )


@transaction.atomic
def remove_workspace_calling(
    *, workspace: Workspace, actor: Actor, confirm: bool = False, reason: str = "license_removed"
) -> None:
    """The workspace loses calling: its data is kept as a 30-day snapshot, the number
    goes back to the inventory, then the license is released. Needs ``confirm``."""
    assignment = calling_license(workspace, lock=True)
    profile = calling_profile(workspace, lock=True)
    if assignment is None and profile is None:
        raise errors.CallingNotSetUp(f"Workspace {workspace} has no calling to remove.")
    if not confirm:
        raise _calling_loss_error(workspace)
    _drop_calling(workspace=workspace, profile=profile, assignment=assignment, actor=actor,
                  reason=reason)  # fmt: skip


def _drop_calling(
    *,
    workspace: Workspace,
    profile: CallingProfile | None,
    assignment: LicenseAssignment | None,
    actor: Actor,
    reason: str,
) -> None:
    if profile is not None:
        record(
            actor=actor, action=AuditAction.CALLING_WORKSPACE_REMOVED, target=profile,
            before=profile_summary(profile),
        )  # fmt: skip
        remove_profiles([profile], reason=reason)
    if assignment is not None:
        release_license(license_type=catalogue.WORKSPACE_CALLING, workspace=workspace, actor=actor)


def has_restorable_calling(workspace: Workspace) -> bool:
    """Calling data of this workspace (by name) removed in the last 30 days."""
    return restorable_snapshot(workspace_name=workspace.name) is not None


@transaction.atomic
def restore_workspace_calling(
    *, workspace: Workspace, line: SubscriptionLine, actor: Actor
) -> RestoreResult:
    """*Restore calling* of a workspace (issue #4 item 5): a Workspace Calling license
    from ``line``, then the last removed calling data — number (if still free),
    extension, voicemail, settings — as far as it can come back; the result says what
    could not. The workspace follows the restored location."""
    _check_line(line)
    if calling_license(workspace) is None:
        assign_license(line=line, workspace=workspace, actor=actor)
    result = restore_calling(holder=workspace, actor=actor)
    if result.profile.location_id != workspace.location_id:
        workspace.location = result.profile.location
        workspace.save(update_fields=["location"])
    return result


def deletion_preview(workspace: Workspace) -> list[str]:
    return [
        f"Workspace {workspace} in location {workspace.location}",
        *calling_loss_preview(workspace),
    ]


@transaction.atomic
def delete_workspace(*, workspace: Workspace, actor: Actor, confirm: bool = False) -> None:
    """Delete the workspace after a preview: its calling data is kept as a 30-day
    snapshot first, then its license released. Needs ``confirm``."""
    workspace = (
        Workspace.objects.select_for_update().select_related("location").get(pk=workspace.pk)
    )
    if not confirm:
        lost = deletion_preview(workspace)
        raise errors.WorkspaceDeletionNotConfirmed(
            f"Deleting workspace {workspace} cannot be undone: {'; '.join(lost)}. "
            "Confirm to go ahead.",
            lost=lost,
        )
    _drop_calling(
        workspace=workspace,
        profile=calling_profile(workspace, lock=True),
        assignment=calling_license(workspace, lock=True),
        actor=actor,
        reason="workspace_deleted",
    )
    record(
        actor=actor,
        action=AuditAction.CALLING_WORKSPACE_DELETED,
        target=workspace,
        before=_state(workspace),
    )
    workspace.delete()
