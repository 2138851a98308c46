"""Removing a workspace's calling through the workspaces CSV is always confirmed after a
preview (issue #4 item 5), as for the user CSV (tests/calling/test_csv_calling_loss.py):
without ``confirm_calling_loss`` — the upload page's checkbox, the API field, the
command's ``--confirm-calling-loss`` — a file that takes any workspace's calling applies
nothing and names who would lose what; the dry run names the same workspaces. Uploads
over 10 MB are refused at upload with the worker's message. One test per rule."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from calling.models import CallingSnapshot, Workspace
from calling.workspaces import services as ws
from calling.workspaces.csv.imports import import_workspaces
from licensing.csv.errors import CsvFileError
from licensing.services.licenses import assign_license
from partnerhub.jobs.models import JobStatus, OrgJob
from tests.calling.conftest import ACTOR, numbers_of
from tests.calling.test_workspaces import held_line
from tests.calling.test_workspaces_csv import MAIN, NAME, OTHER, csv_of, lobby, row
from tests.calling.test_workspaces_web import drain_workspace_queue
from tests.conftest import in_schema
from tests.licensing.conftest import line, second_subscription

pytestmark = pytest.mark.django_db

HOW_TO_CONFIRM = (
    "Removing calling needs confirmation: if that is intended, upload the file again with "
    "'Confirm calling loss' ticked (API: confirm_calling_loss=true; manage.py "
    "import_workspaces: --confirm-calling-loss)."
)
LOBBY_LOSES = (
    f"row 2, column {NAME}: Workspace Lobby would lose its calling data (location Oslo, "
    "number +4722000001, extension 100): the row takes its Workspace Calling license away. "
    f"{HOW_TO_CONFIRM} The data stays restorable for 30 days."
)
NO_CALLING = {MAIN: "FALSE"}


def run(content: bytes, **kwargs):  # type: ignore[no-untyped-def]
    return import_workspaces(content=content, actor=ACTOR, mode="add-remove", **kwargs)


def run_queued() -> None:
    """Run the uploads' tasks, then empty the queue (the next upload is a new task)."""
    from django_tasks_db.models import DBTaskResult

    drain_workspace_queue()
    DBTaskResult.objects.all().delete()


def test_removing_calling_without_confirmation_applies_nothing_and_says_who_and_how(oslo):
    workspace = lobby(oslo)
    content = csv_of([row(**NO_CALLING), row("Kitchen", Phone_Number="", Extension="200")])

    result = run(content)

    assert not result.applied
    assert result.plan.errors == [LOBBY_LOSES]
    assert result.plan.unconfirmed_calling_losses == ["Lobby"]
    assert held_line(workspace) == "Sub-100234"
    assert numbers_of(oslo)["+4722000001"] == workspace.calling.pk
    assert not Workspace.objects.filter(name="Kitchen").exists()
    assert not CallingSnapshot.objects.exists()


def test_a_license_without_calling_data_is_not_removed_without_confirmation(oslo):
    workspace = ws.create_workspace(name="Lobby", location=oslo, actor=ACTOR)
    assign_license(line=line("workspace_calling"), actor=ACTOR, workspace=workspace)
    content = csv_of([row(Phone_Number="", Extension="", **NO_CALLING)])

    refused = run(content)
    assert refused.plan.errors == [
        f"row 2, column {NAME}: Workspace Lobby would lose its Workspace Calling license (it "
        f"has no calling data). {HOW_TO_CONFIRM}"
    ]
    assert held_line(workspace) == "Sub-100234"
    confirmed = run(content, confirm_calling_loss=True)
    assert confirmed.applied and confirmed.counts["calling_removed"] == 1
    assert held_line(workspace) is None


def test_dry_run_names_the_same_workspaces_as_the_upload_it_previews(oslo):
    lobby(oslo)
    ws.create_workspace(
        name="Kitchen", location=oslo, actor=ACTOR, line=line("workspace_calling"), extension="200"
    )
    content = csv_of([row(**NO_CALLING), row("Kitchen", Phone_Number="", **NO_CALLING)])

    dry_run = run(content, dry_run=True)
    upload = run(content)

    assert dry_run.plan.errors == upload.plan.errors and len(dry_run.plan.errors) == 2
    assert dry_run.plan.unconfirmed_calling_losses == ["Lobby", "Kitchen"]
    confirmed = run(content, dry_run=True, confirm_calling_loss=True)
    assert not confirmed.plan.errors
    assert confirmed.plan.calling_losses == ["Lobby", "Kitchen"]
    assert held_line(Workspace.objects.get(name="Kitchen")) == "Sub-100234"


def test_a_file_that_keeps_every_workspaces_calling_needs_no_confirmation(oslo):
    second_subscription({"workspace_calling": 2})
    lobby(oslo)
    content = csv_of([
        row(Phone_Number="REMOVE", **{MAIN: "FALSE", OTHER: "TRUE"}),
        row("Kitchen", Phone_Number="+4722000002", Extension="200", **{OTHER: ""}),
    ])  # fmt: skip

    result = run(content)

    assert result.applied, result.plan.errors
    assert result.plan.calling_losses == []


