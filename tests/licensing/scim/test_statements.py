"""SPEC §9 "SCIM: ≥ 150 users/s by one POST /Users each": a POST that creates a user,
licenses it from the org template and provisions calling from its work phone takes a
fixed, small number of statements (bench/scim_statements.py counts them in full)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from calling.models import CallingProfile, Location, PhoneNumber
from licensing.services.templates import create_template
from partnerhub.audit.models import AuditEntry
from tests.licensing.conftest import ACTOR, line
from tests.licensing.scim.conftest import user_body

# Whole request, summary push included; the test's transaction turns BEGIN / COMMIT
# into a savepoint and its release; the connection's first request also notes when
# it was last used (once a minute).
POST_STATEMENTS = 22


def test_a_post_that_provisions_calling_takes_a_fixed_number_of_statements(
    scim, django_capture_on_commit_callbacks
):
    oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
    PhoneNumber.objects.bulk_create(
        [PhoneNumber(e164=f"+472200000{i}", location=oslo) for i in range(1, 3)]
    )
    create_template(name="Everyone calls", lines=[line("webex_calling")], actor=ACTOR)

    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),  # the summary push, counted too
    ):
        response = scim.post("Users", user_body("kim@example.com", phone="+4722000001"))

    assert response.status_code == 201
    assert CallingProfile.objects.filter(user__email="kim@example.com").exists()
    statements = [q["sql"] for q in queries]
    assert len(statements) <= POST_STATEMENTS, "\n".join(statements)
    audit_inserts = [
        s for s in statements if s.startswith(f'INSERT INTO "{AuditEntry._meta.db_table}"')
    ]
    assert len(audit_inserts) == 1  # the request's four audit rows: one statement
