"""Master data files made by the tests (SPSS, Stata, CSV) and a dataset whose codebook
describes them: 60 households in three provinces, nine variables."""

import io
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import DatasetFactory, region

PROVINCES = {"31": "DKI JAKARTA", "32": "JAWA BARAT", "33": "JAWA TENGAH"}
WORK = {1: "Bekerja", 2: "Tidak bekerja"}
# name, label, numeric
VARIABLES = [
    ("ID", "Nomor urut rumah tangga", True),
    ("PROV", "Provinsi", True),
    ("R301", "Jumlah anggota rumah tangga", True),
    ("R302", "Status pekerjaan", True),
    ("R303", "Umur kepala rumah tangga", True),
    ("R304", "Luas lantai (m2)", True),
    ("R305", "Pengeluaran per kapita", True),
    ("R306", "Jenis kelamin kepala", True),
    ("NAMA_DESA", "Nama desa", False),
]


def master_frame(records: int = 60) -> pd.DataFrame:
    rows = np.arange(records)
    return pd.DataFrame(
        {
            "ID": (rows + 1).astype(float),
            "PROV": np.array([31, 32, 33])[rows % 3].astype(float),
            "R301": (rows % 7 + 1).astype(float),
            "R302": (rows % 2 + 1).astype(float),
            "R303": (rows % 50 + 20).astype(float),
            "R304": (rows * 1.5 + 20).astype(float),
            "R305": (rows * 12_345.25 + 500_000).astype(float),
            "R306": (rows % 2 + 1).astype(float),
            "NAMA_DESA": [f"DESA {i % 11}" for i in rows],
        }
    )


def master_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """The frame as an office would keep it: labels and value labels in SPSS and Stata."""
    labels = {name: label for name, label, _numeric in VARIABLES if name in frame.columns}
    value_labels = {"R302": WORK} if "R302" in frame.columns else {}
    if fmt == "csv":
        return frame.to_csv(index=False, float_format="%.15g").encode()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"master.{fmt}"
        writer = pyreadstat.write_sav if fmt == "sav" else pyreadstat.write_dta
        writer(frame, str(path), column_labels=labels, variable_value_labels=value_labels)
        return path.read_bytes()


def master_upload(frame: pd.DataFrame, fmt: str, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or f"master.{fmt}", master_bytes(frame, fmt))


def master_dataset(records: int = 60, **fields):
    """A national dataset (limited to provinces through PROV) with one data file described by
    VARIABLES, its value labels and its records per province."""
    from catalog.models import Category, RegionRecords, Variable

    for code, name in PROVINCES.items():
        region(code, name)
    dataset = DatasetFactory(
        codebook=False,
        title=fields.pop("title", "Survei Rumah Tangga 2024"),
        region_variable="PROV",
        full_size_bytes=records * 60,
        **fields,
    )
    data_file = dataset.files.create(file_id="F1", name="Rumah tangga", records=records)
    for position, (name, label, numeric) in enumerate(VARIABLES):
        variable = Variable.objects.create(
            dataset=dataset,
            file=data_file,
            name=name,
            label=label,
            width=8 if numeric else 20,
            var_type="numeric" if numeric else "character",
            position=position,
            category_count=len(WORK) if name == "R302" else 0,
        )
        if name == "R302":
            for i, (value, text) in enumerate(WORK.items()):
                Category.objects.create(variable=variable, value=str(value), label=text, position=i)
    for code in PROVINCES:
        RegionRecords.objects.create(file=data_file, region_id=code, records=records // 3)
    return dataset


def attach(dataset, fmt: str = "sav", frame: pd.DataFrame | None = None):
    from catalog.masters import master_attach

    data_file = dataset.files.get(file_id="F1")
    frame = master_frame(data_file.records) if frame is None else frame
    master_attach(data_file=data_file, upload=master_upload(frame, fmt))
    return data_file


def read_back(data: bytes, name: str) -> tuple[pd.DataFrame, object]:
    """A delivered data file read as the customer's statistics package would."""
    suffix = name.rsplit(".", 1)[-1]
    if suffix == "csv":
        return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False), None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        reader = pyreadstat.read_sav if suffix == "sav" else pyreadstat.read_dta
        return reader(str(path))
