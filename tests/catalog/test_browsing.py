import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Product, Variable
from tests.factories import (
    DatasetFactory,
    DigitalMapFactory,
    PublicationFactory,
    SubjectFactory,
    banjarnegara,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    population = SubjectFactory(name="Kependudukan", name_en="Population", slug="kependudukan")
    agriculture = SubjectFactory(name="Pertanian", name_en="Agriculture", slug="pertanian")
    regency = banjarnegara()
    return {
        "yearbook": PublicationFactory(
            title="Kabupaten Banjarnegara Dalam Angka 2025",
            slug="banjarnegara-dalam-angka-2025",
            year=2025,
            subject=population,
            region=regency,
            page_count=420,
            description="Data penduduk, pertanian dan ekonomi kabupaten.",
        ),
        "farming": PublicationFactory(
            title="Statistik Pertanian Hortikultura 2023",
            slug="hortikultura-2023",
            year=2023,
            subject=agriculture,
            page_count=51,
            description="Produksi sayuran dan buah-buahan.",
        ),
        "survey": DatasetFactory(
            title="Susenas Maret 2024",
            slug="susenas-2024",
            survey_name="Survei Sosial Ekonomi Nasional",
            subject=population,
            year=2024,
        ),
        "map": DigitalMapFactory(
            title="Peta Wilkerstat Banjarnegara per Kecamatan",
            slug="peta-banjarnegara-kecamatan",
            region=regency,
        ),
    }


def test_the_catalog_lists_every_kind_with_its_price(client, catalog):
    page = client.get(reverse("catalog:list")).content.decode()

    assert "4 produk" in page
    for product in catalog.values():
        assert product.title in page
    assert "Rp170.000" in page  # 420 pages: 50.000 + 8 × 15.000
    assert "Rp65.000" in page  # 51 pages
    assert "Rp500.000" in page  # 25 MB full set: 20.000 + 24.000 × 20
    assert "Rp30.000" in page  # per sub-district map


def test_search_finds_by_title_and_description_words(client, catalog):
    page = client.get(reverse("catalog:list"), {"q": "pertanian"}).content.decode()

    assert "Statistik Pertanian Hortikultura 2023" in page
    assert "Kabupaten Banjarnegara Dalam Angka 2025" in page  # in its description
    assert "Susenas Maret 2024" not in page


def test_search_matches_the_beginning_of_a_word_as_you_type(client, catalog):
    page = client.get(reverse("catalog:list"), {"q": "hortikul"}).content.decode()

    assert "Statistik Pertanian Hortikultura 2023" in page
    assert "1 produk" in page


def test_search_finds_a_dataset_by_its_survey_name(client, catalog):
    page = client.get(reverse("catalog:list"), {"q": "sosial ekonomi"}).content.decode()

    assert "Susenas Maret 2024" in page


def test_facets_filter_and_count(client, catalog):
    response = client.get(reverse("catalog:list"), {"kind": "publication", "year": "2025"})
    page = response.content.decode()
    facets = response.context["facets"]

    assert "1 produk" in page
    assert "Kabupaten Banjarnegara Dalam Angka 2025" in page
    # Counts for a facet ignore its own choice, so the other kinds stay visible with their counts.
    assert {v.value: v.count for v in facets["kind"]} == {"publication": 1}
    assert {v.value: v.count for v in facets["year"]} == {"2025": 1, "2023": 1}
    assert [v.label for v in facets["subject"]] == ["Kependudukan"]


def test_subject_facets_speak_english_on_the_english_site(client, catalog):
    client.cookies["silastik_language"] = "en"
    facets = client.get(reverse("catalog:list")).context["facets"]

    assert {v.label for v in facets["subject"]} == {"Population", "Agriculture"}


def test_sorting_by_title(client, catalog):
    response = client.get(reverse("catalog:list"), {"sort": "title"})
    titles = [p.title for p, _price in response.context["items"]]

    assert titles == sorted(titles)


def test_unpublished_products_stay_hidden(client, catalog):
    Product.objects.filter(pk=catalog["farming"].pk).update(is_published=False)

    assert "Hortikultura" not in client.get(reverse("catalog:list")).content.decode()
    assert client.get(catalog["farming"].get_absolute_url()).status_code == 404


def test_bad_parameters_are_ignored_not_errors(client, catalog):
    response = client.get(
        reverse("catalog:list"),
        {"kind": "weapon", "year": "20x5", "sort": "price; drop", "page": "999", "region": "abc"},
    )
    assert response.status_code == 200


def _catalog_of(size: int, offices: int = 1) -> None:
    """`size` products of every kind, spread over `offices` offices of the network."""
    from tests.factories import office

    subject = SubjectFactory(slug="s")
    regency = banjarnegara()
    publishers = [office(f"{33 + i // 20:02d}{i % 20 + 1:02d}") for i in range(offices)]
    for i in range(size // 2):
        PublicationFactory(subject=subject, region=regency, office=publishers[i % offices])
    DigitalMapFactory.create_batch(size // 4, region=regency, subject=subject)
    DatasetFactory.create_batch(size // 4, codebook=False, subject=subject)


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("catalog:list"), params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "statistik", "sort": "title"},
        {"q": "statistik"},
        {"kind": "map", "subject": "s", "page": "2"},
        {"q": "daerah", "office": "3301", "year": "2024"},
    ],
)
def test_the_list_runs_the_same_number_of_queries_for_90_or_280_products(client, params, committed):
    """Searched afresh each time (a change of the catalog makes the cached search stale), the
    page costs the same queries however many products and offices there are."""
    with committed():
        _catalog_of(90, offices=2)  # page 2 of the maps exists already
    client.get(reverse("home"))  # the portal's office is read once, then cached
    small = _queries(client, params)
    with committed():
        _catalog_of(190, offices=30)
    client.get(reverse("home"))  # new offices: the portal's office is read again, once
    large = _queries(client, params)

    assert small == large
    assert large <= 12


def test_a_repeated_search_is_answered_from_the_cache_until_the_catalog_changes(client, committed):
    with committed():
        _catalog_of(20)
    params = {"q": "statistik", "kind": "publication"}
    first = _queries(client, params)
    again = client.get(reverse("catalog:list"), params)
    with CaptureQueriesContext(connection) as repeated:
        again = client.get(reverse("catalog:list"), params)
    # The page's products and the tariffs; no search, no count, no facets.
    assert len(repeated) <= first - 2
    assert "10 produk" in again.content.decode()
    with committed():
        PublicationFactory(title="Statistik Baru 2026", subject=SubjectFactory(slug="s"))
    fresh = client.get(reverse("catalog:list"), params).content.decode()
    assert "11 produk" in fresh and "Statistik Baru 2026" in fresh


def test_a_publication_page_shows_its_price_lines(client, catalog):
    page = client.get(catalog["yearbook"].get_absolute_url()).content.decode()

    assert "1102001.3304" in page
    assert "Rp170.000" in page
    assert "Rp120.000" in page  # 8 further blocks × 15.000


def test_a_dataset_page_shows_its_codebook_a_page_at_a_time(
    client, catalog, django_assert_max_num_queries
):
    url = catalog["survey"].get_absolute_url()
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()

    assert "8 variabel" in page
    assert "R101" in page and "Jumlah anggota" in page
    assert "Bekerja" not in page  # value labels come on demand


def test_variables_are_searched_and_filtered_by_file(client, catalog):
    survey = catalog["survey"]
    url = reverse("catalog:variables", args=[survey.slug])
    households = survey.files.get(file_id="F1")

    assert "2 variabel" in client.get(url, {"vq": "status"}).content.decode()
    page = client.get(url, {"file": households.pk}).content.decode()
    assert "4 variabel" in page and "F2_B1" not in page


def test_value_labels_load_on_demand(client, catalog):
    variable = Variable.objects.get(name="F1_B2")

    page = client.get(reverse("catalog:categories", args=[catalog["survey"].slug, variable.pk]))

    assert "Bekerja" in page.content.decode()
    other = DatasetFactory()
    assert (
        client.get(reverse("catalog:categories", args=[other.slug, variable.pk])).status_code == 404
    )


def test_a_codebook_of_2100_variables_shows_one_page_without_loading_value_labels(
    client, django_assert_max_num_queries
):
    from catalog.models import Category, DataFile

    survey = DatasetFactory(codebook=False, slug="besar")
    data_file = DataFile.objects.create(dataset=survey, file_id="F1", name="Individu", records=10)
    variables = Variable.objects.bulk_create(
        Variable(
            dataset=survey,
            file=data_file,
            name=f"V{i:04d}",
            label=f"Variabel {i}",
            width=2,
            position=i,
            category_count=3,
        )
        for i in range(2100)
    )
    Category.objects.bulk_create(
        Category(variable=v, value=str(c), label=f"Jawaban ke-{c}", position=c)
        for v in variables
        for c in range(3)
    )

    with django_assert_max_num_queries(14):
        page = client.get(survey.get_absolute_url()).content.decode()

    assert "2100 variabel" in page
    assert page.count('name="variable"') == 50
    assert "Jawaban ke-" not in page
    assert "Halaman 1 dari 42" in page


def test_words_typed_on_the_catalog_are_sorted_by_relevance_unless_a_sort_was_chosen(
    client, catalog
):
    """The sort box of the catalog without words shows its order (newest first) but does not
    ask for it: words typed there and sent with the box as it is are sorted by relevance."""
    import re

    def sort_sent(page: str) -> str:
        box = re.search(r'<select[^>]*name="sort".*?</select>', page, re.S).group(0)
        return re.search(r'<option value="([^"]*)"[^>]*selected', box).group(1)

    blank = client.get(reverse("catalog:list"))
    assert blank.context["query"].sort == "newest"
    searched = client.get(
        reverse("catalog:list"), {"q": "pertanian", "sort": sort_sent(blank.content.decode())}
    )
    assert searched.context["query"].sort == "relevance"

    chosen = client.get(reverse("catalog:list"), {"sort": "title"})
    searched = client.get(
        reverse("catalog:list"), {"q": "pertanian", "sort": sort_sent(chosen.content.decode())}
    )
    assert searched.context["query"].sort == "title"


def test_a_free_download_names_its_kind_only_when_its_title_does_not(client, catalog):
    from django.core.files.base import ContentFile

    from catalog.models import AttachmentKind, DatasetAttachment

    survey = catalog["survey"].dataset
    for kind, title in [
        (AttachmentKind.SAMPLE, "Contoh data (20 record)"),
        (AttachmentKind.QUESTIONNAIRE, "Daftar pertanyaan VSEN24.K"),
    ]:
        DatasetAttachment.objects.create(
            dataset=survey, kind=kind, title=title, file=ContentFile(b"x", name="a.pdf")
        )

    page = client.get(survey.get_absolute_url()).content.decode()

    assert "Contoh data (20 record)" in page and "(Contoh data)" not in page
    assert "(Kuesioner)" in page
