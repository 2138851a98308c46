"""The one-exclusive-job rule reads a flag the registry sets, not a list of app kinds."""

from django.db import migrations, models

# The kinds that were exclusive before the registry existed (jobs started before this
# migration keep their rule).
EXCLUSIVE_BEFORE = ["user_csv", "workspace_csv", "agent_csv", "directory_sync", "template_apply"]


def mark_exclusive(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("jobs", "OrgJob").objects.filter(kind__in=EXCLUSIVE_BEFORE).update(
        exclusive=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0003_template_apply_is_exclusive"),
    ]

    operations = [
        migrations.AddField(
            model_name="orgjob",
            name="exclusive",
            field=models.BooleanField(
                default=False,
                help_text="Rewrites users or workspaces in bulk: one such job at a time.",
            ),
        ),
        migrations.AddField(
            model_name="orgjob",
            name="worker",
            field=models.CharField(
                blank=True, help_text="host:pid that claimed it.", max_length=100
            ),
        ),
        migrations.AlterField(
            model_name="orgjob",
            name="kind",
            field=models.CharField(
                help_text="A kind an app registered (registry.py).", max_length=20
            ),
        ),
        migrations.RunPython(mark_exclusive, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="orgjob",
            name="one_active_csv_job_per_org",
        ),
        migrations.AddConstraint(
            model_name="orgjob",
            constraint=models.UniqueConstraint(
                models.Value(True),
                condition=models.Q(
                    ("exclusive", True), ("status__in", ["queued", "validating", "running"])
                ),
                name="one_active_csv_job_per_org",
            ),
        ),
    ]
