"""Sending private files (customers' documents, products, proofs) once a view has decided who
may have them. The one place that sends them, in one of three ways:

- private files on S3 (django-storages): a redirect to a pre-signed URL that works for
  PRIVATE_FILES_URL_SECONDS (5 minutes) and names the download, so the bytes go from the bucket
  to the browser and never through a web worker;
- with PRIVATE_FILES_X_ACCEL_PREFIX set (nginx in front, deploy/nginx/): nginx sends the file
  and Python only answers the headers;
- otherwise Django streams it (a developer's machine).

Files shown in the browser (inline) always pass through Django, so they keep its security
headers (nosniff): a proof that is really a web page must never be rendered from the bucket's
address. The view has checked the rights and logged the download before it calls this; a link
that leaks works for minutes, not for the 24 hours of the portal's own signed link."""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

from .storage import private_storage

PRESIGNED_SECONDS_DEFAULT = 300


def private_file_response(
    *, name: str, filename: str, content_type: str | None = None, attachment: bool = True
) -> HttpResponse | FileResponse:
    """The stored file `name` under the download name `filename`; the caller checked the
    rights and logged the download."""
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    disposition = content_disposition_header(attachment, filename) or ""
    storage = private_storage()
    prefix = getattr(settings, "PRIVATE_FILES_X_ACCEL_PREFIX", "")
    response: HttpResponse | FileResponse
    if attachment and signs_urls(storage):
        response = HttpResponseRedirect(
            presigned_url(storage, name=name, disposition=disposition, content_type=content_type)
        )
        # The address carries a signature: never kept by a cache, never sent on as a referrer.
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
    if prefix and attachment:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    response["Content-Disposition"] = disposition
    return response


def signs_urls(storage: Storage) -> bool:
    """Private files in a bucket that hands out signed, expiring addresses (django-storages'
    S3Storage with its default querystring_auth); local files never have a URL."""
    if isinstance(storage, FileSystemStorage):
        return False
    return bool(getattr(storage, "querystring_auth", False))


def presigned_url(storage: Storage, *, name: str, disposition: str, content_type: str) -> str:
    """A short-lived address of the object that makes the browser save it under its display
    name (S3 answers with the Content-Disposition and Content-Type given here)."""
    seconds = getattr(settings, "PRIVATE_FILES_URL_SECONDS", PRESIGNED_SECONDS_DEFAULT)
    parameters = {
        "ResponseContentDisposition": disposition,
        "ResponseContentType": content_type,
    }
    # django-storages' S3Storage.url(name, parameters=None, expire=None, http_method=None).
    return storage.url(name, parameters=parameters, expire=seconds)  # type: ignore[call-arg]
