"""The basic licenses move onto the user (``OrgUser.basic_licenses``, a bit mask): step
1 of 3, the field, and the old rule "only basic licenses without a line" goes (its
replacement, "no basic license rows", is 0010, once 0009 moved the rows). Three
migrations because PostgreSQL refuses ALTER TABLE while data changes of the same
transaction have pending trigger events (as 0002 / 0003)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("licensing", "0007_line_units_used")]

    operations = [
        migrations.RemoveConstraint(
            model_name="licenseassignment",
            name="only_basic_licenses_without_line",
        ),
        migrations.AddField(
            model_name="orguser",
            name="basic_licenses",
            field=models.PositiveSmallIntegerField(
                db_default=0,
                default=0,
                help_text="Bit mask; see the catalogue.",
                verbose_name="basic licenses",
            ),
        ),
    ]
