"""A large synthetic catalog for `make bench`: the national catalog at scale, 200.000
publications over 571 offices and 100 datasets of 2.500 variables (on SQLite, which searches
with LIKE, a tenth of the publications). Runs once per database; refuses when DEBUG is off
unless --force or the database is named *bench*."""

import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from catalog.models import (
    Category,
    DataFile,
    Dataset,
    Product,
    ProductKind,
    Publication,
    Subject,
    Variable,
)
from catalog.services import products_reindex
from offices.models import CENTRE_CODE, Office, OfficeLevel

WORDS = (
    "penduduk kependudukan tenaga kerja pengangguran kemiskinan pertanian padi jagung "
    "hortikultura perkebunan peternakan perikanan industri pengolahan perdagangan harga inflasi "
    "konsumsi pengeluaran pendapatan regional kesehatan pendidikan sekolah desa kecamatan "
    "kabupaten provinsi statistik indikator kesejahteraan rakyat ekonomi pariwisata hotel "
    "transportasi energi listrik air bersih perumahan lingkungan hidup gender pemuda lansia"
).split()
# Descriptions mix the subject words with a long tail of other words, as real abstracts do, so a
# search word matches a realistic share of the catalog rather than half of it.
SYLLABLES = (
    "ba ka la ma na pa ra sa ta wa bu ku lu mu nu pu ru su tu wu bi ki li mi ni pi ri si ti wi"
).split()
TAIL = sorted(
    {a + b + c for a in SYLLABLES[:12] for b in SYLLABLES[10:22] for c in SYLLABLES[20:]}
)[:800]
PREFIXES = ["Statistik", "Indikator", "Profil", "Analisis", "Keadaan", "Laporan", "Ringkasan"]
PLACES = [
    "Banjarnegara",
    "Banyumas",
    "Cilacap",
    "Purbalingga",
    "Wonosobo",
    "Kebumen",
    "Jawa Tengah",
]
BATCH = 2_000


class Command(BaseCommand):
    help = "Fill the database with a large synthetic catalog for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--publications", type=int, default=None)
        parser.add_argument("--datasets", type=int, default=100)
        parser.add_argument("--variables", type=int, default=2_500)
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, publications, datasets, variables, force, **options):
        if (
            not settings.DEBUG
            and not force
            and "bench" not in str(connection.settings_dict["NAME"])
        ):
            raise CommandError(
                "Refusing to fill a database not named *bench* with DEBUG off; use --force."
            )
        if Product.objects.filter(slug__startswith="bench-").exists():
            self.stdout.write("The benchmark catalog is already there.")
            return
        if publications is None:
            publications = 200_000 if connection.vendor == "postgresql" else 20_000
        started = time.monotonic()
        rng = random.Random(20261122)
        # Named apart from the demo's subjects (names are unique), so seed_demo --force can
        # add the demo accounts and catalog to a bench database for the HTTP phase's logins.
        subjects = [
            Subject.objects.get_or_create(
                slug=f"bench-{w}", defaults={"name": f"{w.title()} (bench)", "name_en": w}
            )[0]
            for w in WORDS[:12]
        ]
        with transaction.atomic():
            self.offices = bench_offices()
            self._publications(publications, subjects, rng)
            self._datasets(datasets, variables, subjects, rng)
        products_reindex()
        if connection.vendor == "postgresql" and "bench" in str(connection.settings_dict["NAME"]):
            # SSD storage, as docs/operations.md advises for the national catalog: without it
            # the planner reads the whole table for a search instead of its full-text index.
            with connection.cursor() as cursor:
                name = connection.ops.quote_name(connection.settings_dict["NAME"])
                cursor.execute(f"ALTER DATABASE {name} SET random_page_cost = 1.1")
        if connection.vendor == "postgresql":
            # What autovacuum does some time after a bulk load: statistics and the visibility map.
            # VACUUM cannot run inside a transaction (the tests wrap each test in one).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(f"Benchmark catalog ready in {time.monotonic() - started:.0f} s.")

    def _title(self, rng: random.Random) -> str:
        words = " ".join(rng.sample(WORDS, 3))
        return (
            f"{rng.choice(PREFIXES)} {words.title()} {rng.choice(PLACES)} {rng.randint(2010, 2025)}"
        )

    def _parents(self, kind: str, count: int, subjects, rng, label: str) -> list[Product]:
        parents = [
            Product(
                kind=kind,
                title=self._title(rng),
                slug=f"bench-{label}-{i}",
                description=" ".join(rng.choices(WORDS, k=3) + rng.choices(TAIL, k=37)),
                year=rng.randint(2010, 2025),
                subject=rng.choice(subjects),
                # Spread over the national network, as a national catalogue would be.
                office=self.offices[i % len(self.offices)],
            )
            for i in range(count)
        ]
        # bulk_create skips Product.save(): the search documents are built in one go afterwards.
        return Product.objects.bulk_create(parents, batch_size=BATCH)

    def _publications(self, count: int, subjects, rng) -> None:
        parents = self._parents(ProductKind.PUBLICATION, count, subjects, rng, "pub")
        children = [
            Publication(
                product_ptr_id=p.pk,
                page_count=rng.randint(20, 600),
                catalogue_number=f"{i:07d}.3304",
            )
            for i, p in enumerate(parents)
        ]
        _insert_children(Publication, children)
        self.stdout.write(f"{count} publications")

    def _datasets(self, count: int, per_dataset: int, subjects, rng) -> None:
        parents = self._parents(ProductKind.MICRODATA, count, subjects, rng, "data")
        _insert_children(
            Dataset,
            [
                Dataset(
                    product_ptr_id=p.pk,
                    survey_name="Survei Bench",
                    full_size_bytes=rng.randint(10**6, 2 * 10**9),
                )
                for p in parents
            ],
        )
        files = DataFile.objects.bulk_create(
            [
                DataFile(
                    dataset_id=p.pk,
                    file_id=f"F{n}",
                    name=f"Berkas {n}",
                    records=rng.randint(10**4, 10**6),
                    position=n,
                )
                for p in parents
                for n in (1, 2)
            ],
            batch_size=BATCH,
        )
        by_dataset: dict[int, list[DataFile]] = {}
        for f in files:
            by_dataset.setdefault(f.dataset_id, []).append(f)
        for dataset_id, dataset_files in by_dataset.items():
            made = Variable.objects.bulk_create(
                [
                    Variable(
                        dataset_id=dataset_id,
                        file=dataset_files[i % 2],
                        name=f"R{i:04d}",
                        label=" ".join(rng.sample(WORDS, 3)).capitalize(),
                        width=rng.randint(1, 12),
                        position=i,
                        category_count=5 if i % 5 == 0 else 0,
                    )
                    for i in range(per_dataset)
                ]
            )
            Category.objects.bulk_create(
                [
                    Category(variable=v, value=str(c), label=f"Kategori {c}", position=c)
                    for v in made
                    if v.category_count
                    for c in range(1, 6)
                ]
            )
        self.stdout.write(f"{count} datasets × {per_dataset} variables")


