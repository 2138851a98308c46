"""Removing calling data through the user CSV is always confirmed after a preview
(issue #4 item 5, SPEC §6): without ``confirm_calling_loss`` — the upload page's
checkbox, the API field, the command's ``--confirm-calling-loss`` — a file that takes
anyone's calling data applies nothing and names who would lose what; the dry run
names the same users. One test per rule."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from calling.models import CallingSnapshot
from licensing.csv import columns as col
from licensing.csv.imports import import_users
from licensing.models import OrgUser
from partnerhub.jobs.models import JobStatus, OrgJob
from tests.calling.conftest import ACTOR
from tests.calling.test_csv_calling import JABBER, calling_of, calling_row, provisioned, state
from tests.conftest import in_schema
from tests.jobs.queue import drain_queue
from tests.jobs.test_user_csv_tasks import upload
from tests.licensing.test_csv_import import CALLING, MEETINGS, SUITE, csv_of, meetings_user

pytestmark = pytest.mark.django_db

HOW_TO_CONFIRM = (
    "Removing calling needs confirmation: if that is intended, upload the file again with "
    "'Confirm calling loss' ticked (API: confirm_calling_loss=true; manage.py import_users: "
    "--confirm-calling-loss). The data stays restorable for 30 days."
)
KIM_LOSES = (
    f"row 2, column {col.EMAIL}: kim@acme.test would lose its calling data (location Oslo, "
    "number +4722000001, extension 1234): the row takes its package with calling away. "
    + HOW_TO_CONFIRM
)
TO_MEETINGS = {col.EMAIL: "kim@acme.test", CALLING: "FALSE", MEETINGS: "TRUE", **JABBER}


def run_queued() -> None:
    """Run the uploads' tasks, then empty the queue (the next upload is a new task)."""
    from django_tasks_db.models import DBTaskResult

    drain_queue()
    DBTaskResult.objects.all().delete()


def test_removing_calling_without_confirmation_applies_nothing_and_says_who_and_how(oslo):
    provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    before = state()
    content = csv_of(TO_MEETINGS, meetings_user("lou@acme.test"))
    result = import_users(content=content, actor=ACTOR)
    assert not result.applied
    assert result.plan.errors == [KIM_LOSES]
    assert result.plan.unconfirmed_calling_losses == ["kim@acme.test"]
    assert state() == before
    assert not CallingSnapshot.objects.exists()


def test_deleting_a_calling_user_without_confirmation_applies_nothing(oslo):
    provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    before = state()
    row = {col.EMAIL: "kim@acme.test", CALLING: "FALSE", MEETINGS: "FALSE", SUITE: "FALSE"}
    result = import_users(content=csv_of(row), actor=ACTOR)
    assert not result.applied
    assert result.plan.errors == [
        f"row 2, column {col.EMAIL}: kim@acme.test would be deleted with its calling data "
        f"(location Oslo, number +4722000001, extension 1234). {HOW_TO_CONFIRM}"
    ]
    assert state() == before


def test_dry_run_names_the_same_users_as_the_upload_it_previews(oslo):
    provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    provisioned("lou@acme.test", oslo, "55")
    content = csv_of(TO_MEETINGS, {**TO_MEETINGS, col.EMAIL: "lou@acme.test"})
    dry_run = import_users(content=content, actor=ACTOR, dry_run=True)
    upload_ = import_users(content=content, actor=ACTOR)
    assert dry_run.plan.errors == upload_.plan.errors and len(dry_run.plan.errors) == 2
    assert dry_run.plan.unconfirmed_calling_losses == ["kim@acme.test", "lou@acme.test"]
    confirmed = import_users(content=content, actor=ACTOR, dry_run=True, confirm_calling_loss=True)
    assert not confirmed.plan.errors and confirmed.plan.calling_losses == [
        "kim@acme.test",
        "lou@acme.test",
    ]
    assert calling_of("kim@acme.test") == ("Oslo", "1234", "+4722000001")


def test_a_file_that_keeps_everyones_calling_needs_no_confirmation(oslo):
    provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    row = {col.EMAIL: "kim@acme.test", col.EXTENSION: "5678"}
    new = calling_row("lou@acme.test", **{col.EXTENSION: "77"})
    result = import_users(content=csv_of(row, new), actor=ACTOR)
    assert result.applied, result.plan.errors


def test_upload_page_removes_calling_only_when_confirmed(
    org_client, world, oslo, django_capture_on_commit_callbacks
):
    provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    client = org_client(world.acme, world.ann)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, csv_of(TO_MEETINGS))
    run_queued()
    with in_schema(world.acme):
        refused = OrgJob.objects.get()
        assert refused.status == JobStatus.FAILED
        assert {"error": KIM_LOSES} in refused.messages
        assert calling_of("kim@acme.test") == ("Oslo", "1234", "+4722000001")
    assert "kim@acme.test would lose its calling data" in client.get(
        f"/tasks/{refused.pk}/"
    ).content.decode("utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, csv_of(TO_MEETINGS), confirm_calling_loss="on")
    run_queued()
    with in_schema(world.acme):
        confirmed = OrgJob.objects.exclude(pk=refused.pk).get()
        assert confirmed.status == JobStatus.DONE_WITH_WARNINGS
        assert calling_of("kim@acme.test") is None


def test_api_upload_removes_calling_only_with_confirm_calling_loss(
    org_client, world, oslo, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    client = org_client(world.acme, world.ann)

    def post(**fields: str) -> dict:
        file = SimpleUploadedFile("users.csv", csv_of(TO_MEETINGS), content_type="text/csv")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/api/users/csv/", {"file": file, **fields})
        assert response.status_code == 202, response.content
        run_queued()
        return client.get(f"/api/tasks/{response.json()['id']}/").json()

    refused = post()
    assert refused["status"] == "failed" and {"error": KIM_LOSES} in refused["messages"]
    with in_schema(world.acme):
        assert calling_of("kim@acme.test") == ("Oslo", "1234", "+4722000001")
    applied = post(confirm_calling_loss="true")
    assert applied["status"] == "done_with_warnings" and applied["params"]["confirm_calling_loss"]
    with in_schema(world.acme):
        assert calling_of("kim@acme.test") is None


def test_import_users_command_removes_calling_only_with_confirm_calling_loss(
    oslo, tmp_path, capsys
):
    provisioned("kim@acme.test", oslo, "1234", "+4722000001")
    path = tmp_path / "users.csv"
    path.write_bytes(csv_of(TO_MEETINGS))
    with pytest.raises(SystemExit) as exit_:
        call_command("import_users", "acme", str(path))
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert KIM_LOSES in err
    assert (
        "1 user(s) would lose their calling data: kim@acme.test. If that is intended, run "
        "the command again with --confirm-calling-loss." in err
    )
    assert calling_of("kim@acme.test") == ("Oslo", "1234", "+4722000001")
    call_command("import_users", "acme", str(path), "--confirm-calling-loss")
    assert calling_of("kim@acme.test") is None
    assert OrgUser.objects.filter(email="kim@acme.test").exists()
