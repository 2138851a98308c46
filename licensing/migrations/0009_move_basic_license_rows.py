"""Step 2 of 3: every user's basic-license rows (``kind = 'basic'``, no line) become bits
of its ``basic_licenses`` and the rows go; reversed, the bits become rows again (their
``assigned_at``: the user's ``created_at``; the rows' own times are not kept).

The bit order is frozen here as it is stored: bit i is ``BASIC[i]`` (the catalogue's
``BASIC_LICENSES``, which only ever grows at its end). Basic rows held by a workspace
(never written by any service) are dropped: basic licenses are users' entitlements."""

from django.db import migrations

BASIC = ("basic_messaging", "basic_space_meetings", "call_on_webex")


def _tables(apps):
    user = apps.get_model("licensing", "OrgUser")._meta.db_table
    assignment = apps.get_model("licensing", "LicenseAssignment")._meta.db_table
    return user, assignment


def rows_to_bits(apps, schema_editor):
    user, assignment = _tables(apps)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {user} AS u SET basic_licenses = b.mask "  # noqa: S608 - our tables
            "FROM (SELECT a.user_id, bit_or(1 << (array_position(%s::varchar[], "
            f"a.license_type::varchar) - 1)) AS mask FROM {assignment} AS a "
            "WHERE a.kind = 'basic' AND a.user_id IS NOT NULL "
            "AND a.license_type = ANY(%s::varchar[]) GROUP BY a.user_id) AS b "
            "WHERE u.id = b.user_id",
            [list(BASIC), list(BASIC)],
        )
        cursor.execute(f"DELETE FROM {assignment} WHERE kind = 'basic'")  # noqa: S608


def bits_to_rows(apps, schema_editor):
    user, assignment = _tables(apps)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {assignment} (user_id, line_id, license_type, kind, assigned_at) "  # noqa: S608
            "SELECT u.id, NULL, b.code, 'basic', u.created_at "
            f"FROM {user} AS u CROSS JOIN unnest(%s::varchar[]) WITH ORDINALITY AS b(code, i) "
            "WHERE u.basic_licenses & (1 << (b.i::int - 1)) <> 0 ORDER BY u.id, b.i",
            [list(BASIC)],
        )
        cursor.execute(f"UPDATE {user} SET basic_licenses = 0 WHERE basic_licenses <> 0")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [("licensing", "0008_basic_licenses_on_the_user")]

    operations = [migrations.RunPython(rows_to_bits, bits_to_rows)]
