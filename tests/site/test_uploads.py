"""Uploads are recognised by content, held to a policy, and stored under a name of our own."""

import io
import random
import re
import sqlite3
import stat
import zipfile
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import translation
from PIL import Image

from silastik.uploads import (
    DOCUMENT,
    LETTER,
    MB,
    PAYMENT_PROOF,
    PRODUCT,
    FileKind,
    SafeFileField,
    UploadPolicy,
    display_name,
    safe_name,
    sniff,
    upload_validate,
)

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n"
SAFE_NAME = re.compile(r"[0-9a-f]{32}\.[a-z]+")


def image_bytes(format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format=format)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes], *, link: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(zipfile.ZipInfo(name), content, compress_type=zipfile.ZIP_DEFLATED)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def geopackage_bytes(tmp_path: Path, *, application_id: int | None = 0x47504B47) -> bytes:
    path = tmp_path / "peta.gpkg"
    connection = sqlite3.connect(path)
    if application_id is not None:
        connection.execute(f"PRAGMA application_id = {application_id}")
    connection.execute("CREATE TABLE regions (id INTEGER PRIMARY KEY, name TEXT)")
    connection.commit()
    connection.close()
    return path.read_bytes()


def upload(content: bytes, name: str = "upload.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refusal(content: bytes, policy: UploadPolicy, name: str = "upload.bin") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        upload_validate(file=upload(content, name), policy=policy)
    return caught.value


def test_it_recognises_a_pdf_renamed_to_jpg_as_a_pdf():
    assert upload_validate(file=upload(PDF, "bukti.jpg"), policy=PAYMENT_PROOF) is FileKind.PDF


def test_it_refuses_a_png_renamed_to_pdf_as_a_letter():
    error = refusal(image_bytes("PNG"), LETTER, "surat.pdf")

    assert error.code == "kind_not_allowed"
    with translation.override("en"):
        assert error.messages == ["This file is not a PDF file."]


def test_it_refuses_an_html_page_named_like_a_pdf_payment_proof():
    with translation.override("en"):
        error = refusal(HTML, PAYMENT_PROOF, "proof.pdf")

        assert error.messages == ["This file is not a PDF, PNG or JPEG file."]


def test_it_refuses_an_empty_file():
    error = refusal(b"", DOCUMENT, "kosong.pdf")

    assert error.code == "empty"
    with translation.override("en"):
        assert error.messages == ["The file is empty."]


def test_it_refuses_a_file_over_the_limit_and_says_both_sizes():
    policy = UploadPolicy(kinds=frozenset({FileKind.PDF}), max_bytes=1 * MB)
    content = PDF + b"0" * (MB + MB // 2 - len(PDF))

    with translation.override("en"):
        error = refusal(content, policy, "besar.pdf")

        assert error.code == "too_large"
        assert error.messages == ["The file is 1.5 MB; at most 1 MB is allowed."]


def test_it_formats_the_sizes_for_the_active_language():
    policy = UploadPolicy(kinds=frozenset({FileKind.PDF}), max_bytes=1 * MB)
    content = PDF + b"0" * (MB + MB // 2 - len(PDF))

    with translation.override("id"):
        error = refusal(content, policy)

    assert error.params == {"size": "1,5", "limit": "1"}


def test_it_rounds_the_file_size_up_so_it_never_looks_within_the_limit():
    policy = UploadPolicy(kinds=frozenset({FileKind.PDF}), max_bytes=10 * MB)
    content = PDF + b"0" * (10 * MB + 1 - len(PDF))

    with translation.override("en"):
        assert refusal(content, policy).params["size"] == "10.1"


def test_it_accepts_an_ordinary_zip_of_shapefiles():
    content = zip_bytes({"peta/batas.shp": b"\x00" * 100, "peta/batas.dbf": b"x" * 100})

    assert upload_validate(file=upload(content, "peta.zip"), policy=PRODUCT) is FileKind.ZIP


@pytest.mark.parametrize(
    "member",
    ["../../etc/cron.d/evil", "data/../../outside.csv", "/etc/passwd", "C:\\Windows\\x.dll"],
)
def test_it_refuses_a_zip_whose_member_escapes_the_target_folder(member):
    error = refusal(zip_bytes({"ok.csv": b"a,b\n", member: b"boom"}), PRODUCT)

    assert error.code == "unsafe_archive"
    with translation.override("en"):
        assert error.messages == ["This ZIP archive contains a link or a file with an unsafe path."]


def test_it_refuses_a_zip_holding_a_symbolic_link():
    error = refusal(zip_bytes({"ok.csv": b"a,b\n"}, link="data/passwd"), PRODUCT)

    assert error.code == "unsafe_archive"


def test_it_refuses_a_zip_that_unpacks_to_far_more_than_its_size():
    content = zip_bytes({"zeros.csv": b"\x00" * (16 * MB)})
    policy = UploadPolicy(kinds=frozenset({FileKind.ZIP}), max_bytes=1 * MB)
    assert len(content) < policy.max_bytes

    error = refusal(content, policy, "data.zip")

    assert error.code == "unsafe_archive"
    with translation.override("en"):
        assert error.messages == ["This ZIP archive would unpack to an unreasonably large size."]


def test_sniff_calls_a_dangerous_or_broken_zip_unknown():
    assert sniff(io.BytesIO(zip_bytes({"../evil": b"x"}))) is None
    assert sniff(io.BytesIO(b"PK\x03\x04" + b"not really a zip" * 10)) is None


def test_it_accepts_an_empty_zip():
    assert sniff(io.BytesIO(zip_bytes({}))) is FileKind.ZIP


def test_it_recognises_a_geopackage(tmp_path):
    content = geopackage_bytes(tmp_path)

    assert upload_validate(file=upload(content, "peta.zip"), policy=PRODUCT) is FileKind.GPKG


def test_a_plain_sqlite_database_is_not_a_geopackage(tmp_path):
    assert sniff(io.BytesIO(geopackage_bytes(tmp_path, application_id=None))) is None


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"$FL2@(#) SPSS DATA FILE MS Windows 26.0.0" + b"\x00" * 60, FileKind.SAV),
        (b"$FL3@(#) SPSS DATA FILE (compressed)" + b"\x00" * 60, FileKind.SAV),
        (b"<stata_dta><header><release>118</release>", FileKind.DTA),
        (b"\x72\x02\x01\x00" + b"\x00" * 100, FileKind.DTA),
        (b"\x71\x01\x01\x00" + b"\x00" * 100, FileKind.DTA),
    ],
)
def test_it_recognises_spss_and_stata_files_by_their_magic(content, kind):
    assert sniff(io.BytesIO(content)) is kind


