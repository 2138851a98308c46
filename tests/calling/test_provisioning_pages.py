"""Directory sync, the provisioning failure report and *apply to existing users* from
the outside: pages, API, CSV and tasks (issue #4 items 9–11)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from calling.models import CallingProfile, Location, PhoneNumber
from calling.services.directory import DirectoryEntry, sync_directory
from licensing.models import AutoLicenseTemplate, OrgUser
from licensing.services.templates import create_template
from partnerhub.jobs.models import JobStatus, OrgJob
from tests.boundaries import assert_org_urls_closed_to_outsiders
from tests.calling.conftest import ACTOR
from tests.conftest import in_schema
from tests.jobs.queue import drain_queue
from tests.licensing.conftest import line

pytestmark = pytest.mark.django_db


def drain(task_name: str) -> None:
    """Run the queued jobs as the worker would (see tests/jobs/queue.py)."""
    drain_queue()


@pytest.fixture
def calling_org(world):  # type: ignore[no-untyped-def]
    """Acme with Oslo's numbers and an org template with calling."""
    with in_schema(world.acme):
        oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
        for e164 in ("+4722000001", "+4722000002"):
            PhoneNumber.objects.create(e164=e164, location=oslo)
        return create_template(name="Calling", lines=[line("webex_calling")], actor=ACTOR)


def test_directory_sync_api_takes_a_json_list_and_runs_it_as_a_task(
    org_client, world, calling_org, django_capture_on_commit_callbacks
):
    client = org_client(world.acme, world.uma)
    feed = [
        {"email": "kim@acme.test", "first_name": "Kim", "work_phone": "+4722000001"},
        {"email": "lee@acme.test", "work_phone": "4722000002"},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/calling/directory-sync/", feed, content_type="application/json"
        )
    assert response.status_code == 202
    drain("run_directory_sync")
    with in_schema(world.acme):
        job = OrgJob.objects.get(pk=response.json()["id"])
        assert job.status == JobStatus.DONE_WITH_WARNINGS
        assert (job.counts["created"], job.counts["provisioned"]) == (2, 1)
        assert job.messages == [
            {
                "warning": "lee@acme.test: not provisioned (invalid_format) — work phone "
                "'4722000002': '4722000002' is not international: write it with + and the "
                "country code, for example +4722334455, in the directory."
            }
        ]
        assert CallingProfile.objects.get().user.email == "kim@acme.test"


def test_a_bad_feed_is_refused_before_anything_is_queued(org_client, world, calling_org):
    client = org_client(world.acme, world.uma)
    response = client.post(
        "/api/calling/directory-sync/",
        [{"email": "kim@acme.test"}, {"email": "KIM@acme.test"}],
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "kim@acme.test is in the feed twice" in response.json()["message"]
    with in_schema(world.acme):
        assert not OrgJob.objects.exists()


def test_directory_sync_page_uploads_a_csv_export(
    org_client, world, calling_org, django_capture_on_commit_callbacks
):
    client = org_client(world.acme, world.ann)
    upload = SimpleUploadedFile(
        "directory.csv", b"email,work phone\nkim@acme.test,+4722000001\n", content_type="text/csv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/calling/directory-sync/", {"file": upload})
    assert response.status_code == 302
    drain("run_directory_sync")
    with in_schema(world.acme):
        assert OrgUser.objects.filter(email="kim@acme.test").exists()


def test_read_only_admins_cannot_sync_the_directory(org_client, world, calling_org):
    client = org_client(world.acme, world.rita)
    response = client.post(
        "/api/calling/directory-sync/",
        [{"email": "kim@acme.test"}],
        content_type="application/json",
    )
    assert response.status_code == 403


def test_failure_report_lists_the_unprovisioned_with_number_and_reason(
    org_client, world, calling_org
):
    with in_schema(world.acme):
        sync_directory(
            entries=[DirectoryEntry("lee@acme.test", work_phone="+4799999999")], actor=ACTOR
        )
    client = org_client(world.acme, world.rita)  # read-only admins may read it

    page = client.get("/calling/provisioning-failures/").content.decode()
    assert "lee@acme.test" in page and 'data-reason="number_not_found"' in page

    api = client.get("/api/calling/provisioning-failures/").json()
    assert [(r["email"], r["phone_number"], r["reason"]) for r in api] == [
        ("lee@acme.test", "+4799999999", "number_not_found")
    ]

    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/calling/provisioning-failures.csv").content.decode("utf-8-sig")
            )
        )
    )
    assert rows == [
        ["User ID/Email", "First Name", "Last Name", "Phone Number", "Reason"],
        ["lee@acme.test", "", "", "+4799999999", "number_not_found"],
    ]


