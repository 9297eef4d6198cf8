"""The public verification page of issued documents: `/verifikasi/<code>/`."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from silastik.ratelimit import RateLimit, client_key
from silastik.users.auth import client_ip

from .services import verification_code_normalize, verification_lookup

TEN_MINUTES = 600


def _limit() -> RateLimit:
    return RateLimit("verification", settings.VERIFICATION_LOOKUPS_PER_10_MINUTES, TEN_MINUTES)


@never_cache
@require_GET
def check(request: HttpRequest, code: str = "") -> HttpResponse:
    typed = code or request.GET.get("kode", "").strip()
    if not typed:
        return render(request, "verification/check.html", {})
    normalized = verification_code_normalize(typed)
    if normalized and normalized != code:
        # One address per document, whatever way the code was typed.
        return redirect("verification:check", code=normalized)
    if not _limit().hit(client_key(client_ip(request))):
        message = _("Many codes were checked from your network. Please try again in a few minutes.")
        return render(request, "verification/check.html", {"limited": message}, status=429)
    document = verification_lookup(text=typed)
    context = {"typed": typed[:40], "document": document, "not_found": document is None}
    return render(request, "verification/check.html", context, status=200 if document else 404)
