"""Subscriptions and enabled packages are the partner's (SPEC §5): changed from the
partner side or a launched view with a selling partner role; read-only for the
customer's own admins."""

from __future__ import annotations

import datetime

import pytest

from customers.models import Customer
from licensing.models import Subscription
from partnerhub.audit.models import AuditEntry
from tests.boundaries import assert_partner_urls_closed_to_other_partners
from tests.conftest import in_schema

pytestmark = pytest.mark.django_db

PARTNERS_MESSAGE = (
    "Subscriptions and enabled packages are managed by your partner; ask your partner "
    "to change them."
)
NOT_A_SELLER = (
    "Only the partner's full and provisioning administrators change subscriptions and "
    "enabled packages."
)


def _acme_subscription(world) -> Subscription:
    with in_schema(world.acme):
        return Subscription.objects.prefetch_related("lines").get(external_id="Sub-100234")


def _quantities(world) -> dict[str, int]:
    with in_schema(world.acme):
        subscription = Subscription.objects.get(external_id="Sub-100234")
        return {line.license_type: line.quantity for line in subscription.lines.all()}


def _subscription_ids(world) -> list[str]:
    with in_schema(world.acme):
        return list(Subscription.objects.values_list("external_id", flat=True))


# --- the customer's own admins: read-only ------------------------------------------


