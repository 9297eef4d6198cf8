"""Everything that changes the catalog."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection

from .models import Product


def search_vector() -> SearchVector:
    config = settings.CATALOG_SEARCH_CONFIG
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("keywords", weight="B", config=config)
        + SearchVector("description", weight="C", config=config)
    )


def products_reindex(*, ids: Iterable[int] | None = None) -> int:
    """Refresh the full-text document of the given products (all when None), in one UPDATE.
    On databases without full-text search the catalog searches with LIKE and this does nothing."""
    if connection.vendor != "postgresql":
        return 0
    products = Product.objects.all() if ids is None else Product.objects.filter(pk__in=list(ids))
    return products.update(search_document=search_vector())
