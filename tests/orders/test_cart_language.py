"""A cart line's name is what the customer's papers (the offer, the agreement, the invoice)
print, and those are in the language of the customer's profile: the line is named in it,
whichever language the customer browses in when they put it in the cart."""

import pytest
from django.urls import reverse

from orders.models import OrderLine
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("profile", "browsing", "names"),
    [
        ("id", "en", {"Sakernas 2024 — fullset", "Statistik Daerah 2025 — tercetak, 2 eksemplar"}),
        ("en", "id", {"Sakernas 2024 — full set", "Statistik Daerah 2025 — printed, 2 copies"}),
    ],
)
def test_a_line_is_named_in_the_language_of_the_customers_papers(
    client, customer, dataset, profile, browsing, names
):
    customer.language = profile
    customer.save()
    printed = PublicationFactory(title="Statistik Daerah 2025", printed_price=75_000)
    printed.publication.printed_copies = 5
    printed.publication.save()
    client.force_login(customer)
    client.cookies["silastik_language"] = browsing

    client.post(reverse("orders:cart_add", args=[dataset.pk]))
    client.post(reverse("orders:cart_add", args=[printed.pk]), {"copies": "2"})

    assert set(OrderLine.objects.values_list("description", flat=True)) == names
