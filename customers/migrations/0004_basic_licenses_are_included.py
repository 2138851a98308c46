"""The basic licenses are included with every org (SPEC §5, issue 9 §1): the partner's
customer list no longer shows them as bought or used. The tenant migration
``licensing.0002`` drops their lines; this drops their figures from the public summary
(each org's next summary push would too, but an org may not change for months)."""

from django.db import migrations

BASIC = ("basic_messaging", "basic_space_meetings", "call_on_webex")


def drop_basic_usage(apps, schema_editor):
    apps.get_model("customers", "CustomerUsage").objects.filter(service__in=BASIC).delete()


class Migration(migrations.Migration):
    dependencies = [("customers", "0003_launchticket")]

    operations = [migrations.RunPython(drop_basic_usage, migrations.RunPython.noop)]
