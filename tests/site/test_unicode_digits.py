"""Digits that Python calls digits but int() refuses ("²", "٣") in a query string are ignored,
never a server error."""

import pytest
from django.urls import reverse

from tests.factories import DatasetFactory, default_office

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["year=²²²²", "region=٣٣", "office=²²²²"])
def test_the_catalog_ignores_digits_int_cannot_read(client, query):
    default_office()

    response = client.get(f"{reverse('catalog:list')}?{query}")

    assert response.status_code == 200


def test_the_codebook_ignores_a_file_id_int_cannot_read(client):
    dataset = DatasetFactory(slug="sakernas")

    response = client.get(reverse("catalog:variables", args=[dataset.slug]) + "?file=²")

    assert response.status_code == 200


def test_the_complaint_form_ignores_an_order_id_int_cannot_read(client, customer):
    client.force_login(customer)

    response = client.get(reverse("complaints:new") + "?pesanan=²")

    assert response.status_code == 200
