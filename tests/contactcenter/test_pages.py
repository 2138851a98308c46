"""Contact-center pages and API (SPEC §7): what a customer admin clicks and calls."""

from __future__ import annotations

import pytest

from contactcenter import services
from contactcenter.models import Agent, SyncRun, SyncStatus
from licensing import catalogue
from licensing.models import OrgUser
from tests.conftest import in_schema

PREMIUM, STANDARD = catalogue.CC_PREMIUM, catalogue.CC_STANDARD


@pytest.fixture
def agent_user(world, actor):  # type: ignore[no-untyped-def]
    with in_schema(world.acme):
        user = OrgUser.objects.create(email="page@acme.test")
        services.set_contact_center(user=user, license_type=PREMIUM, actor=actor)
        other = OrgUser.objects.create(email="bad@acme.test")
        services.set_contact_center(user=other, license_type=STANDARD, actor=actor)
        Agent.objects.filter(user=other).update(sync_status="invalid", sync_error="Boom")
    return user


def test_users_page_shows_sync_status_and_filters_by_it(org_client, world, agent_user) -> None:
    client = org_client(world.acme, world.ann)
    page = client.get("/contact-center/").content.decode()
    assert "page@acme.test" in page and "bad@acme.test" in page
    assert 'data-sync-status="invalid"' in page and "Boom" in page
    invalid_only = client.get("/contact-center/?sync_status=invalid").content.decode()
    assert "bad@acme.test" in invalid_only and "page@acme.test" not in invalid_only


def test_user_page_sets_license_and_role(org_client, world, agent_user) -> None:
    client = org_client(world.acme, world.uma)
    response = client.post(
        f"/contact-center/users/{agent_user.pk}/",
        {"license_type": PREMIUM, "role": "supervisor"},
    )
    assert response.status_code == 302
    with in_schema(world.acme):
        assert Agent.objects.get(user=agent_user).role == "supervisor"


def test_user_page_shows_domain_errors_in_place(org_client, world, agent_user, actor) -> None:
    with in_schema(world.acme):
        for i in range(4):  # Premium line: 5 of 5 used
            user = OrgUser.objects.create(email=f"full{i}@acme.test")
            services.set_contact_center(user=user, license_type=PREMIUM, actor=actor)
        standard = OrgUser.objects.get(email="bad@acme.test")
    client = org_client(world.acme, world.ann)
    response = client.post(
        f"/contact-center/users/{standard.pk}/", {"license_type": PREMIUM, "role": "agent"}
    )
    assert response.status_code == 200
    assert (
        "No Webex Contact Center Premium licenses left on Sub-100234: 5 of 5 used."
        in response.content.decode()
    )
    with in_schema(world.acme):
        assert Agent.objects.get(user=standard).license_type == STANDARD


def test_grant_admin_rights_on_the_user_page(org_client, world, agent_user) -> None:
    client = org_client(world.acme, world.ann)
    client.post(f"/contact-center/users/{agent_user.pk}/admin-rights/", {"rights": "full"})
    with in_schema(world.acme):
        assert Agent.objects.get(user=agent_user).is_admin
    client.post(f"/contact-center/users/{agent_user.pk}/admin-rights/", {"rights": "none"})
    with in_schema(world.acme):
        assert not Agent.objects.get(user=agent_user).is_admin


def test_admin_rights_for_a_standard_agent_show_the_error(org_client, world, agent_user) -> None:
    with in_schema(world.acme):
        standard = OrgUser.objects.get(email="bad@acme.test")
    client = org_client(world.acme, world.ann)
    response = client.post(
        f"/contact-center/users/{standard.pk}/admin-rights/", {"rights": "full"}, follow=True
    )
    assert "has no Premium Agent license" in response.content.decode()
    with in_schema(world.acme):
        assert not Agent.objects.get(user=standard).is_admin


def test_read_only_admin_sees_but_cannot_change(org_client, world, agent_user) -> None:
    client = org_client(world.acme, world.rita)
    assert client.get(f"/contact-center/users/{agent_user.pk}/").status_code == 200
    response = client.post(f"/contact-center/users/{agent_user.pk}/", {"license_type": ""})
    assert response.status_code == 403
    assert client.post("/contact-center/settings/").status_code == 403
    with in_schema(world.acme):
        assert Agent.objects.filter(user=agent_user).exists()
        assert not SyncRun.objects.exists()


