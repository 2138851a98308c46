"""License assignments lose the three single-column indexes of their foreign keys:
the (line, license_type) index and the partial unique indexes of "one license of a
type per holder" lead with the same columns and serve every look-up (a user CSV
import writes four assignments per new user; each index is paid on every row).

The indexes are dropped by name: ``AlterField(db_index=False)`` would drop every
single-column index on ``user_id``, the ``user_holds_one_package`` constraint too."""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "licensing_licenseassignment"
DROPPED = {  # index name → column (Django's names, the same in every schema)
    "licensing_licenseassignment_line_id_953e0904": "line_id",
    "licensing_licenseassignment_user_id_83e9ada6": "user_id",
    "licensing_licenseassignment_workspace_id_0adbc418": "workspace_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("calling", "0006_scim_failure_reason"),
        ("licensing", "0004_scim"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=[f'DROP INDEX IF EXISTS "{name}"' for name in DROPPED],
                    reverse_sql=[
                        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{TABLE}" ("{column}")'
                        for name, column in DROPPED.items()
                    ],
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="licenseassignment",
                    name="line",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="Empty for the included basic licenses.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments",
                        to="licensing.subscriptionline",
                    ),
                ),
                migrations.AlterField(
                    model_name="licenseassignment",
                    name="user",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="licenses",
                        to="licensing.orguser",
                    ),
                ),
                migrations.AlterField(
                    model_name="licenseassignment",
                    name="workspace",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="licenses",
                        to="calling.workspace",
                    ),
                ),
            ],
        )
    ]
