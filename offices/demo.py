"""The demo network: the centre and the three offices whose service standards the portal is
built from, each with a staff member, a treasurer and a head; and a national administrator.

Addresses, e-mails and WhatsApp numbers are the ones the offices publish in their service
standards; bank accounts, Simponi work-unit codes, NIPs and the Tana Tidung street address are
made up for the demo (marked so) and must be replaced by an office's real ones.
"""

from silastik.users.demo import demo_user_save
from silastik.users.models import User
from silastik.users.roles import Role

from .models import Office, OfficeMembership, OfficeTimeZone

DEMO_OFFICE = "3304"  # the existing demo accounts (petugas@, bendahara@, ketua@) work here

OFFICES = [
    {
        "code": "0000",
        "name": "Badan Pusat Statistik",
        "street_address": "Jl. Dr. Sutomo No. 6-8, Jakarta 10710",
        "city": "Jakarta",
        "phone": "(021) 3841195",
        "email": "pst@bps.go.id",
        "time_zone": OfficeTimeZone.WIB,
        "satker_code": "000001",  # demo
        "account_code": "425139",  # demo
    },
    {
        "code": "1600",
        "name": "BPS Provinsi Sumatera Selatan",
        "street_address": "Jl. Kapten Anwar Sastro No. 1694, Palembang, Sumatera Selatan 30129",
        "city": "Palembang",
        "email": "bps1600@bps.go.id",
        "whatsapp": "0813 3378 3485",
        "time_zone": OfficeTimeZone.WIB,
        "postal_address": (
            "Direktur Diseminasi Statistik, Badan Pusat Statistik, Jl. Kapten Anwar Sastro "
            "No. 1694, Palembang, Sumatera Selatan 30129"
        ),
        "complaint_channels": (
            "Kotak saran & pengaduan di PST BPS Provinsi Sumatera Selatan; "
            "https://pengaduan.bps.go.id; diseminasi1600@bps.go.id"
        ),
        "satker_code": "160001",  # demo
        "account_code": "425139",  # demo
    },
    {
        "code": "3300",
        "name": "BPS Provinsi Jawa Tengah",
        "street_address": "Jl. Pahlawan No. 6, Semarang 50241",
        "city": "Semarang",
        "email": "bps3300@bps.go.id",
    },
    {
        "code": "3304",
        "name": "BPS Kabupaten Banjarnegara",
        "street_address": "Jl. Selamanik No. 33, Banjarnegara, Jawa Tengah 53415",
        "city": "Banjarnegara",
        "phone": "(0286) 591893",
        "email": "bps3304@bps.go.id",
        "time_zone": OfficeTimeZone.WIB,
        "complaint_channels": (
            "Kotak saran & pengaduan di PST BPS Kabupaten Banjarnegara; "
            "https://webapps.bps.go.id/pengaduan; bps3304@bps.go.id"
        ),
        "satker_code": "330401",  # demo
        "account_code": "425139",  # demo
    },
    {
        "code": "6500",
        "name": "BPS Provinsi Kalimantan Utara",
        "street_address": "Tanjung Selor, Kalimantan Utara",
        "city": "Tanjung Selor",
        "email": "bps6500@bps.go.id",
        "time_zone": OfficeTimeZone.WITA,
    },
    {
        "code": "6503",
        "name": "BPS Kabupaten Tana Tidung",
        "street_address": "Tideng Pale, Kabupaten Tana Tidung, Kalimantan Utara",  # demo
        "city": "Tideng Pale",
        "email": "ipds6503@bps.go.id",
        "whatsapp": "0812 5565 0671",
        "time_zone": OfficeTimeZone.WITA,
        "complaint_channels": (
            "Kotak saran & pengaduan pada unit PST BPS Kabupaten Tana Tidung; "
            "https://webapps.bps.go.id/pengaduan"
        ),
        "satker_code": "650301",  # demo
        "account_code": "425139",  # demo
    },
]

# Made-up signatories and accounts (demo), so that every document of the demo is complete.
SIGNATORIES = {
    "0000": (
        "Dr. Amalia Adininggar Widyasanti",
        "197812242000122001",
        "Rina Handayani",
        "198001012005022001",
    ),
    "1600": ("Moh. Wahyu Yulianto", "197207121994011001", "Siti Aminah", "198203042006042002"),
    "3304": ("Ir. Bambang Sutopo", "197011051994031002", "Dewi Lestari", "198511052008012003"),
    "6503": ("Andi Rahman", "197503172000031003", "Yohana Lidia", "198908142012122001"),
}
ACCOUNTS = {
    "0000": ("Bank Mandiri", "122 00 0012345 6"),
    "1600": ("Bank Sumsel Babel", "150 09 00123 4"),
    "3304": ("Bank Mandiri", "136 00 1234567 8"),
    "6503": ("Bank Mandiri", "149 00 7654321 0"),
}

PEOPLE = [
    # The demo accounts of seed_demo work at Banjarnegara.
    ("petugas@example.com", "3304"),
    ("bendahara@example.com", "3304"),
    ("ketua@example.com", "3304"),
]
ROLE_PREFIX = {Role.PST_STAFF: "petugas", Role.TREASURER: "bendahara", Role.HEAD: "ketua"}
ROLE_TITLE = {Role.PST_STAFF: "Petugas PST", Role.TREASURER: "Bendahara", Role.HEAD: "Ketua Tim"}


def offices_demo_seed() -> None:
    """Create or update the demo offices and their people. Safe to run again."""
    for spec in OFFICES:
        office = Office.objects.filter(code=spec["code"]).first() or Office(code=spec["code"])
        for field, value in spec.items():
            setattr(office, field, value)
        if spec["code"] in SIGNATORIES:
            head, head_nip, treasurer, treasurer_nip = SIGNATORIES[spec["code"]]
            bank, number = ACCOUNTS[spec["code"]]
            office.head_name, office.head_nip = head, head_nip
            office.treasurer_name, office.treasurer_nip = treasurer, treasurer_nip
            office.bank_name, office.bank_account_number = bank, number
            office.bank_account_holder = f"Bendahara Penerimaan {office.name}"
            office.bank_swift = "BMRIIDJA" if bank == "Bank Mandiri" else "BSSPIDSP"
            office.echelon_code = "01"
        office.is_active = True
        office.save()
    for email, code in PEOPLE:
        _member(email=email, code=code)
    for code in ("0000", "1600", "6503"):
        for role, prefix in ROLE_PREFIX.items():
            person = demo_user_save(
                {
                    "email": f"{prefix}.{code}@example.com",
                    "full_name": f"{ROLE_TITLE[role]} {code}",
                    "role": role,
                }
            )
            _member(email=person.email, code=code)
    demo_user_save(
        {
            "email": "nasional@example.com",
            "full_name": "Administrator Nasional",
            "role": Role.NATIONAL_ADMIN,
        }
    )


def _member(*, email: str, code: str) -> None:
    user = User.objects.filter(email=email).first()
    if user is not None:
        OfficeMembership.objects.update_or_create(
            user=user, defaults={"office": Office.objects.get(code=code)}
        )
