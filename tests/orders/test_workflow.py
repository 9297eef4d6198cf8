"""Every move allowed and refused, by state and by role."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import translation

from orders import services
from orders.models import Order, OrderEvent
from orders.models import OrderStatus as S
from orders.services import OrderError
from orders.services.moves import actor_check
from orders.workflow import MOVES
from tests.factories import UserFactory

from .conftest import paid, pdf, prepared, signed_pdf, submitted

pytestmark = pytest.mark.django_db


def test_submitting_records_terms_number_and_an_event(customer, publication):
    order = submitted(customer, publication)

    assert order.status == S.SUBMITTED
    assert order.number.startswith("PST-")
    assert order.terms_version == "2024-1" and order.terms_agreed_ip == "10.1.2.3"
    event = order.events.get()
    assert (event.actor, event.from_status, event.to_status) == (customer, S.DRAFT, S.SUBMITTED)


def test_the_whole_path_to_completion(customer, staff, dataset):
    order = submitted(customer, dataset)
    order = services.order_approve(order=order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    assert order.status == S.OFFERED
    order = paid(order)
    services.order_sppd_upload(order=order, by=customer, signed_file=signed_pdf())
    services.order_sppd_accept(order=order, by=staff)
    order = services.order_deliver(order=Order.objects.get(pk=order.pk), by=staff)

    assert order.status == S.COMPLETED
    assert order.downloads_until is not None
    moves = [e.action for e in order.events.all() if e.from_status != e.to_status]
    assert moves == ["submit", "approve", "offer", "settle", "deliver"]
    assert order.events.filter(action="sppd_uploaded", actor=customer).exists()


def test_a_rp0_order_is_settled_when_the_offer_is_sent(customer, staff, publication):
    order = submitted(customer, publication, letter=pdf("surat.pdf"))
    with pytest.raises(OrderError):
        services.order_approve(order=order, by=staff)  # the Rp0 request must be decided
    order = services.order_approve(order=order, by=staff, exemption="approved")
    order = services.order_offer(order=prepared(order, staff), by=staff)
    # The customer checks the offer like anyone else, then accepts instead of paying.
    assert order.status == S.OFFERED and order.total == 0
    order = services.order_accept(order=order, by=customer)

    assert order.status == S.AWAITING_DELIVERY
    assert order.settled_at is not None and order.settlement_reference == "Rp0"


def test_an_offer_that_costs_money_cannot_be_accepted_instead_of_paid(
    microdata_order, customer, staff
):
    order = services.order_approve(order=microdata_order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)

    with pytest.raises(OrderError):
        services.order_accept(order=order, by=customer)
    assert Order.objects.get(pk=order.pk).status == S.OFFERED


STAFF_MOVES = {"approve", "ask_info", "reject", "offer", "deliver", "redeliver"}


@pytest.mark.parametrize("move", sorted(STAFF_MOVES))
def test_customers_and_the_treasurer_cannot_make_staff_moves(
    microdata_order, customer, treasurer, move
):
    for who in (customer, treasurer):
        with pytest.raises(OrderError):
            actor_check(move=move, order=microdata_order, by=who)


@pytest.mark.parametrize("move", ["answer", "request_revision", "cancel", "report_problem"])
def test_staff_and_other_customers_cannot_make_a_customers_moves(microdata_order, staff, move):
    other = UserFactory()
    for who in (staff, other):
        with pytest.raises(OrderError):
            actor_check(move=move, order=microdata_order, by=who)


def test_a_superuser_is_not_pst_staff(microdata_order, superuser):
    with pytest.raises(OrderError):
        services.order_approve(order=microdata_order, by=superuser)


ACTIONS = {
    "approve": lambda o, c, s: services.order_approve(order=o, by=s),
    "ask_info": lambda o, c, s: services.order_ask_info(order=o, by=s, question="Lampirkan surat."),
    "reject": lambda o, c, s: services.order_reject(order=o, by=s, reason="Tidak sesuai."),
    "answer": lambda o, c, s: services.order_answer(order=o, by=c, answer="Sudah."),
    "offer": lambda o, c, s: services.order_offer(order=o, by=s),
    "request_revision": lambda o, c, s: services.order_request_revision(
        order=o, by=c, what="invoice", note="Nama salah."
    ),
    "cancel": lambda o, c, s: services.order_cancel(order=o, by=c),
    "accept": lambda o, c, s: services.order_accept(order=o, by=c),
    "deliver": lambda o, c, s: services.order_deliver(order=o, by=s),
    "redeliver": lambda o, c, s: services.order_redeliver(order=o, by=s),
    "report_problem": lambda o, c, s: services.order_report_problem(
        order=o, by=c, line_id=o.lines.first().pk, description="Berkas rusak."
    ),
}


REFUSED = [
    (move, status)
    for move in sorted(ACTIONS)
    for status in S.values
    if status != S.DRAFT and status not in MOVES[move].sources
]


@pytest.mark.parametrize(("move", "status"), REFUSED)
def test_every_move_is_refused_from_states_it_does_not_leave(
    microdata_order, customer, staff, move, status
):
    Order.objects.filter(pk=microdata_order.pk).update(status=status)
    order = Order.objects.get(pk=microdata_order.pk)
    events = OrderEvent.objects.count()

    with (
        translation.override("en"),
        pytest.raises(OrderError, match="not possible now"),
    ):
        ACTIONS[move](order, customer, staff)

    assert Order.objects.get(pk=order.pk).status == status
    assert OrderEvent.objects.count() == events


def test_asking_for_information_and_answering(microdata_order, customer, staff):
    order = services.order_ask_info(order=microdata_order, by=staff, question="Jelaskan metode.")
    assert order.status == S.NEEDS_INFO
    order = services.order_answer(order=order, by=customer, answer="Regresi logistik biner.")
    assert order.status == S.SUBMITTED
    assert order.events.last().note == "Regresi logistik biner."


def test_a_rejection_needs_a_reason_and_the_customer_may_start_again(
    microdata_order, customer, staff, dataset
):
    with pytest.raises(OrderError):
        services.order_reject(order=microdata_order, by=staff, reason="  ")
    order = services.order_reject(order=microdata_order, by=staff, reason="Abstraksi tidak sesuai.")
    assert order.status == S.REJECTED

    again = submitted(customer, dataset)
    assert again.pk != order.pk and again.status == S.SUBMITTED


def test_the_sample_data_may_be_revised_only_once(microdata_order, customer, staff):
    order = services.order_approve(order=microdata_order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    order = services.order_request_revision(
        order=order, by=customer, what="sample", note="Kurang R101."
    )
    assert order.status == S.REVISING
    order = services.order_offer(order=order, by=staff)

    with pytest.raises(OrderError):
        services.order_request_revision(order=order, by=customer, what="sample", note="Lagi.")
    # Invoice and agreement corrections stay possible.
    order = services.order_request_revision(order=order, by=customer, what="sppd", note="Alamat.")
    assert order.status == S.REVISING


def test_microdata_is_not_delivered_before_the_signed_agreement(microdata_order, customer, staff):
    order = services.order_approve(order=microdata_order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    order = paid(order)

    with pytest.raises(OrderError):
        services.order_deliver(order=order, by=staff)
    services.order_sppd_originals_received(order=order, by=staff)
    assert (
        services.order_deliver(order=Order.objects.get(pk=order.pk), by=staff).status == S.COMPLETED
    )


def test_an_offer_needs_every_prepared_file_and_the_sample(microdata_order, staff):
    order = services.order_approve(order=microdata_order, by=staff)

    with pytest.raises(OrderError):
        services.order_offer(order=order, by=staff)
    assert Order.objects.get(pk=order.pk).status == S.PREPARING


def test_the_invoice_prices_microdata_from_the_prepared_file(microdata_order, staff):
    from django.core.files.base import ContentFile

    from orders.services import line_file_upload

    order = services.order_approve(order=microdata_order, by=staff)
    line = order.lines.get()
    line_file_upload(
        line=line, by=staff, upload=ContentFile(b"x" * 1_500_000, name="data.csv"), kind="product"
    )
    line_file_upload(line=line, by=staff, upload=pdf(), kind="sample")
    services.order_offer(order=order, by=staff, price_reason="Berkas disiapkan tanpa lampiran.")

    line.refresh_from_db()
    assert line.size_bytes == 1_500_000
    assert line.quoted_amount == 20_000 + 500 * 20
    assert (line.estimated_amount, line.estimated_bytes) == (60_000, 3_000_000)


def test_a_correction_needs_a_new_version_and_keeps_the_old_one(microdata_order, customer, staff):
    from orders.services import line_file_upload

    order = services.order_approve(order=microdata_order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    order = paid(order)
    services.order_sppd_originals_received(order=order, by=staff)
    order = services.order_deliver(order=Order.objects.get(pk=order.pk), by=staff)
    line = order.lines.get()
    order = services.order_report_problem(
        order=order, by=customer, line_id=line.pk, description="Kolom hilang."
    )

    with pytest.raises(OrderError):
        services.order_redeliver(order=order, by=staff)
    line_file_upload(
        line=line, by=staff, upload=pdf("v2.pdf"), kind="product", note="Kolom ditambah"
    )
    order = services.order_redeliver(order=order, by=staff)

    assert order.status == S.COMPLETED
    assert [f.version for f in line.files.filter(kind="product")] == [1, 2]
    assert line.corrections.get().resolved_at is not None


def test_each_move_e_mails_the_customer_after_commit(microdata_order, staff, committed):
    from django.core import mail

    with committed():
        services.order_ask_info(order=microdata_order, by=staff, question="Lampirkan surat.")

    assert len(mail.outbox) == 1
    assert microdata_order.number in mail.outbox[0].subject
    assert "Lampirkan surat." in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_two_staff_approving_at_once_make_one_transition(customer, dataset):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    order = submitted(customer, dataset)
    first, second = UserFactory(roles=["pst_staff"]), UserFactory(roles=["pst_staff"])
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def approve(user):
        try:
            barrier.wait()
            services.order_approve(order=order, by=user)
            outcomes.append("ok")
        except OrderError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["ok", "refused"]
    assert order.events.filter(action="approve").count() == 1


@pytest.mark.parametrize("status", [S.SUBMITTED, S.NEEDS_INFO, S.PREPARING, S.OFFERED, S.REVISING])
def test_the_customer_may_cancel_before_paying(microdata_order, customer, status):
    Order.objects.filter(pk=microdata_order.pk).update(status=status)

    order = services.order_cancel(order=Order.objects.get(pk=microdata_order.pk), by=customer)

    assert order.status == S.CANCELLED
    assert order.events.last().from_status == status


def test_an_offer_from_the_wrong_state_leaves_no_file_behind(microdata_order, staff):
    from orders.models import LineFile

    with pytest.raises(OrderError):
        services.order_offer(order=microdata_order, by=staff)
    assert not LineFile.objects.exists()


def test_a_new_offer_needs_a_new_signature(microdata_order, customer, staff):
    order = services.order_approve(order=microdata_order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    order = services.order_sppd_upload(order=order, by=customer, signed_file=pdf("signed.pdf"))
    assert order.sppd_status == "uploaded"
    order = services.order_request_revision(
        order=order, by=customer, what="sppd", note="Alamat salah."
    )

    order = services.order_offer(order=order, by=staff)

    assert order.sppd_status == "pending"
    assert not order.sppd_signed and order.sppd_received_at is None


def test_a_repeated_payment_confirmation_finds_the_order_settled(microdata_order, staff):
    order = services.order_approve(order=microdata_order, by=staff)
    stale = services.order_offer(order=prepared(order, staff), by=staff)
    services.order_settle(order=stale, reference="NTPN1")

    again = services.order_settle(order=stale, reference="NTPN1")

    assert again.status == S.AWAITING_DELIVERY
    assert again.events.filter(action="settle").count() == 1


def test_a_cart_sent_is_never_changed_again(customer, publication, dataset):
    from catalog.selection import Selection
    from orders.services import cart_add

    order = submitted(customer, publication)
    line = cart_add(customer=customer, product=dataset, selection=Selection())

    assert line.order_id != order.pk
    assert list(order.lines.values_list("kind", flat=True)) == ["publication"]


def test_a_publication_order_has_no_sample_to_revise(customer, staff, publication):
    order = submitted(customer, publication)
    order = services.order_approve(order=order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)

    with pytest.raises(OrderError):
        services.order_request_revision(order=order, by=customer, what="sample", note="x")
    assert Order.objects.get(pk=order.pk).sample_revisions == 0
