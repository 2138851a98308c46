"""Backs the rule of 0002 with the database: a basic license has no line, every other
license has one; a subscription line never carries a basic license. (A separate
migration: PostgreSQL refuses ALTER TABLE while the data changes of 0002 have
pending trigger events in the same transaction.)"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("licensing", "0002_basic_licenses_are_included")]

    operations = [
        migrations.AlterField(
            model_name="subscriptionline",
            name="license_type",
            field=models.CharField(
                choices=[
                    ("webex_calling", "Webex Calling"),
                    ("webex_calling_standard", "Webex Calling Standard"),
                    ("webex_suite", "Webex Suite"),
                    ("webex_voice", "Webex Voice"),
                    ("webex_meetings", "Webex Meetings"),
                    ("common_area_calling", "Common Area Calling"),
                    ("cc_standard", "Webex Contact Center Standard"),
                    ("cc_premium", "Webex Contact Center Premium"),
                    ("workspace_calling", "Workspace Calling"),
                ],
                max_length=40,
            ),
        ),
        migrations.AddConstraint(
            model_name="licenseassignment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "basic"), ("line__isnull", True)),
                    models.Q(models.Q(("kind", "basic"), _negated=True), ("line__isnull", False)),
                    _connector="OR",
                ),
                name="only_basic_licenses_without_line",
            ),
        ),
    ]