# The network at scale: the centre, 38 provinces and 14 regencies each (571 offices; BPS has
# about 550).
PROVINCES = 38
REGENCIES_PER_PROVINCE = 14


def bench_offices() -> list[Office]:
    """The benchmark's national network (codes 9000–9999 are never real BPS offices' here:
    provinces 51–88 with made-up regencies), made once in three bulk inserts."""
    existing = list(Office.objects.filter(name__startswith="Bench "))
    if existing:
        return existing
    centre = Office.objects.filter(code=CENTRE_CODE).first() or Office.objects.create(
        code=CENTRE_CODE,
        name="Bench Badan Pusat Statistik",
        street_address="-",
        city="Jakarta",
        email="bench@example.org",
    )
    provinces = Office.objects.bulk_create(
        Office(
            code=f"{51 + p:02d}00",
            name=f"Bench Provinsi {51 + p}",
            level=OfficeLevel.PROVINCE,
            parent=centre,
            street_address="-",
            city=f"Kota {51 + p}",
            email=f"bench{51 + p}@example.org",
        )
        for p in range(PROVINCES)
    )
    regencies = Office.objects.bulk_create(
        Office(
            code=f"{province.code[:2]}{r + 1:02d}",
            name=f"Bench Kabupaten {province.code[:2]}{r + 1:02d}",
            level=OfficeLevel.REGENCY,
            parent=province,
            street_address="-",
            city=f"Kota {province.code[:2]}{r + 1:02d}",
            email=f"bench{province.code[:2]}{r + 1:02d}@example.org",
        )
        for province in provinces
        for r in range(REGENCIES_PER_PROVINCE)
    )
    return [centre, *provinces, *regencies]


def _insert_children(model, objects) -> None:
    """Rows of a multi-table child whose parent rows exist already (bulk_create cannot)."""
    fields = [f for f in model._meta.local_concrete_fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    rows = [
        [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 - names from models
                rows[start : start + BATCH],
            )
