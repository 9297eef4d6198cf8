"""People of the back office are told when work arrives: once per event, in their own language,
by e-mail at once or in the morning's digest as they chose, and with a badge on every page."""

import pytest
from django.urls import reverse

from billing import services as billing_services
from billing.models import Invoice
from orders import services as order_services
from orders.models import Order, OrderChannel
from silastik.mail.models import OutboundEmail
from silastik.notifications.models import Notification
from silastik.notifications.services import notifications_digest_send, notify
from tests.factories import DatasetFactory, PublicationFactory, UserFactory, office
from tests.orders.conftest import pdf, prepared, submitted

pytestmark = pytest.mark.django_db


def mails_to(user) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(to=user.email, template="notification"))


def test_staff_are_told_of_a_new_request_once_each_in_their_language(staff):
    english = UserFactory(email="ed@example.com", roles=["pst_staff"], language="en")
    elsewhere = UserFactory(email="far@example.com", roles=["pst_staff"], office=office("6503"))
    customer = UserFactory(full_name="Rina Kusuma")

    order = submitted(customer, PublicationFactory())

    assert [n.recipient for n in Notification.objects.order_by("recipient__email")] == [
        english,
        staff,
    ]
    (mail,) = mails_to(staff)
    assert f"Permintaan baru {order.number} dari Rina Kusuma" in mail.subject
    assert reverse("admin:orders_order_change", args=[order.pk]) in mail.body_text
    (in_english,) = mails_to(english)
    assert f"New request {order.number} from Rina Kusuma" in in_english.subject
    assert not mails_to(elsewhere) and not Notification.objects.filter(recipient=elsewhere)


def test_the_same_event_told_twice_makes_one_notification(staff):
    for _ in range(2):
        notify(
            recipients=[staff],
            event="order-event:1",
            message="New request %(number)s from %(customer)s",
            params={"number": "1", "customer": "Rina"},
            link="/",
        )

    assert Notification.objects.count() == 1
    assert len(mails_to(staff)) == 1


def test_an_answer_a_revision_and_a_signed_agreement_reach_the_staff(staff, customer):
    order = submitted(customer, DatasetFactory())
    order_services.order_ask_info(order=order, by=staff, question="Variabel apa?")
    order_services.order_answer(order=order, by=customer, answer="Umur dan sekolah.")
    order = order_services.order_approve(order=order, by=staff)
    order = order_services.order_offer(order=prepared(order, staff), by=staff)
    order_services.order_request_revision(
        order=order, by=customer, what="sample", note="Contohnya kurang."
    )

    texts = [n.text for n in Notification.objects.filter(recipient=staff).order_by("pk")]
    assert len(texts) == 3
    assert "menjawab" in texts[1] or "answered" in texts[1]
    # What staff did themselves (the question, the approval, the offer) tells nobody.
    assert Notification.objects.filter(recipient=staff).count() == 3


def test_the_digest_waits_for_the_morning_and_sends_everything_once(staff, customer):
    staff.notify_by = "daily"
    staff.save(update_fields=["notify_by"])
    first = submitted(customer, PublicationFactory())
    second = submitted(UserFactory(), PublicationFactory())
    assert not mails_to(staff)

    assert notifications_digest_send() == 1
    assert notifications_digest_send() == 0

    (digest,) = mails_to(staff)
    assert "2" in digest.subject
    assert first.number in digest.body_text and second.number in digest.body_text
    assert not Notification.objects.filter(recipient=staff, mailed_at__isnull=True).exists()


