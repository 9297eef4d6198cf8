"""Every account of the back office (staff, treasurer, head) worked at the one office there was."""

import os

from django.db import migrations

BACK_OFFICE_GROUPS = ["pst_staff", "treasurer", "head"]


def memberships_for_the_office(apps, schema_editor):
    Office = apps.get_model("offices", "Office")
    Membership = apps.get_model("offices", "OfficeMembership")
    User = apps.get_model("users", "User")
    office = Office.objects.filter(code=os.environ.get("OFFICE_CODE") or "3304").first()
    if office is None:
        return
    people = User.objects.filter(groups__name__in=BACK_OFFICE_GROUPS).distinct()
    Membership.objects.bulk_create(
        [Membership(user=user, office=office) for user in people], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0002_office_from_settings"),
        ("users", "0002_roles"),
    ]
    operations = [migrations.RunPython(memberships_for_the_office, migrations.RunPython.noop)]
