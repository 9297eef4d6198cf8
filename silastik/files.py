"""Sending private files (customers' documents, products, proofs) once a view has decided who
may have them. The one place that streams them: with PRIVATE_FILES_X_ACCEL_PREFIX set, the web
server (nginx) sends the downloads and Python only answers the headers. Files shown in the
browser (inline) always pass through Django, so they keep its security headers (nosniff)."""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from .storage import private_storage


def private_file_response(
    *, name: str, filename: str, content_type: str | None = None, attachment: bool = True
) -> HttpResponse | FileResponse:
    """The stored file `name` under the download name `filename`; the caller checked the
    rights and logged the download."""
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    prefix = getattr(settings, "PRIVATE_FILES_X_ACCEL_PREFIX", "")
    response: HttpResponse | FileResponse
    if prefix and attachment:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
    else:
        response = FileResponse(private_storage().open(name, "rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(attachment, filename) or ""
    return response
