"""The basic licenses are included with every org (SPEC §5; issue 9 §1): no subscription
line, no quantity; every new user gets them unless an explicit choice settles them."""

from __future__ import annotations

import csv
import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from calling.services.directory import DirectoryEntry, sync_directory
from customers.models import Customer, CustomerUsage
from customers.services import SubscriptionSpec, provision_customer
from licensing import catalogue, selectors
from licensing.csv import columns as col
from licensing.csv.imports import import_users
from licensing.errors import IncludedLicenseNotSold
from licensing.models import AutoLicenseTemplate, LicenseAssignment, OrgUser, SubscriptionLine
from licensing.services.subscriptions import create_subscription, update_quantities
from licensing.services.templates import create_template
from licensing.services.users import UserEntry, add_users
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.models import AuditEntry
from tests.conftest import in_schema
from tests.licensing.conftest import ACTOR, line

pytestmark = pytest.mark.django_db
BASIC = set(catalogue.BASIC_LICENSES)
MEETINGS = "Webex Meetings [Sub-100234]"
INCLUDED_MESSAGE = (
    "Basic Messaging is included with every org at no charge and needs no subscription "
    "line: remove it from Sub-9."
)


def held(email: str) -> set[str]:
    """The license types the user holds, the basic ones (stored on the user) included."""
    user_ids = list(OrgUser.objects.filter(email=email).values_list("pk", flat=True))
    return set().union(*selectors.license_types_held(user_ids).values())


