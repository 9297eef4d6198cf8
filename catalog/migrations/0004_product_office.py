"""Every product is published by an office; those made before offices existed belong to the one
office the installation served (OFFICE_CODE, see offices 0002)."""

import django.db.models.deletion
from django.db import migrations, models

from offices.upgrade import upgrade_office


def products_to_the_office(apps, schema_editor):
    Product = apps.get_model("catalog", "Product")
    if not Product.objects.exists():
        return
    office = upgrade_office(apps)
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
