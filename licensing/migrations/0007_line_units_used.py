"""Each subscription line keeps its units in use (``units_used``), kept by the database
itself: a statement-level trigger on license assignments adds the rows a statement
inserted (an INSERT, a COPY, a cascade), takes away the rows it deleted and moves the
rows an UPDATE moved between lines — whatever wrote them (pages, API, CSV, SCIM,
templates, deletes). The writers that lock a line before drawing from it
(``licensing.services.licenses``) read the count from the locked line instead of
counting its assignments (O(users), twice per SCIM POST; issue #13).

The column is the database's alone (not a model field): no ``save()`` of a line can
write a stale count over it. The trigger names the line table with the schema of the
assignment table that fired it (each org's schema has its own pair)."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION licensing_line_units_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    delta text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        delta := 'SELECT line_id, count(*) AS n FROM new_rows WHERE line_id IS NOT NULL GROUP BY line_id';
    ELSIF TG_OP = 'DELETE' THEN
        delta := 'SELECT line_id, -count(*) AS n FROM old_rows WHERE line_id IS NOT NULL GROUP BY line_id';
    ELSE
        delta := 'SELECT line_id, sum(n) AS n FROM (SELECT line_id, 1 AS n FROM new_rows '
                 'UNION ALL SELECT line_id, -1 FROM old_rows) AS c WHERE line_id IS NOT NULL '
                 'GROUP BY line_id HAVING sum(n) <> 0';
    END IF;
    -- In line id order: two statements changing the same lines lock them alike.
    EXECUTE format(
        'UPDATE %I.licensing_subscriptionline AS l SET units_used = l.units_used + d.n '
        'FROM (%s ORDER BY line_id) AS d WHERE l.id = d.line_id', TG_TABLE_SCHEMA, delta);
    RETURN NULL;
END
$$;
"""

TRIGGERS = [
    f"""CREATE TRIGGER licensing_line_units_{operation.lower()}
    AFTER {operation} ON licensing_licenseassignment
    REFERENCING {tables}
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_line_units_changed()"""
    for operation, tables in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    )
]

COLUMN = "ALTER TABLE licensing_subscriptionline ADD COLUMN units_used integer NOT NULL DEFAULT 0"
RECOUNT = """
UPDATE licensing_subscriptionline AS l
SET units_used = (SELECT count(*) FROM licensing_licenseassignment AS a WHERE a.line_id = l.id)
"""


class Migration(migrations.Migration):
    dependencies = [("licensing", "0006_scim_verbose_names")]

    operations = [
        migrations.RunSQL(
            sql=[COLUMN, FUNCTION, *TRIGGERS, RECOUNT],
            reverse_sql=[
                *(
                    f"DROP TRIGGER IF EXISTS licensing_line_units_{op} ON licensing_licenseassignment"
                    for op in ("insert", "delete", "update")
                ),
                "DROP FUNCTION IF EXISTS licensing_line_units_changed()",
                "ALTER TABLE licensing_subscriptionline DROP COLUMN units_used",
            ],
        )
    ]
