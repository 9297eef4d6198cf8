"""The money path for each channel, and everything that must not happen to money."""

import json
import re
import shutil
import subprocess
import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse
from django.utils import timezone, translation

from billing import services
from billing.gateway import SimulatedGateway, callback_secret, notice_sign
from billing.models import Invoice, Payment, Receipt
from billing.rendering import receipt_issue_once
from billing.services import BillingError
from orders import services as order_services
from orders.models import Order
from orders.models import OrderStatus as S
from tests.factories import UserFactory
from tests.orders.conftest import prepared, submitted
from tests.services import need

pytestmark = pytest.mark.django_db


@pytest.fixture
def offered(customer, staff, dataset):
    order = order_services.order_approve(order=submitted(customer, dataset), by=staff)
    return order_services.order_offer(order=prepared(order, staff), by=staff)


@pytest.fixture
def abroad_offered(staff, dataset):
    foreign = UserFactory(
        email="emma@example.se",
        domicile="abroad",
        country="SE",
        id_type="passport",
        id_number="AA1234567",
    )
    order = order_services.order_approve(order=submitted(foreign, dataset), by=staff)
    return order_services.order_offer(order=prepared(order, staff), by=staff)


def notice_for(invoice: Invoice, **overrides) -> dict:
    code = invoice.billing_codes.get()
    notice = SimulatedGateway().payment_make(code=code.code, amount=invoice.total, **overrides)
    return notice_sign(notice=notice, secret=callback_secret())


def test_the_offer_issues_an_invoice_with_a_billing_code(offered):
    invoice = Invoice.objects.get(order=offered)

    assert invoice.number.startswith("INV/3304/")
    assert invoice.total == offered.total > 0
    assert [line.amount for line in invoice.lines.all()] == [
        line.quoted_amount for line in offered.lines.all()
    ]
    code = invoice.billing_codes.get()
    assert len(code.code) == 15 and code.code.startswith("8")
    assert code.expires_at <= invoice.valid_until
    issued = timezone.localtime(invoice.issued_at)
    assert timezone.localtime(invoice.valid_until).month == issued.month % 12 + 1


def test_a_correction_voids_the_invoice_and_issues_a_new_one(offered, customer, staff):
    first = Invoice.objects.get(order=offered)
    order = order_services.order_request_revision(
        order=offered, by=customer, what="invoice", note="NPWP"
    )
    order_services.order_offer(order=order, by=staff)

    first.refresh_from_db()
    second = Invoice.objects.get(order=offered, status="issued")
    assert first.status == "void" and second.replaces == first
    assert second.number != first.number


def test_paying_by_billing_code_settles_the_order_and_issues_one_receipt(
    client, offered, committed
):
    invoice = Invoice.objects.get(order=offered)
    payload = notice_for(invoice)

    with committed():
        first = client.post(
            reverse("billing:callback"), json.dumps(payload), content_type="application/json"
        )
        again = client.post(
            reverse("billing:callback"), json.dumps(payload), content_type="application/json"
        )

    assert first.json()["status"] == "paid"
    assert again.json()["status"] == "already"
    assert Payment.objects.filter(invoice=invoice).count() == 1
    assert Order.objects.get(pk=offered.pk).status == S.AWAITING_DELIVERY
    receipt = Receipt.objects.get()
    assert receipt.number.startswith("KW/3304/") and receipt.pdf


def test_a_forged_callback_changes_nothing(client, offered):
    invoice = Invoice.objects.get(order=offered)
    forged = {**notice_for(invoice), "amount": 1}

    response = client.post(
        reverse("billing:callback"), json.dumps(forged), content_type="application/json"
    )

    assert response.status_code == 400
    assert not Payment.objects.exists()
    assert Order.objects.get(pk=offered.pk).status == S.OFFERED


def test_money_for_an_expired_invoice_is_recorded_for_a_refund_not_settled(client, offered):
    invoice = Invoice.objects.get(order=offered)
    Invoice.objects.filter(pk=invoice.pk).update(valid_until=timezone.now() - timedelta(seconds=1))

    response = client.post(
        reverse("billing:callback"),
        json.dumps(notice_for(invoice)),
        content_type="application/json",
    )

    # The bank has the money: the gateway must stop retrying and the treasurer must refund.
    assert response.status_code == 200 and response.json()["status"] == "refund_due"
    payment = Payment.objects.get()
    assert payment.status == "refund_due"
    assert "kedaluwarsa" in payment.reject_reason
    assert Order.objects.get(pk=offered.pk).status == S.OFFERED
    assert not Receipt.objects.exists()