def test_the_license_an_unconfirmed_removal_frees_is_not_reported_as_missing(oslo):
    second_subscription({"workspace_calling": 1})
    ws.create_workspace(
        name="A", location=oslo, actor=ACTOR, line=line("workspace_calling", "Sub-100999"),
        extension="10",
    )  # fmt: skip
    content = csv_of([
        row("B", Phone_Number="", Extension="11", **{MAIN: "", OTHER: "TRUE"}),
        row("A", Phone_Number="", Extension="", **{MAIN: "FALSE", OTHER: "FALSE"}),
    ])  # fmt: skip

    refused = run(content)
    assert [e.split(":")[0] for e in refused.plan.errors] == [f"row 3, column {NAME}"]
    confirmed = run(content, confirm_calling_loss=True)
    assert confirmed.applied, confirmed.plan.errors
    assert held_line(Workspace.objects.get(name="B")) == "Sub-100999"


def test_upload_page_removes_calling_only_when_confirmed(
    org_client, world, oslo, django_capture_on_commit_callbacks
):
    workspace = lobby(oslo)
    client = org_client(world.acme, world.ann)

    def upload(**fields: str) -> None:
        file = SimpleUploadedFile("ws.csv", csv_of([row(**NO_CALLING)]), content_type="text/csv")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/calling/workspaces/csv/", {"file": file, "mode": "add-remove", **fields}
            )
        assert response.status_code == 302, response.content
        run_queued()

    upload()
    with in_schema(world.acme):
        refused = OrgJob.objects.get()
        assert refused.status == JobStatus.FAILED
        assert {"error": LOBBY_LOSES} in refused.messages
        assert held_line(workspace) == "Sub-100234"
    assert "Workspace Lobby would lose its calling data" in client.get(
        f"/tasks/{refused.pk}/"
    ).content.decode("utf-8")
    upload(confirm_calling_loss="on")
    with in_schema(world.acme):
        confirmed = OrgJob.objects.exclude(pk=refused.pk).get()
        assert confirmed.status == JobStatus.DONE_WITH_WARNINGS
        assert confirmed.params["confirm_calling_loss"] is True
        assert held_line(workspace) is None
    assert "calling loss confirmed" in client.get(f"/tasks/{confirmed.pk}/").content.decode()


def test_api_upload_removes_calling_only_with_confirm_calling_loss(
    org_client, world, oslo, django_capture_on_commit_callbacks
):
    workspace = lobby(oslo)
    client = org_client(world.acme, world.ann)

    def post(**fields: str) -> dict:
        file = SimpleUploadedFile("ws.csv", csv_of([row(**NO_CALLING)]), content_type="text/csv")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/api/calling/workspaces/csv/", {"file": file, "mode": "add-remove", **fields}
            )
        assert response.status_code == 202, response.content
        run_queued()
        return client.get(f"/api/tasks/{response.json()['id']}/").json()

    refused = post()
    assert refused["status"] == "failed" and {"error": LOBBY_LOSES} in refused["messages"]
    with in_schema(world.acme):
        assert held_line(workspace) == "Sub-100234"
    applied = post(confirm_calling_loss="true")
    assert applied["status"] == "done_with_warnings" and applied["params"]["confirm_calling_loss"]
    with in_schema(world.acme):
        assert held_line(workspace) is None


def test_import_workspaces_command_removes_calling_only_with_confirm_calling_loss(
    oslo, tmp_path, capsys
):
    workspace = lobby(oslo)
    path = tmp_path / "workspaces.csv"
    path.write_bytes(csv_of([row(**NO_CALLING)]))

    with pytest.raises(SystemExit) as exit_:
        call_command("import_workspaces", "acme", str(path), "--mode", "add-remove")
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert LOBBY_LOSES in err
    assert (
        "1 workspace(s) would lose their calling: Lobby. If that is intended, run the "
        "command again with --confirm-calling-loss." in err
    )
    assert held_line(workspace) == "Sub-100234"
    call_command(
        "import_workspaces", "acme", str(path), "--mode", "add-remove", "--confirm-calling-loss"
    )
    assert held_line(workspace) is None
    assert Workspace.objects.filter(pk=workspace.pk).exists()


def test_a_workspace_csv_over_10_mb_is_refused_at_upload_with_the_workers_message(
    org_client, world, oslo
):
    big = f"{NAME}\n".encode() + b"x" * (11 * 1024 * 1024)
    with pytest.raises(CsvFileError) as worker:
        import_workspaces(content=big, actor=ACTOR)
    assert worker.value.message == "The file is 11.0 MB; the limit is 10 MB. Split it."
    client = org_client(world.acme, world.ann)

    def file() -> SimpleUploadedFile:
        return SimpleUploadedFile("ws.csv", big, content_type="text/csv")

    page = client.post("/calling/workspaces/csv/", {"file": file(), "mode": "add"})
    assert page.status_code == 200 and worker.value.message in page.content.decode()
    api = client.post("/api/calling/workspaces/csv/", {"file": file(), "mode": "add"})
    assert api.status_code == 400 and api.json()["file"] == [worker.value.message]
    with in_schema(world.acme):
        assert not OrgJob.objects.exists()
