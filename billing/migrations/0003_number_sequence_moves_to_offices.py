"""Invoice and receipt numbers run per office: the numbers given so far were the one office's
(OFFICE_CODE), and continue from where they were."""

from django.db import migrations

from offices.upgrade import upgrade_office


def sequences_to_the_office(apps, schema_editor):
    Old = apps.get_model("billing", "DocumentSequence")
    New = apps.get_model("offices", "NumberSequence")
    if not Old.objects.exists():
        return
    office = upgrade_office(apps)
    for row in Old.objects.all():
        New.objects.update_or_create(
            kind=row.kind, office=office, year=row.year, defaults={"last": row.last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0002_alter_payment_status"),
        ("offices", "0004_number_sequence"),
    ]

    operations = [
        migrations.RunPython(sequences_to_the_office, migrations.RunPython.noop),
        migrations.DeleteModel(name="DocumentSequence"),
    ]
