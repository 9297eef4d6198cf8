"""Private files on S3 are downloaded through a short-lived pre-signed URL, never streamed by a
web worker. The bucket is stood in for by a storage with django-storages' S3Storage interface
(`querystring_auth`, `url(name, parameters=..., expire=...)`): what is decided here is which
address the browser gets, with which name and lifetime, after which checks."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.urls import reverse

from orders import files as order_files
from orders import services
from orders.models import DownloadLog
from silastik.files import private_file_response
from tests.orders.conftest import prepared, submitted

FAKE_S3 = "tests.site.test_files.FakeS3Storage"


class FakeS3Storage(Storage):
    """What silastik.files uses of storages.backends.s3.S3Storage."""

    querystring_auth = True
    signed: list[dict] = []

    def url(self, name, parameters=None, expire=None, http_method=None):
        self.signed.append({"name": name, "parameters": parameters, "expire": expire})
        return f"https://bucket.example/private/{name}?X-Amz-Expires={expire}&X-Amz-Signature=f00"

    def _open(self, name, mode="rb"):
        return ContentFile(b"%PDF-1.4 inline", name=name)

    def exists(self, name):
        return True


@pytest.fixture
def s3(settings):
    FakeS3Storage.signed = []
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": FAKE_S3},
    }
    return FakeS3Storage


def test_a_download_from_s3_is_a_redirect_to_a_five_minute_signed_url(s3):
    response = private_file_response(name="orders/2026/ab12.zip", filename="Sakernas 2024.zip")

    assert response.status_code == 302
    assert response["Location"].startswith("https://bucket.example/private/orders/2026/ab12.zip?")
    assert parse_qs(urlsplit(response["Location"]).query)["X-Amz-Expires"] == ["300"]
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    [signed] = s3.signed
    assert signed["expire"] == 300
    # The bucket answers with the display name, as Django's own download would.
    assert signed["parameters"] == {
        "ResponseContentDisposition": 'attachment; filename="Sakernas 2024.zip"',
        "ResponseContentType": "application/zip",
    }


def test_the_lifetime_of_the_signed_url_is_a_setting(s3, settings):
    settings.PRIVATE_FILES_URL_SECONDS = 60

    private_file_response(name="a.pdf", filename="a.pdf")

    assert s3.signed[0]["expire"] == 60


def test_a_file_shown_in_the_browser_still_passes_through_django(s3):
    response = private_file_response(
        name="proofs/x.pdf", filename="x.pdf", content_type="application/pdf", attachment=False
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 inline"
    assert response["Content-Disposition"].startswith("inline")
    assert not s3.signed


def test_s3_wins_over_x_accel_redirect(s3, settings):
    # nginx cannot read a bucket: with S3 the prefix of a plain server is ignored.
    settings.PRIVATE_FILES_X_ACCEL_PREFIX = "/_private/"

    response = private_file_response(name="a.pdf", filename="a.pdf")

    assert response.status_code == 302
    assert "X-Accel-Redirect" not in response


def test_local_files_never_ask_for_a_url(settings):
    settings.PRIVATE_FILES_X_ACCEL_PREFIX = ""
    from silastik.storage import private_storage

    name = private_storage().save("test-files/a.pdf", ContentFile(b"%PDF-1.4 local"))

    response = private_file_response(name=name, filename="a.pdf")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 local"


def test_the_order_download_checks_and_logs_before_it_redirects_to_s3(
    client, customer, other_customer, staff, microdata_order, s3
):
    order = services.order_approve(order=microdata_order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    sample = order.lines.get().current_file("sample")
    token = order_files.download_token(
        user=customer, order=order, document="sample", file_id=sample.pk
    )

    client.force_login(other_customer)
    refused = client.get(reverse("orders:download", args=[token]))
    client.force_login(customer)
    response = client.get(reverse("orders:download", args=[token]))

    assert refused.status_code == 403
    assert response.status_code == 302
    assert response["Location"].startswith(f"https://bucket.example/private/{sample.file.name}?")
    assert [s["name"] for s in s3.signed] == [sample.file.name]
    assert DownloadLog.objects.get().user == customer


@pytest.fixture
def microdata_order(customer):
    from tests.factories import DatasetFactory

    return submitted(customer, DatasetFactory(title="Sakernas 2024", full_size_bytes=3_000_000))
