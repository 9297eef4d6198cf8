import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.selection import SESSION_KEY
from orders import files as order_files
from orders import services
from orders.models import DownloadLog, Order, OrderEvent
from orders.models import OrderStatus as S
from tests.factories import UserFactory

from .conftest import ABSTRACT, PDF, paid, prepared, submitted

pytestmark = pytest.mark.django_db


def upload(name="x.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_customer_puts_a_publication_and_a_chosen_selection_in_the_cart(
    client, customer, publication, dataset
):
    client.force_login(customer)
    variable = dataset.variables.get(name="F1_B2")
    session = client.session
    session[SESSION_KEY] = {
        str(dataset.pk): {"variables": [variable.pk], "regions": [], "by_variable": True}
    }
    session.save()

    client.post(reverse("orders:cart_add", args=[publication.pk]))
    client.post(reverse("orders:cart_add", args=[dataset.pk]))
    page = client.get(reverse("orders:cart")).content.decode()

    cart = Order.objects.get(customer=customer, status=S.DRAFT)
    assert [line.kind for line in cart.lines.all()] == ["publication", "microdata"]
    assert list(cart.lines.get(kind="microdata").variables.all()) == [variable]
    assert "1 variabel pilihan" in page
    assert "Rp85.000" in page  # 65.000 (60 pages) + 20.000 (5.000 bytes)
    assert 'name="abstract_purpose"' in page


def test_an_empty_selection_is_refused_with_a_message(client, customer, dataset):
    client.force_login(customer)
    session = client.session
    session[SESSION_KEY] = {str(dataset.pk): {"variables": [], "regions": [], "by_variable": True}}
    session.save()

    response = client.post(reverse("orders:cart_add", args=[dataset.pk]), follow=True)

    assert "Pilih minimal satu variabel" in response.content.decode()
    assert not Order.objects.exists()


def test_an_unverified_customer_cannot_fill_a_cart(client, customer, publication):
    customer.email_verified_at = None
    customer.save()
    client.force_login(customer)

    response = client.post(reverse("orders:cart_add", args=[publication.pk]))

    assert response.status_code == 302
    assert not Order.objects.exists()


def test_submitting_needs_the_terms_and_for_microdata_the_abstract(client, customer, dataset):
    client.force_login(customer)
    client.post(reverse("orders:cart_add", args=[dataset.pk]))

    response = client.post(reverse("orders:cart"), {"abstract_purpose": "x"})
    assert response.status_code == 200
    assert Order.objects.get().status == S.DRAFT

    response = client.post(
        reverse("orders:cart"), {**ABSTRACT, "terms": "on"}, REMOTE_ADDR="10.9.8.7"
    )
    order = Order.objects.get()
    assert response.status_code == 302 and response.url == order.get_absolute_url()
    assert order.status == S.SUBMITTED
    assert order.terms_agreed_ip == "10.9.8.7"
    assert order.sppd_status == "pending"


def test_a_letter_that_is_not_a_pdf_is_refused_and_nothing_is_saved(client, customer, publication):
    client.force_login(customer)
    client.post(reverse("orders:cart_add", args=[publication.pk]))

    response = client.post(
        reverse("orders:cart"),
        {"terms": "on", "exemption_letter": upload("surat.pdf", b"<html>not a pdf</html>")},
    )

    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    assert Order.objects.get().status == S.DRAFT


def test_the_customer_sees_the_timeline_and_what_to_do(client, customer, staff, microdata_order):
    services.order_ask_info(order=microdata_order, by=staff, question="Sebutkan variabel kunci.")
    client.force_login(customer)

    page = client.get(microdata_order.get_absolute_url()).content.decode()

    assert "Sebutkan variabel kunci." in page
    assert "Jawab pertanyaan petugas" in page
    assert "0 dari 10 hari kerja" in page
    response = client.post(
        reverse("orders:act", args=[microdata_order.pk, "answer"]), {"note": "R101 dan R102."}
    )
    assert response.status_code == 302
    assert Order.objects.get(pk=microdata_order.pk).status == S.SUBMITTED


ORDER_URLS = ["detail", "answer", "revise", "cancel", "sppd", "problem", "link"]


