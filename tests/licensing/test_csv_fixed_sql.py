"""What the user CSV now leaves to the database (its audit entries by INSERT … SELECT,
the included basic licenses by bit mask) is what it wrote before, whatever the data."""

from __future__ import annotations

import itertools

import pytest

from licensing import catalogue, selectors
from licensing.csv import columns as col
from licensing.csv.exports import export_users_csv
from licensing.csv.imports import import_users
from licensing.models import LicenseAssignment, OrgUser
from partnerhub.audit.models import AuditEntry
from partnerhub.audit.services import Actor
from tests.licensing.conftest import ACTOR
from tests.licensing.test_included_licenses import csv_of, held, new_row

pytestmark = pytest.mark.django_db
BASIC_COLUMNS = list(col.BASIC_COLUMNS)


def test_the_audit_entry_holds_each_field_exactly_as_the_file_gave_it(acme):
    names = {
        "zoe@acme.test": ('Zoë "Z"', "O'Brien \\ Jr", "Zoë 🙂 ✓", "a'b\"c.webex.com"),
        "ann@acme.test": ("Ann", "Ŀast", "", ""),
        "bo@acme.test": ("B\\o", "D\\\\", "Ü ß ẞ", "site.webex.com"),
    }
    rows = [
        new_row(
            email,
            **{
                col.FIRST_NAME: first,
                col.LAST_NAME: last,
                col.DISPLAY_NAME: display,
                col.SITE: site,
            },
        )  # fmt: skip
        for email, (first, last, display, site) in names.items()
    ]
    result = import_users(content=csv_of(*rows), actor=ACTOR)
    assert result.applied, result.plan.errors
    for email, (first, last, display, site) in names.items():
        entry = AuditEntry.objects.get(action="user.csv_create", target_repr=email)
        given = {
            "first_name": first,
            "last_name": last,
            "display_name": display,
            "preferred_site": site,
            "jabber_calling": False,
            "jabber_with_teams": False,
        }
        assert entry.after["fields"] == {k: v for k, v in given.items() if v != ""}, email
        assert entry.target_id == str(OrgUser.objects.get(email=email).pk)
        assert entry.before is None and entry.actor_email == ACTOR.email

    update = {col.EMAIL: "zoe@acme.test", col.DISPLAY_NAME: "Nouveau «nom» \\ 'x'"}
    assert import_users(content=csv_of(update), actor=ACTOR).applied
    entry = AuditEntry.objects.get(action="user.csv_update")
    assert entry.after["fields"] == {"display_name": "Nouveau «nom» \\ 'x'"}


def licenses_state() -> tuple[list, list]:
    """Every license row, and every user's basic licenses (stored on the user)."""
    return (
        sorted(LicenseAssignment.objects.values_list("pk", "user__email", "license_type")),
        [(u.email, selectors.basic_licenses_of(u)) for u in OrgUser.objects.order_by("email")],
    )


def test_every_choice_of_basic_licenses_survives_an_export_and_import_unchanged(acme):
    choices = list(itertools.product(["TRUE", "FALSE"], repeat=len(BASIC_COLUMNS)))
    rows = [
        new_row(f"u{i}@acme.test", **dict(zip(BASIC_COLUMNS, cells, strict=True)))
        for i, cells in enumerate(choices)
    ]
    assert import_users(content=csv_of(*rows), actor=ACTOR).applied
    for i, cells in enumerate(choices):
        wanted = {col.BASIC_COLUMNS[h] for h, c in zip(BASIC_COLUMNS, cells, strict=True)
                  if c == "TRUE"}  # fmt: skip
        assert held(f"u{i}@acme.test") == {"webex_meetings", *wanted}
    before = licenses_state()
    audit_before = AuditEntry.objects.count()

    result = import_users(content=export_users_csv().encode(), actor=ACTOR, mode="add-remove")

    assert result.applied and result.plan.counts()["unchanged"] == len(choices)
    assert licenses_state() == before
    assert AuditEntry.objects.count() == audit_before


def test_basic_licenses_added_and_removed_by_a_later_file_follow_their_cells(acme):
    assert import_users(content=csv_of(new_row("kim@acme.test", **dict.fromkeys(
        BASIC_COLUMNS, "FALSE"))), actor=ACTOR).applied  # fmt: skip
    assert held("kim@acme.test") == {"webex_meetings"}
    cells = {BASIC_COLUMNS[0]: "TRUE", BASIC_COLUMNS[2]: "TRUE"}
    assert import_users(content=csv_of({col.EMAIL: "kim@acme.test", **cells}),
                        actor=ACTOR, mode="add-remove").applied  # fmt: skip
    assert held("kim@acme.test") == {"webex_meetings", *(col.BASIC_COLUMNS[h] for h in cells)}
    assert not LicenseAssignment.objects.filter(
        license_type__in=catalogue.BASIC_LICENSES, line__isnull=False
    ).exists()


def test_every_entry_names_the_actor_the_partner_it_acts_as_and_the_org(acme, world):
    actor = Actor(account_id=world.alice.pk, email="alice@northwind.test",
                  acting_as_partner="Northwind Partners — «O'Neil» \\ team")  # fmt: skip
    rows = [new_row(f"u{i}@acme.test") for i in range(3)]
    assert import_users(content=csv_of(*rows), actor=actor).applied
    assert import_users(content=csv_of({col.EMAIL: "u0@acme.test", col.FIRST_NAME: "U"}),
                        actor=actor).applied  # fmt: skip
    who = set(
        AuditEntry.objects.filter(action__startswith="user.csv_").values_list(
            "actor_id", "actor_email", "acting_as_partner", "customer_schema", "target_type"
        )
    )
    assert who == {(world.alice.pk, "alice@northwind.test", actor.acting_as_partner,
                    acme.schema_name, "licensing.OrgUser")}  # fmt: skip
