"""Conversations with the office (seed 003: requests by e-mail or chat, closed by staff): a
thread per order and questions before ordering, e-mailed both ways, files checked like other
uploads, and nobody else's to read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orders import services as order_services
from orders.conversations.models import Conversation, ConversationMessage
from orders.conversations.services import (
    ConversationError,
    conversation_close,
    conversation_post,
    conversation_start,
)
from orders.models import Order
from silastik.mail.models import OutboundEmail
from silastik.notifications.models import Notification
from tests.factories import PublicationFactory, UserFactory, default_office, office

from .conftest import PDF, submitted

pytestmark = pytest.mark.django_db


def ask(customer, text="Publikasi mana yang memuat luas panen padi per kecamatan?") -> Conversation:
    return conversation_start(
        customer=customer, office=default_office(), subject="Luas panen padi", text=text
    )


def test_a_question_before_ordering_reaches_the_offices_staff(client, customer, staff):
    client.force_login(customer)

    response = client.post(
        reverse("orders:conversation_new"),
        {
            "office": default_office().code,
            "subject": "Luas panen padi",
            "text": "Publikasi mana yang memuat luas panen padi per kecamatan?",
        },
    )

    conversation = Conversation.objects.get()
    assert response["Location"] == conversation.get_absolute_url()
    assert conversation.order is None and conversation.waiting_for_office
    (told,) = Notification.objects.filter(recipient=staff)
    assert "Luas panen padi" in told.text
    assert told.link == reverse("admin:orders_conversation_change", args=[conversation.pk])
    assert OutboundEmail.objects.filter(to=staff.email, template="notification").exists()


def test_staff_answer_by_the_back_office_and_the_customer_is_emailed(client, customer, staff):
    conversation = ask(customer)
    client.force_login(staff)

    client.post(
        reverse("admin:orders_conversation_act", args=[conversation.pk, "reply"]),
        {"text": "Kecamatan Dalam Angka 2025 memuatnya, tabel 5.1.1."},
    )

    conversation.refresh_from_db()
    assert not conversation.waiting_for_office
    mail = OutboundEmail.objects.get(to=customer.email, template="conversation_message")
    assert "Kecamatan Dalam Angka 2025 memuatnya" in mail.body_text
    assert conversation.get_absolute_url() in mail.body_text
    client.force_login(customer)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "tabel 5.1.1" in page and 'data-from="office"' in page


def test_a_message_about_an_order_starts_its_thread(client, customer, staff):
    order = submitted(customer, PublicationFactory())
    client.force_login(customer)
    assert 'id="messages"' in client.get(order.get_absolute_url()).content.decode()

    client.post(reverse("orders:order_message", args=[order.pk]), {"text": "Bisa dipercepat?"})
    client.post(reverse("orders:order_message", args=[order.pk]), {"text": "Terima kasih."})

    conversation = Conversation.objects.get(order=order)
    assert conversation.messages.count() == 2
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Bisa dipercepat?" in page and "Terima kasih." in page
    client.force_login(staff)
    admin_page = client.get(reverse("admin:orders_conversation_change", args=[conversation.pk]))
    assert "Bisa dipercepat?" in admin_page.content.decode()


def test_another_customer_and_another_office_find_nothing(client, customer, other_customer):
    conversation = ask(customer)
    message = conversation_post(
        conversation=conversation,
        by=customer,
        text="Lampiran",
        attachment=SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf"),
    )
    order = submitted(customer, PublicationFactory())
    far = UserFactory(email="far@example.com", roles=["pst_staff"], office=office("6503"))
    attachment = reverse("orders:conversation_attachment", args=[conversation.pk, message.pk])

    client.force_login(other_customer)
    assert client.get(conversation.get_absolute_url()).status_code == 404
    assert client.post(conversation.get_absolute_url(), {"text": "Halo"}).status_code == 404
    assert client.get(attachment).status_code == 404
    assert (
        client.post(reverse("orders:order_message", args=[order.pk]), {"text": "x"}).status_code
        == 404
    )
    client.force_login(far)
    assert client.get(
        reverse("admin:orders_conversation_change", args=[conversation.pk])
    ).status_code in (302, 404)
    assert client.get(attachment).status_code == 404
    with pytest.raises(ConversationError):
        conversation_post(conversation=conversation, by=far, text="Halo")
    assert conversation.messages.count() == 2  # the question and the file, nothing more


def test_files_are_checked_like_other_uploads(client, customer, staff):
    conversation = ask(customer)
    client.force_login(customer)

    refused = client.post(
        conversation.get_absolute_url(),
        {"text": "Ini skripnya", "attachment": SimpleUploadedFile("x.pdf", b"#!/bin/sh\nrm -rf /")},
    )
    assert refused.status_code == 400 and "invalid-feedback" in refused.content.decode()
    assert conversation.messages.count() == 1

    client.post(
        conversation.get_absolute_url(),
        {"text": "Surat pengantar", "attachment": SimpleUploadedFile("surat.pdf", PDF)},
    )
    message = ConversationMessage.objects.get(text="Surat pengantar")
    assert message.attachment_name == "surat.pdf"
    url = reverse("orders:conversation_attachment", args=[conversation.pk, message.pk])
    assert client.get(url).status_code == 200
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_staff_close_it_and_nothing_more_is_added(client, customer, staff):
    conversation = ask(customer)

    conversation_close(conversation=conversation, by=staff)
    conversation_close(conversation=conversation, by=staff)

    assert OutboundEmail.objects.filter(template="conversation_closed").count() == 1
    with pytest.raises(ConversationError, match=r"menutup|closed"):
        conversation_post(conversation=conversation, by=customer, text="Satu lagi")
    client.force_login(customer)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert 'id="conversation-closed"' in page and 'id="message-form"' not in page


def test_customers_cannot_close_a_conversation(customer):
    conversation = ask(customer)

    with pytest.raises(ConversationError):
        conversation_close(conversation=conversation, by=customer)


def test_staff_turn_a_question_into_an_order(client, customer, staff):
    conversation = ask(customer)
    publication = PublicationFactory(title="Kecamatan Batur Dalam Angka 2025")
    client.force_login(staff)

    client.post(
        reverse("admin:orders_conversation_act", args=[conversation.pk, "cart"]),
        {"product": publication.pk},
    )

    cart = Order.objects.get(customer=customer, status="draft")
    assert [line.product_id for line in cart.lines.all()] == [publication.pk]
    assert "Kecamatan Batur Dalam Angka 2025" in conversation.messages.last().text
    assert OutboundEmail.objects.filter(to=customer.email, template="conversation_message")


def test_another_offices_product_is_not_put_in_the_cart(client, customer, staff):
    conversation = ask(customer)
    foreign = PublicationFactory(office=office("6503"))
    client.force_login(staff)

    response = client.post(
        reverse("admin:orders_conversation_act", args=[conversation.pk, "cart"]),
        {"product": foreign.pk},
    )

    assert response.status_code == 400
    assert not Order.objects.filter(customer=customer, status="draft").exists()


def test_a_double_tap_sends_one_message(customer):
    conversation = ask(customer)

    conversation_post(conversation=conversation, by=customer, text="Halo?")
    conversation_post(conversation=conversation, by=customer, text="Halo?")

    assert conversation.messages.filter(text="Halo?").count() == 1


def test_staff_see_conversations_waiting_on_their_home(client, customer, staff):
    ask(customer)
    client.force_login(staff)

    page = client.get(reverse("work:home")).content.decode()

    assert 'status__exact=open&amp;waiting_for_office__exact=1" data-count="1"' in page


def test_the_customers_list_shows_their_conversations_only(client, customer, other_customer):
    ask(customer)
    client.force_login(other_customer)
    assert "Luas panen padi" not in client.get(reverse("orders:conversations")).content.decode()
    client.force_login(customer)
    assert "Luas panen padi" in client.get(reverse("orders:conversations")).content.decode()


def test_an_empty_or_oversized_message_is_refused_with_a_message(customer):
    conversation = ask(customer)

    with pytest.raises(ConversationError):
        conversation_post(conversation=conversation, by=customer, text="   ")
    with pytest.raises(ConversationError):
        conversation_post(conversation=conversation, by=customer, text="x" * 4001)
    assert conversation.messages.count() == 1


def test_an_answer_to_an_order_is_seen_on_the_order_page(client, customer, staff):
    order = order_services.order_approve(order=submitted(customer, PublicationFactory()), by=staff)
    client.force_login(customer)
    client.post(reverse("orders:order_message", args=[order.pk]), {"text": "Kapan selesai?"})
    conversation = Conversation.objects.get(order=order)
    conversation_post(conversation=conversation, by=staff, text="Besok siang.")

    page = client.get(order.get_absolute_url()).content.decode()

    assert "Besok siang." in page


def test_a_product_the_customer_chose_already_is_not_replaced_from_the_thread(
    client, customer, staff
):
    from catalog.selection import Selection

    conversation = ask(customer)
    publication = PublicationFactory()
    order_services.cart_add(customer=customer, product=publication, selection=Selection())
    client.force_login(staff)

    response = client.post(
        reverse("admin:orders_conversation_act", args=[conversation.pk, "cart"]),
        {"product": publication.pk},
    )

    assert response.status_code == 302
    assert conversation.messages.count() == 1  # nothing said, nothing changed


def test_writing_again_about_an_order_opens_its_closed_thread(client, customer, staff):
    order = submitted(customer, PublicationFactory())
    client.force_login(customer)
    client.post(reverse("orders:order_message", args=[order.pk]), {"text": "Kapan selesai?"})
    conversation = Conversation.objects.get(order=order)
    conversation_close(conversation=conversation, by=staff)

    page = client.get(order.get_absolute_url()).content.decode()
    client.post(reverse("orders:order_message", args=[order.pk]), {"text": "Ada halaman hilang."})

    assert 'id="order-message-form"' in page
    conversation.refresh_from_db()
    assert conversation.is_open and conversation.waiting_for_office
    assert conversation.messages.last().text == "Ada halaman hilang."


def test_a_double_tap_on_a_new_question_starts_one_conversation(client, customer):
    client.force_login(customer)
    form = {"office": default_office().code, "subject": "Peta desa", "text": "Ada peta desa?"}

    client.post(reverse("orders:conversation_new"), form)
    client.post(reverse("orders:conversation_new"), form)

    assert Conversation.objects.count() == 1


def test_the_same_words_with_another_file_are_another_message(customer):
    conversation = ask(customer)

    for name in ("a.pdf", "b.pdf"):
        conversation_post(
            conversation=conversation,
            by=customer,
            text="Lampiran",
            attachment=SimpleUploadedFile(name, PDF, content_type="application/pdf"),
        )

    assert conversation.messages.filter(text="Lampiran").count() == 2


def test_questions_to_offices_are_limited_per_hour(client, customer):
    client.force_login(customer)

    answers = [
        client.post(
            reverse("orders:conversation_new"),
            {"office": default_office().code, "subject": f"Soal {n}", "text": f"Pertanyaan {n}"},
        ).status_code
        for n in range(12)
    ]

    assert answers[:10] == [302] * 10 and answers[10:] == [429, 429]
    assert Conversation.objects.count() == 10
