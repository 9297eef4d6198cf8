"""The five demo microdata datasets: study descriptions, data files and the variable tables
(catalog/data/demo/*.txt) they are made of."""

from dataclasses import dataclass, field

from .codebooks import (
    CodebookFile,
    CodebookVariable,
    ddi_codebook,
    groups,
    in_file,
    split_items,
    table,
)
from .datafiles import demo_json, demo_text

PRODUCER = "Badan Pusat Statistik (BPS)"


def _located(text: str) -> str:
    """A table preceded by the location variables that household files start with."""
    return demo_text("location.txt") + text


@dataclass(frozen=True)
class DatasetSpec:
    id_no: str
    title: str
    series: str
    period: str
    collected: tuple[str, str]
    subject: str
    year: int
    coverage: str
    universe: str
    abstract: str
    files: list[CodebookFile]
    variables: list[CodebookVariable] = field(repr=False)
    questionnaire: str = ""

    def codebook(self) -> bytes:
        return ddi_codebook(
            id_no=self.id_no,
            title=self.title,
            period=self.period,
            producer=PRODUCER,
            abstract=self.abstract,
            files=self.files,
            variables=self.variables,
            collected=self.collected,
            series=self.series,
            universe=self.universe,
        )


def dataset_specs() -> list[DatasetSpec]:
    return [_susenas(), _sakernas(), _podes(), _st2023(), _sbh()]


def _susenas() -> DatasetSpec:
    return DatasetSpec(
        id_no="IDN-BPS-SUSENAS-2024-M",
        title="Survei Sosial Ekonomi Nasional (Susenas) Maret 2024",
        series="Survei Sosial Ekonomi Nasional (Susenas)",
        period="Maret 2024",
        collected=("2024-02-15", "2024-03-31"),
        subject="kemiskinan",
        year=2024,
        coverage="Nasional, representatif sampai kabupaten/kota (345.000 rumah tangga sampel)",
        universe="Rumah tangga biasa dan anggotanya di seluruh Indonesia",
        abstract=(
            "Survei Sosial Ekonomi Nasional (Susenas) Maret 2024 mengumpulkan keterangan kor "
            "tentang demografi, kesehatan, pendidikan, ketenagakerjaan, perumahan, perlindungan "
            "sosial dan pengeluaran konsumsi rumah tangga. Sampel sebanyak 345.000 rumah tangga "
            "tersebar di seluruh kabupaten/kota sehingga estimasi tersedia sampai tingkat "
            "kabupaten/kota. Data ini menjadi dasar penghitungan angka kemiskinan, indeks "
            "pembangunan manusia dan banyak indikator SDGs."
        ),
        files=[
            CodebookFile(
                "F1",
                "ssn_202403_kor_ind",
                "Keterangan anggota rumah tangga (KOR individu)",
                1_203_487,
            ),
            CodebookFile(
                "F2", "ssn_202403_kor_rt", "Keterangan rumah tangga (KOR rumah tangga)", 345_144
            ),
        ],
        variables=[
            *in_file("F1", table(_located(demo_text("susenas_individuals.txt")))),
            *in_file("F2", table(_located(demo_text("susenas_households.txt")))),
        ],
        questionnaire="VSEN24.K",
    )


