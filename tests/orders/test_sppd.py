"""The data use agreement (SPPD): what the PDF says, and the task that stores it."""

import pytest

from catalog.models import DataFile, Variable
from orders.documents import sppd_render_pdf
from orders.models import Order, OrderLine, OrderLineVariable
from orders.tasks import sppd_render
from silastik.storage import PrivateFileSystemStorage
from tests import documents
from tests.factories import (
    DatasetFactory,
    DigitalMapFactory,
    PublicationFactory,
    UserFactory,
    banjarnegara,
    default_office,
)

PURPOSE = "Mengukur pengaruh jumlah anggota rumah tangga terhadap status pekerjaan."


def pdf_text(pdf: bytes) -> str:
    return documents.pdf_text(pdf, layout=True)


@pytest.fixture
def private_files(monkeypatch, tmp_path):
    """The agreement's storage in a temporary folder, away from the developer's files."""
    storage = PrivateFileSystemStorage(location=tmp_path)
    monkeypatch.setattr(Order._meta.get_field("sppd_document"), "storage", storage)
    return tmp_path


@pytest.fixture
def applicant(db):
    return UserFactory(
        full_name="Rina Kusumawati",
        id_number="3304015507900001",
        institution="Universitas Jenderal Soedirman",
    )


def line_add(order: Order, product, position: int, **fields) -> OrderLine:
    return OrderLine.objects.create(
        order=order,
        product=product,
        kind=product.kind,
        description=product.title,
        quoted_amount=fields.pop("quoted_amount", 20_000),
        position=position,
        **fields,
    )


@pytest.fixture
def order(applicant):
    regency = banjarnegara()
    order = Order.objects.create(
        customer=applicant,
        office=default_office(),
        number="PST-2026-000001",
        status="offered",
        sppd_status="pending",
        abstract_background="Skripsi tentang pasar kerja di Banjarnegara.",
        abstract_purpose=PURPOSE,
        abstract_method="Regresi logistik.",
        abstract_outputs="Skripsi dan satu artikel jurnal.",
    )
    dataset = DatasetFactory(
        title="Survei Angkatan Kerja Nasional Agustus 2024", period="Agustus 2024"
    )
    chosen = line_add(order, dataset, 0, by_variable=True, regions=["3304050"])
    for name in ["F1_B1", "F2_B2"]:
        OrderLineVariable.objects.create(line=chosen, variable=dataset.variables.get(name=name))
    line_add(order, DatasetFactory(title="Survei Sosial Ekonomi Nasional Maret 2024"), 1)
    line_add(
        order,
        DigitalMapFactory(title="Peta Wilkerstat Banjarnegara", region=regency),
        2,
        regions=["3304050", "3304160"],
        quantity=2,
        quoted_amount=60_000,
    )
    line_add(order, PublicationFactory(title="Banjarnegara Dalam Angka 2025"), 3)
    return order


def test_the_agreement_names_the_parties_the_data_and_the_purpose(order):
    text = pdf_text(sppd_render_pdf(order=order))

    assert "SURAT PERJANJIAN PENGGUNAAN DATA" in text.upper()
    assert "SPPD/PST-2026-000001" in text
    assert "Rina Kusumawati" in text
    assert "3304015507900001" in text
    assert "Universitas Jenderal Soedirman" in text
    assert "Survei Angkatan Kerja Nasional Agustus 2024" in text
    assert "Agustus 2024" in text
    assert "F1_B1" in text and "F2_B2" in text
    assert "3304050 BAWANG" in text
    assert "Survei Sosial Ekonomi Nasional Maret 2024" in text
    assert "Peta Wilkerstat Banjarnegara" in text
    assert "3304160 BATUR" in text
    assert PURPOSE in text
    assert "Regresi logistik." in text
    assert "BPS Kabupaten Banjarnegara" in text


