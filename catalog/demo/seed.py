"""Seeding the demo catalogue: regions, subjects, publications, digital maps and the microdata
datasets with their free downloads."""

import csv
import io
import random

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify

from offices.models import CENTRE_CODE, Office

from ..ddi import ddi_import
from ..models import (
    Dataset,
    DatasetAttachment,
    DigitalMap,
    MapLevel,
    Publication,
    Subject,
)
from ..models.microdata import AttachmentKind
from ..regions import regions_load
from .codebooks import CodebookVariable, record_lengths, table
from .datafiles import REGENCY, demo_text, regions_rows
from .datasets import DatasetSpec, dataset_specs
from .publications import publication_specs

SAMPLE_RECORDS = 20


# The demo catalogue is Banjarnegara's (3304); nationwide maps are the centre's (0000), and the
# other demo offices publish their own "in figures" book. The offices come from offices' seed.
DEMO_OFFICE = "3304"
OTHER_OFFICES = [
    ("1600", "Provinsi Sumatera Selatan Dalam Angka 2025", "16", "1600"),
    ("6503", "Kabupaten Tana Tidung Dalam Angka 2025", None, "6503"),
]


# Printed stock of the demo's hardcopy titles at 3304 (made-up figures for the demo).
DEMO_PRINTED_COPIES = 12
DEMO_PRINTED_PRICE = 75_000


def catalog_demo_seed() -> None:
    """Create or update the demo catalogue. Safe to run again."""
    with transaction.atomic():
        regions_load(rows=regions_rows(), first_line=2)
        subjects = _subjects_seed()
        office = Office.objects.get(code=DEMO_OFFICE)
        _publications_seed(subjects=subjects, office=office)
        _other_offices_seed(subjects=subjects)
        _maps_seed(subjects=subjects, office=office)
        for spec in dataset_specs():
            _dataset_seed(spec=spec, subjects=subjects, office=office)


def _slug(title: str) -> str:
    # Without this, "2020\u20132024" and "Desa/Kelurahan" would run together ("20202024").
    return slugify(title.replace("\u2013", " ").replace("/", " "))


# --- Subjects ------------------------------------------------------------------------------------

SUBJECTS = [
    ("statistik-umum", "Statistik Umum", "General Statistics"),
    ("kependudukan", "Kependudukan", "Population"),
    ("tenaga-kerja", "Tenaga Kerja", "Labour"),
    ("pertanian", "Pertanian", "Agriculture"),
    ("kemiskinan", "Kemiskinan", "Poverty"),
    ("harga", "Harga", "Prices"),
    ("pendapatan-regional", "Pendapatan Regional", "Regional Accounts"),
    ("pendidikan", "Pendidikan", "Education"),
    ("kesehatan", "Kesehatan", "Health"),
    ("pemerintahan", "Pemerintahan", "Government"),
    ("geografi", "Geografi", "Geography"),
]


def _subjects_seed() -> dict[str, Subject]:
    subjects = {}
    for slug, name, name_en in SUBJECTS:
        subjects[slug], _created = Subject.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en}
        )
    return subjects


# --- Publications --------------------------------------------------------------------------------


def _publications_seed(*, subjects: dict[str, Subject], office: Office) -> None:
    for number, spec in enumerate(publication_specs(), start=1):
        Publication.objects.update_or_create(
            slug=_slug(spec.title),
            defaults={
                "office": office,
                "title": spec.title,
                "description": spec.abstract,
                "year": spec.year,
                "subject": subjects[spec.subject],
                "region_id": spec.region,
                "is_published": True,
                "catalogue_number": spec.catalogue_number,
                "publication_number": f"33040.{spec.released.year % 100:02d}{number:02d}",
                "issn": spec.issn,
                "isbn": spec.isbn,
                "language": spec.language,
                "page_count": spec.pages,
                "release_date": spec.released,
                "softcopy": True,
                "hardcopy": spec.hardcopy,
                # Demo figures, not a tariff: an office enters its own price per printed title.
                "printed_copies": DEMO_PRINTED_COPIES if spec.hardcopy else 0,
                "printed_price": DEMO_PRINTED_PRICE if spec.hardcopy else None,
            },
        )


def _other_offices_seed(*, subjects: dict[str, Subject]) -> None:
    for code, title, region, catalogue in OTHER_OFFICES:
        Publication.objects.update_or_create(
            slug=_slug(title),
            defaults={
                "office": Office.objects.get(code=code),
                "title": title,
                "description": (
                    "Publikasi tahunan berisi data dan indikator sosial, ekonomi dan "
                    "kependudukan wilayah ini, disusun dari sensus, survei dan data instansi."
                ),
                "year": 2025,
                "subject": subjects["statistik-umum"],
                "region_id": region,
                "is_published": True,
                "catalogue_number": f"1102001.{catalogue}",
                "page_count": 320,
                "softcopy": True,
                "hardcopy": True,
            },
        )


# --- Digital maps --------------------------------------------------------------------------------


