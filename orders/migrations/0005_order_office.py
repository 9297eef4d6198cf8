"""Orders are served by an office; those sent before offices existed were served by the one
office of the installation (OFFICE_CODE). Order numbers come from one national sequence per
year from now on, continuing after the highest number already given."""

import re

import django.db.models.deletion
from django.db import migrations, models

from offices.upgrade import upgrade_office

NUMBER = re.compile(r"PST-(\d{4})-(\d+)")


def orders_to_the_office(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    Sequence = apps.get_model("offices", "NumberSequence")
    sent = Order.objects.exclude(status="draft")
    if sent.exists():
        office = upgrade_office(apps)
        sent.filter(office__isnull=True).update(office=office)
    highest: dict[int, int] = {}
    for number in sent.exclude(number=None).values_list("number", flat=True).iterator():
        match = NUMBER.fullmatch(number)
        if match:
            year, seq = int(match[1]), int(match[2])
            highest[year] = max(highest.get(year, 0), seq)
    for year, last in highest.items():
        Sequence.objects.update_or_create(
            kind="order", office=None, year=year, defaults={"last": last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0004_number_sequence"),
        ("orders", "0004_event_action_and_line_kind_choices"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="office",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="orders",
                to="offices.office",
                verbose_name="office",
            ),
        ),
        migrations.RunPython(orders_to_the_office, migrations.RunPython.noop),
    ]
