"""Everyone can read it: axe-core finds no serious or critical violation on the pages
customers, visitors and staff use, in Indonesian and in English (tests/browser/axe.py)."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from billing.models import Invoice
from billing.rendering import INVOICE_KIND
from desk.services import visit_call_next, visit_move
from feedback.complaints.services import complaint_submit
from orders import services as order_services
from silastik.verification.services import verification_code_of
from tests.desk.conftest import ticket
from tests.factories import (
    DatasetFactory,
    PublicationFactory,
    UserFactory,
    default_office,
    walk_in_desk,
)
from tests.orders.conftest import prepared, submitted

from .axe import axe_count, axe_report, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANGUAGES = ("id", "en")


@dataclass
class Visit:
    """A browser in one language, on the live server, with the people the page needs."""

    page: Page
    url: str

    def goto(self, path: str) -> None:
        response = self.page.goto(self.url + path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        self.page.wait_for_load_state("load")

    def log_in(self, user) -> None:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": self.url}]
        )


def customer():
    return UserFactory(email="rina@example.com", full_name="Rina Kusuma")


def pst_staff():
    return UserFactory(email="budi@example.com", full_name="Budi Santoso", roles=["pst_staff"])


def offered_order():
    staff = pst_staff()
    order = submitted(customer(), DatasetFactory(title="Sakernas Agustus 2024"))
    order = order_services.order_approve(order=order, by=staff)
    return order_services.order_offer(order=prepared(order, staff), by=staff)


def home(visit: Visit) -> None:
    visit.goto("/")


def catalog_list(visit: Visit) -> None:
    PublicationFactory(title="Banjarnegara Dalam Angka 2025")
    DatasetFactory(title="Susenas Maret 2024")
    visit.goto("/catalog/")


def publication(visit: Visit) -> None:
    PublicationFactory(title="Banjarnegara Dalam Angka 2025", slug="bda-2025")
    visit.goto("/catalog/bda-2025/")


def dataset_picker(visit: Visit) -> None:
    DatasetFactory(title="Sakernas Agustus 2024", slug="sakernas", full_size_bytes=3_000_000)
    visit.goto("/catalog/sakernas/")
    visit.page.check("#mode-variables")  # the picker's variable list
    visit.page.locator("#variable-table input[type=checkbox]").first.check()
    expect(visit.page.locator("#chosen-count")).to_contain_text("1")


def cart(visit: Visit) -> None:
    rina = customer()
    order_services.cart_add(
        customer=rina, product=DatasetFactory(title="Sakernas 2024"), selection=_full_set()
    )
    visit.log_in(rina)
    visit.goto("/pesanan/keranjang/")


def _full_set():
    from catalog.selection import Selection

    return Selection()


def order_list(visit: Visit) -> None:
    order = offered_order()
    visit.log_in(order.customer)
    visit.goto("/pesanan/")


def order_page(visit: Visit) -> None:
    order = offered_order()
    visit.log_in(order.customer)
    visit.goto(f"/pesanan/{order.pk}/")


def profile(visit: Visit) -> None:
    visit.log_in(customer())
    visit.goto("/akun/profil/")


def complaint_form(visit: Visit) -> None:
    default_office()
    visit.goto("/pengaduan/")


def complaint_tracking(visit: Visit) -> None:
    complaint = complaint_submit(
        category="service",
        text="Antrean di loket terlalu lama.",
        contact_email="rina@example.com",
        language="id",
        office=default_office(),
    )
    visit.goto(f"/pengaduan/{complaint.code}/")


def verification(visit: Visit) -> None:
    invoice = Invoice.objects.get(order=offered_order())
    visit.goto(f"/verifikasi/{verification_code_of(kind=INVOICE_KIND, object_id=invoice.pk)}/")


def kiosk_guest_book(visit: Visit) -> None:
    walk_in_desk()
    visit.goto("/kios/3304/")


def kiosk_ticket(visit: Visit) -> None:
    kiosk_guest_book(visit)
    page = visit.page
    page.locator("#purpose label").first.click()
    page.fill("input[name=name]", "Rina Kusuma")
    page.fill("input[name=institution]", "Universitas Jenderal Soedirman")
    page.select_option("select[name=segment]", "student")
    page.fill("input[name=phone]", "0812 3456 7890")
    page.select_option("select[name=identity_kind]", "ktp")
    page.fill("input[name=identity_number]", "3304010101990001")
    page.locator("#guest-book [type=submit]").click()
    expect(page.locator("#ticket-number")).to_have_text("A-001")


def kiosk_rating(visit: Visit) -> None:
    staff = pst_staff()
    taken = ticket()
    called = visit_call_next(desk=walk_in_desk(), by=staff)
    visit_move(visit=called, move="start", by=staff)
    visit_move(visit=called, move="finish", by=staff)
    visit.goto("/kios/3304/nilai/")
    visit.page.fill("input[name=ticket]", taken.ticket)
    visit.page.fill("input[name=pin]", taken.pin)
    visit.page.locator("main [type=submit]").click()
    expect(visit.page.locator("#kiosk-rating-form")).to_be_visible()


def queue_display(visit: Visit) -> None:
    walk_in_desk()
    ticket()
    visit.goto("/antrean/3304/")
    expect(visit.page.locator("#desk-1")).to_be_visible()


def desk_page(visit: Visit) -> None:
    walk_in_desk()
    ticket()
    visit.log_in(pst_staff())
    visit.goto("/loket/")
    visit.page.select_option("select[name=desk]", label="Loket 1")
    visit.page.locator("#choose-desk [type=submit]").click()
    expect(visit.page.locator("#call-next")).to_be_visible()


def back_office(visit: Visit) -> None:
    visit.log_in(pst_staff())
    visit.goto("/admin/")


PAGES: dict[str, Callable[[Visit], None]] = {
    "home": home,
    "catalog list": catalog_list,
    "publication": publication,
    "dataset picker": dataset_picker,
    "cart": cart,
    "order list": order_list,
    "order page": order_page,
    "profile": profile,
    "complaint form": complaint_form,
    "complaint tracking": complaint_tracking,
    "verification": verification,
    "kiosk guest book": kiosk_guest_book,
    "kiosk ticket": kiosk_ticket,
    "kiosk rating": kiosk_rating,
    "queue display": queue_display,
    "desk": desk_page,
    "back office": back_office,
}


def staff_home(visit: Visit) -> None:
    submitted(customer(), PublicationFactory(title="Banjarnegara Dalam Angka 2025"))
    visit.log_in(pst_staff())
    visit.goto("/kerja/")
    expect(visit.page.locator("#work-staff")).to_be_visible()


def treasurer_home(visit: Visit) -> None:
    offered_order()
    visit.log_in(UserFactory(email="dewi@example.com", roles=["treasurer"]))
    visit.goto("/kerja/")
    expect(visit.page.locator("#work-treasurer")).to_be_visible()


def head_home(visit: Visit) -> None:
    offered_order()
    visit.log_in(UserFactory(email="eko@example.com", roles=["head"]))
    visit.goto("/kerja/")
    expect(visit.page.locator("#figures-ikm")).to_be_visible()


# The role-home pages: what staff, treasurers and heads see first.
ROLE_HOME_PAGES: dict[str, Callable[[Visit], None]] = {
    "staff home": staff_home,
    "treasurer home": treasurer_home,
    "head home": head_home,
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", [*PAGES, *ROLE_HOME_PAGES])
def test_the_page_has_no_serious_or_critical_accessibility_violation(
    browser: Browser, live_server, name: str, language: str
):
    context = browser.new_context(locale="id-ID" if language == "id" else "en-US")
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    visit = Visit(page=context.new_page(), url=live_server.url)

    {**PAGES, **ROLE_HOME_PAGES}[name](visit)

    assert visit.page.evaluate("document.documentElement.lang") == language
    found = axe_violations(visit.page)
    assert not found, f"{axe_count(found)} serious or critical on {name} ({language}):\n" + (
        axe_report(found)
    )
