"""A search of one word is read from its search terms (catalog.models.SearchTerm), one of several
words from the search document's GIN index; the facet columns held in memory (catalog.columns)
count and order both. Every answer is held against the database's own: ts_rank, the page of
the ORDER BY, a COUNT."""

import pytest
from django.conf import settings
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from catalog import columns
from catalog.models import Product, SearchTerm
from catalog.search import catalog_find, catalog_generation
from catalog.selectors import CatalogQuery, catalog_search, matching
from catalog.services import products_reindex
from tests.factories import PublicationFactory, SubjectFactory

pytestmark = pytest.mark.django_db

# Words in the title (weight A), the keywords (B) and the description (C), once or more and at
# different places: ranks that differ, and ties that the year and the title must break.
ROWS = [
    ("Penduduk Jawa Tengah", "Jumlah penduduk menurut kabupaten."),
    ("Statistik Penduduk Penduduk", "Tentang penduduk."),
    ("Statistik Daerah", "Penduduk, pendudukan dan kependudukan."),
    ("Proyeksi Penduduk", "Proyeksi penduduk sampai 2035."),
    ("Indikator Pertanian", "Luas panen dan penduduk tani."),
    ("Statistik Pertanian", "Hasil pertanian menurut komoditas."),
]


def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("search terms and ts_rank are PostgreSQL's")


@pytest.fixture
def catalog(committed):
    with committed():
        subject = SubjectFactory(slug="sosial")
        for i in range(36):
            title, description = ROWS[i % len(ROWS)]
            PublicationFactory(
                title=title if i % 4 else f"{title} {i}",
                description=description,
                year=None if i % 7 == 0 else 2019 + i % 3,
                subject=subject,
            )
        PublicationFactory(title="Penduduk Tersembunyi", is_published=False)


def query(**params) -> CatalogQuery:
    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return CatalogQuery.from_querydict(data)


def test_a_words_terms_rank_each_product_as_ts_rank_does(catalog):
    postgres_only()
    config = settings.CATALOG_SEARCH_CONFIG
    # "da": two lexemes (daerah, dan), their ranks added up
    for word in ("penduduk", "statistik", "pertanian", "tani", "proyeksi", "da"):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tsvector_to_array(to_tsvector(%s::regconfig, %s))", [config, word]
            )
            (stem,) = cursor.fetchone()[0]
            cursor.execute(
                "SELECT ts_rank(p.search_document, to_tsquery(%s::regconfig, %s)), "
                "(SELECT SUM(t.score) FROM catalog_searchterm t "
                " WHERE t.product_id = p.id AND t.lexeme LIKE %s) "
                "FROM catalog_product p WHERE p.search_document @@ to_tsquery(%s::regconfig, %s)",
                [config, f"{word}:*", f"{stem}%", config, f"{word}:*"],
            )
            rows = cursor.fetchall()
        assert rows, word
        for ts_rank, terms in rows:
            assert terms == pytest.approx(ts_rank, rel=1e-6), word


@pytest.mark.parametrize(
    "params",
    [
        {"q": "penduduk"},
        {"q": "penduduk", "sort": "newest"},
        {"q": "penduduk", "sort": "oldest"},
        {"q": "penduduk", "sort": "title"},
        {"q": "da"},
        {"q": "statistik penduduk"},
        {"q": "penduduk", "year": ["2020", "2021"]},
        {"q": "pertanian", "subject": "sosial", "kind": "publication"},
        {"q": "_"},  # a word of no lexeme: nothing, as the database finds
        {"q": "penduduk_jawa"},  # one word, two lexemes: the GIN index
        {"q": "tersembunyi"},  # only an unpublished product has it
    ],
)
def test_a_search_gives_the_databases_page_total_and_order(catalog, params, settings):
    settings.CATALOG_SEARCH_CACHE_SECONDS = 0
    q = query(**params)
    expected = list(catalog_search(q).values_list("pk", flat=True))
    for offset in (0, 5, 10, 30):
        found = catalog_find(q, offset=offset, limit=5)
        assert list(found.ids) == expected[offset : offset + 5], offset
    assert found.total == len(expected) == matching(q).count()


