"""Reading the PDFs the portal makes: their text, and their pages as pictures compared with the
stored reference images (tests/fixtures/documents/), so a layout regression is caught.

After a deliberate change of a document's look, make the references again and look at them:
`UPDATE_REFERENCE_IMAGES=1 make test PYTEST_ARGS="-k reference_image"`.
"""

import os
import re
import shutil
import subprocess
import tempfile
from io import BytesIO
from pathlib import Path

from django.conf import settings

from tests.services import need

REFERENCES = Path(__file__).parent / "fixtures" / "documents"
UPDATE = os.environ.get("UPDATE_REFERENCE_IMAGES") == "1"
# Coarse enough that another build of poppler or FreeType anti-aliases a little differently, fine
# enough that a moved block, a lost line or a changed font is several times over.
RESOLUTION = 40
MEAN_DIFFERENCE_MAX = 2.0  # average grey-level difference, of 255
CHANGED_PIXELS_MAX = 0.004  # share of pixels whose grey level changed by more than a quarter


def pdf_text(pdf: bytes, *, layout: bool = False) -> str:
    """The words of a PDF in reading order, one space between them."""
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    command = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    result = subprocess.run(command, input=pdf, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def pdf_pages(pdf: bytes, *, resolution: int = RESOLUTION) -> list:
    """Every page as a greyscale Pillow image."""
    from PIL import Image

    need(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils) is not installed")
    pages = []
    page = 1
    while True:
        result = subprocess.run(
            ["pdftoppm", "-r", str(resolution), "-gray", "-f", str(page), "-l", str(page), "-png"],
            input=pdf,
            capture_output=True,
        )
        if result.returncode != 0 or not result.stdout:
            break
        pages.append(Image.open(BytesIO(result.stdout)).convert("L"))
        page += 1
    return pages


def pdf_page_texts(pdf: bytes) -> list[str]:
    """The words of each page."""
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    # pdftotext ends every page with a form feed.
    return [" ".join(page.split()) for page in result.stdout.decode().split("\f")[:-1]]


def pdf_images(pdf: bytes) -> int:
    """How many raster pictures the PDF holds (a logo)."""
    need(shutil.which("pdfimages") is not None, "pdfimages (poppler-utils) is not installed")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        listing = subprocess.run(
            ["pdfimages", "-list", file.name], capture_output=True, text=True, check=True
        )
    # Two lines of heading, then one line per image.
    return max(0, len(listing.stdout.splitlines()) - 2)


def pdf_qr_codes(pdf: bytes) -> list[str]:
    """What the QR codes on the PDF's pages say, as a phone's camera would read them."""
    import zxingcpp

    return [
        result.text
        for page in pdf_pages(pdf, resolution=150)
        for result in zxingcpp.read_barcodes(page)
        if result.format == zxingcpp.BarcodeFormat.QRCode
    ]


def page_difference(actual, reference) -> tuple[float, float]:
    """The mean grey-level difference and the share of clearly changed pixels."""
    from PIL import ImageChops

    if actual.size != reference.size:
        return 255.0, 1.0
    difference = ImageChops.difference(actual, reference)
    histogram = difference.histogram()
    pixels = actual.size[0] * actual.size[1]
    mean = sum(level * count for level, count in enumerate(histogram)) / pixels
    changed = sum(histogram[64:]) / pixels
    return mean, changed


def _references(name: str) -> list[Path]:
    """The stored pages of a document, in page order: <name>-1.png, <name>-2.png …"""
    pages = [
        p for p in REFERENCES.glob(f"{name}-*.png") if re.fullmatch(rf"{name}-\d+\.png", p.name)
    ]
    return sorted(pages, key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def assert_looks_like_reference(pdf: bytes, name: str) -> None:
    """Each page of `pdf` matches tests/fixtures/documents/<name>-<page>.png within the
    tolerance; on a mismatch the new pages and a difference picture are left in var/ to look at."""
    pages = pdf_pages(pdf)
    if UPDATE:
        REFERENCES.mkdir(parents=True, exist_ok=True)
        for stale in _references(name):
            stale.unlink()
        for number, image in enumerate(pages, start=1):
            image.save(REFERENCES / f"{name}-{number}.png", optimize=True)
        return
    from PIL import Image, ImageChops

    stored = _references(name)
    assert stored, f"no reference image for {name}: run with UPDATE_REFERENCE_IMAGES=1"
    assert len(pages) == len(stored), f"{name}: {len(pages)} pages, the reference has {len(stored)}"
    for number, (image, path) in enumerate(zip(pages, stored, strict=True), start=1):
        reference = Image.open(path).convert("L")
        mean, changed = page_difference(image, reference)
        if mean > MEAN_DIFFERENCE_MAX or changed > CHANGED_PIXELS_MAX:
            out = Path(settings.BASE_DIR) / "var" / "reference-mismatch"
            out.mkdir(parents=True, exist_ok=True)
            image.save(out / f"{name}-{number}.png")
            if image.size == reference.size:
                ImageChops.difference(image, reference).save(out / f"{name}-{number}-diff.png")
            raise AssertionError(
                f"{name} page {number} differs from {path.name}: mean {mean:.2f} "
                f"(at most {MEAN_DIFFERENCE_MAX}), {changed:.2%} of pixels changed "
                f"(at most {CHANGED_PIXELS_MAX:.1%}); see {out}"
            )
