"""An installation that served one office (its facts in OFFICE_* variables) keeps serving it:
that office becomes the first row, with its parents, and the later migrations of the other apps
give it every existing product, order, visit and account of the back office. A new, empty
installation gets no office here."""

import os

from django.db import migrations

DEFAULT = {
    "code": "3304",
    "name": "BPS Kabupaten Banjarnegara",
    "address": "Jl. Selamanik No. 33, Banjarnegara, Jawa Tengah 53415",
    "phone": "(0286) 591893",
    "email": "bps3304@bps.go.id",
}


def _setting(name: str) -> str:
    return os.environ.get(f"OFFICE_{name.upper()}") or DEFAULT[name]


def office_from_settings(apps, schema_editor):
    Office = apps.get_model("offices", "Office")
    User = apps.get_model("users", "User")
    Product = apps.get_model("catalog", "Product")
    # A new installation starts with no office (the national administrator adds them, or
    # seed_demo); one that has accounts or a catalogue keeps serving its office.
    used = User.objects.exists() or Product.objects.exists()
    if not used and "OFFICE_CODE" not in os.environ:
        return
    code = _setting("code")
    if Office.objects.filter(code=code).exists():
        return
    centre, _created = Office.objects.get_or_create(
        code="0000",
        defaults={
            "name": "Badan Pusat Statistik",
            "level": "centre",
            "street_address": "Jl. Dr. Sutomo No. 6-8, Jakarta 10710",
            "city": "Jakarta",
            "email": "pst@bps.go.id",
        },
    )
    parent = centre
    if code != "0000" and not code.endswith("00"):
        parent, _created = Office.objects.get_or_create(
            code=code[:2] + "00",
            defaults={
                "name": f"BPS Provinsi {code[:2]}",
                "level": "province",
                "parent": centre,
                "street_address": "-",
                "city": "-",
                "email": f"bps{code[:2]}00@bps.go.id",
                "is_active": False,  # a placeholder for the hierarchy until it is filled in
            },
        )
    if code == "0000":
        return
    address = _setting("address")
    Office.objects.create(
        code=code,
        name=_setting("name"),
        level="province" if code.endswith("00") else "regency",
        parent=parent if not code.endswith("00") else centre,
        street_address=address,
        city=address.split(",")[1].strip() if "," in address else address,
        phone=_setting("phone"),
        email=_setting("email"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0001_initial"),
        ("users", "0002_roles"),
        ("catalog", "0003_product_list_indexes"),
    ]
    operations = [migrations.RunPython(office_from_settings, migrations.RunPython.noop)]
