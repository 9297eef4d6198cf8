"""The portal works under its Content-Security-Policy in a real browser: htmx's picker, the
pages' small scripts and the back office, with no violation reported."""

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from catalog.models import Variable
from tests.factories import PASSWORD, DatasetFactory, PublicationFactory, UserFactory
from tests.orders.conftest import submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation the page sees, from the moment it starts (before its own scripts run).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


@pytest.fixture
def page(page: Page):
    """The page, recording CSP violations and the console's reports of them."""
    page.console_reports = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.console_reports.append(message.text)
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def violations(page: Page) -> list[str]:
    return page.evaluate("window.__cspViolations") + page.console_reports


def log_in(page: Page, live_server, email: str) -> None:
    page.goto(live_server.url + "/akun/masuk/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("#main [type=submit]").click()
    expect(page.locator("#account-menu")).to_be_visible()


def test_the_catalogs_htmx_picker_works_under_the_policy(page: Page, live_server):
    survey = DatasetFactory(
        title="Sakernas Agustus 2024", slug="sakernas", full_size_bytes=3_000_000
    )
    survey.files.filter(file_id="F2").update(records=400_000)

    response = page.goto(live_server.url + "/catalog/sakernas/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("#quote-total")).to_have_text("Rp60.000")
    page.wait_for_load_state("load")
    page.fill("#vq", "status")  # htmx searches the codebook as one types
    expect(page.locator("#variable-count")).to_have_text("2 variabel")
    status = Variable.objects.get(dataset=survey, name="F2_B2")
    page.check(f"#var-{status.pk}")  # htmx posts the choice and swaps the quote in
    expect(page.locator("#quote-total")).to_have_text("Rp40.000")
    page.get_by_role("button", name="2 label").first.click()
    expect(page.get_by_text("Tidak bekerja").first).to_be_visible()

    assert violations(page) == []


def test_the_catalogs_filters_apply_on_change_from_the_sites_script(page: Page, live_server):
    PublicationFactory(title="Statistik Daerah 2025")
    DatasetFactory(title="Susenas Maret 2024")
    page.goto(live_server.url + "/catalog/")
    expect(page.locator("#result-count")).to_have_text("2 produk")

    page.select_option("#sort", "title")  # no button pressed: static/js/site.js submits

    page.wait_for_url("**/catalog/?*sort=title*")
    assert violations(page) == []


def test_the_back_office_works_under_the_policy(page: Page, live_server):
    customer = UserFactory(email="rina@example.com")
    UserFactory(email="root@example.com", is_superuser=True)
    order = submitted(customer, PublicationFactory(title="Statistik Daerah 2025"))
    log_in(page, live_server, "root@example.com")

    for path in (
        "/admin/",
        f"/admin/orders/order/{order.pk}/change/",
        "/admin/catalog/publication/",
        "/admin/catalog/publication/add/",  # select2's autocomplete, the date widgets
        f"/admin/users/user/{customer.pk}/change/",  # the two-list group chooser
    ):
        page.goto(live_server.url + path)
        expect(page.locator("#content")).to_be_visible()
    # The admin's own scripts run: its sidebar filter narrows the models.
    page.goto(live_server.url + "/admin/catalog/publication/")
    page.fill("#nav-filter", "publ")
    expect(page.locator("#nav-sidebar tr.model-publication")).to_be_visible()
    expect(page.locator("#nav-sidebar tr.model-order")).to_be_hidden()

    assert violations(page) == []


def test_a_reset_link_opens_with_its_code_posted_and_dropped_from_the_address_bar(
    page: Page, live_server
):
    UserFactory(email="rina@example.com")
    page.goto(live_server.url + "/akun/reset/")
    page.fill("input[name=email]", "rina@example.com")
    page.locator("#main [type=submit]").click()
    link = next(line for line in mail.outbox[0].body.split() if "/akun/reset/tautan/#" in line)

    page.goto(link)

    expect(page.locator("input[name=new_password1]")).to_be_visible()
    assert "#" not in page.url and "set-password" in page.url
    assert page.evaluate("history.length") >= 1
    assert violations(page) == []
