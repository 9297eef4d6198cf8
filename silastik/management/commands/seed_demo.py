from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from silastik.users.demo import DEMO_PASSWORD, demo_user_save
from silastik.users.models import Domicile, IdentityType, Segment
from silastik.users.roles import Role

DEMO_USERS = [
    {
        "email": "pelanggan@example.com",
        "full_name": "Siti Rahmawati",
        "phone": "0812 2700 1234",
        "id_type": IdentityType.KTP,
        "id_number": "3304015507900002",
        "segment": Segment.RESEARCHER,
        "institution": "Universitas Jenderal Soedirman",
        "domicile": Domicile.DOMESTIC,
        "country": "ID",
        "address": "Jl. Dipayuda No. 12, Banjarnegara, Jawa Tengah 53412",
    },
    {
        "email": "foreign@example.com",
        "full_name": "Emma Lindqvist",
        "phone": "+46 70 123 45 67",
        "id_type": IdentityType.PASSPORT,
        "id_number": "AA1234567",
        "segment": Segment.RESEARCHER,
        "institution": "Uppsala University",
        "domicile": Domicile.ABROAD,
        "country": "SE",
        "address": "Box 256, 751 05 Uppsala, Sweden",
        "language": "en",
    },
    {
        "email": "petugas@example.com",
        "full_name": "Agus Prasetyo",
        "nip": "198703122010031002",
        "role": Role.PST_STAFF,
    },
    {
        "email": "bendahara@example.com",
        "full_name": "Dewi Lestari",
        "nip": "198511052008012003",
        "role": Role.TREASURER,
    },
    {
        "email": "ketua@example.com",
        "full_name": "Bambang Wijaya",
        "nip": "197604202000031001",
        "role": Role.HEAD,
    },
    {"email": "admin@example.com", "full_name": "Administrator", "superuser": True},
]


class Command(BaseCommand):
    help = "Create demo accounts and a demo catalog. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off (production)."
        )

    @transaction.atomic
    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password; it refuses to run with "
                "DEBUG off. Add --force if you really mean it."
            )
        for spec in DEMO_USERS:
            demo_user_save(dict(spec))
        # Each app seeds its own part, named in settings: the core imports no app.
        for path in settings.DEMO_SEEDERS:
            import_string(path)()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo accounts ({len(DEMO_USERS)}, password: {DEMO_PASSWORD}) and catalog ready"
            )
        )
