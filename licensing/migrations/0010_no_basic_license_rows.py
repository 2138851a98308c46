"""Step 3 of 3: the database backs the new rule — no license row is a basic license
(every row has a line), and a user's ``basic_licenses`` names only catalogue bits."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("licensing", "0009_move_basic_license_rows")]

    operations = [
        migrations.AddConstraint(
            model_name="licenseassignment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "basic"), _negated=True), ("line__isnull", False)
                ),
                name="no_basic_license_rows",
            ),
        ),
        migrations.AddConstraint(
            model_name="orguser",
            constraint=models.CheckConstraint(
                condition=models.Q(("basic_licenses__lte", 7)),
                name="basic_licenses_of_the_catalogue",
            ),
        ),
    ]