def test_the_agreement_leaves_out_products_that_need_none(order):
    text = pdf_text(sppd_render_pdf(order=order))

    assert "Banjarnegara Dalam Angka 2025" not in text


def test_in_english_it_has_the_clauses_the_signatures_and_page_numbers(order, applicant):
    applicant.language = "en"
    applicant.save(update_fields=["language"])

    text = pdf_text(sppd_render_pdf(order=order))

    assert "SURAT PERJANJIAN PENGGUNAAN DATA" in text.upper()
    assert "Data Use Agreement" in text
    assert "2 chosen variables" in text
    assert "Full set (all variables of the dataset)" in text
    assert "Number of maps : 2" in text
    assert "not give, lend, sell or otherwise pass the data" in text
    assert "Law Number 16 of 1997 on Statistics" in text
    assert "Meterai Rp10.000 or e-meterai" in text
    assert "Head of BPS Kabupaten Banjarnegara" in text
    assert "Page 1 of" in text


def test_a_long_selection_lists_every_variable_in_an_annex(order, applicant):
    applicant.language = "en"
    applicant.save(update_fields=["language"])
    line = order.lines.get(by_variable=True)
    line.variables.clear()
    data_file = DataFile.objects.create(dataset=line.product.dataset, file_id="F3", name="Besar")
    variables = Variable.objects.bulk_create(
        Variable(
            dataset=line.product.dataset,
            file=data_file,
            name=f"X{n:03}",
            label=f"Pertanyaan {n}",
            width=1,
            position=n,
        )
        for n in range(1, 201)
    )
    OrderLineVariable.objects.bulk_create(
        OrderLineVariable(line=line, variable=variable) for variable in variables
    )

    text = pdf_text(sppd_render_pdf(order=order))

    assert "200 chosen variables, listed in Annex 1" in text
    assert "ANNEX 1: THE CHOSEN VARIABLES" in text.upper()
    assert all(f"X{n:03} Pertanyaan {n} Besar" in text for n in range(1, 201))


def test_a_short_selection_is_listed_in_the_article_itself(order, applicant):
    applicant.language = "en"
    applicant.save(update_fields=["language"])

    text = pdf_text(sppd_render_pdf(order=order))

    assert "2 chosen variables, listed below" in text
    assert "Annex 1" not in text


def test_the_task_stores_the_agreement_and_a_second_run_replaces_it(order, private_files):
    sppd_render.delay(order.pk)
    order.refresh_from_db()
    first = order.sppd_document.name

    sppd_render.delay(order.pk)
    order.refresh_from_db()

    assert order.sppd_document.name == first
    assert first.endswith("/sppd-PST-2026-000001.pdf")
    stored = [path for path in private_files.rglob("*") if path.is_file()]
    assert [path.name for path in stored] == ["sppd-PST-2026-000001.pdf"]
    assert stored[0].read_bytes().startswith(b"%PDF-")


def test_the_task_replaces_a_number_with_slashes_in_the_file_name(order, private_files):
    Order.objects.filter(pk=order.pk).update(number="PST/2026/000001")

    sppd_render(order.pk)

    order.refresh_from_db()
    assert order.sppd_document.name.endswith("/sppd-PST-2026-000001.pdf")


def test_the_task_leaves_orders_without_an_agreement_alone(order, private_files):
    Order.objects.filter(pk=order.pk).update(sppd_status="not_needed")

    sppd_render(order.pk)

    order.refresh_from_db()
    assert not order.sppd_document
    assert not any(path.is_file() for path in private_files.rglob("*"))


def test_the_agreement_reads_the_order_in_a_few_queries(order, django_assert_max_num_queries):
    order = Order.objects.select_related("customer", "office").get(pk=order.pk)

    # Lines, regions, chosen variables, the offer and its verification code.
    with django_assert_max_num_queries(6):
        sppd_render_pdf(order=order)


# --- on paper -------------------------------------------------------------------------------------

