"""A new visitor in a real browser: register, verify by e-mail, log in, switch language, edit
the profile."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from silastik.users.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_registers_verifies_logs_in_switches_language_and_edits_the_profile(
    page: Page, live_server
):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_role("link", name="Daftar", exact=True).click()

    page.fill("input[name=email]", "budi@example.com")
    page.fill("input[name=full_name]", "Budi Hartono")
    page.fill("input[name=password1]", "salak-pondoh-2026")
    page.fill("input[name=password2]", "salak-pondoh-2026")
    page.get_by_role("button", name="Buat akun").click()
    expect(page.get_by_role("heading", name="Periksa e-mail Anda")).to_be_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/akun/verifikasi/tautan/#\S+", mail.outbox[0].body).group(0)
    # The code after "#" never goes to the server: the page's script posts it.
    page.goto(link)
    expect(page.get_by_text("Alamat e-mail Anda sudah terverifikasi.")).to_be_visible()

    page.fill("input[name=username]", "budi@example.com")
    page.fill("input[name=password]", "salak-pondoh-2026")
    page.get_by_role("button", name="Masuk").click()
    expect(page.locator("#account-menu")).to_have_text("Budi")

    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(
        page.get_by_role("heading", name="Service standard: sale of statistical products")
    ).to_be_visible()

    page.locator("#account-menu").click()
    page.get_by_role("link", name="Profile").click()
    page.fill("input[name=phone]", "0813 1111 2222")
    page.select_option("select[name=id_type]", "ktp")
    page.fill("input[name=id_number]", "3304 0101 0190 0001")
    page.select_option("select[name=segment]", "private")
    page.fill("input[name=institution]", "CV Data Banjar")
    page.fill("input[name=npwp]", "01.234.567.8-901.000")
    page.fill("textarea[name=address]", "Jl. Raya Bawang 5, Banjarnegara")
    page.select_option("select[name=language]", "en")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()

    user = User.objects.get(email="budi@example.com")
    assert user.is_verified
    assert user.language == "en"
    assert user.npwp == "012345678901000"
    assert user.id_number == "3304010101900001"
    assert user.is_profile_complete


def test_the_menu_folds_away_on_a_phone(page: Page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")

    login = page.locator("#nav").get_by_role("link", name="Masuk", exact=True)
    expect(login).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(login).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
