"""Uploading the user CSV runs it as a task of the org (SPEC §4 "Running an import")."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from licensing.jobs import LicensingJob
from licensing.models import OrgUser
from partnerhub.audit.services import Actor
from partnerhub.jobs import services
from partnerhub.jobs.errors import JobAlreadyRunning
from partnerhub.jobs.models import JobStatus, OrgJob
from partnerhub.jobs.reaper import reap_stale_jobs
from tests.boundaries import assert_org_urls_closed_to_outsiders
from tests.conftest import in_schema
from tests.jobs.queue import drain_queue
from tests.licensing.test_csv_import import csv_of, meetings_user

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")


def upload(client, content: bytes, **fields: str):  # type: ignore[no-untyped-def]
    file = SimpleUploadedFile("users.csv", content, content_type="text/csv")
    return client.post("/users/csv/", {"file": file, "mode": "add", **fields})


def test_upload_becomes_a_task_that_the_worker_completes(
    org_client, world, django_capture_on_commit_callbacks
):
    client = org_client(world.acme, world.uma)
    with in_schema(world.acme):
        content = csv_of(meetings_user())
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, content)
    assert response.status_code == 302
    drain_queue()
    with in_schema(world.acme):
        job = OrgJob.objects.get()
        assert job.status == JobStatus.DONE
        assert job.counts["created"] == 1
        assert OrgUser.objects.filter(email="kim@acme.test").exists()
    page = client.get(f"/tasks/{job.pk}/")
    assert 'data-count="created">1<' in page.content.decode()
    assert "Nothing was applied" not in page.content.decode()


def test_task_progress_counts_the_rows_the_reader_reads_whatever_the_line_ends(
    org_client, world, django_capture_on_commit_callbacks
):
    client = org_client(world.acme, world.uma)
    with in_schema(world.acme):
        rows = [meetings_user(f"u{i}@acme.test") for i in range(3)]
        content = csv_of(*rows).replace(b"\r\n", b"\r")  # old Mac Excel: CR only
    assert b"\n" not in content
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, content)
    drain_queue()
    with in_schema(world.acme):
        job = OrgJob.objects.get()
        assert (job.status, job.rows_total, job.rows_done) == (JobStatus.DONE, 3, 3)
        assert job.counts["created"] == 3


def test_a_file_with_row_errors_fails_with_an_error_report_and_applies_nothing(
    org_client, world, django_capture_on_commit_callbacks
):
    client = org_client(world.acme, world.ann)
    with in_schema(world.acme):
        content = csv_of(
            meetings_user(**{"Jabber Calling": "maybe"}), meetings_user("ok@acme.test")
        )
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, content)
    drain_queue()
    with in_schema(world.acme):
        job = OrgJob.objects.get()
        assert job.status == JobStatus.FAILED
        assert job.failure == (
            "The file has errors; nothing was applied. Download the error report, fix the rows "
            "it lists and upload the file again."
        )
        assert not OrgUser.objects.exists()
    report = client.get(f"/tasks/{job.pk}/errors.csv").content.decode("utf-8-sig")
    assert "Jabber Calling: 'maybe' is not TRUE or FALSE." in report
    assert "kim@acme.test" in report
    page = client.get(f"/tasks/{job.pk}/").content.decode()
    assert "Nothing was applied: these figures say what the file would do." in page
    shown = re.findall(r'data-count="(\w+)"', page)
    assert shown[:3] == ["created", "updated", "unchanged"] and shown[-2:] == ["errors", "warnings"]


def test_only_one_csv_task_per_org_at_a_time(org_client, world):
    client = org_client(world.acme, world.ann)
    with in_schema(world.acme):
        services.start_job(kind=LicensingJob.USER_CSV, actor=ACTOR, file_name="first.csv")
        content = csv_of(meetings_user())
    response = upload(client, content)
    assert response.status_code == 200
    assert (
        "A CSV, directory-sync or template task of this organisation is still running"
        in response.content.decode()
    )
    with in_schema(world.acme):
        assert OrgJob.objects.count() == 1


def test_the_database_enforces_one_csv_task_at_a_time(acme):
    services.start_job(kind=LicensingJob.USER_CSV, actor=ACTOR)
    with pytest.raises(JobAlreadyRunning):
        services.start_job(kind=LicensingJob.USER_CSV, actor=ACTOR)


def test_a_task_whose_worker_died_is_marked_failed_and_nothing_applied(acme):
    job = services.start_job(kind=LicensingJob.USER_CSV, actor=ACTOR, file_name="users.csv")
    OrgJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, heartbeat_at=timezone.now() - dt.timedelta(minutes=10)
    )
    assert reap_stale_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "stopped before it finished; nothing was applied" in job.failure


def test_read_only_admin_cannot_upload(org_client, world):
    with in_schema(world.acme):
        content = csv_of(meetings_user())
    response = upload(org_client(world.acme, world.rita), content)
    assert response.status_code == 403


def test_read_only_admin_sees_the_export_but_no_upload_form(org_client, world):
    page = org_client(world.acme, world.rita).get("/users/csv/").content.decode()
    assert 'href="/users/csv/export/"' in page
    assert 'type="file"' not in page
    assert (
        "Your role may export the users CSV; uploading one needs a full administrator or a "
        "user and license administrator." in page
    )
    assert 'type="file"' in org_client(world.acme, world.ann).get("/users/csv/").content.decode()


def test_task_pages_are_closed_to_outsiders(org_client, world):
    with in_schema(world.acme):
        job = services.start_job(kind=LicensingJob.USER_CSV, actor=ACTOR)
        OrgJob.objects.filter(pk=job.pk).update(error_report="x")
    assert_org_urls_closed_to_outsiders(
        org_client, world,
        [("GET", "/users/csv/"), ("POST", "/users/csv/"), ("GET", "/users/csv/export/"),
         ("GET", "/tasks/"), ("GET", f"/tasks/{job.pk}/"), ("GET", f"/tasks/{job.pk}/errors.csv")],
    )  # fmt: skip


def test_another_orgs_task_id_is_not_found_here(org_client, world):
    with in_schema(world.acme):
        job = services.start_job(kind=LicensingJob.USER_CSV, actor=ACTOR)
    assert org_client(world.initech, world.ian).get(f"/tasks/{job.pk}/").status_code == 404


def test_api_upload_starts_a_task_and_reports_progress(
    org_client, world, django_capture_on_commit_callbacks
):
    client = org_client(world.acme, world.uma)
    with in_schema(world.acme):
        content = csv_of(meetings_user())
    file = SimpleUploadedFile("users.csv", content, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/users/csv/", {"file": file, "mode": "add"})
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    drain_queue()
    detail = client.get(f"/api/tasks/{job_id}/").json()
    assert detail["status"] == "done" and detail["counts"]["created"] == 1
    second = client.post("/api/users/csv/", {"file": SimpleUploadedFile("u.csv", content)})
    assert second.status_code == 202


def test_api_upload_while_a_csv_task_runs_is_a_conflict(org_client, world):
    with in_schema(world.acme):
        services.start_job(kind=LicensingJob.USER_CSV, actor=ACTOR)
    file = SimpleUploadedFile("users.csv", b"User ID/Email (Required)\na@acme.test\n")
    response = org_client(world.acme, world.ann).post("/api/users/csv/", {"file": file})
    assert response.status_code == 409
    assert response.json()["code"] == "csv_task_running"


def test_task_api_is_closed_to_outsiders(org_client, world):
    with in_schema(world.acme):
        job = services.start_job(kind=LicensingJob.USER_CSV, actor=ACTOR)
    assert_org_urls_closed_to_outsiders(
        org_client, world,
        [("GET", "/api/users/csv/"), ("POST", "/api/users/csv/"), ("GET", "/api/tasks/"),
         ("GET", f"/api/tasks/{job.pk}/"), ("GET", f"/api/tasks/{job.pk}/errors.csv"),
         ("POST", f"/api/tasks/{job.pk}/cancel/")],
    )  # fmt: skip


def test_a_dry_run_shows_per_row_what_would_change_and_applies_nothing(
    org_client, world, django_capture_on_commit_callbacks
):
    client = org_client(world.acme, world.ann)
    with in_schema(world.acme):
        content = csv_of(meetings_user())
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, content, dry_run="on")
    drain_queue()
    with in_schema(world.acme):
        job = OrgJob.objects.get()
        assert job.status == JobStatus.DONE
        assert {"change": "row 2: kim@acme.test would be created"} in job.messages
        assert not OrgUser.objects.exists()
    assert "Nothing was applied" in client.get(f"/tasks/{job.pk}/").content.decode()


def test_a_user_csv_over_10_mb_is_refused_at_upload_with_the_workers_message(org_client, world):
    from licensing.csv.errors import CsvFileError
    from licensing.csv.reading import read_rows

    big = b"User ID/Email (Required)\n" + b"x" * (11 * 1024 * 1024)
    with pytest.raises(CsvFileError) as worker:
        read_rows(big)
    assert worker.value.message == "The file is 11.0 MB; the limit is 10 MB. Split it."
    client = org_client(world.acme, world.ann)
    page = upload(client, big)
    assert page.status_code == 200 and worker.value.message in page.content.decode()
    file = SimpleUploadedFile("users.csv", big, content_type="text/csv")
    api = client.post("/api/users/csv/", {"file": file})
    assert api.status_code == 400 and api.json()["file"] == [worker.value.message]
    with in_schema(world.acme):
        assert not OrgJob.objects.exists()
