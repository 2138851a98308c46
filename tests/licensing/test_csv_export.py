"""The user CSV export writes exactly what the import reads (SPEC §4)."""

from __future__ import annotations

import csv
import io

import pytest

from licensing.csv import columns as col
from licensing.csv.exports import export_users_csv
from licensing.services.users import create_user
from tests.licensing.conftest import ACTOR, line

pytestmark = pytest.mark.django_db


def test_export_writes_true_or_false_in_every_service_column(acme):
    create_user(email="pat@acme.test", package_line=line("webex_meetings"), actor=ACTOR)

    [row] = csv.DictReader(io.StringIO(export_users_csv()))

    services = {k: v for k, v in row.items() if "[" in k or k in col.BASIC_COLUMNS}
    services |= {k: row[k] for k in (col.CC_STANDARD, col.CC_PREMIUM, col.JABBER_CALLING)}
    assert set(services.values()) == {"TRUE", "FALSE"}
    assert row["Webex Meetings [Sub-100234]"] == "TRUE"
    assert row["Webex Calling [Sub-100234]"] == "FALSE"
