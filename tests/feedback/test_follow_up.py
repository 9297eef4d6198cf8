"""Invitations to rate, the one reminder, and the follow-up thread with the customer."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.ikm import CODES
from feedback.models import FollowUpMessage, Rating, RatingInvitation
from feedback.services import (
    FeedbackError,
    follow_up_answer,
    follow_up_close,
    follow_up_reply,
    ratings_remind,
)
from silastik.mail.models import OutboundEmail
from tests.factories import UserFactory

from .conftest import delivered, rated

pytestmark = pytest.mark.django_db

LOW = dict.fromkeys(CODES, 3) | {"u3": 2}


def test_delivery_invites_the_customer_to_rate_once(customer, staff, publication):
    order = delivered(customer, publication, staff)

    invitation = RatingInvitation.objects.get(order=order)
    assert invitation.reminded_at is None
    email = OutboundEmail.objects.get(template="rating_invitation")
    assert email.to == customer.email
    assert reverse("feedback:rate", args=[order.pk]) in email.body_text
    assert order.working_days_used is not None


def test_the_one_reminder_goes_a_week_later_and_only_to_those_who_have_not_rated(
    customer, other_customer, staff, publication
):
    waiting = delivered(customer, publication, staff)
    done = delivered(other_customer, publication, staff)
    rated_order = Rating.objects.create(
        order=done, office=done.office, customer=other_customer, **dict.fromkeys(CODES, 4)
    ).order
    now = timezone.now()

    assert ratings_remind(now=now + timedelta(days=6)) == 0
    assert ratings_remind(now=now + timedelta(days=8)) == 1
    assert ratings_remind(now=now + timedelta(days=9)) == 0  # one reminder, never two

    reminder = OutboundEmail.objects.filter(template="rating_invitation").order_by("-pk").first()
    assert reminder.to == customer.email
    assert waiting.rating_invitation.__class__.objects.get(order=waiting).reminded_at
    assert RatingInvitation.objects.get(order=rated_order).reminded_at is None


def test_staff_reply_is_emailed_and_kept_in_the_thread(customer, staff, publication):
    rating = rated(customer, publication, LOW, comment="Lama sekali.")
    assert rating.needs_follow_up

    message = follow_up_reply(rating=rating, by=staff, text="Mohon maaf, kami perbaiki.")

    assert message.email.to == customer.email
    assert message.email.template == "follow_up_reply"
    assert "Mohon maaf, kami perbaiki." in message.email.body_text
    assert list(rating.messages.values_list("text", flat=True)) == ["Mohon maaf, kami perbaiki."]


def test_the_customer_answers_and_staff_close_with_what_was_done(customer, staff, publication):
    rating = rated(customer, publication, LOW)
    follow_up_reply(rating=rating, by=staff, text="Apa yang terlambat?")
    follow_up_answer(rating=rating, by=customer, text="Data tiba hari ke-12.")

    closed = follow_up_close(rating=rating, by=staff, outcome="Jadwal petugas diatur ulang.")

    assert closed.follow_up_closed_by == staff and closed.follow_up_closed_at
    assert OutboundEmail.objects.filter(template="follow_up_closed", to=customer.email).exists()
    with pytest.raises(FeedbackError):
        follow_up_reply(rating=rating, by=staff, text="Lagi")
    with pytest.raises(FeedbackError):
        follow_up_answer(rating=rating, by=customer, text="Lagi")
    assert rating.messages.count() == 2


@pytest.mark.parametrize("role", ["treasurer", "head", "customer"])
def test_only_staff_reply_and_close(role, customer, staff, publication):
    rating = rated(customer, publication, LOW)
    person = customer if role == "customer" else UserFactory(roles=[role])

    with pytest.raises(FeedbackError):
        follow_up_reply(rating=rating, by=person, text="Halo")
    with pytest.raises(FeedbackError):
        follow_up_close(rating=rating, by=person, outcome="Selesai")
    assert not FollowUpMessage.objects.exists()


def test_a_good_rating_has_no_thread_until_flagged(customer, staff, publication):
    rating = rated(customer, publication, 4)

    with pytest.raises(FeedbackError):
        follow_up_reply(rating=rating, by=staff, text="Halo")


def test_empty_and_overlong_messages_are_refused(customer, staff, publication):
    rating = rated(customer, publication, LOW)

    with pytest.raises(FeedbackError):
        follow_up_reply(rating=rating, by=staff, text="   ")
    with pytest.raises(FeedbackError):
        follow_up_reply(rating=rating, by=staff, text="x" * 5001)
    assert not FollowUpMessage.objects.exists()


def test_another_customer_cannot_answer_in_the_thread(
    client, customer, other_customer, publication
):
    rating = rated(customer, publication, LOW)
    client.force_login(other_customer)

    response = client.post(reverse("feedback:answer", args=[rating.order_id]), {"text": "Hai"})

    assert response.status_code == 404
    assert not FollowUpMessage.objects.exists()


def test_the_order_page_shows_the_thread_and_takes_an_answer(client, customer, staff, publication):
    rating = rated(customer, publication, LOW, comment="Terlambat.")
    follow_up_reply(rating=rating, by=staff, text="Kami cek dulu ya.")
    client.force_login(customer)

    page = client.get(rating.order.get_absolute_url()).content.decode()
    assert "Kami cek dulu ya." in page and 'id="rating-answer-form"' in page

    response = client.post(
        reverse("feedback:answer", args=[rating.order_id]), {"text": "Baik, terima kasih."}
    )
    assert response.status_code == 302
    assert rating.messages.filter(author=customer, text="Baik, terima kasih.").exists()


def test_the_queue_lists_open_follow_ups_with_constant_queries(
    client, staff, publication, django_assert_max_num_queries
):
    for _n in range(3):
        rated(UserFactory(), publication, LOW)
    client.force_login(staff)
    url = reverse("admin:feedback_rating_changelist") + "?follow_up=open"

    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    for _n in range(10):
        rated(UserFactory(), publication, LOW)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("/change/") >= 13


def test_staff_reply_and_close_in_the_back_office(client, customer, staff, publication):
    rating = rated(customer, publication, LOW)
    client.force_login(staff)
    detail = reverse("admin:feedback_rating_change", args=[rating.pk])
    act = "admin:feedback_rating_act"

    assert "reply-form" in client.get(detail).content.decode()
    client.post(reverse(act, args=[rating.pk, "reply"]), {"text": "Kami hubungi Anda."})
    response = client.post(reverse(act, args=[rating.pk, "close"]), {"outcome": ""})
    assert response.status_code == 400  # the outcome is required; nothing closed
    client.post(reverse(act, args=[rating.pk, "close"]), {"outcome": "Sudah ditelepon."})

    rating.refresh_from_db()
    assert rating.messages.get().text == "Kami hubungi Anda."
    assert rating.follow_up_outcome == "Sudah ditelepon."


def test_the_treasurer_cannot_open_the_ratings(client, customer, treasurer, publication):
    rating = rated(customer, publication, LOW)
    client.force_login(treasurer)

    detail = client.get(reverse("admin:feedback_rating_change", args=[rating.pk]))
    act = client.post(
        reverse("admin:feedback_rating_act", args=[rating.pk, "reply"]), {"text": "Hai"}
    )

    assert detail.status_code in (302, 403, 404)
    assert act.status_code in (302, 403, 404)
    assert not FollowUpMessage.objects.exists()


def test_a_double_click_sends_one_reply(customer, staff, publication):
    rating = rated(customer, publication, LOW)

    first = follow_up_reply(rating=rating, by=staff, text="Kami cek.")
    second = follow_up_reply(rating=rating, by=staff, text="Kami cek.")

    assert first.pk == second.pk
    assert OutboundEmail.objects.filter(template="follow_up_reply").count() == 1
