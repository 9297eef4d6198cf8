"""Upload safety: recognise files by their content, enforce a policy, never trust the given name.

A customer's "bukti.pdf" may be an HTML page and a product "peta.zip" may unpack to a petabyte, so
the kind of a file comes from its first bytes (and, for ZIP, its central directory), its size is
checked before anything is read, and the stored name is a random one with the detected kind's
extension. The uploader's name survives only as a cleaned display name for downloads.
"""

import codecs
import csv
import io
import re
import stat
import struct
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024
GB = 1024 * MB


class BinaryFile(Protocol):
    """What sniff() needs: Django's UploadedFile and open(..., "rb") objects both fit."""

    def read(self, size: int = -1, /) -> bytes: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...

    def tell(self) -> int: ...


class FileKind(StrEnum):
    PDF = "pdf"
    PNG = "png"
    JPEG = "jpeg"
    ZIP = "zip"
    CSV = "csv"
    TEXT = "text"
    GPKG = "gpkg"
    SAV = "sav"
    DTA = "dta"

    @property
    def extension(self) -> str:
        return _EXTENSIONS[self]

    @property
    def label(self) -> str:
        return str(_LABELS[self])

    @property
    def content_type(self) -> str:
        return _CONTENT_TYPES[self]


_EXTENSIONS = {
    FileKind.PDF: "pdf",
    FileKind.PNG: "png",
    FileKind.JPEG: "jpg",
    FileKind.ZIP: "zip",
    FileKind.CSV: "csv",
    FileKind.TEXT: "txt",
    FileKind.GPKG: "gpkg",
    FileKind.SAV: "sav",
    FileKind.DTA: "dta",
}
_LABELS = {
    FileKind.PDF: "PDF",
    FileKind.PNG: "PNG",
    FileKind.JPEG: "JPEG",
    FileKind.ZIP: "ZIP",
    FileKind.CSV: "CSV",
    FileKind.TEXT: _("plain text"),
    FileKind.GPKG: "GeoPackage",
    FileKind.SAV: "SPSS",
    FileKind.DTA: "Stata",
}
_CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.PNG: "image/png",
    FileKind.JPEG: "image/jpeg",
    FileKind.ZIP: "application/zip",
    FileKind.CSV: "text/csv",
    FileKind.TEXT: "text/plain",
    FileKind.GPKG: "application/geopackage+sqlite3",
    FileKind.SAV: "application/x-spss-sav",
    FileKind.DTA: "application/x-stata-dta",
}


@dataclass(frozen=True)
class UploadPolicy:
    kinds: frozenset[FileKind]
    max_bytes: int


DOCUMENT = UploadPolicy(
    kinds=frozenset({FileKind.PDF, FileKind.PNG, FileKind.JPEG}), max_bytes=10 * MB
)
LETTER = UploadPolicy(kinds=frozenset({FileKind.PDF}), max_bytes=10 * MB)
SIGNED_AGREEMENT = UploadPolicy(kinds=frozenset({FileKind.PDF}), max_bytes=10 * MB)
PAYMENT_PROOF = UploadPolicy(
    kinds=frozenset({FileKind.PDF, FileKind.PNG, FileKind.JPEG}), max_bytes=5 * MB
)
# Complaints come from anyone, without an account: small files a person can look at, nothing else.
COMPLAINT = UploadPolicy(
    kinds=frozenset({FileKind.PDF, FileKind.PNG, FileKind.JPEG}), max_bytes=5 * MB
)
PRODUCT = UploadPolicy(
    kinds=frozenset(
        {
            FileKind.PDF,
            FileKind.ZIP,
            FileKind.CSV,
            FileKind.TEXT,
            FileKind.GPKG,
            FileKind.SAV,
            FileKind.DTA,
        }
    ),
    max_bytes=5 * GB,
)
# The office's master data file of a dataset (catalog.masters): the data the portal cuts from.
MASTER = UploadPolicy(kinds=frozenset({FileKind.SAV, FileKind.DTA, FileKind.CSV}), max_bytes=5 * GB)
# An office's logo on its documents: a small picture.
LOGO = UploadPolicy(kinds=frozenset({FileKind.PNG, FileKind.JPEG}), max_bytes=1 * MB)
LOGO_MAX_PIXELS = 4000 * 4000
SAMPLE = UploadPolicy(
    kinds=frozenset(
        {FileKind.ZIP, FileKind.CSV, FileKind.TEXT, FileKind.SAV, FileKind.DTA, FileKind.PDF}
    ),
    max_bytes=50 * MB,
)

