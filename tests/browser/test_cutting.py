"""Staff approve a microdata request of 5 variables of 2 provinces, watch a real worker cut it
from the office's SPSS master, read the first rows and send the offer; once paid, signed and
delivered, the customer downloads a ZIP whose data file holds exactly those variables and
those provinces' records."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, expect

from catalog.selection import Selection
from orders import services
from orders.models import CutRun, CutStatus, Order
from tests.celery_utils import celery_on_broker, worker_thread
from tests.factories import PASSWORD, UserFactory
from tests.masters import attach, master_dataset, master_frame, read_back
from tests.orders.conftest import ABSTRACT, paid
from tests.services import need, redis_available

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHOSEN = ["R301", "R302", "R303", "R305", "NAMA_DESA"]


def log_in(page, live_server, email: str) -> None:
    page.goto(live_server.url + "/akun/masuk/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("#main [type=submit]").click()


def test_staff_watch_the_cut_and_the_customer_downloads_exactly_what_was_chosen(
    browser: Browser, live_server
):
    broker = settings.TEST_BROKER_URL
    need(redis_available(broker), f"no Redis broker at CELERY_BROKER_URL ({broker or 'unset'})")
    staff = UserFactory(email="agus@example.com", full_name="Agus Petugas", roles=["pst_staff"])
    customer = UserFactory(email="rina@example.com", full_name="Rina Kusuma")
    dataset = master_dataset(records=3_000)
    attach(dataset, "sav", master_frame(3_000))
    ids = frozenset(dataset.variables.filter(name__in=CHOSEN).values_list("pk", flat=True))
    services.cart_add(
        customer=customer,
        product=dataset,
        selection=Selection(
            variables=ids, by_variable=True, regions=("31", "33"), data_format="sav"
        ),
    )
    order = services.order_submit(
        order=Order.objects.get(customer=customer, status="draft"),
        by=customer,
        ip="10.0.0.9",
        terms_accepted=True,
        abstract=ABSTRACT,
    )

    with celery_on_broker(broker), worker_thread():
        page = browser.new_page(locale="id-ID")
        log_in(page, live_server, "agus@example.com")
        page.goto(f"{live_server.url}/admin/orders/order/{order.pk}/change/")
        page.locator("button[value=approve]").click()
        # The cut is queued by the approval and runs in the worker; the bar follows it and
        # the page shows the files and their first rows when it is done, without a reload.
        expect(page.locator("#cuts")).to_be_visible()
        expect(page.locator(".cut-preview")).to_be_visible(timeout=60_000)
    run = CutRun.objects.get(line__order=order)
    assert run.status == CutStatus.DONE
    header = page.locator(".cut-preview-table thead th")
    expect(header).to_have_text(CHOSEN)
    expect(page.locator(".cut-files")).to_contain_text("2.000")  # records of 2 provinces
    if page.locator("#price-reason").count():
        page.fill("#price-reason", "Harga dari data yang dipotong.")
    page.locator("button[value=offer]").click()
    expect(page.locator("#order-status")).to_have_text("Penawaran dikirim")

    # Paid at the desk, the signed originals in, delivered.
    order = paid(Order.objects.get(pk=order.pk))
    services.order_sppd_originals_received(order=order, by=staff)
    services.order_deliver(order=Order.objects.get(pk=order.pk), by=staff)

    rina = browser.new_page(locale="id-ID")
    log_in(rina, live_server, "rina@example.com")
    rina.goto(f"{live_server.url}/pesanan/{order.pk}/")
    with rina.expect_download() as download:
        rina.get_by_role("link", name="Unduh", exact=True).click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    name = next(n for n in archive.namelist() if n.endswith(".sav"))
    frame, meta = read_back(archive.read(name), name)
    assert list(frame.columns) == CHOSEN
    master = master_frame(3_000)
    wanted = master[master["PROV"].isin([31.0, 33.0])]
    assert len(frame) == len(wanted) == 2_000
    assert frame["R303"].tolist() == wanted["R303"].tolist()
    assert {int(k) for k in meta.variable_value_labels["R302"]} == {1, 2}
    assert {"README.txt", "codebook.html"} <= set(archive.namelist())