SPPD_CODE = "M3PX-7QKD-2VHA"


@pytest.fixture
def issued(order):
    """The order as the offer of 2 March 2026 issued it, with its head of office and code."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from orders.models import OrderAction, OrderEvent
    from silastik.verification.models import VerificationCode

    office = order.office
    office.head_name, office.head_nip = "Dr. Budi Santoso, S.Si., M.Si.", "197203151994031002"
    office.save(update_fields=["head_name", "head_nip"])
    offer = OrderEvent.objects.create(
        order=order,
        action=OrderAction.OFFER,
        at=datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")),
    )
    VerificationCode.objects.create(code=SPPD_CODE, kind="sppd", object_id=offer.pk)
    return Order.objects.select_related("customer", "office").get(pk=order.pk)


def chosen_eighty(order: Order) -> None:
    line = order.lines.get(by_variable=True)
    line.variables.clear()
    data_file = DataFile.objects.create(dataset=line.product.dataset, file_id="F9", name="Ruta")
    variables = Variable.objects.bulk_create(
        Variable(
            dataset=line.product.dataset,
            file=data_file,
            name=f"B{n:02}",
            label=f"Rincian {n}",
            width=1,
            position=n,
        )
        for n in range(1, 81)
    )
    OrderLineVariable.objects.bulk_create(
        OrderLineVariable(line=line, variable=v) for v in variables
    )


def test_the_agreement_prints_letterhead_place_date_nip_groups_and_its_code(issued):
    pdf = sppd_render_pdf(order=issued)
    text = pdf_text(pdf)

    assert text.startswith("BADAN PUSAT STATISTIK BPS KABUPATEN BANJARNEGARA")
    assert "Banjarnegara, 2 Maret 2026" in text
    assert "NIP 19720315 199403 1 002" in text
    assert SPPD_CODE in text
    assert documents.pdf_qr_codes(pdf) == [f"http://127.0.0.1:8000/verifikasi/{SPPD_CODE}/"]


def test_the_agreement_lists_the_last_of_eighty_chosen_variables(issued):
    chosen_eighty(issued)

    text = pdf_text(sppd_render_pdf(order=issued))

    assert "80 variabel pilihan, tercantum dalam Lampiran 1" in text
    assert "80 B80 Rincian 80 Ruta" in text


def test_with_a_customer_abroad_the_agreement_is_bilingual_and_indonesian_binds(issued):
    customer = issued.customer
    customer.domicile, customer.country, customer.language = "abroad", "MY", "en"
    customer.save(update_fields=["domicile", "country", "language"])

    text = pdf_text(sppd_render_pdf(order=Order.objects.get(pk=issued.pk)))

    assert "Data Use Agreement" in text
    assert "Teks bahasa Indonesia (kiri) mengikat para pihak" in text
    # Each article in both languages, side by side.
    assert "Pasal 3" in text and "Article 3" in text
    assert "tidak memberikan, meminjamkan, menjual" in text
    assert "not give, lend, sell or otherwise pass the data" in text
    assert "yang berlaku adalah teks bahasa Indonesia" in text
    assert "Pihak Kedua / Second Party" in text.title() or "PIHAK KEDUA / SECOND PARTY" in text


@pytest.mark.parametrize("abroad", [False, True], ids=["domestic", "abroad"])
def test_the_agreement_looks_like_its_reference_image(issued, abroad):
    # What the factories number by sequence would change the picture from run to run.
    issued.customer.email = "rina@example.com"
    issued.customer.save(update_fields=["email"])
    if abroad:
        customer = issued.customer
        customer.domicile, customer.country = "abroad", "MY"
        customer.save(update_fields=["domicile", "country"])
    chosen_eighty(issued)
    order = Order.objects.select_related("customer", "office").get(pk=issued.pk)

    documents.assert_looks_like_reference(
        sppd_render_pdf(order=order), "sppd-abroad" if abroad else "sppd"
    )
