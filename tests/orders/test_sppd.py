"""The data use agreement (SPPD): what the PDF says, and the task that stores it."""

import shutil
import subprocess

import pytest

from catalog.models import DataFile, Variable
from orders.documents import sppd_render_pdf
from orders.models import Order, OrderLine, OrderLineVariable
from orders.tasks import sppd_render
from silastik.storage import PrivateFileSystemStorage
from tests.factories import (
    DatasetFactory,
    DigitalMapFactory,
    PublicationFactory,
    UserFactory,
    banjarnegara,
    default_office,
)
from tests.services import need

PURPOSE = "Mengukur pengaruh jumlah anggota rumah tangga terhadap status pekerjaan."


def pdf_text(pdf: bytes) -> str:
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    # Words are what matter; line breaks and column padding depend on the layout.
    return " ".join(result.stdout.decode().split())


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


def test_a_long_selection_lists_sixty_variables_and_counts_the_rest(order, applicant):
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

    assert "200 chosen variables" in text
    assert "X001" in text and "X060" in text
    assert "X061" not in text and "X200" not in text
    assert "and 140 more variables" in text


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

    with django_assert_max_num_queries(4):
        sppd_render_pdf(order=order)
