"""Workspaces and their calling (SPEC §5 edit licenses, §6 workspaces; issue #4 items 6, 7)."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from calling import errors
from calling.models import CallingProfile, CallingSnapshot, PhoneNumber, Workspace
from calling.workspaces import services as ws
from licensing.errors import LicenseExhausted, SubscriptionNotUsable
from licensing.models import LicenseAssignment
from licensing.services.subscriptions import suspend_subscription
from tests.calling.conftest import ACTOR, audit_actions, numbers_of
from tests.licensing.conftest import line, second_subscription

pytestmark = pytest.mark.django_db


def lobby(oslo, **calling) -> Workspace:  # type: ignore[no-untyped-def]
    calling.setdefault("line", line("workspace_calling"))
    calling.setdefault("number", "+4722000001")
    calling.setdefault("extension", "100")
    return ws.create_workspace(name="Lobby", location=oslo, actor=ACTOR, **calling)


def held_line(workspace: Workspace) -> str | None:
    assignment = ws.calling_license(workspace)
    return assignment.line.subscription.external_id if assignment else None


def calling_state(workspace: Workspace) -> tuple[dict, list]:
    """The profile row and the numbers pointing at it, exactly as stored."""
    profile = CallingProfile.objects.get(workspace=workspace)
    numbers = list(PhoneNumber.objects.filter(profile=profile).values())
    return model_to_dict(profile) | {"created_at": profile.created_at}, numbers


def test_workspace_with_calling_gets_license_profile_and_number(oslo):
    workspace = lobby(oslo)

    assert held_line(workspace) == "Sub-100234"
    assert workspace.calling.location == oslo
    assert workspace.calling.extension == "100"
    assert numbers_of(oslo)["+4722000001"] == workspace.calling.pk
    assert audit_actions()[-3:] == [
        "calling.workspace.created",
        "calling.workspace.provisioned",
        "license.assigned",
    ]


def test_workspace_without_calling_has_no_license(oslo):
    workspace = ws.create_workspace(name="Storage", location=oslo, actor=ACTOR)

    assert held_line(workspace) is None
    assert not CallingProfile.objects.filter(workspace=workspace).exists()


def test_number_without_calling_license_is_refused(oslo):
    with pytest.raises(errors.CallingLicenseRequired):
        ws.create_workspace(name="Lobby", location=oslo, actor=ACTOR, number="+4722000001")
    assert not Workspace.objects.exists()


def test_workspace_name_is_unique_case_insensitively(oslo):
    lobby(oslo)
    with pytest.raises(errors.WorkspaceNameTaken, match="'LOBBY' already exists"):
        ws.create_workspace(name="LOBBY", location=oslo, actor=ACTOR)
    assert Workspace.objects.count() == 1


@pytest.mark.parametrize(
    ("calling", "error", "message"),
    [
        ({"number": "", "extension": ""}, errors.NumberOrExtensionRequired, "extension and/or"),
        ({"extension": "1"}, errors.InvalidExtension, "2 to 10 digits"),
        ({"number": "4722000001"}, errors.InvalidNumber, "missing its leading \\+"),
        ({"number": "+4722"}, errors.InvalidNumber, "not E.164"),
        ({"number": "+4722999999"}, errors.NumberNotInInventory, "not in this organisation"),
        ({"number": "+4755000001"}, errors.NumberInOtherLocation, "belongs to location Bergen"),
    ],
)
def test_workspace_calling_details_follow_the_users_rules(bergen, calling, error, message):
    oslo = bergen.__class__.objects.get(name="Oslo")
    with pytest.raises(error, match=message):
        lobby(oslo, **calling)
    assert not Workspace.objects.exists()
    assert not LicenseAssignment.objects.filter(workspace__isnull=False).exists()


def test_number_or_extension_already_taken_is_refused_and_nothing_changes(oslo):
    lobby(oslo)
    with pytest.raises(errors.NumberAlreadyAssigned):
        ws.create_workspace(
            name="Kitchen", location=oslo, actor=ACTOR, line=line("workspace_calling"),
            number="+4722000001",
        )  # fmt: skip
    with pytest.raises(errors.ExtensionTaken):
        ws.create_workspace(
            name="Kitchen", location=oslo, actor=ACTOR, line=line("workspace_calling"),
            extension="100",
        )  # fmt: skip
    assert list(Workspace.objects.values_list("name", flat=True)) == ["Lobby"]


def test_a_line_out_of_licenses_refuses_the_workspace(oslo):
    sub = second_subscription({"workspace_calling": 1})
    extra = sub.lines.get()
    ws.create_workspace(name="A", location=oslo, actor=ACTOR, line=extra, extension="10")
    with pytest.raises(LicenseExhausted, match="No Workspace Calling licenses left on Sub-100999"):
        ws.create_workspace(name="B", location=oslo, actor=ACTOR, line=extra, extension="11")
    assert not Workspace.objects.filter(name="B").exists()


def test_only_workspace_calling_lines_give_workspaces_calling(oslo):
    with pytest.raises(errors.NotAWorkspaceCallingLine):
        lobby(oslo, line=line("webex_calling"))
    assert not Workspace.objects.exists()


def test_rename_and_change_number_and_extension(oslo):
    workspace = lobby(oslo)

    ws.update_workspace(
        workspace=workspace, actor=ACTOR, name="Front desk", number="+4722000002", extension="200"
    )

    workspace.refresh_from_db()
    assert workspace.name == "Front desk"
    assert workspace.calling.extension == "200"
    assert numbers_of(oslo) == {"+4722000001": None, "+4722000002": workspace.calling.pk}
    assert audit_actions()[-1] == "calling.workspace.updated"


def test_removing_the_number_keeps_the_extension(oslo):
    workspace = lobby(oslo)
    ws.update_workspace(workspace=workspace, actor=ACTOR, number="")
    assert numbers_of(oslo)["+4722000001"] is None
    assert CallingProfile.objects.get(workspace=workspace).extension == "100"


def test_removing_both_number_and_extension_is_refused(oslo):
    workspace = lobby(oslo)
    with pytest.raises(errors.NumberOrExtensionRequired):
        ws.update_workspace(workspace=workspace, actor=ACTOR, number="", extension="")
    assert numbers_of(oslo)["+4722000001"] == workspace.calling.pk


def test_moving_to_another_location_needs_a_number_of_that_location(bergen):
    oslo = bergen.__class__.objects.get(name="Oslo")
    workspace = lobby(oslo)
    with pytest.raises(errors.NumberInOtherLocation):
        ws.update_workspace(workspace=workspace, actor=ACTOR, location=bergen)
    ws.update_workspace(workspace=workspace, actor=ACTOR, location=bergen, number="+4755000001")
    workspace.refresh_from_db()
    assert workspace.location == bergen
    assert workspace.calling.location == bergen
    assert numbers_of(bergen)["+4755000001"] == workspace.calling.pk
    assert numbers_of(oslo)["+4722000001"] is None


def test_number_on_a_workspace_without_calling_is_refused(oslo):
    workspace = ws.create_workspace(name="Storage", location=oslo, actor=ACTOR)
    with pytest.raises(errors.CallingNotSetUp):
        ws.update_workspace(workspace=workspace, actor=ACTOR, number="+4722000001")
    assert numbers_of(oslo)["+4722000001"] is None


def test_edit_licenses_moves_without_touching_calling_data_byte_for_byte(oslo):
    workspace = lobby(oslo)
    profile = workspace.calling
    profile.voicemail_enabled = True
    profile.voicemail_pin_hash = "pbkdf2_sha256$1$salt$hash"
    profile.settings = {"do_not_disturb": True, "forward": {"always": "+4799999999"}}
    profile.save()
    new = second_subscription({"workspace_calling": 5}).lines.get()
    before = calling_state(workspace)

    ws.move_workspace_license(workspace=workspace, to_line=new, actor=ACTOR)

    assert held_line(workspace) == "Sub-100999"
    assert calling_state(workspace) == before
    assert audit_actions()[-1] == "license.moved"


def test_move_to_a_suspended_subscription_is_refused(oslo):
    workspace = lobby(oslo)
    sub = second_subscription({"workspace_calling": 5})
    suspend_subscription(subscription=sub, actor=ACTOR)
    with pytest.raises(SubscriptionNotUsable):
        ws.move_workspace_license(workspace=workspace, to_line=sub.lines.get(), actor=ACTOR)
    assert held_line(workspace) == "Sub-100234"


def test_move_to_a_full_line_is_refused(oslo):
    workspace = lobby(oslo)
    full = second_subscription({"workspace_calling": 1}).lines.get()
    ws.create_workspace(name="Other", location=oslo, actor=ACTOR, line=full, extension="10")
    with pytest.raises(LicenseExhausted):
        ws.move_workspace_license(workspace=workspace, to_line=full, actor=ACTOR)
    assert held_line(workspace) == "Sub-100234"


def test_removing_calling_needs_confirmation_after_a_preview(oslo):
    workspace = lobby(oslo)
    with pytest.raises(errors.CallingLossNotConfirmed) as refused:
        ws.remove_workspace_calling(workspace=workspace, actor=ACTOR)
    assert "Phone number +4722000001 (released)" in refused.value.details["lost"]
    assert held_line(workspace) == "Sub-100234"
    assert CallingProfile.objects.filter(workspace=workspace).exists()


def test_removing_calling_snapshots_then_releases_license_and_number(oslo):
    workspace = lobby(oslo)

    ws.remove_workspace_calling(workspace=workspace, actor=ACTOR, confirm=True)

    assert held_line(workspace) is None
    assert not CallingProfile.objects.filter(workspace=workspace).exists()
    assert numbers_of(oslo)["+4722000001"] is None
    snapshot = CallingSnapshot.objects.get(workspace=workspace)
    assert snapshot.holder_kind == "workspace"
    assert snapshot.data["number"] == "+4722000001" and snapshot.data["extension"] == "100"
    assert audit_actions()[-2:] == ["calling.workspace.removed", "license.released"]


def test_set_license_none_removes_and_a_line_gives_calling_back(oslo):
    workspace = lobby(oslo)
    with pytest.raises(errors.CallingLossNotConfirmed):
        ws.set_workspace_license(workspace=workspace, line=None, actor=ACTOR)
    ws.set_workspace_license(workspace=workspace, line=None, actor=ACTOR, confirm_calling_loss=True)
    assert held_line(workspace) is None
    ws.set_workspace_license(
        workspace=workspace, line=line("workspace_calling"), actor=ACTOR, extension="300"
    )
    assert held_line(workspace) == "Sub-100234"
    assert CallingProfile.objects.get(workspace=workspace).extension == "300"


def test_deleting_needs_confirmation_and_keeps_a_snapshot(oslo):
    workspace = lobby(oslo)
    with pytest.raises(errors.WorkspaceDeletionNotConfirmed) as refused:
        ws.delete_workspace(workspace=workspace, actor=ACTOR)
    assert refused.value.details["lost"][0] == "Workspace Lobby in location Oslo"
    assert Workspace.objects.exists()

    ws.delete_workspace(workspace=workspace, actor=ACTOR, confirm=True)

    assert not Workspace.objects.exists()
    assert not LicenseAssignment.objects.filter(license_type="workspace_calling").exists()
    assert numbers_of(oslo)["+4722000001"] is None
    snapshot = CallingSnapshot.objects.get(holder="Lobby")
    assert snapshot.reason == "workspace_deleted"
    assert audit_actions()[-3:] == [
        "calling.workspace.removed",
        "license.released",
        "calling.workspace.deleted",
    ]


def test_restore_calling_brings_back_number_extension_voicemail_and_settings(oslo):
    workspace = lobby(oslo)
    CallingProfile.objects.filter(workspace=workspace).update(
        voicemail_enabled=True, voicemail_pin_hash="hash", settings={"do_not_disturb": True}
    )
    ws.remove_workspace_calling(workspace=workspace, actor=ACTOR, confirm=True)
    assert ws.has_restorable_calling(workspace)

    result = ws.restore_workspace_calling(
        workspace=workspace, line=line("workspace_calling"), actor=ACTOR
    )

    assert result.not_restored == []
    profile = CallingProfile.objects.get(workspace=workspace)
    assert (profile.extension, profile.voicemail_pin_hash, profile.settings) == (
        "100", "hash", {"do_not_disturb": True},
    )  # fmt: skip
    assert numbers_of(oslo)["+4722000001"] == profile.pk
    assert held_line(workspace) == "Sub-100234"
    assert not ws.has_restorable_calling(workspace)


def test_restore_says_what_could_not_come_back(oslo):
    workspace = lobby(oslo)
    ws.remove_workspace_calling(workspace=workspace, actor=ACTOR, confirm=True)
    ws.create_workspace(
        name="Kitchen", location=oslo, actor=ACTOR, line=line("workspace_calling"),
        number="+4722000001",
    )  # fmt: skip

    result = ws.restore_workspace_calling(
        workspace=workspace, line=line("workspace_calling"), actor=ACTOR
    )

    assert result.not_restored == ["Phone number +4722000001 is now assigned elsewhere."]
    assert CallingProfile.objects.get(workspace=workspace).extension == "100"


def test_restore_without_removed_calling_is_refused_and_takes_no_license(oslo):
    workspace = ws.create_workspace(name="Storage", location=oslo, actor=ACTOR)
    with pytest.raises(errors.NothingToRestore):
        ws.restore_workspace_calling(
            workspace=workspace, line=line("workspace_calling"), actor=ACTOR
        )
    assert held_line(workspace) is None
