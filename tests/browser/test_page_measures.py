"""Browser: the pages measured as issue #11 asks — compact customer rows with many
customers, a header that fits from 1,024 px, no serious or critical accessibility
violations (axe-core), and the API docs (Swagger UI and Redoc) working with the network
cut off.

The extra customers are rows of the public schema only (no schemas): the customer
list reads the public summary and never opens an org, so that is all it needs.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.utils import timezone

from customers.models import Customer, CustomerSummary, CustomerUsage, Domain
from licensing.models import OrgUser
from licensing.services.users import create_user
from partnerhub.audit.services import Actor
from partnerhub.jobs.models import JobStatus, OrgJob
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

ROW_HEIGHT_LIMIT = 64
SERIOUS = {"serious", "critical"}


@pytest.fixture
def sixty_customers(world, django_db_blocker):  # type: ignore[no-untyped-def]
    """Northwind gets 58 more customers (60 with Acme and Globex), committed."""
    with django_db_blocker.unblock():
        customers = Customer.objects.bulk_create(
            Customer(
                schema_name=f"org_many{i}", name=f"Many Customer {i:02} of a rather long name",
                slug=f"many{i}", partner=world.northwind, admin_email=f"admin@many{i}.test",
                packages=["webex_calling", "webex_meetings"],
                status="trial" if i % 7 == 0 else "active",
                expires_on=timezone.localdate() if i % 5 == 0 else None,
            )
            for i in range(58)
        )  # fmt: skip
        Domain.objects.bulk_create(
            Domain(domain=f"{c.slug}.localhost", tenant=c) for c in customers
        )
        CustomerSummary.objects.bulk_create(
            CustomerSummary(customer=c, user_count=40) for c in customers
        )
        CustomerUsage.objects.bulk_create(
            CustomerUsage(customer=c, service=service, used=used, bought=50)
            for c in customers
            for service, used in (
                ("webex_calling", 30),
                ("webex_meetings", 45),
                ("webex_suite", 12),
                ("basic_messaging", 51),
                ("basic_space_meetings", 20),
                ("call_on_webex", 20),
                ("cc_standard", 2),
            )
        )
    yield customers
    with django_db_blocker.unblock():
        ids = [c.pk for c in customers]
        CustomerUsage.objects.filter(customer_id__in=ids).delete()
        CustomerSummary.objects.filter(customer_id__in=ids).delete()
        Domain.objects.filter(tenant_id__in=ids).delete()
        Customer.objects.filter(pk__in=ids).delete()


@pytest.fixture
def acme_user_and_task(world, django_db_blocker):  # type: ignore[no-untyped-def]
    """A committed user and a finished task in Acme, removed afterwards."""
    with django_db_blocker.unblock():
        connection.set_tenant(world.acme)
        user = create_user(
            email="measured@acme.test", first_name="Mea", last_name="Sured",
            actor=Actor.system("browser test"),
        )  # fmt: skip
        job = OrgJob.objects.create(
            kind="user_csv", status=JobStatus.DONE, file_name="users.csv", rows_total=3,
            rows_done=3, counts={"created": 3}, finished_at=timezone.now(),
        )  # fmt: skip
        connection.set_schema_to_public()
    yield user, job
    with django_db_blocker.unblock():
        from customers import usage

        connection.set_tenant(world.acme)
        OrgJob.objects.filter(pk=job.pk).delete()
        OrgUser.objects.filter(pk=user.pk).delete()
        usage.release_user_emails(customer=world.acme, emails=["measured@acme.test"])
        connection.set_schema_to_public()


def row_heights(page) -> list[float]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(
        "tr[data-customer]", "rows => rows.map(r => r.getBoundingClientRect().height)"
    )


def test_every_customer_row_is_compact_with_sixty_customers(page, live_url, sixty_customers):
    partner = live_url.format(host="localhost")
    page.set_viewport_size({"width": 1400, "height": 900})
    sign_in(page, partner, "alice@northwind.test", PASSWORD)
    page.goto(partner + "/partner/customers/?per_page=100")
    heights = row_heights(page)
    assert len(heights) == 60
    print(f"\ncustomer rows at 1,400 px: tallest {max(heights):.0f} px")
    assert max(heights) <= ROW_HEIGHT_LIMIT


@pytest.mark.parametrize("host", ["localhost", "acme.localhost"])
def test_header_stays_on_one_line_at_1024_px(page, live_url, host):
    base = live_url.format(host=host)
    page.set_viewport_size({"width": 1024, "height": 800})
    sign_in(
        page, base, "alice@northwind.test" if host == "localhost" else "ann@acme.test", PASSWORD
    )
    page.wait_for_load_state()
    header = page.locator("header").first.bounding_box()
    sign_out = page.get_by_role("button", name="Sign out").bounding_box()
    print(f"\nheader at 1,024 px on {host}: {header['height']:.0f} px high")
    assert header["height"] <= 64
    assert sign_out["x"] + sign_out["width"] <= 1024


def serious_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {len(v['nodes'])} node(s), e.g. {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def report(found: dict[str, list[str]]) -> None:
    """Print the counts for the issue's note (``pytest -s``)."""
    for path, violations in found.items():
        print(f"\naxe serious/critical on {path}: {len(violations)}")


