"""The partner's customer list for thousands, its customer page, alerts and audit
log (issue #11; SPEC §2, §8)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from customers import selectors
from customers.models import Customer, CustomerUsage, LineUsageDay
from customers.usage import LineFigures, record_line_day, record_usage
from partnerhub.audit.models import AuditEntry
from tests.boundaries import assert_partner_urls_closed_to_other_partners

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [row["customer"].slug for row in response.context["rows"]]


def csv_rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


# --- the list ----------------------------------------------------------------------


def test_row_shows_one_utilisation_figure_of_the_fullest_line(partner_client, world):
    record_usage(
        customer=world.acme, user_count=3,
        services={"webex_calling": (46, 50), "webex_meetings": (10, 50)},
    )  # fmt: skip
    row = partner_client(world.alice).get("/partner/customers/?q=acme").context["rows"][0]
    assert (row["fullest"].service, row["fullest"].percent, row["fullest"].tone) == (
        "webex_calling", 92, "full",
    )  # fmt: skip


def test_overage_is_the_fullest_line_and_flagged(partner_client, world):
    record_usage(customer=world.acme, user_count=3, services={"webex_calling": (51, 50)})
    row = partner_client(world.alice).get("/partner/customers/?q=acme").context["rows"][0]
    assert row["fullest"].tone == "over"
    assert "license_overage" in row["flags"]


@pytest.mark.parametrize("sort", ["utilisation", "-utilisation"])
def test_orgs_without_usage_sort_last_either_way(partner_client, world, sort):
    record_usage(customer=world.acme, user_count=3, services={"webex_calling": (1, 50)})
    CustomerUsage.objects.filter(customer=world.globex).delete()
    assert slugs(partner_client(world.alice).get(f"/partner/customers/?sort={sort}")) == [
        "acme", "globex",
    ]  # fmt: skip


@pytest.mark.parametrize("column", ["name", "status", "users", "utilisation", "flags", "created"])
def test_every_column_sorts_both_ways(partner_client, world, column):
    client = partner_client(world.alice)
    for sort in (column, f"-{column}"):
        response = client.get(f"/partner/customers/?sort={sort}")
        assert response.status_code == 200
        assert sorted(slugs(response)) == ["acme", "globex"]


def test_unknown_sort_falls_back_to_name(partner_client, world):
    assert slugs(partner_client(world.alice).get("/partner/customers/?sort=secret")) == [
        "acme", "globex",
    ]  # fmt: skip


def test_sort_links_keep_the_filters_and_go_back_to_page_one(partner_client, world):
    body = partner_client(world.alice).get("/partner/customers/?q=ac&status=active&page=1")
    html = body.content.decode()
    assert 'href="?q=ac&amp;status=active&amp;sort=users"' not in html  # users sorts desc first
    assert 'href="?q=ac&amp;status=active&amp;sort=-users"' in html


def test_total_count_is_shown(partner_client, world):
    response = partner_client(world.alice).get("/partner/customers/")
    assert response.context["page_obj"].paginator.count == 2
    assert 'id="customer-total">2<' in response.content.decode()


def test_dashboard_tiles_show_zero_and_link_to_the_filtered_list(partner_client, world):
    response = partner_client(world.alice).get("/partner/")
    tiles = {code: count for code, _label, count in response.context["tiles"]}
    assert tiles["suspended"] == 0
    assert 'href="/partner/customers/?status=suspended"' in response.content.decode()


def test_export_has_one_column_per_service(partner_client, world):
    record_usage(
        customer=world.acme, user_count=3,
        services={"webex_calling": (3, 50), "webex_meetings": (1, 5)},
    )  # fmt: skip
    record_usage(customer=world.globex, user_count=1, services={"webex_calling": (2, 5)})
    rows = csv_rows(partner_client(world.alice).get("/partner/customers/export.csv"))
    header = rows[0]
    assert "Webex Calling" in header and "Webex Meetings" in header
    by_slug = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_slug["acme"]["Webex Calling"] == "3 of 50"
    assert by_slug["globex"]["Webex Meetings"] == ""
    assert "initech" not in by_slug


# --- usage history -----------------------------------------------------------------


def test_summary_push_keeps_one_row_per_line_and_day(world):
    line = LineFigures("Sub-1", "webex_calling", used=3, quantity=10)
    record_usage(customer=world.acme, user_count=1, services={}, lines=[line])
    record_usage(customer=world.acme, user_count=1, services={}, lines=[line])
    today = timezone.localdate()
    assert LineUsageDay.objects.filter(customer=world.acme, day=today).count() == 1


def test_history_fills_days_without_a_change_forward(world):
    today = timezone.localdate()
    record_line_day(
        customer=world.acme, day=today - dt.timedelta(days=5),
        lines=[LineFigures("Sub-1", "webex_calling", used=2, quantity=10)],
    )  # fmt: skip
    record_line_day(
        customer=world.acme, day=today - dt.timedelta(days=2),
        lines=[LineFigures("Sub-1", "webex_calling", used=4, quantity=10)],
    )  # fmt: skip
    (history,) = [
        h
        for h in selectors.line_history(world.acme, days=7, today=today)
        if h.subscription == "Sub-1"
    ]
    assert history.used == [0, 2, 2, 2, 4, 4, 4]


def test_licensing_change_pushes_todays_line_figures(world, django_capture_on_commit_callbacks):
    from licensing.services.summary import push_usage_summary

    push_usage_summary(world.acme)
    lines = selectors.current_lines(world.acme)
    assert {(line.subscription, line.license_type) for line in lines} >= {
        ("Sub-100234", "webex_calling"),
    }


# --- the customer page -------------------------------------------------------------


def test_customer_page_shows_lines_chart_and_admins(partner_client, world):
    record_line_day(
        customer=world.acme, day=timezone.localdate(),
        lines=[LineFigures("Sub-100234", "webex_calling", used=7, quantity=50)],
    )  # fmt: skip
    response = partner_client(world.alice).get(f"/partner/customers/{world.acme.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-line="Sub-100234:webex_calling"' in html
    assert "<svg" in html and "<script" not in html.split("<svg", 1)[1].split("</svg>")[0]
    assert "ann@acme.test" in html
    assert "Launch customer view" in html


def test_suspend_and_reactivate_are_audited(partner_client, world):
    client = partner_client(world.alice)
    client.post(f"/partner/customers/{world.acme.pk}/status/suspend/")
    assert Customer.objects.get(pk=world.acme.pk).status == "suspended"
    client.post(f"/partner/customers/{world.acme.pk}/status/reactivate/")
    assert Customer.objects.get(pk=world.acme.pk).status == "active"
    actions = list(
        AuditEntry.objects.filter(target_id=str(world.acme.pk)).values_list("action", flat=True)
    )
    assert {"customer.suspended", "customer.reactivated"} <= set(actions)


def test_reactivating_an_active_customer_is_refused_and_changes_nothing(partner_client, world):
    response = partner_client(world.alice).post(
        f"/partner/customers/{world.acme.pk}/status/reactivate/", follow=True
    )
    assert "Acme Corp is active; it cannot be reactivated from that status." in (
        response.content.decode()
    )
    assert Customer.objects.get(pk=world.acme.pk).status == "active"
    assert not AuditEntry.objects.filter(action="customer.reactivated").exists()


def test_read_only_partner_admin_sees_the_page_but_may_not_suspend(partner_client, world):
    client = partner_client(world.carol)
    page = client.get(f"/partner/customers/{world.acme.pk}/")
    assert page.status_code == 200
    assert "Suspend" not in page.content.decode()
    response = client.post(f"/partner/customers/{world.acme.pk}/status/suspend/")
    assert response.status_code == 403
    assert "read-only administrator" in response.content.decode()
    assert Customer.objects.get(pk=world.acme.pk).status == "active"


def test_provisioning_admin_cannot_open_a_customer_it_does_not_see(partner_client, world):
    assert partner_client(world.bob).get(f"/partner/customers/{world.acme.pk}/").status_code == 404


def test_customer_page_urls_are_closed_to_other_partners(partner_client, world):
    assert_partner_urls_closed_to_other_partners(
        partner_client,
        world,
        [
            ("GET", f"/partner/customers/{world.acme.pk}/"),
            ("POST", f"/partner/customers/{world.acme.pk}/status/suspend/"),
        ],
    )
    assert Customer.objects.get(pk=world.acme.pk).status == "active"


@pytest.mark.parametrize(
    "url", ["/partner/alerts/", "/partner/audit/", "/partner/audit/export.csv"]
)
def test_partner_pages_need_a_signed_in_account(partner_client, world, url):
    response = partner_client(None).get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- alerts ------------------------------------------------------------------------


def test_alerts_list_overage_ending_trials_and_subscriptions_of_visible_customers(
    partner_client, world
):
    today = timezone.localdate()
    record_usage(customer=world.acme, user_count=1, services={"webex_calling": (51, 50)})
    record_usage(customer=world.initech, user_count=1, services={"webex_calling": (9, 5)})
    Customer.objects.filter(pk=world.globex.pk).update(
        status="trial", expires_on=today + dt.timedelta(days=10)
    )
    record_line_day(
        customer=world.acme, day=today,
        lines=[LineFigures("Sub-100234", "webex_calling", 1, 5, ends=today + dt.timedelta(days=20))],
    )  # fmt: skip
    context = partner_client(world.alice).get("/partner/alerts/").context
    assert [row.customer.slug for row, _name in context["over"]] == ["acme"]
    assert [c.slug for c in context["trials"]] == ["globex"]
    assert [(line.customer.slug, line.subscription) for line in context["ending"]] == [
        ("acme", "Sub-100234"),
    ]  # fmt: skip
    assert partner_client(world.sam).get("/partner/alerts/").context["over"][0][
        0
    ].customer.slug == ("initech")


# --- partner audit log -------------------------------------------------------------


def test_partner_audit_log_shows_its_own_customers_only(partner_client, world):
    client = partner_client(world.alice)
    client.post(f"/partner/customers/{world.acme.pk}/status/suspend/")
    partner_client(world.sam).post(f"/partner/customers/{world.initech.pk}/status/suspend/")
    entries = client.get("/partner/audit/?action=customer.suspended").context["entries"]
    assert [e.target_repr for e in entries] == ["Acme Corp"]


def test_partner_audit_export_is_streamed_csv_with_a_row_per_changed_field(partner_client, world):
    client = partner_client(world.alice)
    client.post(f"/partner/customers/{world.acme.pk}/status/suspend/")
    rows = csv_rows(client.get("/partner/audit/export.csv?action=customer.suspended"))
    assert rows[0][:4] == ["When (UTC)", "Who", "As partner", "Action"]
    assert rows[1][3:] == ["customer.suspended", "Acme Corp", "status", "active", "suspended"]


def test_the_usage_chart_has_no_style_element_and_its_stylesheet_is_served(partner_client, world):
    record_line_day(
        customer=world.acme, day=timezone.localdate(),
        lines=[LineFigures("Sub-100234", "webex_calling", used=7, quantity=50)],
    )  # fmt: skip
    client = partner_client(world.alice)
    html = client.get(f"/partner/customers/{world.acme.pk}/").content.decode()
    css = client.get("/charts/usage-chart.css")

    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and "<style" not in html
    assert 'class="pygal-chart usage-chart"' in html
    assert 'href="/charts/usage-chart.css"' in html
    assert css["Content-Type"].startswith("text/css")
    assert "svg.usage-chart .color-0" in css.content.decode()