# The SQLite header is 100 bytes; every other signature we know sits inside it.
HEAD_BYTES = 100
TEXT_SAMPLE_BYTES = 64 * 1024
# csv.Sniffer's regular expressions backtrack; a few kilobytes are plenty to guess a delimiter.
CSV_SNIFF_CHARS = 8 * 1024
CSV_DELIMITERS = ",;\t|"

ZIP_MAX_RATIO = 100
# Tiny archives of repetitive text (a DBF full of padding) easily pass 100:1, and unpacking a few
# megabytes harms no one, so the ratio only starts to count above this.
ZIP_RATIO_FREE_BYTES = 10 * MB
ZIP_MAX_UNPACKED_BYTES = 20 * GB
ZIP_MAX_MEMBERS = 10_000

SQLITE_MAGIC = b"SQLite format 3\x00"
# GeoPackage 1.2+ says "GPKG"; 1.0 and 1.1 files, still common from older QGIS, say GP10 / GP11.
GPKG_APPLICATION_IDS = frozenset({b"GPKG", b"GP10", b"GP11"})
# Stata 113-119 in the old binary layout: format, byte order (1 = HILO, 2 = LOHI), file type 1.
DTA_OLD_FORMATS = range(0x71, 0x78)
# Text that is really a web page or an SVG would be dangerous if a browser ever rendered it.
MARKUP_STARTS = ("<!doctype html", "<html", "<head", "<body", "<script", "<svg", "<?xml")

UNSAFE_MEMBER = _("This ZIP archive contains a link or a file with an unsafe path.")
TOO_MANY_MEMBERS = _("This ZIP archive contains more than %(limit)s files.")
ZIP_BOMB = _("This ZIP archive would unpack to an unreasonably large size.")


def sniff(file: BinaryFile) -> FileKind | None:
    """The kind of file by its content, or None if unknown or a dangerous archive."""
    try:
        return _detect(file)
    except ValidationError:
        return None


def upload_validate(*, file: BinaryFile, policy: UploadPolicy) -> FileKind:
    """The detected kind of an upload the policy allows; ValidationError otherwise."""
    size = _size(file)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > policy.max_bytes:
        raise ValidationError(
            _("The file is %(size)s MB; at most %(limit)s MB is allowed."),
            code="too_large",
            params={"size": _megabytes(size, round_up=True), "limit": _megabytes(policy.max_bytes)},
        )
    kind = _detect(file)
    if kind not in policy.kinds:
        raise ValidationError(
            _("This file is not a %(kinds)s file."),
            code="kind_not_allowed",
            params={"kinds": get_text_list([k.label for k in FileKind if k in policy.kinds])},
        )
    return kind


def image_check(file: BinaryFile) -> None:
    """A PNG or JPEG that really decodes, and of a size a document can print: Pillow reads the
    header only, so a decompression bomb is refused before any pixel is unpacked."""
    from PIL import Image, UnidentifiedImageError

    position = file.tell()
    try:
        file.seek(0)
        with Image.open(file) as image:  # type: ignore[arg-type]
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("This picture cannot be read."), code="bad_image") from None
    finally:
        file.seek(position)
    if width * height > LOGO_MAX_PIXELS:
        raise ValidationError(
            _("This picture is %(width)s × %(height)s pixels; make it smaller."),
            code="too_many_pixels",
            params={"width": width, "height": height},
        )


ARCHIVE_SUFFIXES = (".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".zst")
# Finder's resource forks beside each file of an archive made on a Mac: not data.
MAC_METADATA = "__MACOSX/"
NESTED_ARCHIVE = _(
    "This archive holds another archive (%(name)s): put the data files in it directly, so "
    "that their size can be priced."
)
NO_DATA = _("This archive holds no data.")
LYING_ARCHIVE = _("This ZIP archive is damaged: its contents do not match its directory.")


def image_redraw(file: BinaryFile, *, name: str, max_side: int) -> ContentFile:
    """A checked picture (image_check) drawn again as a PNG of at most `max_side` pixels a side:
    what a document prints, without the camera's metadata (EXIF, GPS) or anything hidden after
    the image data."""
    from PIL import Image

    file.seek(0)
    with Image.open(file) as image:  # type: ignore[arg-type]
        image.load()
        picture = image.convert("RGBA")
    picture.thumbnail((max_side, max_side))
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name=name)


def data_bytes(file: BinaryFile) -> int:
    """How much data a prepared file holds, as the tariff prices it ("as stored"): an archive's
    members unpacked, any other file its own size. Never the compressed size: a 304-byte ZIP can
    hold megabytes of records. An archive is unpacked as a stream and counted, not taken at its
    directory's word (which can lie); one that holds another archive or no data is refused
    (ValidationError), so what is priced is what the customer receives."""
    position = file.tell()
    try:
        file.seek(0)
        if _kind_from_head(file.read(HEAD_BYTES)) is not FileKind.ZIP:
            return _size(file)
        file.seek(0)
        return _zip_data_bytes(file)
    finally:
        file.seek(position)


