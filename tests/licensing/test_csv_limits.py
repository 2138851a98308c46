"""The user CSV refuses what the database could not store, as row errors the dry run
already shows (never a failure at apply time)."""

from __future__ import annotations

import pytest

from licensing.csv import columns as col
from licensing.csv.errors import CsvFileError
from licensing.csv.imports import import_users
from licensing.csv.reading import read_rows
from licensing.models import OrgUser
from tests.licensing.conftest import ACTOR
from tests.licensing.test_csv_import import csv_of, meetings_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("column", "limit"),
    [(col.FIRST_NAME, 64), (col.LAST_NAME, 64), (col.DISPLAY_NAME, 128), (col.SITE, 200)],
)
def test_a_cell_longer_than_its_field_is_a_row_error_in_the_dry_run_too(acme, column, limit):
    row = meetings_user(**{column: "x" * (limit + 1)})

    for dry_run in (True, False):
        result = import_users(content=csv_of(row), actor=ACTOR, dry_run=dry_run)
        assert (
            f"row 2, column {column}: At most {limit} characters ({limit + 1} given): "
            "shorten it." in result.plan.errors
        )
    assert not OrgUser.objects.exists()


def test_an_email_longer_than_254_characters_is_a_row_error(acme):
    long_email = "a" * 60 + "@" + ("b" * 60 + ".") * 3 + "c" * 10 + ".example"
    result = import_users(content=csv_of(meetings_user(long_email)), actor=ACTOR)
    assert "The e-mail is longer than 254 characters." in " ".join(result.plan.errors)


def test_a_row_with_more_cells_than_headers_is_refused():
    with pytest.raises(CsvFileError, match="Row 2 has 3 cells but the header row has 2"):
        read_rows(b"User ID/Email (Required),First Name\nkim@acme.test,Kim,Lee\n")
