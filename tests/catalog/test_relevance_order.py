"""The relevance order of catalog_search (the desk's product search reads it too)."""

import pytest
from django.http import QueryDict

from catalog.selectors import CatalogQuery, catalog_search
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db


def test_among_equal_ranks_a_product_without_a_year_comes_last():
    """On PostgreSQL a plain descending year put the products without one first."""
    undated = PublicationFactory(title="Penduduk Kota", year=None)
    dated = PublicationFactory(title="Penduduk Kota", year=2020)
    q = CatalogQuery.from_querydict(QueryDict("q=penduduk"))
    assert list(catalog_search(q).values_list("pk", flat=True)) == [dated.pk, undated.pk]
