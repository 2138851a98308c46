"""The basic licenses (SPEC §5) are stored on the user (``OrgUser.basic_licenses``, a bit
mask), not as license rows: a new user costs no rows for them; the database refuses a
basic license row; a migration moved the rows and moves them back."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from licensing import catalogue, selectors
from licensing.csv.imports import import_users
from licensing.models import LicenseAssignment, OrgUser
from licensing.services.basic_licenses import set_basic_licenses
from licensing.services.licenses import grant_included_licenses
from licensing.services.users import UserEntry, add_users
from tests.conftest import in_schema
from tests.licensing.conftest import ACTOR, line
from tests.licensing.test_included_licenses import csv_of, new_row

pytestmark = pytest.mark.django_db
BASIC = catalogue.BASIC_LICENSES
MIGRATION = importlib.import_module("licensing.migrations.0009_move_basic_license_rows")


def test_a_new_user_costs_no_license_rows_for_its_basic_licenses(acme):
    import_users(content=csv_of(new_row("kim@acme.test")), actor=ACTOR)
    add_users(entries=[UserEntry(email="pat@acme.test")], package_line=None, actor=ACTOR)

    for email in ("kim@acme.test", "pat@acme.test"):
        user = OrgUser.objects.get(email=email)
        assert selectors.basic_licenses_of(user) == BASIC
    assert not LicenseAssignment.objects.filter(kind=catalogue.Kind.BASIC).exists()
    assert list(LicenseAssignment.objects.values_list("user__email", "license_type")) == [
        ("kim@acme.test", "webex_meetings")
    ]


def test_no_basic_license_rows(acme):
    user = OrgUser.objects.create(email="kim@acme.test")

    for line_of_it in (None, line("webex_meetings")):
        with pytest.raises(IntegrityError), transaction.atomic():
            LicenseAssignment.objects.create(
                user=user, line=line_of_it, license_type="basic_messaging", kind="basic"
            )

    assert not LicenseAssignment.objects.exists()


def test_basic_licenses_of_the_catalogue_only(acme):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUser.objects.create(email="kim@acme.test", basic_licenses=catalogue.ALL_BASIC_MASK + 1)

    assert not OrgUser.objects.filter(email="kim@acme.test").exists()


def test_the_bit_of_a_basic_license_is_its_place_in_the_catalogue():
    assert catalogue.BASIC_LICENSES == ("basic_messaging", "basic_space_meetings", "call_on_webex")
    assert catalogue.basic_mask(["call_on_webex", "webex_calling", "basic_messaging"]) == 0b101
    assert catalogue.basic_codes(0b101) == ("basic_messaging", "call_on_webex")
    assert catalogue.basic_codes(catalogue.DEFAULT_BASIC_MASK) == catalogue.DEFAULT_BASIC_LICENSES


def test_a_basic_license_named_twice_sets_its_bit_once():
    assert catalogue.basic_mask(["call_on_webex", "call_on_webex", "webex_suite"]) == 0b100
    assert catalogue.basic_mask({"basic_messaging": None, "basic_space_meetings": 7}) == 0b011
    assert catalogue.basic_mask([]) == 0


def test_set_basic_licenses_gives_and_takes_in_one_statement(acme, django_assert_num_queries):
    kim = OrgUser.objects.create(email="kim@acme.test", basic_licenses=0b011)
    lou = OrgUser.objects.create(email="lou@acme.test")

    with django_assert_num_queries(1):
        set_basic_licenses(given={kim.pk: 0b100, lou.pk: 0b001}, taken={kim.pk: 0b001})

    kim.refresh_from_db()
    lou.refresh_from_db()
    assert selectors.basic_licenses_of(kim) == ("basic_space_meetings", "call_on_webex")
    assert selectors.basic_licenses_of(lou) == ("basic_messaging",)


def test_granting_basic_licenses_refuses_a_license_of_a_line(acme):
    kim = OrgUser.objects.create(email="kim@acme.test")

    with pytest.raises(ValueError, match="Only the included basic licenses"):
        grant_included_licenses(licenses={kim.pk: ["webex_calling"]}, actor=ACTOR)

    kim.refresh_from_db()
    assert selectors.basic_licenses_of(kim) == ()


def test_licenses_of_a_user_list_its_basic_licenses_first_as_included(acme):
    add_users(
        entries=[UserEntry(email="pat@acme.test")], package_line=line("webex_meetings"), actor=ACTOR
    )
    pat = selectors.user_detail(OrgUser.objects.get(email="pat@acme.test").pk)

    shown = [(a.license_type, a.is_included) for a in selectors.licenses_of(pat)]

    assert shown == [*((code, True) for code in BASIC), ("webex_meetings", False)]


def _old_rows(user: OrgUser, codes: tuple[str, ...]) -> None:
    LicenseAssignment.objects.bulk_create(
        LicenseAssignment(user=user, license_type=code, kind="basic") for code in codes
    )


def rows() -> list[tuple]:
    return list(
        LicenseAssignment.objects.order_by("user__email", "license_type").values_list(
            "user__email", "line_id", "license_type", "kind"
        )
    )


def test_the_migration_moves_basic_license_rows_onto_their_users_and_back(acme):
    # given: the state before migration 0009 — basic licenses as rows without a line
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE licensing_licenseassignment DROP CONSTRAINT no_basic_license_rows"
        )
    kim = OrgUser.objects.create(email="kim@acme.test")
    lou = OrgUser.objects.create(email="lou@acme.test")
    add_users(
        entries=[UserEntry(email="pat@acme.test")], package_line=line("webex_meetings"), actor=ACTOR
    )
    OrgUser.objects.update(basic_licenses=0)
    _old_rows(kim, ("basic_messaging", "call_on_webex"))
    _old_rows(OrgUser.objects.get(email="pat@acme.test"), BASIC)
    rows_before = rows()
    editor = SimpleNamespace(connection=connection)

    # when
    MIGRATION.rows_to_bits(apps, editor)

    # then
    masks = dict(OrgUser.objects.values_list("email", "basic_licenses"))
    assert masks == {"kim@acme.test": 0b101, "lou@acme.test": 0, "pat@acme.test": 0b111}
    assert list(LicenseAssignment.objects.values_list("user__email", "license_type")) == [
        ("pat@acme.test", "webex_meetings")
    ]
    assert lou.licenses.count() == 0

    # and back
    MIGRATION.bits_to_rows(apps, editor)
    assert rows() == rows_before
    assert set(OrgUser.objects.values_list("basic_licenses", flat=True)) == {0}


def test_the_users_api_filters_by_a_basic_license_read_from_the_user(world, org_client):
    with in_schema(world.acme):
        add_users(entries=[UserEntry(email="pat@acme.test")], package_line=None, actor=ACTOR)
        add_users(entries=[UserEntry(email="kim@acme.test")], package_line=None, actor=ACTOR)
        kim = OrgUser.objects.get(email="kim@acme.test")
        set_basic_licenses(taken={kim.pk: catalogue.BASIC_BIT[catalogue.CALL_ON_WEBEX]})
    client = org_client(world.acme, world.ann)

    def emails(code: str) -> set[str]:
        response = client.get(f"/api/users/?package={code}")
        assert response.status_code == 200
        return {u["email"] for u in response.json()["results"]}

    assert {"pat@acme.test", "kim@acme.test"} <= emails(catalogue.BASIC_MESSAGING)
    assert "pat@acme.test" in emails(catalogue.CALL_ON_WEBEX)
    assert "kim@acme.test" not in emails(catalogue.CALL_ON_WEBEX)