def test_another_customer_finds_none_of_the_order_urls(client, customer, microdata_order):
    other = UserFactory()
    client.force_login(other)

    for name in ORDER_URLS:
        url = (
            reverse("orders:detail", args=[microdata_order.pk])
            if name == "detail"
            else reverse("orders:act", args=[microdata_order.pk, name])
        )
        response = client.get(url) if name == "detail" else client.post(url, {"note": "x"})
        assert response.status_code == 404, name
    assert Order.objects.get(pk=microdata_order.pk).status == S.SUBMITTED


def test_a_download_link_works_only_for_its_account_and_is_logged(
    client, customer, staff, microdata_order
):
    order = services.order_approve(order=microdata_order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    sample = order.lines.get().current_file("sample")
    token = order_files.download_token(
        user=customer, order=order, document="sample", file_id=sample.pk
    )

    client.force_login(UserFactory())
    assert client.get(reverse("orders:download", args=[token])).status_code == 403
    client.force_login(customer)
    response = client.get(reverse("orders:download", args=[token]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    log = DownloadLog.objects.get()
    assert (log.user, log.document, log.ip) == (customer, "sample", "127.0.0.1")


def test_products_are_not_downloadable_before_delivery_even_with_a_forged_document_name(
    client, customer, staff, microdata_order
):
    order = services.order_approve(order=microdata_order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    product = order.lines.get().current_file("product")
    client.force_login(customer)

    for document in ("product", "sample"):
        token = order_files.download_token(
            user=customer, order=order, document=document, file_id=product.pk
        )
        assert client.get(reverse("orders:download", args=[token])).status_code == 403


def test_an_expired_download_link_is_refused(client, customer, staff, microdata_order, monkeypatch):
    from datetime import timedelta

    order = services.order_approve(order=microdata_order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    sample = order.lines.get().current_file("sample")
    token = order_files.download_token(
        user=customer, order=order, document="sample", file_id=sample.pk
    )
    monkeypatch.setattr(order_files, "LINK_MAX_AGE", timedelta(seconds=-1))
    client.force_login(customer)

    response = client.get(reverse("orders:download", args=[token]))

    assert response.status_code == 403
    assert "kedaluwarsa" in response.content.decode()


def test_microdata_downloads_close_30_days_after_completion_and_staff_can_renew(
    client, customer, staff, microdata_order
):
    from datetime import timedelta

    from django.utils import timezone

    order = services.order_approve(order=microdata_order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    order = paid(order)
    services.order_sppd_originals_received(order=order, by=staff)
    order = services.order_deliver(order=Order.objects.get(pk=order.pk), by=staff)
    product = order.lines.get().current_file("product")
    client.force_login(customer)

    def fetch():
        o = Order.objects.get(pk=order.pk)
        token = order_files.download_token(
            user=customer, order=o, document="product", file_id=product.pk
        )
        return client.get(reverse("orders:download", args=[token])).status_code

    assert fetch() == 200
    Order.objects.filter(pk=order.pk).update(downloads_until=timezone.now() - timedelta(seconds=1))
    assert fetch() == 403
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Minta tautan unduhan baru" in page
    client.post(reverse("orders:act", args=[order.pk, "link"]))
    services.order_downloads_renew(order=Order.objects.get(pk=order.pk), by=staff)
    assert fetch() == 200


def test_a_signed_agreement_must_be_a_pdf(client, customer, staff, microdata_order):
    order = services.order_approve(order=microdata_order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    client.force_login(customer)
    url = reverse("orders:act", args=[order.pk, "sppd"])

    bad = client.post(url, {"signed_file": upload("sppd.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100)})
    assert bad.status_code == 400
    assert Order.objects.get(pk=order.pk).sppd_status == "pending"

    good = client.post(url, {"signed_file": upload("sppd.pdf")})
    assert good.status_code == 302
    order.refresh_from_db()
    assert order.sppd_status == "uploaded"
    assert "sppd" not in order.sppd_signed.name.split("/")[-1]  # stored under a safe random name


# --- back office -------------------------------------------------------------------------------


def test_staff_see_queues_with_the_working_days_used(client, staff, customer, dataset, publication):
    submitted(customer, dataset)
    client.force_login(staff)

    page = client.get(reverse("admin:orders_order_changelist"), {"queue": "new"}).content.decode()

    assert "PST-" in page
    assert "0/10" in page


def test_staff_see_only_the_moves_allowed_now_and_make_them(client, staff, microdata_order):
    client.force_login(staff)
    page = client.get(
        reverse("admin:orders_order_change", args=[microdata_order.pk])
    ).content.decode()
    assert 'value="approve"' in page and 'value="reject"' in page
    assert 'value="offer"' not in page and 'value="deliver"' not in page
    assert "Mengukur pengangguran usia muda." in page

    response = client.post(
        reverse("admin:orders_order_act", args=[microdata_order.pk, "reject"]), {"note": ""}
    )
    assert Order.objects.get(pk=microdata_order.pk).status == S.SUBMITTED  # a reason is required
    client.post(
        reverse("admin:orders_order_act", args=[microdata_order.pk, "approve"]), {"note": "Sesuai."}
    )
    assert Order.objects.get(pk=microdata_order.pk).status == S.PREPARING
    assert response.status_code == 302


def test_staff_upload_a_prepared_file_checked_by_content(client, staff, microdata_order):
    order = services.order_approve(order=microdata_order, by=staff)
    line = order.lines.get()
    client.force_login(staff)
    url = reverse("admin:orders_order_act", args=[order.pk, "upload"])

    bad = client.post(
        url,
        {
            "line": line.pk,
            "kind": "product",
            "upload": upload("data.zip", b"MZ\x90\x00 windows exe"),
        },
    )
    assert bad.status_code == 400
    assert not line.files.exists()

    client.post(
        url, {"line": line.pk, "kind": "product", "upload": upload("data.csv", b"a,b\n1,2\n3,4\n")}
    )
    assert line.files.get().original_name == "data.csv"


def test_a_non_ascii_file_name_survives_the_web_server_handoff(
    client, customer, staff, microdata_order, settings
):
    settings.PRIVATE_FILES_X_ACCEL_PREFIX = "/protected/"
    order = services.order_approve(order=microdata_order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    sample = order.lines.get().current_file("sample")
    sample.original_name = 'Contoh "data" Banjarnegara – 2024.csv'
    sample.save()
    token = order_files.download_token(
        user=customer, order=order, document="sample", file_id=sample.pk
    )
    client.force_login(customer)

    response = client.get(reverse("orders:download", args=[token]))

    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["Content-Type"].startswith("text/csv")


def test_the_download_window_must_be_over_before_asking_for_a_new_link(
    customer, staff, microdata_order
):
    from orders.services import OrderError, order_link_request

    order = services.order_approve(order=microdata_order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    order = paid(order)
    services.order_sppd_originals_received(order=order, by=staff)
    order = services.order_deliver(order=Order.objects.get(pk=order.pk), by=staff)

    with pytest.raises(OrderError):
        order_link_request(order=order, by=customer)


def test_the_treasurer_and_customers_cannot_work_on_orders(
    client, treasurer, customer, microdata_order
):
    for who in (treasurer, customer):
        client.force_login(who)
        page = client.get(reverse("admin:orders_order_change", args=[microdata_order.pk]))
        act = client.post(reverse("admin:orders_order_act", args=[microdata_order.pk, "approve"]))
        assert page.status_code in (302, 403) and act.status_code in (302, 403)
        assert "Mengukur pengangguran" not in page.content.decode()
    assert Order.objects.get(pk=microdata_order.pk).status == S.SUBMITTED
    assert not OrderEvent.objects.filter(action="approve").exists()


def test_in_production_the_web_server_sends_the_file(
    client, customer, staff, microdata_order, settings
):
    settings.PRIVATE_FILES_X_ACCEL_PREFIX = "/protected/"
    order = services.order_approve(order=microdata_order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    sample = order.lines.get().current_file("sample")
    token = order_files.download_token(
        user=customer, order=order, document="sample", file_id=sample.pk
    )
    client.force_login(customer)

    response = client.get(reverse("orders:download", args=[token]))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected/" + sample.file.name
    assert 'filename="sample.pdf"' in response["Content-Disposition"]
    assert response.content == b""
