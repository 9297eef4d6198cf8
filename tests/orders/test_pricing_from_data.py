"""Microdata is priced from the data, not from the upload: a prepared archive counts its
members unpacked, staff see the price beside the customer's quote and confirm a difference
above the tolerance with a reason, and the customer sees the calculation on the order page and
on the invoice line."""

import io
import random
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from billing.documents import invoice_render_pdf
from billing.models import Invoice
from billing.rendering import invoice_document
from orders import services
from orders.models import LineFile, Order, OrderAction
from orders.models import OrderStatus as S
from silastik import uploads
from tests.documents import pdf_text
from tests.factories import DatasetFactory

from .conftest import pdf, submitted

pytestmark = pytest.mark.django_db

# The case: a full set quoted Rp10.040.460 (502.023.000 bytes, 501.023 blocks).
FULL_SET_BYTES = 502_023_000
FULL_SET_QUOTE = 20_000 + 501_023 * 20


def zip_of(members: dict[str, bytes]) -> ContentFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return ContentFile(buffer.getvalue(), name="product.zip")


def digits(size: int) -> bytes:
    """Data that compresses as survey records do (a few times, not a thousand)."""
    rng = random.Random(size)
    return bytes(rng.choice(b"0123456789,\n") for _ in range(size))


@pytest.fixture
def big_set(db):
    return DatasetFactory(title="Susenas Maret 2024", full_size_bytes=FULL_SET_BYTES)


def approved(customer, staff, product) -> Order:
    return services.order_approve(order=submitted(customer, product), by=staff)


def prepare(order: Order, staff, product_file) -> LineFile:
    line = order.lines.get()
    made = services.line_file_upload(line=line, by=staff, upload=product_file, kind="product")
    services.line_file_upload(line=line, by=staff, upload=pdf("contoh.pdf"), kind="sample")
    return made


def test_a_zip_counts_its_members_unpacked():
    archive = zip_of({"data/ruta.csv": digits(2_400_000), "codebook.pdf": b"%PDF-" + b"x" * 99_995})

    assert archive.size < 1_300_000
    assert uploads.data_bytes(archive) == 2_500_000
    assert archive.tell() == 0  # the upload is left where it was for saving


def test_a_data_file_counts_its_own_size():
    assert uploads.data_bytes(ContentFile(b"1,2\n" * 1000, name="ruta.csv")) == 4000


def test_a_small_zip_no_longer_turns_the_quote_into_the_minimum_silently(customer, staff, big_set):
    """The reported fault: a 304-byte ZIP made a Rp10.040.460 quote a Rp20.000 invoice."""
    order = approved(customer, staff, big_set)
    assert order.lines.get().quoted_amount == FULL_SET_QUOTE
    tiny = zip_of({"readme.txt": b"Berkas menyusul."})
    assert tiny.size < 400
    prepare(order, staff, tiny)

    with pytest.raises(services.OrderError, match="lebih dari 10%"):
        services.order_offer(order=order, by=staff)

    order.refresh_from_db()
    line = order.lines.get()
    assert order.status == S.PREPARING
    assert line.quoted_amount == FULL_SET_QUOTE and line.estimated_amount is None
    assert not Invoice.objects.filter(order=order).exists()


def test_staff_confirm_a_price_far_from_the_quote_with_a_reason(customer, staff, big_set):
    order = approved(customer, staff, big_set)
    prepare(order, staff, zip_of({"ruta.csv": digits(1_800_000)}))

    services.order_offer(
        order=order, by=staff, price_reason="Hanya berkas rumah tangga yang diminta."
    )

    line = order.lines.get()
    assert line.quoted_amount == 20_000 + 800 * 20
    assert (line.estimated_amount, line.estimated_bytes) == (FULL_SET_QUOTE, FULL_SET_BYTES)
    assert line.breakdown.as_data() == {
        "size_bytes": 1_800_000,
        "first_price": 20_000,
        "blocks": 800,
        "block_price": 20,
    }
    offer = order.events.get(action=OrderAction.OFFER)
    assert "Rp10.040.460 → Rp36.000" in offer.note
    assert "Hanya berkas rumah tangga yang diminta." in offer.note
    assert Invoice.objects.get(order=order).total == 36_000