def test_customer_full_admin_cannot_change_quantities_by_api(org_client, world):
    subscription = _acme_subscription(world)
    before = _quantities(world)

    response = org_client(world.acme, world.ann).patch(
        f"/api/subscriptions/{subscription.pk}/",
        {"quantities": {"webex_calling": 5000}},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json()["detail"] == PARTNERS_MESSAGE
    assert _quantities(world) == before


def test_customer_full_admin_cannot_add_suspend_or_cancel_by_api(org_client, world):
    subscription = _acme_subscription(world)
    client = org_client(world.acme, world.ann)

    added = client.post(
        "/api/subscriptions/",
        {"external_id": "Sub-9", "quantities": {"webex_calling": 1}},
        content_type="application/json",
    )
    status = client.post(
        f"/api/subscriptions/{subscription.pk}/status/",
        {"action": "suspend"},
        content_type="application/json",
    )

    assert (added.status_code, status.status_code) == (403, 403)
    assert _subscription_ids(world) == ["Sub-100234"]
    assert _acme_subscription(world).status == "active"


def test_customer_full_admin_cannot_change_subscriptions_by_page(org_client, world):
    subscription = _acme_subscription(world)
    before = _quantities(world)
    client = org_client(world.acme, world.ann)

    edit = client.post(f"/subscriptions/{subscription.pk}/edit/", {"webex_calling": "5000"})
    cancel = client.post(f"/subscriptions/{subscription.pk}/cancel/")

    assert (edit.status_code, cancel.status_code) == (403, 403)
    assert PARTNERS_MESSAGE in edit.content.decode()
    assert _quantities(world) == before
    assert _acme_subscription(world).status == "active"


def test_customer_admin_sees_subscriptions_read_only(org_client, world):
    page = org_client(world.acme, world.ann).get("/subscriptions/").content.decode()

    assert "Sub-100234" in page
    assert "Change quantities" not in page
    assert "Your partner manages these subscriptions" in page


def test_launched_read_only_partner_admin_cannot_change_subscriptions(org_client, world):
    subscription = _acme_subscription(world)
    before = _quantities(world)

    response = org_client(world.acme, world.carol, launched=True).patch(
        f"/api/subscriptions/{subscription.pk}/",
        {"quantities": {"webex_calling": 60}},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert _quantities(world) == before


# --- a launched view with a selling partner role ------------------------------------


def test_launched_partner_full_admin_changes_quantities_audited_as_partner(org_client, world):
    subscription = _acme_subscription(world)

    response = org_client(world.acme, world.alice, launched=True).patch(
        f"/api/subscriptions/{subscription.pk}/",
        {"quantities": {"webex_calling": 60}, "end_date": "2031-12-31"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["end_date"] == "2031-12-31"
    assert _quantities(world)["webex_calling"] == 60
    with in_schema(world.acme):
        entry = AuditEntry.objects.get(action="subscription.quantities_changed")
        assert entry.acting_as_partner == "Northwind Partners"
        assert AuditEntry.objects.filter(action="subscription.end_date_changed").exists()


def test_launched_partner_adds_a_subscription(org_client, world):
    response = org_client(world.acme, world.bob, launched=True)
    # bob (provisioning admin) does not see Acme: the launch is not his
    assert (
        response.post(
            "/api/subscriptions/",
            {"external_id": "Sub-9", "quantities": {"webex_calling": 1}},
            content_type="application/json",
        ).status_code
        == 403
    )

    added = org_client(world.acme, world.alice, launched=True).post(
        "/api/subscriptions/",
        {"external_id": "Sub-9", "quantities": {"webex_calling": 1}},
        content_type="application/json",
    )

    assert added.status_code == 201
    assert sorted(_subscription_ids(world)) == ["Sub-100234", "Sub-9"]


# --- the partner side: page --------------------------------------------------------


def test_partner_page_lists_the_customers_subscriptions(partner_client, world):
    page = partner_client(world.carol).get(f"/partner/customers/{world.acme.pk}/subscriptions/")

    assert page.status_code == 200
    assert "Sub-100234" in page.content.decode()
    assert "Add a subscription" not in page.content.decode()  # read-only partner admin


def test_partner_adds_a_subscription_from_the_page(partner_client, world):
    response = partner_client(world.alice).post(
        f"/partner/customers/{world.acme.pk}/subscriptions/",
        {"external_id": "Sub-555", "end_date": "2030-01-31", "qty_webex_calling": "25"},
    )

    assert response.status_code == 302
    with in_schema(world.acme):
        added = Subscription.objects.get(external_id="Sub-555")
        assert added.end_date == datetime.date(2030, 1, 31)
        assert [(ln.license_type, ln.quantity) for ln in added.lines.all()] == [
            ("webex_calling", 25)
        ]
        entry = AuditEntry.objects.get(action="subscription.created", target_id=str(added.pk))
        assert (entry.actor_email, entry.acting_as_partner) == (
            "alice@northwind.test",
            "Northwind Partners",
        )


def test_partner_page_refuses_a_taken_subscription_id_and_changes_nothing(partner_client, world):
    response = partner_client(world.alice).post(
        f"/partner/customers/{world.acme.pk}/subscriptions/",
        {"external_id": "sub-100234", "qty_webex_calling": "25"},
    )

    assert response.status_code == 400
    assert (
        "This organisation already has a subscription sub-100234; choose another id or "
        "change the existing one." in response.content.decode()
    )
    assert _subscription_ids(world) == ["Sub-100234"]


def test_partner_changes_quantities_and_end_date_from_the_page(partner_client, world):
    subscription = _acme_subscription(world)

    response = partner_client(world.alice).post(
        f"/partner/customers/{world.acme.pk}/subscriptions/{subscription.pk}/",
        {"qty_webex_calling": "70", "end_date": "2032-06-30"},
    )

    assert response.status_code == 302
    assert _quantities(world)["webex_calling"] == 70
    assert _acme_subscription(world).end_date == datetime.date(2032, 6, 30)


def test_end_date_before_start_is_refused_and_nothing_changes(partner_client, world):
    subscription = _acme_subscription(world)
    start = subscription.start_date

    response = partner_client(world.alice).post(
        f"/partner/customers/{world.acme.pk}/subscriptions/{subscription.pk}/",
        {"qty_webex_calling": "70", "end_date": "2000-01-01"},
    )

    assert response.status_code == 400
    assert (
        f"Sub-100234 starts on {start.isoformat()}; its end date cannot be earlier (2000-01-01)."
        in response.content.decode()
    )
    assert _quantities(world)["webex_calling"] == 50  # all or nothing
    assert _acme_subscription(world).end_date is None


def test_partner_suspends_and_reactivates_from_the_page(partner_client, world):
    subscription = _acme_subscription(world)
    client = partner_client(world.bob)  # provisioning admin who did not provision Acme
    url = f"/partner/customers/{world.acme.pk}/subscriptions/{subscription.pk}"

    assert client.post(f"{url}/suspend/").status_code == 404  # not his customer
    client = partner_client(world.alice)
    assert client.post(f"{url}/suspend/").status_code == 302
    assert _acme_subscription(world).status == "suspended"
    assert client.post(f"{url}/reactivate/").status_code == 302
    assert _acme_subscription(world).status == "active"


def test_read_only_partner_admin_cannot_change_from_the_partner_side(partner_client, world):
    subscription = _acme_subscription(world)
    client = partner_client(world.carol)

    page = client.post(
        f"/partner/customers/{world.acme.pk}/subscriptions/{subscription.pk}/suspend/"
    )
    api = client.patch(
        f"/api/partner/customers/{world.acme.pk}/subscriptions/{subscription.pk}/",
        {"quantities": {"webex_calling": 1}},
        content_type="application/json",
    )

    assert page.status_code == 403
    assert (api.status_code, api.json()["detail"]) == (403, NOT_A_SELLER)
    assert _acme_subscription(world).status == "active"
    assert _quantities(world)["webex_calling"] == 50


# --- the partner side: API ---------------------------------------------------------


def test_partner_api_adds_changes_and_cancels(partner_client, world):
    client = partner_client(world.alice)
    base = f"/api/partner/customers/{world.acme.pk}/subscriptions/"

    added = client.post(
        base,
        {"external_id": "Sub-777", "quantities": {"webex_meetings": 10}},
        content_type="application/json",
    )
    assert added.status_code == 201, added.content
    sub_id = added.json()["id"]
    changed = client.patch(
        f"{base}{sub_id}/",
        {"quantities": {"webex_meetings": 12}, "end_date": None},
        content_type="application/json",
    )
    cancelled = client.post(
        f"{base}{sub_id}/status/", {"action": "cancel"}, content_type="application/json"
    )

    assert changed.json()["lines"][0]["quantity"] == 12
    assert cancelled.json()["status"] == "cancelled"
    listed = client.get(base).json()
    assert [s["external_id"] for s in listed] == ["Sub-100234", "Sub-777"]


def test_partner_api_quantity_below_usage_is_refused_and_nothing_changes(partner_client, world):
    from licensing.services.users import create_user
    from tests.licensing.conftest import ACTOR, line

    with in_schema(world.acme):
        create_user(email="pat@acme.test", package_line=line("webex_meetings"), actor=ACTOR)
    subscription = _acme_subscription(world)

    response = partner_client(world.alice).patch(
        f"/api/partner/customers/{world.acme.pk}/subscriptions/{subscription.pk}/",
        {"quantities": {"webex_calling": 10, "webex_meetings": 0}},
        content_type="application/json",
    )

    assert response.status_code == 409
    assert response.json()["message"] == (
        "Webex Meetings on Sub-100234 has 1 licenses in use; the quantity cannot go below 1. "
        "Release or move licenses first."
    )
    assert _quantities(world)["webex_calling"] == 50


def test_partner_api_unknown_subscription_is_404(partner_client, world):
    response = partner_client(world.alice).get(
        f"/api/partner/customers/{world.acme.pk}/subscriptions/999999/"
    )
    assert response.status_code == 404


def test_partner_sets_enabled_packages_customer_cannot(partner_client, org_client, world):
    response = partner_client(world.alice).put(
        f"/api/partner/customers/{world.acme.pk}/packages/",
        {"packages": ["webex_calling", "webex_voice"]},
        content_type="application/json",
    )
    refused = partner_client(world.carol).put(
        f"/api/partner/customers/{world.acme.pk}/packages/",
        {"packages": []},
        content_type="application/json",
    )

    assert response.json() == {"packages": ["webex_calling", "webex_voice"]}
    assert refused.status_code == 403
    assert Customer.objects.get(pk=world.acme.pk).packages == ["webex_calling", "webex_voice"]
    assert AuditEntry.objects.filter(action="customer.packages_changed").count() == 1


def test_unknown_package_is_refused_and_nothing_changes(partner_client, world):
    response = partner_client(world.alice).put(
        f"/api/partner/customers/{world.acme.pk}/packages/",
        {"packages": ["webex_teleport"]},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["packages"] == {"0": ['"webex_teleport" is not a valid choice.']}
    assert Customer.objects.get(pk=world.acme.pk).packages == world.acme.packages


def test_partner_subscription_urls_closed_to_other_partners(partner_client, world):
    subscription = _acme_subscription(world)
    c, s = world.acme.pk, subscription.pk
    urls = [
        ("GET", f"/partner/customers/{c}/subscriptions/"),
        ("POST", f"/partner/customers/{c}/subscriptions/"),
        ("GET", f"/partner/customers/{c}/subscriptions/{s}/"),
        ("POST", f"/partner/customers/{c}/subscriptions/{s}/"),
        ("POST", f"/partner/customers/{c}/subscriptions/{s}/suspend/"),
        ("POST", f"/partner/customers/{c}/packages/"),
        ("GET", f"/api/partner/customers/{c}/subscriptions/"),
        ("POST", f"/api/partner/customers/{c}/subscriptions/"),
        ("GET", f"/api/partner/customers/{c}/subscriptions/{s}/"),
        ("PATCH", f"/api/partner/customers/{c}/subscriptions/{s}/"),
        ("POST", f"/api/partner/customers/{c}/subscriptions/{s}/status/"),
        ("GET", f"/api/partner/customers/{c}/packages/"),
        ("PUT", f"/api/partner/customers/{c}/packages/"),
    ]

    assert_partner_urls_closed_to_other_partners(partner_client, world, urls)
    # a customer admin of Acme has no partner role: the partner side is closed too
    for method, url in urls:
        status = getattr(partner_client(world.ann), method.lower())(
            url, content_type="application/json"
        ).status_code
        assert status == 404, (method, url, status)
    assert _acme_subscription(world).status == "active"
