import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from silastik.mail.models import OutboundEmail
from silastik.mail.services import email_render
from silastik.users.models import Domicile, IdentityType, Segment, User

PASSWORD = "a-Str0ng-passphrase"
OFFICE_ROLES = frozenset({"pst_staff", "treasurer", "head"})


def office(code: str = "3304", **fields):
    """An office of the network (its parents too, so the hierarchy is whole)."""
    from offices.models import Office, OfficeLevel, OfficeTimeZone, level_of, parent_code_of

    parent = parent_code_of(code)
    if parent:
        office(parent)
    names = {"0000": "Badan Pusat Statistik", "3300": "BPS Provinsi Jawa Tengah"}
    defaults = {
        "name": names.get(code)
        or ("BPS Provinsi" if level_of(code) == OfficeLevel.PROVINCE else "BPS Kabupaten")
        + f" {code}",
        "street_address": f"Jl. Statistik No. {code}",
        "city": "Banjarnegara" if code == "3304" else f"Kota {code}",
        "email": f"bps{code}@bps.go.id",
        "time_zone": OfficeTimeZone.WIB,
        **fields,
    }
    return Office.objects.get_or_create(code=code, defaults=defaults)[0]


def default_office():
    """BPS Kabupaten Banjarnegara (3304), where the tests' people work unless told otherwise."""
    return office(
        "3304",
        name="BPS Kabupaten Banjarnegara",
        street_address="Jl. Selamanik No. 33, Banjarnegara, Jawa Tengah 53415",
        phone="(0286) 591893",
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name", locale="id_ID")
    email_verified_at = factory.LazyFunction(timezone.now)
    phone = "0812 3456 7890"
    id_type = IdentityType.KTP
    id_number = factory.Sequence(lambda n: f"{3304010101900000 + n}")
    segment = Segment.GENERAL
    domicile = Domicile.DOMESTIC
    country = "ID"
    address = "Jl. Selamanik No. 1, Banjarnegara"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        if create:
            self.save()

    @factory.post_generation
    def office(self, create: bool, extracted, **kwargs) -> None:
        """Staff, treasurers and heads work at an office: Banjarnegara (3304) unless one is
        given; `office=False` leaves them without one."""
        if not create or self.is_superuser or extracted is False:
            return
        if not self.groups.filter(name__in=OFFICE_ROLES).exists():
            return
        from offices.models import OfficeMembership

        OfficeMembership.objects.update_or_create(
            user=self, defaults={"office": extracted or default_office()}
        )


def outbox_message(*, to: str = "someone@example.com", language: str = "id") -> OutboundEmail:
    """A pending outbox row, as email_queue leaves it but without enqueueing a delivery."""
    subject, text, html = email_render(
        template="verify_email",
        context={"user": {"full_name": "Tester"}, "link": "https://x/", "days": 3},
        language=language,
    )
    return OutboundEmail.objects.create(
        to=to,
        template="verify_email",
        language=language,
        subject=subject,
        body_text=text,
        body_html=html,
    )


# --- catalog --------------------------------------------------------------------------------------


def region(code: str, name: str):
    from catalog.models import Region

    parent = Region.parent_code(code)
    obj, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": len(code), "parent_id": parent}
    )
    return obj


def banjarnegara():
    """Jawa Tengah > Banjarnegara with three sub-districts of two villages each."""
    region("33", "JAWA TENGAH")
    regency = region("3304", "BANJARNEGARA")
    for sub, name in [("3304050", "BAWANG"), ("3304060", "BANJARNEGARA"), ("3304160", "BATUR")]:
        region(sub, name)
        region(f"{sub}001", f"{name} SATU")
        region(f"{sub}002", f"{name} DUA")
    return regency


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Subject"
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Subjek {n}")
    name_en = factory.Sequence(lambda n: f"Subject {n}")
    slug = factory.Sequence(lambda n: f"subject-{n}")


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Publication"

    office = factory.LazyFunction(default_office)

    title = factory.Sequence(lambda n: f"Statistik Daerah {n}")
    slug = factory.Sequence(lambda n: f"statistik-daerah-{n}")
    description = "Publikasi tahunan tentang kondisi sosial ekonomi daerah."
    year = 2024
    subject = factory.SubFactory(SubjectFactory)
    page_count = 120
    catalogue_number = "1102001.3304"


class DatasetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Dataset"
        skip_postgeneration_save = True

    office = factory.LazyFunction(default_office)

    title = factory.Sequence(lambda n: f"Survei Contoh {n}")
    slug = factory.Sequence(lambda n: f"survei-contoh-{n}")
    survey_name = "Survei Contoh"
    year = 2024
    full_size_bytes = 25_000_000

    @factory.post_generation
    def codebook(self, create: bool, extracted, **kwargs) -> None:
        """Two files (households 1.000 records, persons 4.000) with four variables each."""
        from catalog.models import Category, DataFile, Variable

        if not create or extracted is False:
            return
        for position, (file_id, name, records) in enumerate(
            [("F1", "Rumah tangga", 1_000), ("F2", "Individu", 4_000)]
        ):
            data_file = DataFile.objects.create(
                dataset=self, file_id=file_id, name=name, records=records, position=position
            )
            for i, (var, label, width) in enumerate(
                [
                    ("R101", "Provinsi", 2),
                    ("R102", "Kabupaten/Kota", 2),
                    (f"{file_id}_B1", "Jumlah anggota", 3),
                    (f"{file_id}_B2", "Status pekerjaan", 5),
                ]
            ):
                v = Variable.objects.create(
                    dataset=self,
                    file=data_file,
                    name=var,
                    label=label,
                    width=width,
                    position=i,
                    category_count=2 if var.endswith("B2") else 0,
                )
                if var.endswith("B2"):
                    Category.objects.create(variable=v, value="1", label="Bekerja", position=0)
                    Category.objects.create(
                        variable=v, value="2", label="Tidak bekerja", position=1
                    )


class DigitalMapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.DigitalMap"

    office = factory.LazyFunction(default_office)

    title = factory.Sequence(lambda n: f"Peta Wilkerstat {n}")
    slug = factory.Sequence(lambda n: f"peta-wilkerstat-{n}")
    year = 2024
    level = "subdistrict"


# --- the walk-in desk -----------------------------------------------------------------------------


def walk_in_desk(office=None, number: int = 1):
    """A counter (loket) of the office, Banjarnegara unless given; made when it is missing (a
    transactional test before may have flushed the ones the migration makes)."""
    from desk.models import Desk

    return Desk.objects.get_or_create(
        office=office or default_office(), number=number, defaults={"name": f"Loket {number}"}
    )[0]