def test_a_price_within_the_tolerance_needs_no_reason(customer, staff):
    dataset = DatasetFactory(full_size_bytes=2_500_000)  # quoted Rp50.000
    order = approved(customer, staff, dataset)
    # 2.600.000 bytes: Rp52.000, 4% above the quote.
    prepare(order, staff, zip_of({"ruta.csv": digits(2_500_000), "art.csv": digits(100_000)}))

    services.order_offer(order=order, by=staff)

    line = order.lines.get()
    assert (line.quoted_amount, line.estimated_amount) == (52_000, 50_000)
    assert "Rp50.000 → Rp52.000" in order.events.get(action=OrderAction.OFFER).note


def test_staff_see_the_quote_beside_the_price_from_the_data(client, customer, staff, big_set):
    order = approved(customer, staff, big_set)
    prepare(order, staff, zip_of({"ruta.csv": digits(1_800_000)}))
    client.force_login(staff)

    body = client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()

    assert 'id="reprices"' in body
    assert "Rp10.040.460" in body and "perkiraan 502.023.000 byte" in body
    assert "Rp36.000" in body
    assert "1.800.000 byte: 1 MB pertama Rp20.000 + 800 blok 1.000 byte × Rp20" in body
    assert '<textarea name="price_reason" rows="2" cols="60" required' in body


def test_the_offer_form_sends_the_reason(client, customer, staff, big_set):
    order = approved(customer, staff, big_set)
    prepare(order, staff, zip_of({"ruta.csv": digits(1_800_000)}))
    client.force_login(staff)
    act = reverse("admin:orders_order_act", args=[order.pk, "offer"])

    refused = client.post(act, {"note": "", "price_reason": "  "}, follow=True)
    order.refresh_from_db()
    assert order.status == S.PREPARING
    assert "lebih dari 10%" in refused.content.decode()

    client.post(act, {"note": "", "price_reason": "Hanya satu berkas."}, follow=True)

    order.refresh_from_db()
    assert order.status == S.OFFERED
    assert "Hanya satu berkas." in order.events.get(action=OrderAction.OFFER).note


def test_the_customer_sees_the_calculation_on_the_order_page_and_the_invoice(
    client, customer, staff, big_set
):
    order = approved(customer, staff, big_set)
    prepare(order, staff, zip_of({"ruta.csv": digits(1_800_000)}))
    services.order_offer(order=order, by=staff, price_reason="Satu berkas saja.")
    client.force_login(customer)

    page = client.get(order.get_absolute_url()).content.decode()
    invoice = Invoice.objects.get(order=order)
    text = pdf_text(invoice_render_pdf(document=invoice_document(invoice)))

    assert "1.800.000 byte" in page and "Rp20.000" in page
    assert "800 blok 1.000 byte × Rp20" in page and "Rp16.000" in page
    assert "Rp36.000" in page and "Rp10.040.460" in page  # the quote, for comparison
    assert invoice.lines.get().detail == (
        "1.800.000 byte: 1 MB pertama Rp20.000 + 800 blok 1.000 byte × Rp20"
    )
    assert "1.800.000 byte: 1 MB pertama Rp20.000 + 800 blok 1.000 byte × Rp20" in text


def test_a_revision_prices_the_new_file_against_the_first_quote(customer, staff, big_set):
    order = approved(customer, staff, big_set)
    prepare(order, staff, zip_of({"ruta.csv": digits(1_800_000)}))
    order = services.order_offer(order=order, by=staff, price_reason="Satu berkas.")
    order = services.order_request_revision(
        order=order, by=customer, what="sample", note="Tambah berkas individu."
    )
    prepare(order, staff, zip_of({"ruta.csv": digits(1_800_000), "art.csv": digits(700_000)}))

    with pytest.raises(services.OrderError):
        services.order_offer(order=order, by=staff)
    services.order_offer(order=order, by=staff, price_reason="Dua berkas.")

    line = order.lines.get()
    assert line.estimated_amount == FULL_SET_QUOTE
    assert line.quoted_amount == 20_000 + 1_500 * 20


def test_a_file_stored_before_its_data_size_was_kept_is_measured_once(customer, staff):
    dataset = DatasetFactory(full_size_bytes=2_500_000)
    order = approved(customer, staff, dataset)
    made = prepare(order, staff, zip_of({"ruta.csv": digits(2_500_000)}))
    LineFile.objects.filter(pk=made.pk).update(data_bytes=None)

    preview = services.lines_reprice_preview(order=order)

    assert [p.amount for p in preview] == [50_000]
    assert LineFile.objects.get(pk=made.pk).data_bytes == 2_500_000


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({}, "Arsip ini tidak memuat data."),
        ({"folder/": b""}, "Arsip ini tidak memuat data."),
        ({"dalam.zip": b"PK\x05\x06" + b"\x00" * 18}, "memuat arsip lain (dalam.zip)"),
        ({"ruta.csv.gz": b"\x1f\x8b" + b"\x00" * 20}, "memuat arsip lain (ruta.csv.gz)"),
    ],
    ids=["empty", "only-a-folder", "nested-zip", "gzip-member"],
)
def test_an_archive_without_data_to_price_is_refused(members, message):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("id"), pytest.raises(ValidationError) as refused:
        uploads.data_bytes(zip_of(members))

    assert message in " ".join(refused.value.messages)