def test_expiry_at_the_boundary(offered):
    invoice = Invoice.objects.get(order=offered)

    assert services.invoices_expire(now=invoice.valid_until - timedelta(seconds=1)) == 0
    assert services.invoices_expire(now=invoice.valid_until) == 0
    assert services.invoices_expire(now=invoice.valid_until + timedelta(seconds=1)) == 1
    assert services.invoices_expire(now=invoice.valid_until + timedelta(days=1)) == 0
    assert Invoice.objects.get(pk=invoice.pk).status == "expired"
    order = Order.objects.get(pk=offered.pk)
    assert order.status == S.EXPIRED
    assert order.events.filter(action="expire").count() == 1


def test_a_lapsed_billing_code_is_replaced_within_the_invoices_month(offered, customer):
    invoice = Invoice.objects.get(order=offered)
    invoice.billing_codes.update(expires_at=timezone.now() - timedelta(minutes=1))

    new = services.billing_code_reissue(invoice=invoice, by=customer)

    assert new.code != invoice.billing_codes.exclude(pk=new.pk).get().code
    assert not new.is_lapsed()


def test_a_transfer_proof_is_confirmed_by_the_treasurer(abroad_offered, treasurer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    invoice = Invoice.objects.get(order=abroad_offered)
    assert invoice.pay_by_transfer and not invoice.billing_codes.exists()
    proof = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    payment = services.payment_proof_submit(
        invoice=invoice, by=abroad_offered.customer, proof=proof
    )
    assert Order.objects.get(pk=abroad_offered.pk).status == S.PAYMENT_REVIEW

    services.payment_confirm(payment=payment, by=treasurer, reference="SWIFT 1234")
    receipt = receipt_issue_once(payment_id=payment.pk)

    assert Order.objects.get(pk=abroad_offered.pk).status == S.AWAITING_DELIVERY
    assert receipt.treasurer_nip == treasurer.nip


def test_a_rejected_proof_sends_the_order_back_to_the_customer(abroad_offered, treasurer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    invoice = Invoice.objects.get(order=abroad_offered)
    proof = SimpleUploadedFile(
        "bukti.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png"
    )
    payment = services.payment_proof_submit(
        invoice=invoice, by=abroad_offered.customer, proof=proof
    )

    with pytest.raises(BillingError):
        services.payment_reject(payment=payment, by=treasurer, reason="")
    services.payment_reject(
        payment=payment, by=treasurer, reason="The amount is missing the bank fee."
    )

    order = Order.objects.get(pk=abroad_offered.pk)
    assert order.status == S.OFFERED
    assert "bank fee" in order.events.last().note


def test_cash_at_the_desk(offered, treasurer):
    payment = services.cash_record(invoice=Invoice.objects.get(order=offered), by=treasurer)

    assert payment.channel == "cash"
    assert Order.objects.get(pk=offered.pk).settled_at is not None


@pytest.mark.parametrize("who", ["staff", "customer", "superuser"])
def test_only_the_treasurer_confirms_money(offered, request, who):
    user = request.getfixturevalue(who)
    invoice = Invoice.objects.get(order=offered)

    with pytest.raises(BillingError):
        services.cash_record(invoice=invoice, by=user)
    assert not Payment.objects.exists()


def test_the_receipt_task_run_twice_leaves_one_receipt(offered, treasurer):
    payment = services.cash_record(invoice=Invoice.objects.get(order=offered), by=treasurer)

    first = receipt_issue_once(payment_id=payment.pk)
    second = receipt_issue_once(payment_id=payment.pk)

    assert first.pk == second.pk
    assert Receipt.objects.count() == 1


def test_the_receipt_pdf_says_number_total_and_words(offered, treasurer):
    need(shutil.which("pdftotext") is not None, "pdftotext is not installed")
    payment = services.cash_record(invoice=Invoice.objects.get(order=offered), by=treasurer)
    receipt = receipt_issue_once(payment_id=payment.pk)

    text = subprocess.run(
        ["pdftotext", "-", "-"], input=receipt.pdf.read(), capture_output=True, check=True
    ).stdout.decode()

    assert receipt.number in text
    total = f"Rp{payment.amount:,}".replace(",", ".")
    assert total in text
    assert "rupiah" in text.lower()


def test_customers_cannot_see_others_invoices_or_receipts(client, offered, treasurer):
    invoice = Invoice.objects.get(order=offered)
    payment = services.cash_record(invoice=invoice, by=treasurer)
    receipt = receipt_issue_once(payment_id=payment.pk)
    from billing.rendering import invoice_store_pdf

    invoice_store_pdf(invoice_id=invoice.pk)
    client.force_login(UserFactory())

    for kind, pk in (("invoice", invoice.pk), ("receipt", receipt.pk)):
        assert client.get(reverse("billing:document", args=[kind, pk])).status_code == 404
    assert client.post(reverse("billing:reissue", args=[invoice.pk])).status_code == 404
    assert client.get(reverse("billing:proof_view", args=[payment.pk])).status_code == 404

    client.force_login(offered.customer)
    assert client.get(reverse("billing:document", args=["receipt", receipt.pk])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_confirmations_make_one_payment_and_one_state_change(customer, dataset):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    staff = UserFactory(roles=["pst_staff"])
    treasurer = UserFactory(roles=["treasurer"])
    foreign = UserFactory(domicile="abroad", country="SE", id_type="passport", id_number="X1")
    order = order_services.order_approve(order=submitted(foreign, dataset), by=staff)
    order = order_services.order_offer(order=prepared(order, staff), by=staff)
    invoice = Invoice.objects.get(order=order)
    from django.core.files.base import ContentFile

    payment = services.payment_proof_submit(
        invoice=invoice, by=foreign, proof=ContentFile(b"%PDF-1.4\n", name="p.pdf")
    )
    barrier = threading.Barrier(20)
    errors = []

    def confirm():
        try:
            barrier.wait()
            services.payment_confirm(payment=payment, by=treasurer, reference="REF-1")
            receipt_issue_once(payment_id=payment.pk)
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=confirm) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert Payment.objects.filter(status="confirmed").count() == 1
    assert Receipt.objects.count() == 1
    assert Order.objects.get(pk=order.pk).events.filter(action="settle").count() == 1


def test_the_treasurer_opens_a_payment_with_its_proof(client, abroad_offered, treasurer):
    from django.core.files.base import ContentFile

    invoice = Invoice.objects.get(order=abroad_offered)
    payment = services.payment_proof_submit(
        invoice=invoice, by=abroad_offered.customer, proof=ContentFile(b"%PDF-1.4\n", name="p.pdf")
    )
    client.force_login(treasurer)

    page = client.get(reverse("admin:billing_payment_change", args=[payment.pk])).content.decode()

    assert reverse("billing:proof_view", args=[payment.pk]) in page
    assert 'name="reference"' in page
    proof = client.get(reverse("billing:proof_view", args=[payment.pk]))
    assert proof.status_code == 200 and proof["Content-Type"] == "application/pdf"


def test_the_simulated_bank_is_closed_unless_switched_on(client, offered, settings):
    settings.BILLING_SIMULATION_ENABLED = False
    code = Invoice.objects.get(order=offered).billing_codes.get().code

    assert client.post(reverse("billing:bank"), {"code": code}).status_code == 404
    assert not Payment.objects.exists()


def test_cancelling_voids_the_invoice_and_later_money_is_kept_for_a_refund(
    client, offered, customer
):
    invoice = Invoice.objects.get(order=offered)
    payload = notice_for(invoice)
    order_services.order_cancel(order=offered, by=customer)

    response = client.post(
        reverse("billing:callback"), json.dumps(payload), content_type="application/json"
    )

    assert Invoice.objects.get(pk=invoice.pk).status == "void"
    assert response.json()["status"] == "refund_due"
    assert Payment.objects.get().status == "refund_due"
    assert Order.objects.get(pk=offered.pk).status == S.CANCELLED


def test_a_correction_request_closes_the_invoice_until_the_new_offer(offered, customer):
    order_services.order_request_revision(order=offered, by=customer, what="sppd", note="Alamat")

    assert not Invoice.objects.filter(order=offered, status="issued").exists()


def test_a_billing_code_invoice_takes_no_transfer_proof(offered, customer):
    from django.core.files.base import ContentFile

    with pytest.raises(BillingError):
        services.payment_proof_submit(
            invoice=Invoice.objects.get(order=offered),
            by=customer,
            proof=ContentFile(b"%PDF-1.4\n", name="p.pdf"),
        )
    assert not Payment.objects.exists()


def test_cash_at_the_desk_withdraws_the_billing_code(client, offered, treasurer):
    invoice = Invoice.objects.get(order=offered)
    payload = notice_for(invoice)
    services.cash_record(invoice=invoice, by=treasurer)

    response = client.post(
        reverse("billing:callback"), json.dumps(payload), content_type="application/json"
    )

    assert response.json()["status"] == "refund_due"
    assert Payment.objects.filter(status="confirmed").count() == 1


def test_the_sweep_waits_for_a_proof_under_review_and_a_timely_proof_still_counts(
    abroad_offered, treasurer
):
    from django.core.files.base import ContentFile

    invoice = Invoice.objects.get(order=abroad_offered)
    payment = services.payment_proof_submit(
        invoice=invoice, by=abroad_offered.customer, proof=ContentFile(b"%PDF-1.4\n", name="p.pdf")
    )
    later = invoice.valid_until + timedelta(days=2)

    assert services.invoices_expire(now=later) == 0
    # Sent two days ago in time; the month ran out yesterday, while the treasurer checked.
    now = timezone.now()
    Payment.objects.filter(pk=payment.pk).update(submitted_at=now - timedelta(days=2))
    Invoice.objects.filter(pk=invoice.pk).update(valid_until=now - timedelta(days=1))
    services.payment_confirm(
        payment=Payment.objects.get(pk=payment.pk), by=treasurer, reference="SWIFT-9"
    )

    assert Order.objects.get(pk=abroad_offered.pk).status == S.AWAITING_DELIVERY


def test_a_rp0_re_offer_leaves_no_bill_open(offered, customer, staff):
    Order.objects.filter(pk=offered.pk).update(exemption="approved")
    order = order_services.order_request_revision(
        order=Order.objects.get(pk=offered.pk), by=customer, what="invoice", note="Rp0"
    )
    order_services.order_offer(order=order, by=staff)

    assert not Invoice.objects.filter(order=offered, status="issued").exists()


def test_a_reused_callback_id_is_answered_not_crashed(client, offered):
    invoice = Invoice.objects.get(order=offered)
    first = notice_for(invoice)
    client.post(reverse("billing:callback"), json.dumps(first), content_type="application/json")
    code = invoice.billing_codes.get().code
    from billing.gateway import PaymentNotice

    replay = PaymentNotice(
        code=code,
        amount=invoice.total,
        ntpn="ZZZZ9999ZZZZ9999",
        ntb="123456789012",
        paid_at=timezone.now(),
        channel="teller",
        notice_id=first["notice_id"],
    )
    response = client.post(
        reverse("billing:callback"),
        json.dumps(notice_sign(notice=replay, secret=callback_secret())),
        content_type="application/json",
    )

    assert response.status_code == 200 and response.json()["status"] == "already"
    assert Payment.objects.count() == 1


# --- the simulated bank refuses before it takes money ---------------------------------------------


def bank_pay(client, code: str):
    return client.post(reverse("billing:bank"), {"code": code})


def test_the_bank_refuses_a_lapsed_code_and_takes_no_money(client, offered):
    code = Invoice.objects.get(order=offered).billing_codes.get()
    code.expires_at = timezone.now() - timedelta(minutes=1)
    code.save(update_fields=["expires_at"])

    response = bank_pay(client, code.code)

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not Payment.objects.exists()


def test_the_bank_refuses_a_withdrawn_code_and_takes_no_money(client, customer, offered):
    code = Invoice.objects.get(order=offered).billing_codes.get().code
    order_services.order_cancel(order=offered, by=customer, reason="Tidak jadi.")

    response = bank_pay(client, code)

    assert response.context["form"].errors["code"]
    assert not Payment.objects.exists()


def test_the_bank_refuses_a_code_already_paid(client, offered):
    code = Invoice.objects.get(order=offered).billing_codes.get().code
    assert bank_pay(client, code).context["result"] is not None

    again = bank_pay(client, code)

    assert again.context["form"].errors["code"]
    assert Payment.objects.count() == 1


# --- valid until the end of the printed day, on the office's clock --------------------------------


def test_an_invoice_is_payable_until_the_end_of_its_last_day_in_the_offices_zone():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from billing.numbers import valid_until_of
    from tests.factories import default_office, office

    wib, wita = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")
    issued = datetime(2026, 11, 25, 10, 0, tzinfo=wib)

    java = valid_until_of(issued_at=issued, office=default_office())
    borneo = valid_until_of(issued_at=issued, office=office("6503", time_zone="Asia/Makassar"))

    assert java.astimezone(wib).date().isoformat() == "2026-12-25"
    assert java.astimezone(wib).strftime("%H:%M:%S") == "23:59:59"
    assert borneo.astimezone(wita).strftime("%Y-%m-%d %H:%M:%S") == "2026-12-25 23:59:59"


def test_the_last_day_holds_to_2359_and_ends_at_midnight(client, treasurer, offered):
    invoice = Invoice.objects.get(order=offered)
    last_minute = invoice.valid_until - timedelta(seconds=59)
    midnight = invoice.valid_until + timedelta(microseconds=1)

    assert not invoice.is_expired(last_minute)
    assert invoice.is_expired(midnight)
    assert services.invoices_expire(now=last_minute) == 0
    assert services.invoices_expire(now=midnight) == 1
    assert timezone.localtime(midnight).strftime("%H:%M:%S") == "00:00:00"


# --- bad input is refused with a message, never a 500 ------------------------------------------


def test_an_absurd_amount_in_a_signed_notice_is_answered_400_and_logged(client, offered, caplog):
    from billing.gateway import PaymentNotice

    invoice = Invoice.objects.get(order=offered)
    code = invoice.billing_codes.get().code
    notice = SimulatedGateway().payment_make(code=code, amount=invoice.total)
    absurd = PaymentNotice(**{**notice.__dict__, "amount": 10**30})
    payload = notice_sign(notice=absurd, secret=callback_secret())

    response = client.post(
        reverse("billing:callback"), json.dumps(payload), content_type="application/json"
    )

    assert response.status_code == 400
    assert not Payment.objects.exists()
    assert "refused" in caplog.text.lower() or "rejected" in caplog.text.lower()


def test_deeply_nested_json_is_answered_400_and_logged(client, offered, caplog):
    body = "[" * 100_000 + "]" * 100_000

    response = client.post(reverse("billing:callback"), body, content_type="application/json")

    assert response.status_code == 400
    assert not Payment.objects.exists()
    assert "nested too deeply" in caplog.text


@pytest.mark.parametrize("action", ["confirm", "cash"])
def test_the_treasurers_form_refuses_a_reference_too_long_with_a_message(
    client, abroad_offered, treasurer, action
):
    from django.contrib.messages import constants, get_messages
    from django.core.files.base import ContentFile

    invoice = Invoice.objects.get(order=abroad_offered)
    if action == "confirm":
        proof = ContentFile(b"%PDF-1.4\n%%EOF\n", name="swift.pdf")
        target = services.payment_proof_submit(
            invoice=invoice, by=invoice.order.customer, proof=proof
        )
        url = reverse("admin:billing_payment_act", args=[target.pk, "confirm"])
    else:
        url = reverse("admin:billing_invoice_act", args=[invoice.pk, "cash"])
    client.force_login(treasurer)

    response = client.post(
        url, {"reference": "x" * 101, "value_date": timezone.localdate().isoformat()}
    )

    assert response.status_code in (302, 400)
    errors = [m for m in get_messages(response.wsgi_request) if m.level == constants.ERROR]
    # In the treasurer's language (Indonesian), naming the field and its limit.
    assert errors and str(errors[0]).startswith("Referensi bank:")
    assert "paling banyak 100 karakter" in str(errors[0])
    assert not Payment.objects.filter(status="confirmed").exists()
    assert Payment.objects.filter(channel="cash").count() == 0


@pytest.mark.parametrize(
    ("paid", "outcome"),
    [(timedelta(seconds=-59), "confirmed"), (timedelta(microseconds=1), "refund_due")],
    ids=["23:59-settles", "00:00-refund-due"],
)
def test_the_callback_agrees_with_the_printed_last_day(client, offered, paid, outcome):
    from datetime import datetime, time

    invoice = Invoice.objects.get(order=offered)
    # An invoice whose last day was yesterday on the office's clock (a bank reports what has
    # happened, never a payment still to come); the code holds to the same last moment, so
    # only the printed day decides.
    yesterday = timezone.localdate() - timedelta(days=1)
    last_moment = datetime.combine(yesterday, time.max, tzinfo=timezone.get_current_timezone())
    Invoice.objects.filter(pk=invoice.pk).update(valid_until=last_moment)
    invoice.billing_codes.update(expires_at=last_moment)
    invoice.refresh_from_db()
    paid_at = last_moment + paid

    response = client.post(
        reverse("billing:callback"),
        json.dumps(notice_for(invoice, paid_at=paid_at)),
        content_type="application/json",
    )

    assert response.status_code == 200
    assert Payment.objects.get().status == outcome
    settled = Order.objects.get(pk=offered.pk).status != S.OFFERED
    assert settled == (outcome == "confirmed")


def test_a_reference_longer_than_the_record_is_refused_with_a_message(abroad_offered, treasurer):
    from django.core.files.base import ContentFile

    invoice = Invoice.objects.get(order=abroad_offered)
    proof = ContentFile(b"%PDF-1.4\n%%EOF\n", name="swift.pdf")
    payment = services.payment_proof_submit(invoice=invoice, by=invoice.order.customer, proof=proof)

    with translation.override("en"), pytest.raises(BillingError, match="at most 100"):
        services.payment_confirm(payment=payment, by=treasurer, reference="x" * 101)
    with translation.override("en"), pytest.raises(BillingError, match="at most 100"):
        services.cash_record(invoice=invoice, by=treasurer, reference="y" * 101)

    payment.refresh_from_db()
    assert payment.status == "pending"


# --- the value date: the day the money arrived ----------------------------------------------------


def test_a_transfer_confirmed_in_march_that_arrived_in_february_books_in_february(
    client, abroad_offered, treasurer
):
    from datetime import date, datetime

    from django.core.files.base import ContentFile

    from billing.reports import revenue_report

    invoice = Invoice.objects.get(order=abroad_offered)
    # Issued in February; the money arrived on the 28th; the treasurer confirms it later.
    issued = datetime(2026, 2, 20, 9, 0, tzinfo=timezone.get_default_timezone())
    Invoice.objects.filter(pk=invoice.pk).update(issued_at=issued)
    invoice.refresh_from_db()
    proof = ContentFile(b"%PDF-1.4\n%%EOF\n", name="swift.pdf")
    payment = services.payment_proof_submit(invoice=invoice, by=invoice.order.customer, proof=proof)

    services.payment_confirm(
        payment=payment, by=treasurer, reference="SWIFT-01", value_date=date(2026, 2, 28)
    )

    february = revenue_report(start=date(2026, 2, 1), end=date(2026, 2, 28))
    march_on = revenue_report(start=date(2026, 3, 1), end=timezone.localdate())
    assert february.total == invoice.total
    assert march_on.total == 0
    assert [m.total for m in february.months] == [invoice.total]


def test_the_value_date_cannot_be_in_the_future_or_before_the_invoice(abroad_offered, treasurer):
    from django.core.files.base import ContentFile

    invoice = Invoice.objects.get(order=abroad_offered)
    proof = ContentFile(b"%PDF-1.4\n%%EOF\n", name="swift.pdf")
    payment = services.payment_proof_submit(invoice=invoice, by=invoice.order.customer, proof=proof)
    today = timezone.localdate()

    with translation.override("en"):
        with pytest.raises(BillingError, match="after today"):
            services.payment_confirm(
                payment=payment, by=treasurer, reference="x", value_date=today + timedelta(days=1)
            )
        with pytest.raises(BillingError, match="before the invoice"):
            services.payment_confirm(
                payment=payment, by=treasurer, reference="x", value_date=today - timedelta(days=40)
            )
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_the_treasurer_enters_the_value_date_in_the_back_office(client, abroad_offered, treasurer):
    from django.core.files.base import ContentFile

    invoice = Invoice.objects.get(order=abroad_offered)
    proof = ContentFile(b"%PDF-1.4\n%%EOF\n", name="swift.pdf")
    payment = services.payment_proof_submit(invoice=invoice, by=invoice.order.customer, proof=proof)
    client.force_login(treasurer)
    today = timezone.localdate()

    wrong = client.post(
        reverse("admin:billing_payment_act", args=[payment.pk, "confirm"]),
        {"reference": "SWIFT-02", "value_date": "28-02-2026"},
    )
    payment.refresh_from_db()
    assert wrong.status_code == 302 and payment.status == "pending"
    # The money arrived three days ago, not today (the form's default): the posted day is kept.
    Invoice.objects.filter(pk=invoice.pk).update(issued_at=timezone.now() - timedelta(days=10))
    arrived = today - timedelta(days=3)
    client.post(
        reverse("admin:billing_payment_act", args=[payment.pk, "confirm"]),
        {"reference": "SWIFT-02", "value_date": arrived.isoformat()},
    )
    payment.refresh_from_db()
    assert payment.status == "confirmed" and payment.value_date == arrived


def test_cash_is_booked_on_the_day_it_was_received(client, offered, treasurer):
    from billing.reports import revenue_report

    invoice = Invoice.objects.get(order=offered)
    Invoice.objects.filter(pk=invoice.pk).update(issued_at=timezone.now() - timedelta(days=10))
    received = timezone.localdate() - timedelta(days=2)
    client.force_login(treasurer)

    client.post(
        reverse("admin:billing_invoice_act", args=[invoice.pk, "cash"]),
        {"reference": "loket 1", "value_date": received.isoformat()},
    )

    payment = Payment.objects.get(invoice=invoice)
    assert payment.channel == "cash" and payment.value_date == received
    on_the_day = revenue_report(start=received, end=received)
    assert on_the_day.total == invoice.total
    assert revenue_report(start=received + timedelta(days=1), end=timezone.localdate()).total == 0


def test_after_a_reissue_the_invoice_pdf_shows_the_current_code(offered, customer, committed):
    from billing.rendering import invoice_document

    invoice = Invoice.objects.get(order=offered)
    invoice.billing_codes.update(expires_at=timezone.now() - timedelta(minutes=1))

    with committed():
        new = services.billing_code_reissue(invoice=invoice, by=customer)

    invoice.refresh_from_db()
    assert invoice_document(invoice).billing_code == new.code
    text = pdf_words(invoice.pdf.open("rb").read())
    grouped = " ".join(new.code[i : i + 3] for i in range(0, 15, 3))
    assert grouped in text


def pdf_words(pdf: bytes) -> str:
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def test_the_customer_downloads_a_slip_of_the_current_code(
    client, offered, customer, other_customer
):
    invoice = Invoice.objects.get(order=offered)
    invoice.billing_codes.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(customer)
    assert client.get(reverse("billing:slip", args=[invoice.pk])).status_code == 404  # lapsed
    new = services.billing_code_reissue(invoice=invoice, by=customer)

    page = client.get(offered.get_absolute_url()).content.decode()
    slip = client.get(reverse("billing:slip", args=[invoice.pk]))

    assert reverse("billing:slip", args=[invoice.pk]) in page
    assert slip.status_code == 200 and slip["Content-Type"] == "application/pdf"
    text = pdf_words(b"".join(slip.streaming_content) if slip.streaming else slip.content)
    assert " ".join(new.code[i : i + 3] for i in range(0, 15, 3)) in text
    client.force_login(other_customer)
    assert client.get(reverse("billing:slip", args=[invoice.pk])).status_code == 404


def test_neither_paper_nor_the_order_page_shows_a_lapsed_code(client, offered, customer, committed):
    from billing.rendering import invoice_store_pdf

    invoice = Invoice.objects.get(order=offered)
    old = invoice.billing_codes.get().code
    invoice_store_pdf(invoice_id=invoice.pk)  # the PDF as issued, printing the code
    invoice.billing_codes.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(customer)

    def grouped(code: str) -> str:
        return " ".join(code[i : i + 3] for i in range(0, 15, 3))

    def invoice_text() -> str:
        response = client.get(reverse("billing:document", args=["invoice", invoice.pk]))
        assert response.status_code == 200
        return pdf_words(b"".join(response.streaming_content))

    lapsed_text = invoice_text()
    assert grouped(old) not in lapsed_text and old not in lapsed_text
    assert old not in client.get(offered.get_absolute_url()).content.decode()

    with committed():
        new = services.billing_code_reissue(invoice=invoice, by=customer)
    page = client.get(offered.get_absolute_url()).content.decode()

    assert new.code in page and old not in page
    assert grouped(new.code) in invoice_text()


def test_the_receipt_names_the_bank_and_channel_that_took_the_money(client, offered):
    from billing.documents import receipt_render_pdf
    from billing.rendering import receipt_document
    from tests.documents import pdf_text

    code = Invoice.objects.get(order=offered).billing_codes.get().code

    client.post(reverse("billing:bank"), {"code": code, "channel": "BRI · ATM"})

    payment = Payment.objects.get()
    assert payment.bank_channel == "BRI · ATM"
    receipt = receipt_issue_once(payment_id=payment.pk)
    text = pdf_text(receipt_render_pdf(document=receipt_document(receipt)))
    assert "Bank/saluran : BRI · ATM" in text
    assert f"NTPN : {payment.ntpn}" in text and f"NTB : {payment.ntb}" in text


def test_the_bank_refuses_a_channel_it_does_not_offer(client, offered):
    code = Invoice.objects.get(order=offered).billing_codes.get().code

    response = client.post(reverse("billing:bank"), {"code": code, "channel": "<script>"})

    assert response.status_code == 200 and response.context["form"].errors["channel"]
    assert not Payment.objects.exists()


def test_the_treasurers_pages_write_sums_with_thousands_separated(client, offered, treasurer):
    invoice = Invoice.objects.get(order=offered)
    payment = services.cash_record(invoice=invoice, by=treasurer)
    receipt = receipt_issue_once(payment_id=payment.pk)
    client.force_login(treasurer)
    total = f"Rp{invoice.total:,}".replace(",", ".")
    raw = f">{invoice.total}<"

    pages = [
        reverse("admin:billing_invoice_change", args=[invoice.pk]),
        reverse("admin:billing_payment_change", args=[payment.pk]),
        reverse("admin:billing_receipt_change", args=[receipt.pk]),
        reverse("admin:billing_receipt_changelist"),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert total in body, url
        assert raw not in body and f" {invoice.total}<" not in body, url


def test_the_treasurer_cannot_change_a_sum_through_the_change_form(client, offered, treasurer):
    invoice = Invoice.objects.get(order=offered)
    payment = services.cash_record(invoice=invoice, by=treasurer)
    client.force_login(treasurer)

    for url, data in [
        (reverse("admin:billing_invoice_change", args=[invoice.pk]), {"total": "1"}),
        (reverse("admin:billing_payment_change", args=[payment.pk]), {"amount": "1"}),
    ]:
        client.post(url, {**data, "_save": "Save"})

    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert invoice.total == payment.amount == offered.total > 1
    form = (
        client.get(reverse("admin:billing_invoice_change", args=[invoice.pk]))
        .context["adminform"]
        .form
    )
    assert list(form.fields) == []


def test_a_money_document_is_shown_to_read_with_no_save_button(client, offered, treasurer):
    """Nothing on an invoice, a payment or a receipt is changed by a form: a Save button that
    answers "changed successfully" after changing nothing misleads the treasurer."""
    invoice = Invoice.objects.get(order=offered)
    payment = services.cash_record(invoice=invoice, by=treasurer)
    receipt = receipt_issue_once(payment_id=payment.pk)
    client.force_login(treasurer)

    for model, obj in [("invoice", invoice), ("payment", payment), ("receipt", receipt)]:
        url = reverse(f"admin:billing_{model}_change", args=[obj.pk])
        page = client.get(url).content.decode()
        assert 'name="_save"' not in page and 'name="_continue"' not in page, model
        assert "/admin/r/" not in page, model  # "View on site": the customer's page, a 404
        assert re.search(r"<title>[^<]*\| Lihat ", page), model
        saved = client.post(url, {"_save": "Simpan"}, follow=True)
        assert "berhasil diubah" not in saved.content.decode(), model


@pytest.mark.parametrize(
    ("action", "data", "words"),
    [
        ("confirm", {"reference": "SWIFT-9"}, "kuitansi"),
        ("reject", {"reason": "Nominal tidak sesuai."}, "ditolak"),
    ],
)
def test_the_treasurer_is_told_what_happened_and_what_comes_next(
    client, abroad_offered, treasurer, action, data, words
):
    from django.contrib.messages import constants, get_messages
    from django.core.files.base import ContentFile

    invoice = Invoice.objects.get(order=abroad_offered)
    proof = ContentFile(b"%PDF-1.4\n%%EOF\n", name="swift.pdf")
    payment = services.payment_proof_submit(invoice=invoice, by=invoice.order.customer, proof=proof)
    client.force_login(treasurer)

    response = client.post(
        reverse("admin:billing_payment_act", args=[payment.pk, action]),
        {**data, "value_date": timezone.localdate().isoformat()},
    )

    (said,) = [m for m in get_messages(response.wsgi_request) if m.level == constants.SUCCESS]
    assert invoice.number in str(said) and words in str(said).lower()
