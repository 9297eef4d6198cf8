"""Everything that changes the catalog."""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models.expressions import CombinedExpression

from .models import Product, Tariff


def search_vector() -> CombinedExpression:
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


# PP 13/2024, read from a regional PST's public price list (docs/domain.md); not yet checked against
# the regulation's annex. Staff edit them in the back office.
DEFAULT_TARIFFS = {
    "publication_first": 50_000,
    "publication_next": 15_000,
    "microdata_first": 20_000,
    "microdata_next": 20,
    "processed_first": 22_000,
    "processed_next": 22,
    "map_regency_subdistrict": 30_000,
    "map_regency_village": 70_000,
    "map_national_subdistrict": 12_000_000,
    "map_national_village": 36_000_000,
}
DEFAULT_TARIFFS_FROM = date(2024, 1, 1)


def tariffs_seed_if_empty(**kwargs: object) -> int:
    """Seed the tariff table when it has no rows at all; never touches rows staff edited."""
    if Tariff.objects.exists():
        return 0
    Tariff.objects.bulk_create(
        Tariff(item=item, amount=amount, valid_from=DEFAULT_TARIFFS_FROM, regulation="PP 13/2024")
        for item, amount in DEFAULT_TARIFFS.items()
    )
    return len(DEFAULT_TARIFFS)