def _maps_seed(*, subjects: dict[str, Subject], office: Office) -> None:
    level_names = {
        MapLevel.SUBDISTRICT: ("Kecamatan", "kecamatan"),
        MapLevel.VILLAGE: ("Desa/Kelurahan", "desa/kelurahan"),
    }
    for region, area in ((REGENCY, "Kabupaten Banjarnegara"), (None, "Indonesia")):
        for level, (title_unit, unit) in level_names.items():
            title = f"Peta Digital Wilkerstat {area} per {title_unit} 2024"
            if region:
                scope = (
                    f"Peta disediakan satu lembar per {unit} di Kabupaten Banjarnegara; "
                    f"pilih {unit} yang diperlukan saat memesan."
                )
            else:
                scope = f"Peta mencakup seluruh {unit} di Indonesia dalam satu paket."
            DigitalMap.objects.update_or_create(
                slug=_slug(title),
                defaults={
                    "office": office if region else Office.objects.get(code=CENTRE_CODE),
                    "title": title,
                    "description": (
                        "Peta digital wilayah kerja statistik (wilkerstat) hasil pemutakhiran "
                        f"BPS tahun 2024 dengan batas {unit} dan satuan lingkungan setempat "
                        f"(SLS). {scope} Format shapefile dan GeoPackage, sistem koordinat "
                        "WGS 84."
                    ),
                    "year": 2024,
                    "subject": subjects["geografi"],
                    "region_id": region,
                    "is_published": True,
                    "level": level,
                },
            )


# --- Microdata datasets ---------------------------------------------------------------------------


def _dataset_seed(*, spec: DatasetSpec, subjects: dict[str, Subject], office: Office) -> Dataset:
    wanted = {
        "title": spec.title,
        "period": spec.period,
        "year": spec.year,
        "subject": subjects[spec.subject],
        "coverage": spec.coverage,
        "is_published": True,
    }
    result = ddi_import(
        data=spec.codebook(), office=office, defaults={**wanted, "slug": _slug(spec.title)}
    )
    dataset = result.dataset
    # The importer keeps what is already filled in; the demo's own text wins on a re-run.
    changed = [name for name, value in wanted.items() if getattr(dataset, name) != value]
    for name in changed:
        setattr(dataset, name, wanted[name])
    if not dataset.full_size_bytes:
        dataset.full_size_bytes = _full_size(spec)
        changed.append("full_size_bytes")
    if changed:
        dataset.save(update_fields=[*changed, "keywords", "updated_at"])
    _attachments_seed(dataset=dataset, spec=spec)
    return dataset


def _full_size(spec: DatasetSpec) -> int:
    lengths = record_lengths(spec.variables)
    return sum(f.records * lengths.get(f.file_id, 0) for f in spec.files)


# --- Free downloads ------------------------------------------------------------------------------


def _attachments_seed(*, dataset: Dataset, spec: DatasetSpec) -> None:
    present = set(dataset.attachments.values_list("kind", flat=True))
    documents = [
        (AttachmentKind.SAMPLE, "Contoh data (20 record)", "contoh-data.csv", _sample_csv),
        (AttachmentKind.RECORD_LAYOUT, "Layout record", "layout-record.txt", _record_layout),
        (AttachmentKind.QUESTIONNAIRE, "Kuesioner (kutipan)", "kuesioner.txt", _questionnaire),
    ]
    for position, (kind, title, suffix, render) in enumerate(documents, start=1):
        if kind in present:
            continue
        attachment = DatasetAttachment(dataset=dataset, kind=kind, title=title, position=position)
        attachment.file.save(f"{dataset.slug}-{suffix}", ContentFile(render(spec)), save=True)


def _sample_csv(spec: DatasetSpec) -> bytes:
    first_file = spec.files[0].file_id
    variables = [v for v in spec.variables if v.file_id == first_file]
    rng = random.Random(f"{spec.id_no}:sample")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([v.name for v in variables])
    for _record in range(SAMPLE_RECORDS):
        writer.writerow([_sample_value(v, rng) for v in variables])
    return out.getvalue().encode()


def _sample_value(variable: CodebookVariable, rng: random.Random) -> str:
    if variable.categories:
        return rng.choice(variable.categories)[0]
    if variable.character:
        return "".join(rng.choice("0123456789") for _digit in range(variable.width))
    digits = variable.width - (variable.decimals + 1 if variable.decimals else 0)
    number = rng.randint(0, 10 ** min(digits, 6) - 1)
    if variable.decimals:
        return f"{number}.{rng.randint(0, 10**variable.decimals - 1):0{variable.decimals}d}"
    return str(number)


def _record_layout(spec: DatasetSpec) -> bytes:
    lines = [spec.title, "Layout record (format teks tetap/ASCII fixed)", ""]
    for data_file in spec.files:
        lines += [
            f"File {data_file.file_id}: {data_file.name} - {data_file.description}",
            f"{'Nama':<16}{'Mulai':>7}{'Lebar':>7}  Label",
        ]
        start = 1
        for variable in (v for v in spec.variables if v.file_id == data_file.file_id):
            lines.append(f"{variable.name:<16}{start:>7}{variable.width:>7}  {variable.label}")
            start += variable.width
        lines.append("")
    return "\n".join(lines).encode()


def _questionnaire(spec: DatasetSpec) -> bytes:
    lines = [
        f"Kuesioner {spec.questionnaire}",
        spec.title,
        "Kutipan untuk keperluan demo; kuesioner lengkap tersedia di PST.",
        "",
    ]
    # Identification (province, urban/rural) is not asked; long code lists stay in the codebook.
    location = {v.name for v in table(demo_text("location.txt"))}
    asked = [v for v in spec.variables if v.name not in location and 1 < len(v.categories) <= 12][
        :12
    ]
    for variable in asked:
        lines.append(f"{variable.name}. {variable.question or variable.label}")
        lines += [f"    [{value}] {label}" for value, label in variable.categories[:8]]
    return "\n".join(lines).encode()
