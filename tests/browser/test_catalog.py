"""A visitor in a real browser finds a dataset, chooses variables and sees the price follow."""

import pytest
from playwright.sync_api import Page, expect

from catalog.models import Variable
from tests.factories import DatasetFactory, PublicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_open_a_dataset_pick_variables_and_see_the_price_change(page: Page, live_server):
    PublicationFactory(title="Statistik Daerah Banjarnegara 2025", slug="statda-2025")
    survey = DatasetFactory(
        title="Survei Angkatan Kerja Nasional Agustus 2024",
        slug="sakernas-2024",
        survey_name="Sakernas",
        full_size_bytes=3_000_000,
    )
    # Make one choice cost more than the first MB: 400.000 persons × 5 bytes = 2 MB.
    survey.files.filter(file_id="F2").update(records=400_000)

    page.goto(live_server.url + "/catalog/")
    page.fill("#q", "angkatan kerja")
    page.get_by_role("button", name="Cari").click()
    expect(page.locator("#result-count")).to_have_text("1 produk")
    page.get_by_role("link", name="Survei Angkatan Kerja Nasional Agustus 2024").click()

    expect(page.locator("#quote-total")).to_have_text("Rp60.000")  # full set, 3 MB
    # htmx binds the search box once the page has loaded; typing before that sends nothing.
    page.wait_for_load_state("load")
    page.fill("#vq", "status")
    expect(page.locator("#variable-count")).to_have_text("2 variabel")

    persons_status = Variable.objects.get(dataset=survey, name="F2_B2")
    page.check(f"#var-{persons_status.pk}")
    expect(page.locator("#chosen-count")).to_contain_text("1 variabel dipilih")
    expect(page.locator("#quote-total")).to_have_text("Rp40.000")  # 20.000 + 1.000 blocks × 20

    households_status = Variable.objects.get(dataset=survey, name="F1_B2")
    page.check(f"#var-{households_status.pk}")
    expect(page.locator("#chosen-count")).to_contain_text("2 variabel dipilih")
    expect(page.locator("#quote-total")).to_have_text("Rp40.100")  # + 5.000 bytes

    page.get_by_role("button", name="2 label").first.click()
    expect(page.get_by_text("Tidak bekerja").first).to_be_visible()

    page.check("#mode-full")
    expect(page.locator("#quote-total")).to_have_text("Rp60.000")
    page.reload()
    expect(page.locator("#mode-full")).to_be_checked()


def test_fast_clicks_on_the_picker_lose_no_choice(page: Page, live_server):
    DatasetFactory(title="Susenas Maret 2024", slug="susenas-2024")
    page.goto(live_server.url + "/catalog/susenas-2024/")

    page.check("#mode-variables")
    boxes = page.locator("#variable-table input[type=checkbox]")
    for i in range(4):  # no waiting between clicks: the requests overlap
        boxes.nth(i).check()

    expect(page.locator("#chosen-count")).to_contain_text("4 variabel dipilih")
    page.reload()
    expect(page.locator("#chosen-count")).to_contain_text("4 variabel dipilih")


def _spill(page: Page, inner: str, outer: str) -> float:
    """How far the element `inner` reaches past the right edge of its ancestor `outer`, in
    pixels (0 or less: it fits)."""
    return page.evaluate(
        """([inner, outer]) => {
            const el = document.querySelector(inner);
            const box = el.closest(outer).getBoundingClientRect();
            return el.getBoundingClientRect().right - box.right;
        }""",
        [inner, outer],
    )


@pytest.mark.parametrize("width", [1366, 1024])
def test_the_price_and_the_search_button_fit_their_boxes(page: Page, live_server, width):
    DatasetFactory(
        title="Sensus Penduduk 2020 Lengkap", slug="sp-2020", full_size_bytes=2_000_000_000
    )
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(live_server.url + "/catalog/sp-2020/")
    expect(page.locator("#quote-total")).to_be_visible()
    assert _spill(page, "#quote-lines", ".card") <= 0

    page.goto(live_server.url + "/catalog/")
    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("button", name="Search", exact=True)).to_be_visible()
    assert _spill(page, "#catalog-search button[type=submit]", ".row") <= 0
