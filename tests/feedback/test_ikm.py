"""IKM worked examples (PermenPANRB 14/2017) and the rating rules."""

from decimal import Decimal

import pytest
from django.urls import reverse

from feedback.ikm import CODES, grade_of, ikm_from_nrr
from feedback.models import Rating
from feedback.selectors import ikm_of
from feedback.services import FeedbackError, follow_up_needed, rating_flag, rating_submit
from orders.models import Order
from tests.factories import UserFactory
from tests.orders.conftest import submitted

ALL = dict.fromkeys(CODES, 4)


def test_all_fours_give_100_and_grade_a():
    ikm = ikm_from_nrr({code: Decimal(4) for code in CODES})

    assert ikm == Decimal("100.00")
    assert grade_of(ikm).letter == "A"


def test_all_ones_give_25_and_grade_d():
    assert ikm_from_nrr({code: Decimal(1) for code in CODES}) == Decimal("25.00")


@pytest.mark.parametrize(
    ("ikm", "letter"),
    [
        ("64.99", "D"),
        ("65.00", "C"),
        ("76.60", "C"),
        ("76.61", "B"),
        ("88.30", "B"),
        ("88.31", "A"),
    ],
)
def test_grade_boundaries(ikm, letter):
    assert grade_of(Decimal(ikm)).letter == letter


def completed_order(customer, product) -> Order:
    order = submitted(customer, product)
    Order.objects.filter(pk=order.pk).update(status="completed")
    return Order.objects.get(pk=order.pk)


@pytest.mark.django_db
def test_a_mixed_set_computed_by_hand(customer, publication):
    """Two respondents: all 3s, and 4,4,3,3,2,4,4,3,3. NRR 3,5 3,5 3 3 2,5 3,5 3,5 3 3 sum to
    28,5; 28,5 / 9 × 25 = 79,17: grade B."""
    other = UserFactory()
    rating_submit(
        order=completed_order(customer, publication), by=customer, scores=dict.fromkeys(CODES, 3)
    )
    second = dict(zip(CODES, [4, 4, 3, 3, 2, 4, 4, 3, 3], strict=True))
    rating_submit(order=completed_order(other, publication), by=other, scores=second)

    result = ikm_of(Rating.objects.all())

    assert result.respondents == 2
    assert result.nrr["u5"] == Decimal("2.5")
    assert result.ikm == Decimal("79.17")
    assert result.grade.letter == "B"


def test_the_follow_up_rule():
    assert not follow_up_needed(scores=dict.fromkeys(CODES, 3))
    assert follow_up_needed(scores={**dict.fromkeys(CODES, 4), "u3": 2})
    assert follow_up_needed(scores=dict.fromkeys(CODES, 4), flagged=True)


@pytest.mark.django_db
def test_a_rating_is_given_once_by_the_customer_after_completion(customer, publication, staff):
    order = submitted(customer, publication)
    with pytest.raises(FeedbackError):
        rating_submit(order=order, by=customer, scores=ALL)  # not completed yet

    Order.objects.filter(pk=order.pk).update(status="completed")
    order.refresh_from_db()
    with pytest.raises(FeedbackError):
        rating_submit(order=order, by=UserFactory(), scores=ALL)
    rating = rating_submit(
        order=order, by=customer, scores={**ALL, "u7": 1}, comment="Petugas lambat."
    )
    with pytest.raises(FeedbackError):
        rating_submit(order=order, by=customer, scores=ALL)

    assert rating.needs_follow_up
    assert Rating.objects.count() == 1


@pytest.mark.django_db
def test_staff_flag_a_comment_for_follow_up(customer, publication, staff):
    rating = rating_submit(
        order=completed_order(customer, publication),
        by=customer,
        scores=ALL,
        comment="Mohon tambah data kecamatan.",
    )
    with pytest.raises(FeedbackError):
        rating_flag(rating=rating, by=customer)

    assert rating_flag(rating=rating, by=staff).needs_follow_up


@pytest.mark.django_db
def test_the_customer_rates_through_the_order_page(client, customer, publication):
    order = completed_order(customer, publication)
    client.force_login(customer)
    assert (
        reverse("feedback:rate", args=[order.pk])
        in client.get(order.get_absolute_url()).content.decode()
    )

    response = client.post(reverse("feedback:rate", args=[order.pk]), {**ALL, "comment": "Cepat."})

    assert response.status_code == 302
    assert Rating.objects.get().comment == "Cepat."
    assert (
        reverse("feedback:rate", args=[order.pk])
        not in client.get(order.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_another_customer_cannot_open_the_rating_page(client, customer, publication):
    order = completed_order(customer, publication)
    client.force_login(UserFactory())

    assert client.get(reverse("feedback:rate", args=[order.pk])).status_code == 404
    assert client.post(reverse("feedback:rate", args=[order.pk]), ALL).status_code == 404
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    ("ikm", "words"),
    [
        ("90.00", "Sangat Baik"),
        ("80.00", "Baik"),
        ("70.00", "Kurang Baik"),
        ("50.00", "Tidak Baik"),
    ],
)
def test_grades_carry_the_regulations_words_in_indonesian(ikm, words):
    from django.utils import translation

    with translation.override("id"):
        assert str(grade_of(Decimal(ikm)).performance) == words


def test_an_exact_half_hundredth_rounds_up():
    """8 respondents whose scores total 225: 225 / 8 / 9 × 25 = 78,125 exactly, published 78,13
    (a 1/9 cut off at some digit would give 78,12)."""
    from feedback.ikm import ikm_from_sums

    sums = dict.fromkeys(CODES, 25)  # 9 × 25 = 225
    assert ikm_from_sums(sums, 8) == Decimal("78.13")


def test_an_elements_grade_follows_its_printed_value():
    """62 respondents, 219 points on u1: NRR × 25 = 88,306…, printed 88,31, which is grade A."""
    from feedback.selectors import ikm_result

    result = ikm_result(62, dict.fromkeys(CODES, 219))

    assert result.converted["u1"] == Decimal("88.31")
    assert grade_of(result.converted["u1"]).letter == "A"