def _sakernas() -> DatasetSpec:
    return DatasetSpec(
        id_no="IDN-BPS-SAKERNAS-2024-AUG",
        title="Survei Angkatan Kerja Nasional (Sakernas) Agustus 2024",
        series="Survei Angkatan Kerja Nasional (Sakernas)",
        period="Agustus 2024",
        collected=("2024-08-01", "2024-08-31"),
        subject="tenaga-kerja",
        year=2024,
        coverage="Nasional, representatif sampai kabupaten/kota (300.000 rumah tangga sampel)",
        universe="Penduduk berumur 15 tahun ke atas di rumah tangga biasa",
        abstract=(
            "Sakernas Agustus 2024 mengumpulkan data ketenagakerjaan menurut konsep angkatan "
            "kerja ILO: status bekerja, pengangguran, jam kerja, lapangan usaha, jenis "
            "pekerjaan, status pekerjaan dan pendapatan. Dengan sampel 300.000 rumah tangga, "
            "Sakernas Agustus menghasilkan tingkat pengangguran terbuka dan tingkat partisipasi "
            "angkatan kerja sampai kabupaten/kota."
        ),
        files=[
            CodebookFile(
                "F1",
                "sak202408_ind",
                "Keterangan anggota rumah tangga berumur 5 tahun ke atas",
                1_064_214,
            ),
            CodebookFile("F2", "sak202408_rt", "Keterangan rumah tangga", 300_012),
        ],
        variables=[
            *in_file("F1", table(_located(demo_text("sakernas_individuals.txt")))),
            *in_file("F2", table(_located(demo_text("sakernas_households.txt")))),
        ],
        questionnaire="SAK24.AK",
    )


def _podes() -> DatasetSpec:
    villages = demo_text("podes_villages.txt").format(
        disasters=groups(
            "R601",
            split_items(demo_text("podes_disasters.txt")),
            [
                "1 Kejadian bencana setahun terakhir: {} @YES_NO",
                "2 Frekuensi kejadian: {}",
                "4 Korban jiwa: {}",
            ],
        ),
        health=groups(
            "R801",
            split_items(demo_text("podes_health.txt")),
            [
                "3 Jumlah {}",
                "4.1 Jarak ke {} terdekat (km)",
                "1 Kemudahan mencapai {} terdekat @EASE",
            ],
        ),
        outbreaks=groups(
            "R804",
            split_items(demo_text("podes_outbreaks.txt")),
            ["1 Kejadian wabah setahun terakhir: {} @YES_NO", "5 Jumlah penderita: {}"],
        ),
        crimes=groups(
            "R905",
            split_items(demo_text("podes_crimes.txt")),
            ["1 Kejadian setahun terakhir: {} @YES_NO", "3 Jumlah kejadian: {}"],
        ),
    )
    return DatasetSpec(
        id_no="IDN-BPS-PODES-2024",
        title="Pendataan Potensi Desa (Podes) 2024",
        series="Pendataan Potensi Desa (Podes)",
        period="Mei\u2013Juni 2024",
        collected=("2024-05-01", "2024-06-30"),
        subject="pemerintahan",
        year=2024,
        coverage="Seluruh desa/kelurahan, kecamatan dan kabupaten/kota di Indonesia",
        universe="Seluruh wilayah administrasi pemerintahan setingkat desa",
        abstract=(
            "Pendataan Potensi Desa (Podes) 2024 mencatat keberadaan dan kondisi sarana, "
            "prasarana serta potensi di setiap desa/kelurahan, kecamatan dan kabupaten/kota. "
            "Keterangan dikumpulkan melalui wawancara dengan kepala desa/lurah dan aparat "
            "lainnya. Podes menjadi dasar penyusunan indeks pembangunan desa, identifikasi "
            "daerah tertinggal dan kerangka sampel survei BPS."
        ),
        files=[
            CodebookFile("F1", "podes2024_desa", "Keterangan desa/kelurahan", 84_276),
            CodebookFile("F2", "podes2024_kec", "Keterangan kecamatan", 7_288),
            CodebookFile("F3", "podes2024_kab", "Keterangan kabupaten/kota", 514),
        ],
        variables=[
            *in_file("F1", table(villages)),
            *in_file("F2", table(demo_text("podes_subdistricts.txt"))),
            *in_file("F3", table(demo_text("podes_regencies.txt"))),
        ],
        questionnaire="PODES2024-DESA",
    )


