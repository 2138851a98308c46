"""The import commands go through the same job record as an upload (issue 12, SPEC §4
"Running an import"): a command's run is a task of the org, and "one CSV task per org"
holds for scripts too — a command started while an upload's task is queued or running
applies nothing and says why."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from licensing.jobs import LicensingJob
from licensing.models import OrgUser
from partnerhub.jobs import services
from partnerhub.jobs.models import JobStatus, OrgJob
from tests.committed import ACTOR
from tests.licensing.test_csv_import import csv_of, meetings_user

pytestmark = pytest.mark.django_db
STILL_RUNNING = "A CSV, directory-sync or template task of this organisation is still running"


def test_an_import_command_runs_as_a_task_of_the_org(acme, tmp_path):
    path = tmp_path / "users.csv"
    path.write_bytes(csv_of(meetings_user("kim@acme.test")))

    call_command("import_users", "acme", str(path))

    job = OrgJob.objects.get()
    assert (job.kind, job.status, job.file_name) == (
        LicensingJob.USER_CSV,
        JobStatus.DONE,
        "users.csv",
    )
    assert job.counts.get("created") == 1
    assert job.actor["email"] == "manage.py import_users"


def test_an_import_command_waits_for_the_uploaded_task_of_the_org(acme, tmp_path, capsys):
    # given an upload whose task is queued
    upload = services.start_job(
        kind=LicensingJob.USER_CSV, actor=ACTOR, file_name="upload.csv", enqueue=False
    )
    path = tmp_path / "users.csv"
    path.write_bytes(csv_of(meetings_user("kim@acme.test")))

    # when a script imports a file into the same org
    with pytest.raises(SystemExit) as exit_:
        call_command("import_users", "acme", str(path))

    # then it applies nothing and names the task it waits for
    assert exit_.value.code == 1
    assert f"{STILL_RUNNING} (task #{upload.pk}, upload.csv)" in capsys.readouterr().err
    assert not OrgUser.objects.exists()
    assert list(OrgJob.objects.values_list("pk", flat=True)) == [upload.pk]


@pytest.mark.parametrize(
    "command, file_name, content",
    [
        ("import_workspaces", "workspaces.csv", b"Workspace Name (Required)\nLobby\n"),
        ("directory_sync", "directory.csv", b"email,givenName,sn\nkim@acme.test,Kim,Lee\n"),
    ],
)
def test_the_other_import_commands_wait_for_it_too(
    acme, tmp_path, capsys, command, file_name, content
):
    services.start_job(
        kind=LicensingJob.USER_CSV, actor=ACTOR, file_name="upload.csv", enqueue=False
    )
    path = tmp_path / file_name
    path.write_bytes(content)

    with pytest.raises((SystemExit, CommandError)) as refused:
        call_command(command, "acme", str(path))

    said = (
        str(refused.value) if isinstance(refused.value, CommandError) else capsys.readouterr().err
    )
    assert STILL_RUNNING in said
    assert not OrgUser.objects.exists()
    assert OrgJob.objects.count() == 1
