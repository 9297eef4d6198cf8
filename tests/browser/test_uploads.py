"""Uploads with a progress bar (static/js/upload.js): bytes sent and time left while the file
goes up, and a failure that says why and is sent again with the same form and file.

In English, so the words checked are the templates' own, whatever the catalogue says."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from feedback.complaints.models import Complaint
from orders.models import Order
from orders.services import cart_add, order_approve, order_submit
from tests.factories import PASSWORD, PublicationFactory, UserFactory, default_office

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MB = 1024 * 1024


def english_page(browser: Browser, live_server) -> Page:
    context = browser.new_context(locale="en-US")
    context.add_cookies([{"name": "silastik_language", "value": "en", "url": live_server.url}])
    return context.new_page()


def logged_in(browser: Browser, live_server, email: str) -> Page:
    page = english_page(browser, live_server)
    page.goto(live_server.url + "/akun/masuk/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("#main [type=submit]").click()
    expect(page.locator("#account-menu")).to_be_visible()
    return page


def record_progress(page: Page) -> None:
    """Keep what the bar said at each step: the page is replaced once the upload is done."""
    page.evaluate(
        """() => {
          window.uploadSteps = [];
          document.addEventListener("upload:progress", (event) => {
            const box = event.target.querySelector("[data-upload-progress]");
            window.uploadSteps.push({
              percent: event.detail.percent,
              visible: !box.hidden,
              bar: box.querySelector("[data-upload-meter]").getAttribute("aria-valuenow"),
              status: box.querySelector("[data-upload-status]").textContent,
            });
          });
        }"""
    )


def test_a_product_upload_shows_its_progress_up_to_100_percent(browser: Browser, live_server):
    customer = UserFactory(email="rina@example.com")
    staff = UserFactory(email="agus@example.com", roles=["pst_staff"])
    from catalog.selection import Selection

    cart_add(customer=customer, product=PublicationFactory(page_count=40), selection=Selection())
    order = order_submit(
        order=Order.objects.get(customer=customer, status="draft"),
        by=customer,
        ip="10.1.2.3",
        terms_accepted=True,
        abstract={},
    )
    order_approve(order=order, by=staff)
    page = logged_in(browser, live_server, "agus@example.com")
    page.goto(f"{live_server.url}/admin/orders/order/{order.pk}/change/")
    # 3 MB on a 1 MB/s line: three seconds of progress to watch.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": MB},
    )
    record_progress(page)
    page.select_option("select[name=line]", index=1)
    page.select_option("select[name=kind]", "product")
    content = b"r101,r102\n33,04\n" * (3 * MB // 16)
    page.set_input_files(
        "input[name=upload]", {"name": "statda.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Upload", exact=True).click()

    expect(page.locator("[data-upload-progress]")).to_be_visible()
    expect(page.locator("[data-upload-status]")).to_contain_text(" MB sent")
    # Done: the order page again, as after a plain post, with the file and the message.
    expect(page.get_by_role("link", name="statda.csv")).to_be_visible(timeout=20_000)
    expect(page.locator(".messagelist")).to_contain_text(
        re.compile(r"statda\.csv is saved as product file version 1 of ", re.IGNORECASE)
    )
    steps = page.evaluate("window.uploadSteps")
    assert steps[-1]["percent"] == 100 and steps[-1]["bar"] == "100"
    assert all(step["visible"] for step in steps)
    midway = [s for s in steps if 0 < s["percent"] < 100]
    assert len(midway) >= 3
    assert any(" MB of 3.0 MB sent" in s["status"] and " left" in s["status"] for s in midway)
    assert order.lines.get().files.get().size_bytes == len(content)


def test_a_failed_upload_says_why_and_is_sent_again_with_the_same_form(
    browser: Browser, live_server
):
    office = default_office()
    page = english_page(browser, live_server)
    posts = []

    def server(route):
        posts.append(route.request.post_data_buffer)
        if len(posts) == 2:
            route.abort("connectionreset")
        elif len(posts) == 3:
            route.fulfill(status=500, content_type="text/html", body="<h1>Server Error (500)</h1>")
        else:
            route.continue_()

    page.route(
        "**/pengaduan/",
        lambda route: server(route) if route.request.method == "POST" else route.continue_(),
    )
    page.goto(live_server.url + "/pengaduan/")
    page.select_option("select[name=office]", office.code)
    page.select_option("select[name=category]", "service")
    page.fill("textarea[name=text]", "The queue display was off all morning.")
    page.fill("input[name=contact_email]", "visitor@example.com")
    attach = page.locator("input[name=attachment]")
    send = page.get_by_role("button", name="Send", exact=True)
    error = page.locator("[data-upload-error]")

    # Refused before it is sent: over the complaint's 5 MB.
    attach.set_input_files(
        {"name": "big.pdf", "mimeType": "application/pdf", "buffer": PDF + b"0" * (6 * MB)}
    )
    send.click()
    expect(error).to_contain_text("The file is 6.0 MB; at most 5.0 MB can be uploaded here.")
    assert posts == []

    # Refused by the server: not a PDF inside. Its reason, and the form as it was.
    attach.set_input_files(
        {"name": "photo.pdf", "mimeType": "application/pdf", "buffer": b"<html>not a pdf</html>"}
    )
    send.click()
    expect(error).to_contain_text("The file was not saved:")
    expect(error).to_contain_text("This file is not a PDF, PNG or JPEG file.")
    expect(page.locator("textarea[name=text]")).to_have_value(
        "The queue display was off all morning."
    )

    # The line drops, then the server fails: each said, and the same file sent again.
    attach.set_input_files(
        {"name": "foto-antrean.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    send.click()
    expect(error).to_contain_text("The connection was lost before the upload finished.")
    retry = page.get_by_role("button", name="Try again")
    retry.click()
    expect(error).to_contain_text("The server answered with error 500. Server Error (500)")
    assert attach.evaluate("input => input.files[0].name") == "foto-antrean.pdf"
    retry.click()

    expect(page.locator("#main")).to_contain_text("PGD-", timeout=10_000)
    assert "/pengaduan/" in page.url and page.url != live_server.url + "/pengaduan/"
    complaint = Complaint.objects.get()
    assert complaint.text == "The queue display was off all morning."
    assert complaint.attachment.read() == PDF
    # The same form and file each time, nothing typed again.
    assert len(posts) == 4
    assert all(b"foto-antrean.pdf" in post and b"off all morning" in post for post in posts[1:])
