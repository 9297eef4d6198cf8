"""An installation that served one office (its facts in OFFICE_* variables) keeps serving it:
that office becomes the first row, with its parents (offices/upgrade.py), and the later
migrations of the other apps give it every existing product, order, visit and account of the
back office. A new, empty installation gets no office here."""

import os

from django.db import migrations

from offices.upgrade import upgrade_office


def office_from_settings(apps, schema_editor):
    User = apps.get_model("users", "User")
    Product = apps.get_model("catalog", "Product")
    used = User.objects.exists() or Product.objects.exists()
    if used or "OFFICE_CODE" in os.environ:
        upgrade_office(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0001_initial"),
        ("users", "0002_roles"),
        ("catalog", "0003_product_list_indexes"),
    ]
    operations = [migrations.RunPython(office_from_settings, migrations.RunPython.noop)]
