"""Workspace pages, API and CSV task; tenant boundaries (issue #4 item 6)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from calling.models import Location, PhoneNumber, Workspace
from calling.workspaces import services as ws
from licensing.jobs import LicensingJob
from partnerhub.jobs import services as jobs
from partnerhub.jobs.models import JobStatus, OrgJob
from tests.boundaries import assert_org_urls_closed_to_outsiders
from tests.calling.conftest import ACTOR
from tests.calling.test_workspaces import calling_state, held_line
from tests.calling.test_workspaces_csv import MAIN, OTHER, csv_of, row
from tests.conftest import in_schema
from tests.jobs.queue import drain_queue
from tests.licensing.conftest import line, second_subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):  # type: ignore[no-untyped-def]
    """Acme: Oslo with two numbers, Bergen with one, the Lobby workspace on Sub-100234."""
    with in_schema(world.acme):
        oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
        bergen = Location.objects.create(name="Bergen", country="NO")
        for e164 in ("+4722000001", "+4722000002"):
            PhoneNumber.objects.create(e164=e164, location=oslo)
        PhoneNumber.objects.create(e164="+4755000001", location=bergen)
        lobby = ws.create_workspace(
            name="Lobby", location=oslo, actor=ACTOR, line=line("workspace_calling"),
            number="+4722000001", extension="100",
        )  # fmt: skip
        ws.create_workspace(name="Bergen room", location=bergen, actor=ACTOR)
        new_line = second_subscription({"workspace_calling": 10}).lines.get()
    return {"oslo": oslo, "bergen": bergen, "lobby": lobby, "new_line": new_line}


def drain_workspace_queue() -> None:
    """Run the queued workspace-CSV jobs here, as the worker would (see
    tests/jobs/queue.py for why)."""
    drain_queue()


# --- API -----------------------------------------------------------------------------


def test_api_lists_with_search_and_location_filter(org_client, world, setup):
    client = org_client(world.acme, world.rita)
    everything = client.get("/api/calling/workspaces/").json()
    assert [w["name"] for w in everything["results"]] == ["Bergen room", "Lobby"]
    lobby = everything["results"][1]
    assert (lobby["number"], lobby["extension"], lobby["subscription"]) == (
        "+4722000001", "100", "Sub-100234",
    )  # fmt: skip
    found = client.get("/api/calling/workspaces/?search=2200000").json()["results"]
    assert [w["name"] for w in found] == ["Lobby"]
    in_bergen = client.get(f"/api/calling/workspaces/?location={setup['bergen'].pk}").json()
    assert [w["name"] for w in in_bergen["results"]] == ["Bergen room"]


def test_api_list_query_count_does_not_grow_with_workspaces(
    org_client, world, setup, django_assert_max_num_queries
):
    with in_schema(world.acme):
        for i in range(10):
            ws.create_workspace(
                name=f"Room {i}", location=setup["oslo"], actor=ACTOR,
                line=setup["new_line"] if i % 2 else None, extension=f"2{i}" if i % 2 else "",
            )  # fmt: skip
    client = org_client(world.acme, world.ann)
    with django_assert_max_num_queries(20):
        response = client.get("/api/calling/workspaces/")
    assert response.json()["count"] == 12


def test_api_creates_a_workspace_with_calling(org_client, world, setup):
    response = org_client(world.acme, world.ann).post(
        "/api/calling/workspaces/",
        {"name": "Kitchen", "location": setup["oslo"].pk, "line": line_id(world),
         "number": "+4722000002"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["number"] == "+4722000002"


def line_id(world) -> int:  # type: ignore[no-untyped-def]
    with in_schema(world.acme):
        return line("workspace_calling").pk


def test_api_refuses_a_taken_number_with_a_conflict_and_changes_nothing(org_client, world, setup):
    response = org_client(world.acme, world.ann).post(
        "/api/calling/workspaces/",
        {"name": "Kitchen", "location": setup["oslo"].pk, "line": line_id(world),
         "number": "+4722000001"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 409
    assert response.json()["code"] == "number_already_assigned"
    with in_schema(world.acme):
        assert not Workspace.objects.filter(name="Kitchen").exists()


def test_api_edits_name_and_number(org_client, world, setup):
    pk = setup["lobby"].pk
    response = org_client(world.acme, world.ann).patch(
        f"/api/calling/workspaces/{pk}/",
        {"name": "Front desk", "number": "+4722000002"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Front desk"
    assert response.json()["number"] == "+4722000002"
    assert response.json()["extension"] == "100"


def test_api_license_move_keeps_calling_data(org_client, world, setup):
    with in_schema(world.acme):
        before = calling_state(setup["lobby"])
    response = org_client(world.acme, world.ann).put(
        f"/api/calling/workspaces/{setup['lobby'].pk}/license/",
        {"line": setup["new_line"].pk},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["subscription"] == "Sub-100999"
    with in_schema(world.acme):
        assert calling_state(setup["lobby"]) == before


def test_api_license_none_needs_confirmation(org_client, world, setup):
    client = org_client(world.acme, world.ann)
    url = f"/api/calling/workspaces/{setup['lobby'].pk}/license/"
    refused = client.put(url, {"line": None}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "calling_loss_not_confirmed"
    assert "Phone number +4722000001 (released)" in refused.json()["lost"]
    done = client.put(
        url, {"line": None, "confirm_calling_loss": True}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["subscription"] is None


def test_api_delete_needs_confirm(org_client, world, setup):
    client = org_client(world.acme, world.ann)
    url = f"/api/calling/workspaces/{setup['lobby'].pk}/"
    refused = client.delete(url)
    assert refused.status_code == 400
    assert refused.json()["code"] == "workspace_deletion_not_confirmed"
    assert client.delete(url + "?confirm=true").status_code == 204
    with in_schema(world.acme):
        assert not Workspace.objects.filter(name="Lobby").exists()


def test_read_only_admin_cannot_change_workspaces(org_client, world, setup):
    client = org_client(world.acme, world.rita)
    url = f"/api/calling/workspaces/{setup['lobby'].pk}/"
    assert client.delete(url + "?confirm=true").status_code == 403
    assert client.get("/calling/workspaces/new/").status_code == 403
    with in_schema(world.acme):
        assert Workspace.objects.filter(name="Lobby").exists()


# --- CSV as a task ---------------------------------------------------------------------


def upload(client, content: bytes, url: str = "/calling/workspaces/csv/", **fields):  # type: ignore[no-untyped-def]
    file = SimpleUploadedFile("workspaces.csv", content, content_type="text/csv")
    return client.post(url, {"file": file, "mode": "add-remove", **fields})


def test_csv_upload_becomes_a_task_listed_on_the_tasks_page(
    org_client, world, setup, django_capture_on_commit_callbacks
):
    client = org_client(world.acme, world.ann)
    content = csv_of([row("Lobby", **{MAIN: "FALSE", OTHER: "TRUE"})])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, content)
    assert response.status_code == 302
    drain_workspace_queue()
    with in_schema(world.acme):
        job = OrgJob.objects.get()
        assert (job.kind, job.status) == ("workspace_csv", JobStatus.DONE)
        assert job.counts["moved"] == 1
        assert held_line(setup["lobby"]) == "Sub-100999"
    assert "Workspaces CSV import" in client.get("/tasks/").content.decode()
    assert 'data-count="moved">1<' in client.get(f"/tasks/{job.pk}/").content.decode()


def test_csv_task_with_row_errors_fails_with_an_error_report_and_applies_nothing(
    org_client, world, setup, django_capture_on_commit_callbacks
):
    client = org_client(world.acme, world.ann)
    content = csv_of([row("Kitchen", Phone_Number="+4722000002", Extension="7", **{OTHER: ""}),
                      row("Lobby", **{MAIN: "FALSE", OTHER: "TRUE"})])  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, content)
    drain_workspace_queue()
    with in_schema(world.acme):
        job = OrgJob.objects.get()
        assert job.status == JobStatus.FAILED
        assert held_line(setup["lobby"]) == "Sub-100234"
        assert not Workspace.objects.filter(name="Kitchen").exists()
    report = client.get(f"/tasks/{job.pk}/errors.csv").content.decode("utf-8-sig")
    assert "Extension: '7' is not an extension: use 2 to 10 digits." in report


def test_csv_dry_run_task_lists_changes(
    org_client, world, setup, django_capture_on_commit_callbacks
):
    client = org_client(world.acme, world.ann)
    with django_capture_on_commit_callbacks(execute=True):
        upload(
            client, csv_of([row("Lobby", **{MAIN: "FALSE"})]), dry_run="on",
            confirm_calling_loss="on",
        )  # fmt: skip
    drain_workspace_queue()
    with in_schema(world.acme):
        job = OrgJob.objects.get()
        assert {"change": "row 2: Lobby would be left without calling"} in job.messages
        assert held_line(setup["lobby"]) == "Sub-100234"


def test_only_one_csv_task_per_org_whatever_its_kind(org_client, world, setup):
    with in_schema(world.acme):
        jobs.start_job(kind=LicensingJob.USER_CSV, actor=ACTOR, file_name="users.csv")
    client = org_client(world.acme, world.ann)
    page = upload(client, csv_of([row("Kitchen", Phone_Number="+4722000002")]))
    assert page.status_code == 200
    assert "still running" in page.content.decode()
    api = upload(client, csv_of([row("Kitchen")]), url="/api/calling/workspaces/csv/")
    assert api.status_code == 409 and api.json()["code"] == "csv_task_running"
    with in_schema(world.acme):
        assert OrgJob.objects.count() == 1


def test_api_csv_upload_starts_a_task(org_client, world, setup, django_capture_on_commit_callbacks):
    client = org_client(world.acme, world.ann)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            client, csv_of([row("Kitchen", Phone_Number="+4722000002", Extension="200")]),
            url="/api/calling/workspaces/csv/",
        )  # fmt: skip
    assert response.status_code == 202, response.content
    drain_workspace_queue()
    detail = client.get(f"/api/tasks/{response.json()['id']}/").json()
    assert detail["status"] == "done" and detail["counts"]["created"] == 1


def test_csv_export_page_and_api_show_only_this_orgs_workspaces(org_client, world, setup):
    with in_schema(world.initech):
        initech_oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
        ws.create_workspace(name="Initech lab", location=initech_oslo, actor=ACTOR)
    acme = org_client(world.acme, world.ann)
    for url in ("/calling/workspaces/csv/export/", "/api/calling/workspaces/csv/"):
        text = acme.get(url).content.decode()
        assert "Lobby" in text and "Initech lab" not in text
    initech = org_client(world.initech, world.ian).get("/calling/workspaces/csv/export/")
    assert "Lobby" not in initech.content.decode()
    assert "Initech lab" in initech.content.decode()


# --- pages ---------------------------------------------------------------------------


def test_list_page_searches_filters_and_links(org_client, world, setup):
    client = org_client(world.acme, world.rita)
    page = client.get("/calling/workspaces/").content.decode()
    assert 'data-workspace="Lobby"' in page and 'data-workspace="Bergen room"' in page
    searched = client.get("/calling/workspaces/?q=lob").content.decode()
    assert 'data-workspace="Lobby"' in searched and "Bergen room" not in searched
    filtered = client.get(f"/calling/workspaces/?location={setup['bergen'].pk}").content.decode()
    assert 'data-workspace="Bergen room"' in filtered and 'data-workspace="Lobby"' not in filtered
    assert "/calling/workspaces/" in client.get("/users/").content.decode()  # nav link


def test_list_page_paginates(org_client, world, setup):
    with in_schema(world.acme):
        for i in range(55):
            ws.create_workspace(name=f"Room {i:02d}", location=setup["oslo"], actor=ACTOR)
    client = org_client(world.acme, world.ann)
    assert "Page 1 of 2" in client.get("/calling/workspaces/").content.decode()
    assert "Room 54" in client.get("/calling/workspaces/?page=2").content.decode()


def test_create_page_creates_and_shows_errors_in_place(org_client, world, setup):
    client = org_client(world.acme, world.ann)
    data = {"name": "Kitchen", "location": setup["oslo"].pk, "line": line_id(world),
            "number": "+4722000001", "extension": ""}  # fmt: skip
    refused = client.post("/calling/workspaces/new/", data)
    assert refused.status_code == 200
    assert "is already assigned: choose a free number." in refused.content.decode()
    created = client.post("/calling/workspaces/new/", data | {"number": "+4722000002"})
    assert created.status_code == 302
    with in_schema(world.acme):
        assert held_line(Workspace.objects.get(name="Kitchen")) == "Sub-100234"


def test_detail_page_edits_number_and_extension(org_client, world, setup):
    client = org_client(world.acme, world.ann)
    url = f"/calling/workspaces/{setup['lobby'].pk}/"
    assert "Sub-100234" in client.get(url).content.decode()
    response = client.post(
        url, {"name": "Lobby", "location": setup["oslo"].pk, "number": "", "extension": "150"}
    )
    assert response.status_code == 302
    with in_schema(world.acme):
        assert calling_state(setup["lobby"])[0]["extension"] == "150"
        assert calling_state(setup["lobby"])[1] == []


def test_edit_licenses_page_moves_keeping_calling_data(org_client, world, setup):
    client = org_client(world.acme, world.ann)
    with in_schema(world.acme):
        before = calling_state(setup["lobby"])
    url = f"/calling/workspaces/{setup['lobby'].pk}/licenses/"
    assert "Sub-100999" in client.get(url).content.decode()
    assert client.post(url, {"line": setup["new_line"].pk}).status_code == 302
    with in_schema(world.acme):
        assert held_line(setup["lobby"]) == "Sub-100999"
        assert calling_state(setup["lobby"]) == before


def test_edit_licenses_page_confirms_before_removing_calling(org_client, world, setup):
    client = org_client(world.acme, world.ann)
    url = f"/calling/workspaces/{setup['lobby'].pk}/licenses/"
    preview = client.post(url, {"line": ""})
    assert preview.status_code == 200
    assert "Phone number +4722000001 (released)" in preview.content.decode()
    with in_schema(world.acme):
        assert held_line(setup["lobby"]) == "Sub-100234"
    assert client.post(url, {"line": "", "confirm_calling_loss": "on"}).status_code == 302
    with in_schema(world.acme):
        assert held_line(setup["lobby"]) is None


def test_restore_calling_from_the_page_and_the_api(org_client, world, setup):
    client = org_client(world.acme, world.ann)
    pk = setup["lobby"].pk
    with in_schema(world.acme):
        ws.remove_workspace_calling(workspace=setup["lobby"], actor=ACTOR, confirm=True)
    assert 'id="restore-calling"' in client.get(f"/calling/workspaces/{pk}/").content.decode()
    page = client.post(f"/calling/workspaces/{pk}/restore/", {"line": setup["new_line"].pk})
    assert "Phone number +4722000001" in page.content.decode()
    with in_schema(world.acme):
        assert held_line(setup["lobby"]) == "Sub-100999"
        ws.remove_workspace_calling(workspace=setup["lobby"], actor=ACTOR, confirm=True)
    answer = client.post(
        f"/api/calling/workspaces/{pk}/restore/", {"line": setup["new_line"].pk},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 200, answer.content
    assert answer.json()["workspace"]["number"] == "+4722000001"
    assert answer.json()["not_restored"] == []


def test_delete_page_previews_then_deletes_on_confirmation(org_client, world, setup):
    client = org_client(world.acme, world.ann)
    url = f"/calling/workspaces/{setup['lobby'].pk}/delete/"
    preview = client.get(url).content.decode()
    assert "Workspace Lobby in location Oslo" in preview
    assert "Extension 100" in preview
    assert client.post(url).status_code == 200  # no confirmation: the preview again
    with in_schema(world.acme):
        assert Workspace.objects.filter(name="Lobby").exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    with in_schema(world.acme):
        assert not Workspace.objects.filter(name="Lobby").exists()


def test_admin_lists_workspaces_and_deletes_through_the_service(org_client, world, setup):
    client = org_client(world.acme, world.staff)
    listing = client.get("/admin/calling/workspace/")
    assert listing.status_code == 200 and "Lobby" in listing.content.decode()
    response = client.post(f"/admin/calling/workspace/{setup['lobby'].pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    with in_schema(world.acme):
        from calling.models import CallingSnapshot

        assert CallingSnapshot.objects.filter(holder="Lobby", reason="workspace_deleted").exists()


# --- boundaries ----------------------------------------------------------------------


def test_workspace_pages_and_api_are_closed_to_outsiders(org_client, world, setup):
    pk = setup["lobby"].pk
    assert_org_urls_closed_to_outsiders(
        org_client,
        world,
        [
            ("GET", "/calling/workspaces/"),
            ("GET", "/calling/workspaces/new/"),
            ("POST", "/calling/workspaces/new/"),
            ("GET", "/calling/workspaces/csv/"),
            ("POST", "/calling/workspaces/csv/"),
            ("GET", "/calling/workspaces/csv/export/"),
            ("GET", f"/calling/workspaces/{pk}/"),
            ("POST", f"/calling/workspaces/{pk}/"),
            ("GET", f"/calling/workspaces/{pk}/licenses/"),
            ("POST", f"/calling/workspaces/{pk}/licenses/"),
            ("GET", f"/calling/workspaces/{pk}/delete/"),
            ("POST", f"/calling/workspaces/{pk}/delete/"),
            ("GET", "/api/calling/workspaces/"),
            ("POST", "/api/calling/workspaces/"),
            ("GET", "/api/calling/workspaces/csv/"),
            ("POST", "/api/calling/workspaces/csv/"),
            ("GET", f"/api/calling/workspaces/{pk}/"),
            ("PATCH", f"/api/calling/workspaces/{pk}/"),
            ("DELETE", f"/api/calling/workspaces/{pk}/"),
            ("DELETE", f"/api/calling/workspaces/{pk}/?confirm=true"),
            ("PUT", f"/api/calling/workspaces/{pk}/license/"),
            ("POST", f"/api/calling/workspaces/{pk}/restore/"),
            ("POST", f"/calling/workspaces/{pk}/restore/"),
        ],
    )
    with in_schema(world.acme):
        assert held_line(Workspace.objects.get(pk=pk)) == "Sub-100234"


def test_another_orgs_workspace_id_is_not_found_here(org_client, world, setup):
    client = org_client(world.initech, world.ian)
    pk = setup["lobby"].pk
    assert client.get(f"/calling/workspaces/{pk}/").status_code == 404
    assert client.get(f"/api/calling/workspaces/{pk}/").status_code == 404
    assert client.delete(f"/api/calling/workspaces/{pk}/?confirm=true").status_code == 404
    assert client.get("/api/calling/workspaces/").json()["results"] == []
