"""Background work goes through the tasks API, never a thread of the web process:
an upload on the page or the API only queues the import; its early-writing thread
(``licensing.csv.early``) runs where the task runs, in the worker."""

from __future__ import annotations

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from licensing.csv import validation
from licensing.models import OrgUser
from partnerhub.jobs.models import JobStatus, OrgJob
from tests.conftest import in_schema
from tests.jobs.queue import drain_queue
from tests.licensing.test_csv_import import csv_of, meetings_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/users/csv/", "/api/users/csv/"])
def test_an_upload_only_queues_the_import_and_the_worker_runs_it(
    org_client, world, django_capture_on_commit_callbacks, monkeypatch, url
):
    monkeypatch.setattr(validation, "CHUNK", 2)  # five rows: chunks written early
    started: list[str] = []  # the names of the threads started meanwhile
    client = org_client(world.acme, world.uma)
    with in_schema(world.acme):
        content = csv_of(*(meetings_user(f"u{i}@acme.test") for i in range(5)))
    threading.settrace(lambda *args: started.append(threading.current_thread().name))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            file = SimpleUploadedFile("u.csv", content)
            response = client.post(url, {"file": file, "mode": "add"})
        assert response.status_code in (302, 202), response.content
        assert "csv-early-creates" not in started
        with in_schema(world.acme):
            assert OrgJob.objects.get().status == JobStatus.QUEUED
            assert not OrgUser.objects.exists()
        drain_queue()  # the worker's part (run here by the test)
        assert "csv-early-creates" in started
    finally:
        threading.settrace(None)  # type: ignore[arg-type]
    with in_schema(world.acme):
        assert OrgJob.objects.get().status == JobStatus.DONE
        assert OrgUser.objects.count() == 5