def test_an_archive_whose_directory_lies_about_its_size_is_refused():
    """A member of 48.000 bytes whose central directory says 10: priced by the directory, it
    would cost the first MB only."""
    from django.core.exceptions import ValidationError

    honest = zip_of({"ruta.csv": digits(48_000)}).read()
    entry = honest.rindex(b"PK\x01\x02")  # the central directory's entry of the member
    lying = bytearray(honest)
    lying[entry + 24 : entry + 28] = (10).to_bytes(4, "little")  # its uncompressed size

    with pytest.raises(ValidationError):
        uploads.data_bytes(ContentFile(bytes(lying), name="product.zip"))


def test_mac_metadata_in_an_archive_is_not_data():
    archive = zip_of({"ruta.csv": b"1,2\n" * 500, "__MACOSX/._ruta.csv": b"x" * 4096})

    assert uploads.data_bytes(archive) == 2000


def test_staff_uploading_a_bad_archive_read_why_and_nothing_is_saved(
    client, customer, staff, big_set
):
    order = approved(customer, staff, big_set)
    line = order.lines.get()
    client.force_login(staff)
    archive = zip_of({"data.zip": zip_of({"ruta.csv": b"1"}).read()}).read()

    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("admin:orders_order_act", args=[order.pk, "upload"]),
        {
            "line": line.pk,
            "kind": "product",
            "note": "",
            "upload": SimpleUploadedFile("produk.zip", archive),
        },
    )

    assert response.status_code == 400
    assert "memuat arsip lain (data.zip)" in response.content.decode()
    assert not LineFile.objects.filter(line=line).exists()


@pytest.mark.parametrize(
    ("data_bytes", "needs_reason"),
    [(2_750_000, False), (2_750_001, True), (2_250_000, False), (2_249_999, True)],
    ids=["10%-above", "just-over-10%-above", "10%-below", "just-over-10%-below"],
)
def test_the_tolerance_is_exact_not_rounded(customer, staff, data_bytes, needs_reason):
    dataset = DatasetFactory(full_size_bytes=10_000_000_000)  # a quote of Rp200.000.000
    order = approved(customer, staff, dataset)
    quote = order.lines.get().quoted_amount
    made = prepare(order, staff, pdf("produk.pdf"))
    # A price exactly 10 % from the quote passes; a rupiah further does not.
    blocks = (quote * data_bytes // 2_500_000 - 20_000) // 20
    LineFile.objects.filter(pk=made.pk).update(data_bytes=1_000_000 + blocks * 1_000)

    [preview] = services.lines_reprice_preview(order=order)

    assert preview.needs_confirmation is needs_reason


def test_the_customer_reads_the_price_note_in_their_language(customer, staff, big_set):
    customer.language = "en"
    customer.save(update_fields=["language"])
    order = approved(customer, staff, big_set)
    prepare(order, staff, zip_of({"ruta.csv": digits(1_800_000)}))

    order = services.order_offer(order=order, by=staff, price_reason="Only one file.")

    note = order.events.get(action=OrderAction.OFFER).note
    assert note.startswith("Priced from the prepared data: ")
    assert note.endswith("Rp10.040.460 → Rp36.000. Only one file.")


def test_a_lost_prepared_file_is_reported_not_a_server_error(client, customer, staff):
    dataset = DatasetFactory(full_size_bytes=2_500_000)
    order = approved(customer, staff, dataset)
    made = prepare(order, staff, zip_of({"ruta.csv": digits(100_000)}))
    LineFile.objects.filter(pk=made.pk).update(data_bytes=None, file="orders/gone.zip")
    client.force_login(staff)

    page = client.get(reverse("admin:orders_order_change", args=[order.pk]))
    with pytest.raises(services.OrderError, match="tidak dapat dibaca"):
        services.order_offer(order=order, by=staff)

    assert page.status_code == 200
    assert "tidak dapat dibaca: unggah lagi" in page.content.decode()