def test_template_apply_page_previews_then_runs_the_task(
    org_client, world, calling_org, django_capture_on_commit_callbacks
):
    with in_schema(world.acme):
        user = OrgUser.objects.create(email="kim@acme.test", work_phone="+4722000002")
    client = org_client(world.acme, world.ann)
    url = f"/calling/templates/{calling_org.pk}/apply/"

    assert "1 user(s) are covered" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    drain("run_template_apply")
    with in_schema(world.acme):
        assert PhoneNumber.objects.get(e164="+4722000002").profile.user_id == user.pk


def test_template_apply_api_needs_the_typed_name_when_users_lose_calling(
    org_client, world, calling_org
):
    from calling.services.profiles import CallingDetails
    from licensing.services.packages import change_package
    from licensing.services.templates import update_template

    with in_schema(world.acme):
        pat = OrgUser.objects.create(email="pat@acme.test")
        change_package(
            user=pat,
            line=line("webex_calling"),
            actor=ACTOR,
            calling=CallingDetails(location=Location.objects.get(), extension="10"),
        )
        update_template(
            template=calling_org,
            lines=[line("webex_meetings")],
            keep_licenses_for_existing_users=False,
            actor=ACTOR,
        )
    client = org_client(world.acme, world.ann)
    url = f"/api/calling/templates/{calling_org.pk}/apply/"

    assert client.get(url).json() == {"covered": 1, "calling_lost_by": ["pat@acme.test"]}
    refused = client.post(url, {}, content_type="application/json")
    assert refused.status_code == 400
    assert "Type the template's name (Calling)" in refused.json()["message"]
    accepted = client.post(url, {"confirmation": "Calling"}, content_type="application/json")
    assert accepted.status_code == 202


def test_provisioning_pages_and_api_are_closed_to_outsiders(org_client, world, calling_org):
    pk = calling_org.pk
    assert_org_urls_closed_to_outsiders(
        org_client,
        world,
        [
            ("GET", "/calling/directory-sync/"),
            ("POST", "/calling/directory-sync/"),
            ("GET", "/calling/provisioning-failures/"),
            ("GET", "/calling/provisioning-failures.csv"),
            ("GET", f"/calling/templates/{pk}/apply/"),
            ("POST", f"/calling/templates/{pk}/apply/"),
            ("POST", "/api/calling/directory-sync/"),
            ("GET", "/api/calling/provisioning-failures/"),
            ("GET", "/api/calling/provisioning-failures.csv"),
            ("GET", f"/api/calling/templates/{pk}/apply/"),
            ("POST", f"/api/calling/templates/{pk}/apply/"),
        ],
    )


def test_a_task_failing_on_an_unexpected_error_says_so_plainly_and_applies_nothing(
    org_client, world, calling_org, django_capture_on_commit_callbacks
):
    client = org_client(world.acme, world.ann)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/calling/templates/{calling_org.pk}/apply/", {}, "application/json"
        )
    with in_schema(world.acme):
        calling_org.delete()  # gone before the worker runs the task
    with pytest.raises(AutoLicenseTemplate.DoesNotExist):  # the worker records it failed too
        drain("run_template_apply")
    with in_schema(world.acme):
        job = OrgJob.objects.get(pk=response.json()["id"])
    assert job.status == JobStatus.FAILED
    assert job.failure.startswith("The task stopped on an unexpected error")
    assert "DoesNotExist" not in job.failure
