from __future__ import annotations

import pytest

from licensing.models import AutoLicenseTemplate, LicenseAssignment, OrgUser, Subscription
from licensing.services.users import create_user
from tests.conftest import in_schema
from tests.licensing.conftest import ACTOR, line

pytestmark = pytest.mark.django_db


@pytest.fixture
def pat(world):
    with in_schema(world.acme):
        return create_user(email="pat@acme.test", package_line=line("webex_meetings"), actor=ACTOR)


def _read_pages(pk: int, sub_pk: int) -> list[str]:
    return [
        "/overview/",
        "/users/",
        "/users/?q=pat&package=webex_meetings&status=invite_pending",
        f"/users/{pk}/",
        "/subscriptions/",
        "/templates/",
        "/groups/",
    ]


def test_every_page_renders_for_full_admin(org_client, world, pat):
    client = org_client(world.acme, world.ann)
    with in_schema(world.acme):
        sub = Subscription.objects.get()
    pages = _read_pages(pat.pk, sub.pk) + [
        "/users/add/",
        f"/users/{pat.pk}/edit/",
        f"/users/{pat.pk}/delete/",
        f"/users/{pat.pk}/package/",
        f"/users/{pat.pk}/licenses/",
        "/templates/new/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "pat@acme.test" in client.get("/users/").content.decode()


def test_add_users_page_shows_summary_of_processed_records(org_client, world):
    client = org_client(world.acme, world.uma)
    with in_schema(world.acme):
        package = line("webex_meetings")

    response = client.post(
        "/users/add/",
        {
            "mode": "names",
            "entries": "Kim, Lee, kim@acme.test\nbad line",
            "package_line": package.pk,
        },
    )

    assert response.status_code == 200
    assert "Line 2: write &#x27;first name, last name, email&#x27;" in response.content.decode()

    response = client.post(
        "/users/add/",
        {"mode": "emails", "entries": "kim@acme.test\nnope", "package_line": package.pk},
    )
    body = response.content.decode()
    assert "Processed records" in body
    assert "&#x27;nope&#x27; is not a valid e-mail address." in body
    with in_schema(world.acme):
        assert list(OrgUser.objects.values_list("email", flat=True)) == ["kim@acme.test"]


def test_add_users_page_refuses_26(org_client, world):
    client = org_client(world.acme, world.ann)
    entries = "\n".join(f"u{i}@acme.test" for i in range(26))

    response = client.post("/users/add/", {"mode": "emails", "entries": entries})

    assert "You can add at most 25 users at a time; this batch has 26." in response.content.decode()
    with in_schema(world.acme):
        assert not OrgUser.objects.exists()


def test_change_package_page_asks_confirmation_when_leaving_calling(org_client, world):
    with in_schema(world.acme):
        from calling.models import Location
        from licensing.services.calling_details import calling_details

        oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
        user = create_user(
            email="caller@acme.test",
            package_line=line("webex_calling"),
            calling=calling_details(location=oslo, extension="1234"),
            actor=ACTOR,
        )
        meetings = line("webex_meetings")
    client = org_client(world.acme, world.ann)

    response = client.post(f"/users/{user.pk}/package/", {"line": meetings.pk})

    assert response.status_code == 200
    assert "Remove calling from caller@acme.test?" in response.content.decode()
    with in_schema(world.acme):
        assert (
            LicenseAssignment.objects.get(user=user, kind="package").license_type == "webex_calling"
        )

    response = client.post(
        f"/users/{user.pk}/package/", {"line": meetings.pk, "confirm_calling_loss": "on"}
    )

    assert response.status_code == 302
    with in_schema(world.acme):
        assert (
            LicenseAssignment.objects.get(user=user, kind="package").license_type
            == "webex_meetings"
        )


def test_read_only_admin_cannot_write(org_client, world, pat):
    client = org_client(world.acme, world.rita)
    assert client.get("/users/").status_code == 200
    assert client.get(f"/users/{pat.pk}/").status_code == 200
    for url in ("/users/add/", f"/users/{pat.pk}/edit/", f"/users/{pat.pk}/delete/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/users/{pat.pk}/delete/").status_code == 403
    with in_schema(world.acme):
        assert OrgUser.objects.filter(pk=pat.pk).exists()


def test_user_admin_manages_users_but_not_subscriptions_or_templates(org_client, world, pat):
    client = org_client(world.acme, world.uma)
    with in_schema(world.acme):
        sub = Subscription.objects.get()

    assert client.post(f"/subscriptions/{sub.pk}/suspend/").status_code == 403
    assert client.get(f"/subscriptions/{sub.pk}/edit/").status_code == 403
    assert client.get("/templates/new/").status_code == 403
    assert client.post(f"/users/{pat.pk}/delete/").status_code == 302
    with in_schema(world.acme):
        assert not OrgUser.objects.filter(pk=pat.pk).exists()
        assert Subscription.objects.get().status == "active"
        assert not AutoLicenseTemplate.objects.exists()


def test_full_admin_creates_template_launched_partner_suspends_subscription(org_client, world):
    client = org_client(world.acme, world.ann)
    with in_schema(world.acme):
        sub = Subscription.objects.get()
        meetings = line("webex_meetings")

    response = client.post(
        "/templates/new/", {"name": "Everyone", "lines": [meetings.pk], "is_active": "on"}
    )
    assert response.status_code == 302
    launched = org_client(world.acme, world.alice, launched=True)  # subscriptions: partner's
    assert launched.post(f"/subscriptions/{sub.pk}/suspend/").status_code == 302
    with in_schema(world.acme):
        assert AutoLicenseTemplate.objects.get().lines.get() == meetings
        assert Subscription.objects.get().status == "suspended"


def test_full_admin_adds_group_user_admin_cannot(org_client, world):
    assert org_client(world.acme, world.uma).post("/groups/", {"name": "Ops"}).status_code == 403
    assert org_client(world.acme, world.ann).post("/groups/", {"name": "Ops"}).status_code == 302
    from licensing.models import Group

    with in_schema(world.acme):
        assert list(Group.objects.values_list("name", flat=True)) == ["Ops"]


def test_subscriptions_page_draws_the_usage_chart_from_the_public_history(org_client, world):
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from customers.usage import LineFigures, record_line_day

    today = timezone.localdate()
    for days_ago, used in ((10, 3), (0, 9)):
        record_line_day(
            customer=world.acme, day=today - dt.timedelta(days=days_ago),
            lines=[LineFigures("Sub-100234", "webex_calling", used=used, quantity=50)],
        )  # fmt: skip
    client = org_client(world.acme, world.rita)  # a read-only admin sees it too

    with CaptureQueriesContext(connection) as queries:
        html = client.get("/subscriptions/").content.decode()

    chart = html.split('id="usage-chart-caption"', 1)[1]
    assert "<svg" in chart and "Webex Calling · Sub-100234" in chart
    assert "<script" not in chart.split("</svg>")[0]
    history_reads = [q for q in queries.captured_queries if "customers_lineusageday" in q["sql"]]
    assert len(history_reads) == 1  # one read of the public history, no tenant scan