def _zip_data_bytes(file: BinaryFile) -> int:
    total = 0
    try:
        with zipfile.ZipFile(file) as archive:  # type: ignore[arg-type]
            for member in archive.infolist():
                if member.is_dir() or member.filename.startswith(MAC_METADATA):
                    continue
                total += _member_bytes(archive, member, budget=ZIP_MAX_UNPACKED_BYTES - total)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, struct.error) as exc:
        raise ValidationError(LYING_ARCHIVE, code="bad_archive") from exc
    except (ValueError, NotImplementedError, RuntimeError) as exc:  # encrypted, odd methods
        raise ValidationError(LYING_ARCHIVE, code="bad_archive") from exc
    if not total:
        raise ValidationError(NO_DATA, code="no_data")
    return total


def _member_bytes(archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, budget: int) -> int:
    if member.filename.lower().endswith(ARCHIVE_SUFFIXES):
        raise ValidationError(
            NESTED_ARCHIVE, code="nested_archive", params={"name": display_name(member.filename)}
        )
    counted = 0
    with archive.open(member) as stream:
        head = stream.read(HEAD_BYTES)
        if _kind_from_head(head) is FileKind.ZIP:
            raise ValidationError(
                NESTED_ARCHIVE,
                code="nested_archive",
                params={"name": display_name(member.filename)},
            )
        counted = len(head)
        # zipfile checks the CRC at the end of each member, so a forged size or content fails.
        while chunk := stream.read(1024 * 1024):
            counted += len(chunk)
            if counted > budget:
                raise ValidationError(ZIP_BOMB, code="unsafe_archive")
    if counted != member.file_size:
        raise ValidationError(LYING_ARCHIVE, code="bad_archive")
    return counted


def upload_accept(file: UploadedFile, *, policy: UploadPolicy) -> None:
    """For a service handed a file: one SafeFileField has checked passes when its kind is one
    the policy allows; any other is checked here and renamed as the field would, so no caller
    can store a file its policy does not allow. Raises ValidationError."""
    kind = getattr(file, "detected_kind", None)
    if kind is None:
        kind = upload_validate(file=file, policy=policy)
        file.original_name = display_name(file.name or "")  # type: ignore[attr-defined]
        file.name = safe_name(kind=kind, original=file.name or "")
    elif kind not in policy.kinds:
        raise ValidationError(_("This kind of file cannot be attached here."))


def safe_name(*, kind: FileKind, original: str) -> str:
    """A stored name: random, with the extension of the detected kind.

    `original` is deliberately unused: the uploader's name may hold paths, odd characters or a
    lying extension, so nothing of it reaches storage. Keep it with display_name() instead.
    """
    return f"{uuid.uuid4().hex}.{kind.extension}"


DISPLAY_NAME_MAX = 120
DISPLAY_EXTENSION_MAX = 10


def display_name(original: str) -> str:
    """The uploader's file name, fit to show and to offer as a download name."""
    # Control and format characters first: a right-to-left override can disguise "fdp.exe".
    name = "".join(
        ch for ch in unicodedata.normalize("NFC", original or "") if not _is_invisible(ch)
    )
    # Windows browsers and old IE send the full client path, with either separator.
    name = re.split(r"[/\\]", name)[-1].strip(" .")
    if len(name) > DISPLAY_NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and len(extension) <= DISPLAY_EXTENSION_MAX:
            name = f"{stem[: DISPLAY_NAME_MAX - len(extension) - 1].rstrip()}.{extension}"
        else:
            name = name[:DISPLAY_NAME_MAX].rstrip()
    return name or "file"


class SafeFileField(forms.FileField):
    """A FileField that checks content against a policy and renames the upload.

    After clean(), the UploadedFile has `detected_kind`, `original_name` (for display) and a
    random `name`, so saving it into a model FileField never uses the uploader's name.
    """

    def __init__(self, *, policy: UploadPolicy, **kwargs: Any) -> None:
        self.policy = policy
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # The upload progress (static/js/upload.js) refuses a file over the limit before
        # sending it; the server checks again.
        return {**super().widget_attrs(widget), "data-max-bytes": str(self.policy.max_bytes)}

    def clean(self, data: Any, initial: Any = None) -> Any:
        file = super().clean(data, initial)
        if not isinstance(file, UploadedFile) or getattr(file, "detected_kind", None):
            # Nothing new uploaded, or this very object was already checked and renamed.
            return file
        kind = upload_validate(file=file, policy=self.policy)
        file.detected_kind = kind
        file.original_name = display_name(file.name or "")
        file.name = safe_name(kind=kind, original=file.name or "")
        # The browser's content type is the uploader's claim; replace it with what we found.
        file.content_type = kind.content_type
        return file