def test_one_word_is_read_from_its_terms_and_several_from_the_gin_index(catalog, settings):
    postgres_only()
    settings.CATALOG_SEARCH_CACHE_SECONDS = 0
    catalog_find(query(), offset=0, limit=5)  # the facet columns, read once
    with CaptureQueriesContext(connection) as one:
        catalog_find(query(q="penduduk"), offset=0, limit=5)
    with CaptureQueriesContext(connection) as two:
        catalog_find(query(q="statistik penduduk"), offset=0, limit=5)
    one_sql = " ".join(q["sql"] for q in one.captured_queries)
    assert "catalog_searchterm" in one_sql and "@@" not in one_sql
    assert "@@" in " ".join(q["sql"] for q in two.captured_queries)
    assert len(one.captured_queries) == 2  # the word's lexeme, its terms


def test_terms_follow_their_product(catalog, committed, settings):
    settings.CATALOG_SEARCH_CACHE_SECONDS = 0
    with committed():
        product = PublicationFactory(title="Survei Perikanan Laut")
    assert catalog_find(query(q="perikanan"), offset=0, limit=5).ids == (product.pk,)

    with committed():
        product.title = "Survei Kehutanan"
        product.save()
    assert catalog_find(query(q="perikanan"), offset=0, limit=5).total == 0
    assert catalog_find(query(q="kehutanan"), offset=0, limit=5).ids == (product.pk,)

    with committed():
        product.is_published = False
        product.save()
    assert catalog_find(query(q="kehutanan"), offset=0, limit=5).total == 0

    with committed():
        Product.objects.filter(pk=product.pk).delete()
    assert not SearchTerm.objects.filter(product_id=product.pk).exists()


def test_reindexing_every_product_makes_every_term_again(catalog):
    postgres_only()
    SearchTerm.objects.all().delete()
    products_reindex()
    with connection.cursor() as cursor:
        cursor.execute("SELECT SUM(length(search_document)) FROM catalog_product")
        lexemes = cursor.fetchone()[0]
    assert SearchTerm.objects.count() == lexemes > 0
    assert catalog_find(query(q="penduduk"), offset=0, limit=5).total == 30


def test_facet_columns_are_read_once_and_shared_between_processes(
    catalog, django_assert_num_queries
):
    from django.core.cache import cache

    generation = catalog_generation()
    columns._held = None
    cache.delete(columns.CACHE_KEY)
    read = columns.facet_columns(generation)  # read by this process, and shared
    assert len(read.ids) == Product.objects.filter(is_published=True).count()

    columns._held = None  # another process: the columns come from the shared cache
    with django_assert_num_queries(0):
        shared = columns.facet_columns(generation)
    assert (shared.ids == read.ids).all() and shared.values == read.values

    with django_assert_num_queries(0):  # held by the process
        assert columns.facet_columns(generation) is shared


def test_a_renamed_subject_is_searched_by_its_new_slug_at_once(catalog, committed, settings):
    from catalog.models import Subject

    settings.CATALOG_SEARCH_CACHE_SECONDS = 0
    assert catalog_find(query(subject="sosial"), offset=0, limit=5).total == 36
    with committed():
        subject = Subject.objects.get(slug="sosial")
        subject.slug = "sosial-budaya"
        subject.save()
    assert catalog_find(query(subject="sosial-budaya"), offset=0, limit=5).total == 36
    assert catalog_find(query(subject="sosial"), offset=0, limit=5).total == 0


def test_among_equal_ranks_the_page_puts_a_product_without_a_year_last(committed):
    with committed():
        undated = PublicationFactory(title="Penduduk Kota", year=None)
        dated = PublicationFactory(title="Penduduk Kota", year=2020)
    assert catalog_find(query(q="penduduk"), offset=0, limit=5).ids == (dated.pk, undated.pk)


def test_after_a_change_the_worker_reads_the_columns_before_any_search(catalog, committed):
    from django.core.cache import cache

    from catalog.tasks import facet_columns_read

    with committed():  # the worker runs its tasks at once here (eager), as it would just after
        product = PublicationFactory(title="Survei Perikanan Laut")
    kept = cache.get(columns.CACHE_KEY)
    assert kept.generation == catalog_generation() and product.pk in kept.ids

    # A task for a generation the catalog has moved past reads nothing.
    cache.delete(columns.CACHE_KEY)
    facet_columns_read(catalog_generation() - 1)
    assert cache.get(columns.CACHE_KEY) is None
