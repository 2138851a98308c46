"""The basic licenses become entitlements included with every org (SPEC §5, issue 9 §1).

Every user keeps every basic license it holds: its assignment stays, only its line
goes (``line`` becomes NULL). Then the subscription lines of basic licenses are
dropped (and with them their place in auto-license templates): a basic license is
drawn from no subscription and has no quantity. Irreversible by nature — the
quantities bought of something free have no meaning left.
"""

import django.db.models.deletion
from django.db import migrations, models

BASIC = ("basic_messaging", "basic_space_meetings", "call_on_webex")


def keep_holders_drop_lines(apps, schema_editor):
    LicenseAssignment = apps.get_model("licensing", "LicenseAssignment")
    SubscriptionLine = apps.get_model("licensing", "SubscriptionLine")
    AutoLicenseTemplate = apps.get_model("licensing", "AutoLicenseTemplate")
    LicenseAssignment.objects.filter(license_type__in=BASIC).update(line=None, kind="basic")
    lines = SubscriptionLine.objects.filter(license_type__in=BASIC)
    AutoLicenseTemplate.lines.through.objects.filter(subscriptionline__in=lines).delete()
    lines.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("calling", "0005_provisioning_reason_invalid_name"),
        ("licensing", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="licenseassignment",
            name="line",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty for the included basic licenses.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assignments",
                to="licensing.subscriptionline",
            ),
        ),
        migrations.RunPython(keep_holders_drop_lines, migrations.RunPython.noop),
    ]