def csv_of(*rows: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=col.export_headers(col.package_lines()), restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def new_row(email: str, **cells: str) -> dict[str, str]:
    return {
        col.EMAIL: email, col.JABBER_CALLING: "FALSE", col.JABBER_TEAMS: "FALSE",
        col.SITE: "acme.webex.com", MEETINGS: "TRUE", **cells,
    }  # fmt: skip


def test_org_with_only_a_package_subscription_imports_new_users_with_every_basic_license(
    world, tmp_path, capsys
):
    # given: an org provisioned with a package line only (issue 9: "cannot import a
    # single new user in the default mode")
    call_command(
        "provision_customer", "--partner", "northwind", "--name", "Basic Co", "--slug",
        "basicco", "--admin-email", "a@basicco.test", "--subscription", "Sub-1:Webex Meetings=10",
    )  # fmt: skip
    file = tmp_path / "users.csv"
    file.write_text(
        f"{col.EMAIL},{col.JABBER_CALLING},{col.JABBER_TEAMS},{col.SITE},Webex Meetings\n"
        "kim@basicco.test,FALSE,FALSE,basicco.webex.com,TRUE\n"
    )

    # when
    call_command("import_users", "basicco", str(file))

    # then
    assert "created 1" in capsys.readouterr().out
    with in_schema(Customer.objects.get(slug="basicco")):
        assert held("kim@basicco.test") == {"webex_meetings", *BASIC}
        assert set(SubscriptionLine.objects.values_list("license_type", flat=True)) == {
            "webex_meetings"
        }
        # the three are entitlements without a line: stored on the user, no row
        assert sum(len(selectors.basic_licenses_of(u)) for u in OrgUser.objects.all()) == 3
        assert not LicenseAssignment.objects.filter(line__isnull=True).exists()


def test_new_csv_user_gets_every_basic_license_in_add_services_only(acme):
    import_users(content=csv_of(new_row("kim@acme.test")), actor=ACTOR)

    assert held("kim@acme.test") == {"webex_meetings", *BASIC}
    assert not LicenseAssignment.objects.filter(license_type__in=BASIC, line__isnull=False).exists()


def test_false_basic_cell_of_a_new_user_in_add_services_only_gives_none_of_that_license(acme):
    import_users(
        content=csv_of(new_row("kim@acme.test", **{"Basic Messaging": "FALSE"})), actor=ACTOR
    )

    assert held("kim@acme.test") == {"webex_meetings", "basic_space_meetings", "call_on_webex"}


def test_a_csv_created_user_has_one_audit_entry_that_lists_its_included_licenses(acme):
    # SPEC §8/§9: one audit row per new user; "who got which license" stays readable.
    import_users(
        content=csv_of(new_row("kim@acme.test", **{"Basic Messaging": "FALSE"})), actor=ACTOR
    )

    kim = OrgUser.objects.get(email="kim@acme.test")
    entries = AuditEntry.objects.filter(target_type="licensing.OrgUser", target_id=str(kim.pk))
    assert [e.action for e in entries] == ["user.csv_create"]
    assert entries[0].after["add"] == ["webex_meetings"]
    assert entries[0].after["included"] == ["basic_space_meetings", "call_on_webex"]
    assert not AuditEntry.objects.filter(action=AuditAction.LICENSE_INCLUDED).exists()


def test_users_added_on_the_page_still_get_an_included_license_entry(acme):
    add_users(
        entries=[UserEntry(email="pat@acme.test")], package_line=line("webex_meetings"), actor=ACTOR
    )

    entry = AuditEntry.objects.get(action=AuditAction.LICENSE_INCLUDED)
    assert entry.target_id == str(OrgUser.objects.get(email="pat@acme.test").pk)
    assert sorted(entry.after["licenses"]) == sorted(catalogue.DEFAULT_BASIC_LICENSES)


def test_in_add_and_remove_basic_licenses_follow_their_columns(acme):
    import_users(
        content=csv_of(new_row("kim@acme.test", **{"Call on Webex": "TRUE"})),
        actor=ACTOR,
        mode="add-remove",
    )
    assert held("kim@acme.test") == {"webex_meetings", "call_on_webex"}

    import_users(
        content=csv_of(
            new_row("kim@acme.test", **{"Basic Messaging": "TRUE", "Call on Webex": "FALSE"})
        ),
        actor=ACTOR,
        mode="add-remove",
    )
    assert held("kim@acme.test") == {"webex_meetings", "basic_messaging"}


def test_manual_add_gives_every_basic_license_without_any_line(acme):
    result = add_users(
        entries=[UserEntry(email="pat@acme.test")], package_line=line("webex_meetings"), actor=ACTOR
    )

    assert result.created[0].email == "pat@acme.test"
    assert held("pat@acme.test") == {"webex_meetings", *BASIC}


def test_directory_sync_gives_new_users_every_basic_license(acme):
    create_template(name="Everyone", lines=[line("webex_meetings")], actor=ACTOR)

    sync_directory(entries=[DirectoryEntry(email="dee@acme.test", first_name="Dee")], actor=ACTOR)

    assert held("dee@acme.test") == {"webex_meetings", *BASIC}


def test_a_subscription_line_of_a_basic_license_is_refused(acme):
    before = list(SubscriptionLine.objects.values_list("pk", "quantity"))

    with pytest.raises(IncludedLicenseNotSold) as error:
        create_subscription(
            external_id="Sub-9", quantities={"webex_calling": 5, "basic_messaging": 5}, actor=ACTOR
        )
    assert error.value.message == INCLUDED_MESSAGE
    with pytest.raises(IncludedLicenseNotSold):
        update_quantities(
            subscription=line("webex_calling").subscription,
            quantities={"call_on_webex": 10},
            actor=ACTOR,
        )

    assert list(SubscriptionLine.objects.values_list("pk", "quantity")) == before


def test_provisioning_with_a_basic_line_is_refused_on_page_api_and_command(world, partner_client):
    client = partner_client(world.alice)
    page = client.post(
        "/partner/customers/new/",
        {"name": "Basic Co", "slug": "basicco", "admin_email": "a@basicco.test",
         "subs-TOTAL_FORMS": "2", "subs-INITIAL_FORMS": "0",
         "subs-0-external_id": "Sub-9", "subs-0-license_type": "webex_calling",
         "subs-0-quantity": "5",
         "subs-1-external_id": "Sub-9", "subs-1-license_type": "basic_messaging",
         "subs-1-quantity": "5"},
    )  # fmt: skip
    api = client.post(
        "/api/partner/customers/provision/",
        {"name": "Basic Co", "org_id": "basicco", "admin_email": "a@basicco.test",
         "subscriptions": ["Sub-9:webex_calling=5,Basic Messaging=5"]},
        content_type="application/json",
    )  # fmt: skip
    with pytest.raises(IncludedLicenseNotSold) as command:
        provision_customer(
            partner=world.northwind, name="Basic Co", slug="basicco",
            admin_email="a@basicco.test", actor=ACTOR,
            subscriptions=[SubscriptionSpec("Sub-9", {"basic_messaging": 5})],
        )  # fmt: skip

    assert page.status_code == 200  # the page's select does not offer basic licenses
    assert "basic_messaging is not one of the available choices" in page.content.decode()
    assert api.status_code == 400
    assert INCLUDED_MESSAGE in str(api.json())
    assert command.value.message == INCLUDED_MESSAGE
    assert not Customer.objects.filter(slug="basicco").exists()


def test_pages_and_api_show_basic_licenses_as_included_not_as_meters(world, org_client):
    with in_schema(world.acme):
        add_users(entries=[UserEntry(email="pat@acme.test")], package_line=None, actor=ACTOR)
        pat = OrgUser.objects.get(email="pat@acme.test")
    client = org_client(world.acme, world.ann)

    overview = client.get("/overview/").content.decode()
    detail = client.get(f"/users/{pat.pk}/").content.decode()
    api = client.get("/api/users/").json()["results"]

    assert "Basic Messaging" in overview
    assert "/ 500" not in overview
    assert "included" in overview
    assert detail.count('<span class="badge">included</span>') == 3
    licenses = next(u for u in api if u["email"] == "pat@acme.test")["licenses"]
    assert {(a["license_type"], a["included"], a["line"]) for a in licenses} == {
        (code, True, None) for code in BASIC
    }


def test_partner_usage_summary_no_longer_lists_basic_licenses(
    world, django_capture_on_commit_callbacks
):
    with in_schema(world.acme), django_capture_on_commit_callbacks(execute=True):
        add_users(entries=[UserEntry(email="pat@acme.test")], package_line=None, actor=ACTOR)

    services = set(
        CustomerUsage.objects.filter(customer=world.acme).values_list("service", flat=True)
    )
    assert services
    assert not services & BASIC


def test_migration_keeps_every_holder_and_drops_the_basic_lines(acme):
    # given: the state before the migration — a basic line, held and in a template
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE licensing_licenseassignment DROP CONSTRAINT no_basic_license_rows"
        )
    subscription = line("webex_calling").subscription
    basic = SubscriptionLine.objects.create(
        subscription=subscription, license_type="basic_messaging", quantity=100
    )
    template = create_template(name="Everyone", lines=[line("webex_meetings")], actor=ACTOR)
    template.lines.add(basic)
    user = OrgUser.objects.create(email="old@acme.test")
    LicenseAssignment.objects.create(
        user=user, line=basic, license_type="basic_messaging", kind="basic"
    )

    # when
    migration = importlib.import_module("licensing.migrations.0002_basic_licenses_are_included")
    migration.keep_holders_drop_lines(apps, None)

    # then
    assert held("old@acme.test") == {"basic_messaging"}
    assert LicenseAssignment.objects.get(user=user).line is None
    assert not SubscriptionLine.objects.filter(license_type="basic_messaging").exists()
    assert list(AutoLicenseTemplate.objects.get(pk=template.pk).lines.all()) == [
        line("webex_meetings")
    ]