def _detect(file: BinaryFile) -> FileKind | None:
    position = file.tell()
    try:
        file.seek(0)
        kind = _kind_from_head(file.read(HEAD_BYTES))
        if kind is FileKind.ZIP:
            return FileKind.ZIP if _zip_check(file) else None
        return kind or _sniff_text(file)
    finally:
        file.seek(position)


def _kind_from_head(head: bytes) -> FileKind | None:
    if head.startswith(b"%PDF-"):
        return FileKind.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return FileKind.ZIP
    if head.startswith(SQLITE_MAGIC) and head[68:72] in GPKG_APPLICATION_IDS:
        return FileKind.GPKG
    if head.startswith((b"$FL2", b"$FL3")):
        return FileKind.SAV
    if head.startswith(b"<stata_dta>"):
        return FileKind.DTA
    if len(head) >= 4 and head[0] in DTA_OLD_FORMATS and head[1] in (1, 2) and head[2] == 1:
        return FileKind.DTA
    return None


def _zip_check(file: BinaryFile) -> bool:
    """False if not a readable ZIP; ValidationError if it is one but dangerous to unpack."""
    archive_bytes = _size(file)
    try:
        file.seek(0)
        if not zipfile.is_zipfile(file):
            return False
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, struct.error):
        return False
    if len(members) > ZIP_MAX_MEMBERS:
        raise ValidationError(
            TOO_MANY_MEMBERS,
            code="unsafe_archive",
            params={"limit": number_format(ZIP_MAX_MEMBERS, force_grouping=True)},
        )
    if any(_member_is_unsafe(member) for member in members):
        raise ValidationError(UNSAFE_MEMBER, code="unsafe_archive")
    # The sizes are the archive's own claims; whoever unpacks must still stop at this limit.
    unpacked = sum(member.file_size for member in members)
    limit = min(max(ZIP_MAX_RATIO * archive_bytes, ZIP_RATIO_FREE_BYTES), ZIP_MAX_UNPACKED_BYTES)
    if unpacked > limit:
        raise ValidationError(ZIP_BOMB, code="unsafe_archive")
    return True


def _member_is_unsafe(member: zipfile.ZipInfo) -> bool:
    name = member.filename
    parts = re.split(r"[/\\]", name)
    absolute = name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name) is not None
    is_link = stat.S_ISLNK(member.external_attr >> 16)
    return absolute or ".." in parts or "\x00" in name or is_link


def _sniff_text(file: BinaryFile) -> FileKind | None:
    file.seek(0)
    sample = file.read(TEXT_SAMPLE_BYTES + 1)
    complete = len(sample) <= TEXT_SAMPLE_BYTES
    sample = sample[:TEXT_SAMPLE_BYTES].removeprefix(codecs.BOM_UTF8)
    if b"\x00" in sample:
        return None
    try:
        # Not final for a cut sample: the cut may fall inside a multi-byte character.
        text = codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
    except UnicodeDecodeError:
        return None
    if text.lstrip()[:20].lower().startswith(MARKUP_STARTS):
        return None
    return FileKind.CSV if _is_csv(text, complete=complete) else FileKind.TEXT


def _is_csv(text: str, *, complete: bool) -> bool:
    """At least two columns, and every non-blank row of the sample has the same number."""
    if not complete:
        text = text[: text.rfind("\n") + 1]
    head = text[:CSV_SNIFF_CHARS]
    head = head[: head.rfind("\n") + 1] or head
    try:
        dialect = csv.Sniffer().sniff(head, delimiters=CSV_DELIMITERS)
        widths = {len(row) for row in csv.reader(io.StringIO(text), dialect) if row}
    except csv.Error:
        return False
    return len(widths) == 1 and widths.pop() >= 2


def _size(file: BinaryFile) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    position = file.tell()
    try:
        return file.seek(0, io.SEEK_END)
    finally:
        file.seek(position)


def _megabytes(size: int, *, round_up: bool = False) -> str:
    # Rounded up for the file, so 10.01 MB never reads "10.0 MB" against a 10 MB limit.
    tenths = -(-size * 10 // MB) if round_up else round(size * 10 / MB)
    decimals = 0 if tenths % 10 == 0 else 1
    return number_format(tenths / 10, decimal_pos=decimals, force_grouping=True)


def _is_invisible(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