def test_the_treasurer_is_told_of_a_proof_and_of_a_walk_in_invoice(staff, treasurer):
    abroad = UserFactory(domicile="abroad", country="SE", id_type="passport", id_number="X1")
    online = order_services.order_approve(order=submitted(abroad, DatasetFactory()), by=staff)
    online = order_services.order_offer(order=prepared(online, staff), by=staff)
    invoice = Invoice.objects.get(order=online)
    billing_services.payment_proof_submit(invoice=invoice, by=abroad, proof=pdf("swift.pdf"))
    walk_in = order_services.order_approve(
        order=submitted(UserFactory(), PublicationFactory()), by=staff
    )
    Order.objects.filter(pk=walk_in.pk).update(channel=OrderChannel.WALK_IN)
    order_services.order_offer(order=prepared(Order.objects.get(pk=walk_in.pk), staff), by=staff)

    texts = [n.text for n in Notification.objects.filter(recipient=treasurer).order_by("pk")]
    assert len(texts) == 2
    assert invoice.number in texts[0]
    assert "layanan langsung" in texts[1]
    assert len(mails_to(treasurer)) == 2
    # Staff are not the treasurer: nothing of the payment reaches them.
    assert not Notification.objects.filter(recipient=staff, event__startswith="payment")


def test_the_badge_counts_unread_and_opening_one_reads_it(client, staff, customer):
    order = submitted(customer, PublicationFactory())
    submitted(UserFactory(), PublicationFactory())
    client.force_login(staff)

    page = client.get(reverse("work:home")).content.decode()
    assert 'id="notifications-badge"' in page and "2</span>" in page

    mine = Notification.objects.filter(recipient=staff).order_by("pk").first()
    opened = client.get(reverse("work:notification_go", args=[mine.pk]))
    assert opened["Location"] == reverse("admin:orders_order_change", args=[order.pk])
    mine.refresh_from_db()
    assert mine.read_at is not None
    client.post(reverse("work:notifications_read"))
    assert 'id="notifications-badge"' not in client.get(reverse("work:home")).content.decode()


def test_nobody_opens_another_persons_notification(client, staff, customer):
    colleague = UserFactory(email="colleague@example.com", roles=["pst_staff"])
    submitted(customer, PublicationFactory())
    theirs = Notification.objects.get(recipient=colleague)
    client.force_login(staff)

    assert client.get(reverse("work:notification_go", args=[theirs.pk])).status_code == 404
    client.force_login(customer)
    assert client.get(reverse("work:notification_go", args=[theirs.pk])).status_code in (
        302,
        403,
        404,
    )


def test_people_of_the_back_office_choose_immediate_or_digest_in_their_profile(client, staff):
    client.force_login(staff)
    page = client.get(reverse("users:profile")).content.decode()
    assert 'name="notify_by"' in page

    client.post(
        reverse("users:profile"),
        {"full_name": staff.full_name, "phone": "", "language": "id", "notify_by": "daily"},
    )

    staff.refresh_from_db()
    assert staff.notify_by == "daily"


def test_customers_are_not_asked_how_to_be_notified(client, customer):
    client.force_login(customer)

    assert 'name="notify_by"' not in client.get(reverse("users:profile")).content.decode()


def test_the_digest_leaves_out_what_was_read_and_sends_what_waited(client, staff, customer):
    staff.notify_by = "daily"
    staff.save(update_fields=["notify_by"])
    read = submitted(customer, PublicationFactory())
    unread = submitted(UserFactory(), PublicationFactory())
    Notification.objects.filter(params__number=read.number).update(read_at="2026-12-01T00:00Z")
    # Switched to immediate notice before the morning: what waited still comes.
    staff.notify_by = "immediate"
    staff.save(update_fields=["notify_by"])

    assert notifications_digest_send() == 1

    (digest,) = mails_to(staff)
    assert unread.number in digest.body_text and read.number not in digest.body_text


def test_a_signed_agreement_uploaded_tells_the_staff(staff, customer):
    from tests.orders.conftest import paid, signed_pdf

    order = order_services.order_approve(order=submitted(customer, DatasetFactory()), by=staff)
    order = paid(order_services.order_offer(order=prepared(order, staff), by=staff))
    order_services.order_sppd_upload(order=order, by=customer, signed_file=signed_pdf())

    assert Notification.objects.filter(
        recipient=staff, message__contains="signed agreement"
    ).exists()
