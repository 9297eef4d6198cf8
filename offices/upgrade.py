"""For the data migrations that turn a single-office installation into a network: the one office
it served, from its OFFICE_* variables, made on first need with its parents. Every app's
migration that gives existing rows an office calls `upgrade_office(apps)`, so it does not matter
which of them runs first, or which app had rows. Historical models only (`apps.get_model`)."""

import os

DEFAULT = {
    "code": "3304",
    "name": "BPS Kabupaten Banjarnegara",
    "address": "Jl. Selamanik No. 33, Banjarnegara, Jawa Tengah 53415",
    "phone": "(0286) 591893",
    "email": "bps3304@bps.go.id",
}


def _setting(name: str) -> str:
    return os.environ.get(f"OFFICE_{name.upper()}") or DEFAULT[name]


def upgrade_office(apps):
    """The office the installation served (made if it is not there yet)."""
    Office = apps.get_model("offices", "Office")
    code = _setting("code")
    found = Office.objects.filter(code=code).first()
    if found is not None:
        return found
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
    if code == "0000":
        return centre
    parent = centre
    if not code.endswith("00"):
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
    address = _setting("address")
    return Office.objects.create(
        code=code,
        name=_setting("name"),
        level="province" if code.endswith("00") else "regency",
        parent=parent,
        street_address=address,
        city=address.split(",")[1].strip() if "," in address else address,
        phone=_setting("phone"),
        email=_setting("email"),
    )