def test_synchronize_users_page_starts_one_run(org_client, world, agent_user) -> None:
    client = org_client(world.acme, world.ann)
    response = client.post("/contact-center/settings/")
    with in_schema(world.acme):
        run = SyncRun.objects.get()
    assert response.url == f"/contact-center/sync-runs/{run.pk}/"
    assert run.rows_total == 2
    page = client.get(response.url).content.decode()
    assert 'data-status="queued"' in page and 'http-equiv="refresh"' in page
    again = client.post("/contact-center/settings/", follow=True)
    assert "already running" in again.content.decode()


def test_api_sets_contact_center_and_admin_rights(org_client, world, agent_user) -> None:
    client = org_client(world.acme, world.ann)
    url = f"/api/contact-center/users/{agent_user.pk}/"
    response = client.put(
        url, {"license_type": STANDARD, "role": "agent"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["agent"]["license_type"] == STANDARD
    response = client.post(url + "admin-rights/")
    assert response.status_code == 409
    assert response.json()["code"] == "admin_rights_need_premium"
    client.put(url, {"license_type": PREMIUM}, content_type="application/json")
    assert client.post(url + "admin-rights/").json()["is_admin"] is True
    assert client.delete(url + "admin-rights/").json()["is_admin"] is False
    response = client.put(url, {"license_type": None}, content_type="application/json")
    assert response.json()["agent"] is None


def test_api_lists_agents_filtered_by_sync_status(org_client, world, agent_user) -> None:
    client = org_client(world.acme, world.rita)
    response = client.get("/api/contact-center/agents/?sync_status=invalid")
    assert [a["email"] for a in response.json()["results"]] == ["bad@acme.test"]


def test_api_synchronize_users_answers_202_then_409(org_client, world, agent_user) -> None:
    client = org_client(world.acme, world.ann)
    response = client.post("/api/contact-center/synchronize/")
    assert response.status_code == 202
    run_id = response.json()["id"]
    assert client.get(f"/api/contact-center/sync-runs/{run_id}/").json()["status"] == "queued"
    again = client.post("/api/contact-center/synchronize/")
    assert (again.status_code, again.json()["code"]) == (409, "sync_already_running")


def test_api_agent_template_round_trip(org_client, world, agent_user) -> None:
    with in_schema(world.acme):
        Agent.objects.filter(user=agent_user).update(sync_status=SyncStatus.SYNCED)
    client = org_client(world.acme, world.ann)
    exported = client.get("/api/contact-center/agent-template/").content.decode("utf-8-sig")
    assert exported.splitlines()[1] == "page@acme.test,,,,"
    from django.core.files.uploadedfile import SimpleUploadedFile

    edited = exported.replace("page@acme.test,,,,", "page@acme.test,Blue,Oslo,,")
    upload = SimpleUploadedFile("t.csv", edited.encode(), content_type="text/csv")
    response = client.post("/api/contact-center/agent-template/", {"file": upload})
    assert response.status_code == 200 and response.json()["updated"] == 1
    bad = SimpleUploadedFile(
        "t.csv", b"Agent Email,Team,Site,Skill Profile,Agent Profile\nbad@acme.test,X,,,\n"
    )
    response = client.post("/api/contact-center/agent-template/", {"file": bad})
    assert response.status_code == 400
    assert "not synced yet" in response.json()["row_errors"][0]["error"]


def test_agent_template_page_upload_shows_row_errors(org_client, world, agent_user) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = org_client(world.acme, world.ann)
    bad = SimpleUploadedFile(
        "t.csv", b"Agent Email,Team,Site,Skill Profile,Agent Profile\nbad@acme.test,X,,,\n"
    )
    response = client.post("/contact-center/agent-template/", {"file": bad}, follow=True)
    page = response.content.decode()
    assert "Nothing applied" in page and "not synced yet" in page
    report_url = response.redirect_chain[-1][0] + "errors.csv"
    assert "Errors" in client.get(report_url).content.decode()


def test_every_page_renders_for_a_read_only_admin(org_client, world, agent_user, actor) -> None:
    with in_schema(world.acme):
        run = services.synchronize_users(actor=actor)
        from contactcenter.services.agent_template import upload_agent_template

        upload = upload_agent_template(content=b"x", actor=actor)
    client = org_client(world.acme, world.rita)
    for url in [
        "/contact-center/",
        f"/contact-center/users/{agent_user.pk}/",
        "/contact-center/settings/",
        f"/contact-center/sync-runs/{run.pk}/",
        "/contact-center/agent-template/",
        "/contact-center/agent-template/export/",
        f"/contact-center/agent-template/uploads/{upload.pk}/",
    ]:
        assert client.get(url).status_code == 200, url
    settings_page = client.get("/contact-center/settings/").content.decode()
    assert "Synchronize users" in settings_page and 'id="synchronize-users"' not in settings_page