def test_it_recognises_images_by_content():
    assert sniff(io.BytesIO(image_bytes("PNG"))) is FileKind.PNG
    assert sniff(io.BytesIO(image_bytes("JPEG"))) is FileKind.JPEG


@pytest.mark.parametrize(
    "content",
    [
        b"kode,wilayah,penduduk\n3201,Bogor,5427068\n3202,Sukabumi,2725450\n",
        b'kode;wilayah;penduduk\r\n3201;Bogor;5427068\r\n3202;"Sukabumi; Kab.";2725450\r\n',
        b"tahun\tnilai\n2023\t1.5\n2024\t1.7\n",
    ],
)
def test_it_recognises_csv_with_a_consistent_delimiter(content):
    assert sniff(io.BytesIO(content)) is FileKind.CSV


def test_it_recognises_plain_text():
    content = "Catatan teknis\nData ini bersumber dari Susenas Maret 2024.\nLihat metadata.\n"

    assert sniff(io.BytesIO(content.encode())) is FileKind.TEXT


def test_it_reads_utf8_with_a_byte_order_mark():
    content = "\ufeffkecamatan,jumlah\nCiawi,120\nCisarua,98\n".encode()

    assert sniff(io.BytesIO(content)) is FileKind.CSV


def test_it_keeps_text_whose_sample_ends_inside_a_character():
    content = b"a" + "é".encode() * 40_000

    assert sniff(io.BytesIO(content)) is FileKind.TEXT


