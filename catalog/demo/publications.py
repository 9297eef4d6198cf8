"""The demo publications: the regency and subdistricts "in figures" series, generated for every
year or subdistrict, and the other titles, listed in catalog/data/demo/publications.json."""

from dataclasses import dataclass
from datetime import date

from silastik.text import place_name

from ..models.products import PublicationLanguage
from .datafiles import REGENCY, demo_json, regions_rows


@dataclass(frozen=True)
class PublicationSpec:
    title: str
    year: int
    subject: str
    catalogue_number: str
    pages: int
    released: date
    abstract: str
    region: str = REGENCY
    language: str = PublicationLanguage.INDONESIAN
    issn: str = ""
    isbn: str = ""
    hardcopy: bool = False


def _issn(serial: int) -> str:
    digits = f"{serial:07d}"
    check = (11 - sum(int(d) * w for d, w in zip(digits, range(8, 1, -1), strict=True)) % 11) % 11
    return f"{digits[:4]}-{digits[4:]}{'X' if check == 10 else check}"


def publication_specs() -> list[PublicationSpec]:
    return [*_regency_in_figures(), *_subdistricts_in_figures(), *_listed()]


def _listed() -> list[PublicationSpec]:
    specs = []
    for item in demo_json("publications.json"):
        values = {**item, "released": date.fromisoformat(item["released"])}
        if "language" in item:
            values["language"] = PublicationLanguage(item["language"])
        specs.append(PublicationSpec(**values))
    return specs


def _regency_in_figures() -> list[PublicationSpec]:
    pages = {2025: 398, 2024: 412, 2023: 436}
    return [
        PublicationSpec(
            title=f"Kabupaten Banjarnegara Dalam Angka {year}",
            year=year,
            subject="statistik-umum",
            catalogue_number="1102001.3304",
            pages=pages[year],
            released=date(year, 2, 28),
            language=PublicationLanguage.BILINGUAL,
            issn=_issn(2155401),
            hardcopy=True,
            abstract=(
                f"Kabupaten Banjarnegara Dalam Angka {year} (Banjarnegara Regency in Figures "
                f"{year}) menyajikan data statistik dasar dari BPS, dinas dan instansi di "
                "Kabupaten Banjarnegara. Isinya mencakup geografi dan iklim, pemerintahan, "
                "penduduk dan ketenagakerjaan, sosial, pertanian, industri, perdagangan, "
                "transportasi, keuangan dan pendapatan regional."
            ),
        )
        for year in pages
    ]


def _subdistricts_in_figures() -> list[PublicationSpec]:
    specs = []
    subdistricts = [(c, n) for c, n in regions_rows() if len(c) == 7 and c[:4] == REGENCY]
    for number, (code, name) in enumerate(subdistricts):
        title_name = place_name(name)
        specs.append(
            PublicationSpec(
                title=f"Kecamatan {title_name} Dalam Angka 2024",
                year=2024,
                subject="statistik-umum",
                catalogue_number=f"1102001.{code}",
                pages=56 + (number * 17) % 48,
                released=date(2024, 9, 26),
                region=code,
                issn=_issn(2460000 + int(code[4:])),
                abstract=(
                    f"Kecamatan {title_name} Dalam Angka 2024 menyajikan data statistik dasar "
                    f"Kecamatan {title_name}: geografi, pemerintahan desa, penduduk, pendidikan, "
                    "kesehatan, pertanian dan sarana perekonomian. Data dihimpun dari kantor "
                    "kecamatan, pemerintah desa/kelurahan dan instansi terkait."
                ),
            )
        )
    return specs
