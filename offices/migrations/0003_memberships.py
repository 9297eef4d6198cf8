"""Every account of the back office (staff, treasurer, head) worked at the one office there was."""

from django.db import migrations

from offices.upgrade import upgrade_office

BACK_OFFICE_GROUPS = ["pst_staff", "treasurer", "head"]


def memberships_for_the_office(apps, schema_editor):
    Membership = apps.get_model("offices", "OfficeMembership")
    User = apps.get_model("users", "User")
    people = User.objects.filter(groups__name__in=BACK_OFFICE_GROUPS).distinct()
    if not people.exists():
        return
    office = upgrade_office(apps)
    Membership.objects.bulk_create(
        [Membership(user=user, office=office) for user in people], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0002_office_from_settings"),
        ("users", "0002_roles"),
    ]
    operations = [migrations.RunPython(memberships_for_the_office, migrations.RunPython.noop)]