def _st2023() -> DatasetSpec:
    crops = "\n".join(
        groups(prefix, crop["items"], ["1 Mengusahakan {} @YES_NO", f"8 {{}}: {crop['unit']}"])
        for prefix, crop in demo_json("st2023_crops.json").items()
    )
    households = demo_text("st2023_households.txt").format(
        crops=crops,
        livestock=groups(
            "R601",
            split_items(demo_text("st2023_livestock.txt")),
            ["1 Memelihara {} @YES_NO", "6 Jumlah {} yang dipelihara (ekor)"],
        ),
        aquaculture=groups(
            "R701",
            split_items(demo_text("st2023_aquaculture.txt")),
            ["1 Budi daya ikan: {} @YES_NO", "7 Luas budi daya: {} (m2)"],
        ),
    )
    return DatasetSpec(
        id_no="IDN-BPS-ST2023-RTUP",
        title="Sensus Pertanian 2023 (ST2023) Rumah Tangga Usaha Pertanian",
        series="Sensus Pertanian",
        period="Juni\u2013Juli 2023",
        collected=("2023-06-01", "2023-07-31"),
        subject="pertanian",
        year=2023,
        coverage="Nasional; sampel 10% rumah tangga usaha pertanian hasil pencacahan lengkap",
        universe="Rumah tangga usaha pertanian perorangan",
        abstract=(
            "Sensus Pertanian 2023 mencacah seluruh usaha pertanian perorangan, perusahaan dan "
            "usaha lainnya di Indonesia. Data mikro ini memuat sampel 10% rumah tangga usaha "
            "pertanian beserta petaninya: penguasaan lahan, komoditas yang diusahakan, ternak, "
            "perikanan, penggunaan pupuk dan alat mesin pertanian. Petani milenial dan petani "
            "gurem dapat diidentifikasi langsung dari variabel turunan."
        ),
        files=[
            CodebookFile(
                "F1",
                "st2023_rtup_sampel",
                "Keterangan rumah tangga usaha pertanian (sampel 10%)",
                2_841_940,
            ),
            CodebookFile(
                "F2",
                "st2023_petani_sampel",
                "Keterangan petani dalam rumah tangga sampel",
                4_012_155,
            ),
        ],
        variables=[
            *in_file("F1", table(_located(households))),
            *in_file("F2", table(demo_text("st2023_farmers.txt"))),
        ],
        questionnaire="ST2023-L2",
    )


def _sbh() -> DatasetSpec:
    commodities = "\n".join(
        f"K{number:03d} 9 Rata-rata pengeluaran sebulan: {item} (rupiah)"
        for number, item in enumerate(split_items(demo_text("sbh_commodities.txt")), start=1)
    )
    households = demo_text("sbh_households.txt").format(commodities=commodities)
    return DatasetSpec(
        id_no="IDN-BPS-SBH-2022",
        title="Survei Biaya Hidup (SBH) 2022",
        series="Survei Biaya Hidup (SBH)",
        period="Januari\u2013Desember 2022",
        collected=("2022-01-01", "2022-12-31"),
        subject="harga",
        year=2022,
        coverage="150 kabupaten/kota penghitungan Indeks Harga Konsumen",
        universe="Rumah tangga di kabupaten/kota penghitungan IHK",
        abstract=(
            "Survei Biaya Hidup 2022 mencatat pola konsumsi rumah tangga di 150 kabupaten/kota "
            "sebagai dasar penentuan paket komoditas dan penimbang Indeks Harga Konsumen (IHK) "
            "tahun dasar 2022=100. Pencacahan dilakukan sepanjang tahun dalam empat triwulan "
            "sehingga pengaruh musim tertangkap."
        ),
        files=[
            CodebookFile(
                "F1",
                "sbh2022_rt",
                "Keterangan rumah tangga dan rekap pengeluaran per komoditas",
                207_360,
            ),
            CodebookFile("F2", "sbh2022_transaksi", "Catatan pembelian per komoditas", 24_883_200),
        ],
        variables=[
            *in_file("F1", table(_located(households))),
            *in_file("F2", table(demo_text("sbh_purchases.txt"))),
        ],
        questionnaire="SBH22-RT",
    )
