"""Paid orders are never stranded: work whose task was lost while the broker was down is
queued again by a sweep, and a document missing its PDF is made when someone needs it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from billing import services
from billing.models import Invoice, Receipt
from billing.tasks import receipt_issue
from orders import services as order_services
from orders.models import Order, SppdStatus
from orders.models import OrderStatus as S
from silastik.background import TEMPORARY_ERRORS
from silastik.mail.models import OutboundEmail
from silastik.mail.tasks import outbox_deliver
from tests.celery_utils import celery_on_broker, redis_server, wait_until, worker_thread
from tests.factories import UserFactory, outbox_message
from tests.orders.conftest import prepared, submitted
from tests.services import free_port, need, which

LATER = timedelta(minutes=3)


def offered_order(customer, staff, publication) -> Order:
    order = order_services.order_approve(order=submitted(customer, publication), by=staff)
    return order_services.order_offer(order=prepared(order, staff), by=staff)


def deliverable(order: Order, staff) -> Order:
    return order_services.order_deliver(order=Order.objects.get(pk=order.pk), by=staff)


@pytest.mark.django_db(transaction=True)
def test_a_payment_confirmed_while_the_broker_is_down_gets_one_receipt_once_it_is_back(
    publication,
):
    """The reported fault: the receipt task was never queued, run_periodic did not recover
    it, and delivery was refused for good ("receipt not issued")."""
    need(which("redis-server") is not None, "redis-server is not installed")
    customer = UserFactory(email="rina@example.com")
    staff = UserFactory(email="agus@example.com", roles=["pst_staff"])
    treasurer = UserFactory(email="dewi@example.com", roles=["treasurer"], nip="198511052008012003")
    port = free_port()

    with celery_on_broker(f"redis://127.0.0.1:{port}/0"):
        order = offered_order(customer, staff, publication)
        # The broker is down: the treasurer's confirmation still succeeds; its task is lost.
        payment = services.cash_record(invoice=Invoice.objects.get(order=order), by=treasurer)
        assert not Receipt.objects.exists()
        assert services.billing_recover(now=timezone.now() + LATER) == 0  # nothing reachable

        with redis_server(port), worker_thread():
            assert services.billing_recover() == 0  # too soon: the normal task may still run
            assert services.billing_recover(now=timezone.now() + LATER) == 2  # receipt, invoice
            wait_until(lambda: Receipt.objects.filter(payment=payment).exclude(pdf="").exists())
            wait_until(lambda: Invoice.objects.filter(order=order).exclude(pdf="").exists())
            # A second sweep, or a late duplicate task, makes no second receipt.
            assert services.billing_recover(now=timezone.now() + LATER) == 0
            receipt_issue.delay(payment.pk)
            # The worker takes tasks in order: once a later message is out, so is the duplicate.
            sentinel = outbox_message(to="sentinel@example.com")
            outbox_deliver.delay(sentinel.pk)
            wait_until(lambda: OutboundEmail.objects.get(pk=sentinel.pk).status == "sent")

    assert Receipt.objects.filter(payment=payment).count() == 1
    assert deliverable(order, staff).status == S.COMPLETED


@pytest.fixture
def queued(monkeypatch):
    """What the sweeps hand to the broker, as (task, args)."""
    from silastik import background

    handed = []
    monkeypatch.setattr(
        background, "enqueue", lambda task, *args: handed.append((task.name, args)) or True
    )
    return handed


@pytest.mark.django_db
def test_the_sweep_leaves_what_is_done_too_recent_or_just_queued_alone(
    customer, staff, publication, queued
):
    from django.core.cache import cache

    from billing.rendering import invoice_store_pdf, receipt_issue_once

    order = offered_order(customer, staff, publication)
    treasurer = UserFactory(roles=["treasurer"], nip="198511052008012003")
    payment = services.cash_record(invoice=Invoice.objects.get(order=order), by=treasurer)
    invoice = Invoice.objects.get(order=order)

    assert services.billing_recover() == 0  # within the grace period
    assert services.billing_recover(now=timezone.now() + LATER) == 2
    assert queued == [
        ("billing.tasks.receipt_issue", (payment.pk,)),
        ("billing.tasks.invoice_render", (invoice.pk, True)),
    ]
    # A worker down for an hour: the next sweeps do not pile up copies of the same tasks.
    assert services.billing_recover(now=timezone.now() + LATER) == 0
    receipt_issue_once(payment_id=payment.pk)
    invoice_store_pdf(invoice_id=invoice.pk)
    cache.clear()  # half an hour later
    assert services.billing_recover(now=timezone.now() + LATER) == 0  # all done


@pytest.mark.django_db
def test_a_sweeps_invoice_task_leaves_an_existing_pdf_alone(customer, staff, publication):
    from billing.rendering import invoice_store_pdf
    from billing.tasks import invoice_render

    invoice = Invoice.objects.get(order=offered_order(customer, staff, publication))
    invoice_store_pdf(invoice_id=invoice.pk)
    first = Invoice.objects.get(pk=invoice.pk).pdf.name

    invoice_render(invoice.pk, True)

    assert Invoice.objects.get(pk=invoice.pk).pdf.name == first


@pytest.mark.django_db
def test_delivery_issues_a_missing_receipt_instead_of_refusing(customer, staff, publication):
    order = offered_order(customer, staff, publication)
    treasurer = UserFactory(roles=["treasurer"], nip="198511052008012003")
    payment = services.cash_record(invoice=Invoice.objects.get(order=order), by=treasurer)
    assert not Receipt.objects.exists()  # its task did not run (no commit in this test)

    assert deliverable(order, staff).status == S.COMPLETED
    assert Receipt.objects.get(payment=payment).pdf


@pytest.mark.django_db
def test_an_invoice_without_its_pdf_is_made_when_downloaded(client, customer, staff, publication):
    order = offered_order(customer, staff, publication)
    invoice = Invoice.objects.get(order=order)
    assert not invoice.pdf
    client.force_login(customer)

    response = client.get(reverse("billing:document", args=["invoice", invoice.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    invoice.refresh_from_db()
    assert invoice.pdf


@pytest.mark.django_db
def test_an_agreement_whose_task_was_lost_is_offered_and_made_on_download(
    client, customer, staff, dataset
):
    order = order_services.order_approve(order=submitted(customer, dataset), by=staff)
    order = order_services.order_offer(order=prepared(order, staff), by=staff)
    assert order.sppd_status == SppdStatus.PENDING and not order.sppd_document
    client.force_login(customer)

    page = client.get(order.get_absolute_url())
    token = page.context["documents"]["sppd"]
    response = client.get(reverse("orders:download", args=[token]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert Order.objects.get(pk=order.pk).sppd_document


@pytest.mark.django_db
def test_the_orders_sweep_queues_agreements_left_unrendered(customer, staff, dataset, queued):
    from orders.services import orders_recover

    order = order_services.order_approve(order=submitted(customer, dataset), by=staff)
    order = order_services.order_offer(order=prepared(order, staff), by=staff)

    assert orders_recover() == 0
    assert orders_recover(now=timezone.now() + LATER) == 1
    assert queued == [("orders.tasks.sppd_render", (order.pk, True))]


@pytest.mark.django_db
def test_a_late_agreement_task_renders_nothing_for_an_order_that_ended(customer, staff, dataset):
    from orders.tasks import sppd_render

    order = order_services.order_approve(order=submitted(customer, dataset), by=staff)
    order = order_services.order_offer(order=prepared(order, staff), by=staff)
    order_services.order_cancel(order=order, by=customer, reason="Tidak jadi")

    sppd_render(order.pk, True)
    sppd_render(order.pk)

    assert not Order.objects.get(pk=order.pk).sppd_document


@pytest.mark.django_db
def test_tasks_retry_an_outage_but_not_a_bug(monkeypatch):
    from celery.exceptions import Retry
    from django.db import OperationalError

    from billing import tasks

    assert OperationalError in TEMPORARY_ERRORS and ValueError not in TEMPORARY_ERRORS
    monkeypatch.setattr(tasks, "receipt_issue_once", _raising(OperationalError("db away")))
    with pytest.raises(Retry):
        tasks.receipt_issue.apply(args=(1,), throw=True)
    monkeypatch.setattr(tasks, "receipt_issue_once", _raising(ValueError("a bug")))
    with pytest.raises(ValueError):
        tasks.receipt_issue.apply(args=(1,), throw=True)


def _raising(error: Exception):
    def fail(**kwargs):
        raise error

    return fail


@pytest.mark.django_db
def test_the_sweeps_run_on_the_beat_schedule_and_in_run_periodic(capsys):
    from django.conf import settings
    from django.core.management import call_command

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"billing.tasks.billing_recover_task", "orders.tasks.orders_recover_task"} <= tasks

    call_command("run_periodic")

    said = capsys.readouterr().out
    assert "billing-recover: 0" in said and "orders-recover: 0" in said
