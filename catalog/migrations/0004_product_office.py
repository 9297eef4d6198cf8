"""Every product is published by an office; those made before offices existed belong to the one
office the installation served (OFFICE_CODE, see offices 0002)."""

import os

import django.db.models.deletion
from django.db import migrations, models


def products_to_the_office(apps, schema_editor):
    Office = apps.get_model("offices", "Office")
    Product = apps.get_model("catalog", "Product")
    if not Product.objects.exists():
        return
    office = Office.objects.get(code=os.environ.get("OFFICE_CODE") or "3304")
    Product.objects.filter(office__isnull=True).update(office=office)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_product_list_indexes"),
        ("offices", "0002_office_from_settings"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="office",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="products",
                to="offices.office",
                verbose_name="published by",
            ),
        ),
        migrations.RunPython(products_to_the_office, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="product",
            name="office",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="products",
                to="offices.office",
                verbose_name="published by",
            ),
        ),
    ]