@pytest.mark.parametrize(
    "content",
    [
        random.Random(0).randbytes(4096),
        b"text with a NUL\x00 byte\n",
        "Caf\xe9 in Latin-1\n".encode("latin-1"),
        HTML,
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ],
)
def test_it_calls_binary_garbage_and_markup_unknown(content):
    assert sniff(io.BytesIO(content)) is None


@pytest.mark.parametrize("content", [PDF, zip_bytes({"a.csv": b"a,b\n1,2\n"}), b"a,b\n1,2\n"])
def test_sniff_leaves_the_file_position_where_it_was(content):
    file = io.BytesIO(content)
    file.seek(3)

    sniff(file)

    assert file.tell() == 3


def test_sniff_reads_a_temporary_uploaded_file_and_leaves_its_position():
    file = TemporaryUploadedFile("data.zip", "application/zip", 0, None)
    content = zip_bytes({"a.csv": b"a,b\n1,2\n"})
    file.write(content)
    file.size = len(content)
    file.seek(5)

    assert upload_validate(file=file, policy=PRODUCT) is FileKind.ZIP
    assert file.tell() == 5
    file.close()


@pytest.mark.parametrize(
    ("kind", "extension"),
    [
        (FileKind.PDF, "pdf"),
        (FileKind.JPEG, "jpg"),
        (FileKind.TEXT, "txt"),
        (FileKind.GPKG, "gpkg"),
    ],
)
def test_the_stored_name_is_random_with_the_detected_kinds_extension(kind, extension):
    original = "../../bukti transfer/evil.php"

    name = safe_name(kind=kind, original=original)

    assert re.fullmatch(rf"[0-9a-f]{{32}}\.{extension}", name)
    assert "/" not in name
    assert "evil" not in name and "bukti" not in name
    assert safe_name(kind=kind, original=original) != name


@pytest.mark.parametrize(
    ("original", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\bukti.pdf", "bukti.pdf"),
        ("Surat Permohonan.pdf", "Surat Permohonan.pdf"),
        ("bukti\u202efdp.exe", "buktifdp.exe"),
        ("tab\tand\nnewline.pdf", "tabandnewline.pdf"),
        ("..", "file"),
        ("", "file"),
        ("folder/", "file"),
    ],
)
def test_display_name_keeps_only_a_clean_base_name(original, shown):
    assert display_name(original) == shown


def test_display_name_shortens_long_names_but_keeps_the_extension():
    shown = display_name("laporan " * 40 + ".pdf")

    assert len(shown) <= 120
    assert shown.endswith(".pdf")


class LetterForm(forms.Form):
    letter = SafeFileField(policy=LETTER)


def test_safe_file_field_accepts_a_pdf_and_renames_it():
    form = LetterForm(data={}, files={"letter": upload(PDF, "Surat Permohonan.pdf")})

    assert form.is_valid(), form.errors
    file = form.cleaned_data["letter"]
    assert SAFE_NAME.fullmatch(file.name) and file.name.endswith(".pdf")
    assert file.original_name == "Surat Permohonan.pdf"
    assert file.detected_kind is FileKind.PDF
    assert file.content_type == "application/pdf"


def test_safe_file_field_reports_why_it_refuses_a_file():
    form = LetterForm(data={}, files={"letter": upload(image_bytes("PNG"), "surat.pdf")})

    with translation.override("en"):
        assert not form.is_valid()
        assert form.errors["letter"] == ["This file is not a PDF file."]


def test_safe_file_field_checks_a_file_only_once():
    file = upload(PDF, "surat.pdf")
    field = SafeFileField(policy=LETTER)

    first = field.clean(file)
    stored = first.name
    field.clean(file)

    assert file.name == stored
    assert file.original_name == "surat.pdf"
