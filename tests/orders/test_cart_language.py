"""A cart line's name is what the office's papers (the offer, the agreement, the invoice) print,
so it is written in the portal's language whichever language the customer browses in."""

import pytest
from django.urls import reverse

from orders.models import OrderLine
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db


def test_a_line_put_in_the_cart_in_english_is_named_in_indonesian(client, customer, dataset):
    printed = PublicationFactory(title="Statistik Daerah 2025", printed_price=75_000)
    printed.publication.printed_copies = 5
    printed.publication.save()
    client.force_login(customer)
    client.cookies["silastik_language"] = "en"

    client.post(reverse("orders:cart_add", args=[dataset.pk]))
    client.post(reverse("orders:cart_add", args=[printed.pk]), {"copies": "2"})

    names = set(OrderLine.objects.values_list("description", flat=True))
    assert names == {"Sakernas 2024 — fullset", "Statistik Daerah 2025 — tercetak, 2 eksemplar"}