def test_no_serious_accessibility_violations_on_sign_in(page, live_url):
    page.goto(live_url.format(host="localhost") + "/login/")
    found = {"/login/": serious_violations(page)}
    report(found)
    assert found == {"/login/": []}


def test_no_serious_accessibility_violations_on_partner_pages(page, live_url, world):
    partner = live_url.format(host="localhost")
    sign_in(page, partner, "alice@northwind.test", PASSWORD)
    page.wait_for_url(partner + "/partner/")
    found = {}
    for path in (
        "/partner/customers/",
        f"/partner/customers/{world.acme.pk}/",
        "/partner/audit/",
        "/partner/customers/new/",  # the country select and the subscription rows
    ):
        page.goto(partner + path)
        found[path] = serious_violations(page)
    report(found)
    assert found == {path: [] for path in found}


def test_no_serious_accessibility_violations_on_org_pages(page, live_url, acme_user_and_task):
    user, job = acme_user_and_task
    org = live_url.format(host="acme.localhost")
    sign_in(page, org, "ann@acme.test", PASSWORD)
    page.wait_for_load_state()
    found = {}
    for path in (
        "/users/",
        f"/users/{user.pk}/",
        "/tasks/",
        f"/tasks/{job.pk}/",
        "/audit/",
        "/subscriptions/",
        "/calling/locations/new/",  # country and time-zone selects
        f"/users/{user.pk}/package/",  # the free-number picker
    ):
        page.goto(org + path)
        found[path] = serious_violations(page)
    report(found)
    assert found == {path: [] for path in found}


def _offline_partner_session(page, live_url) -> str:  # type: ignore[no-untyped-def]
    """Alice signed in on the partner host, every other site cut off; its URL."""
    partner = live_url.format(host="localhost")
    own = urlsplit(partner).netloc

    def only_the_test_server(route):  # type: ignore[no-untyped-def]
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            route.abort()

    page.route("**/*", only_the_test_server)
    sign_in(page, partner, "alice@northwind.test", PASSWORD)
    return partner


def test_api_docs_render_their_operations_offline(page, live_url):
    partner = _offline_partner_session(page, live_url)
    page.wait_for_url(partner + "/partner/")
    page.goto(partner + "/api/docs/")
    page.wait_for_selector(".opblock", timeout=15_000)
    assert page.locator(".opblock").count() > 0


def test_redoc_renders_the_api_reference_offline_within_the_content_security_policy(page, live_url):
    partner = _offline_partner_session(page, live_url)
    page.wait_for_url(partner + "/partner/")
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(partner + "/api/redoc/")
    page.wait_for_selector("[data-section-id^='tag/']", timeout=15_000)
    assert "Something went wrong" not in page.inner_text("body")
    assert [text for text in refused if "cdn.redoc.ly" not in text] == []  # its footer logo
