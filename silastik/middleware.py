from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Indonesian unless the visitor chose otherwise.

    Django's LocaleMiddleware would follow the browser's Accept-Language header; a public office's
    portal speaks Indonesian by default and switches on request: the language cookie first, then
    the logged-in user's preference.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = dict(settings.LANGUAGES)

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            user = getattr(request, "user", None)
            language = (
                user.language
                if user is not None and user.is_authenticated and user.language in self.supported
                else settings.LANGUAGE_CODE
            )
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.headers.get("Vary", "")
        if "Cookie" not in patch:
            response.headers["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        return response


class ContentSecurityPolicyMiddleware:
    """Content-Security-Policy on every page, from settings.CONTENT_SECURITY_POLICY (a view that
    sets its own keeps it). Files are left without it: a browser's own viewer shows a PDF
    inline (a transfer proof, an IKM report), and `object-src 'none'` on the PDF itself would
    stop Chrome's viewer; files sent inline keep nosniff and their own content type."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        header = (
            "Content-Security-Policy-Report-Only"
            if settings.CSP_REPORT_ONLY
            else "Content-Security-Policy"
        )
        policy = "; ".join(
            f"{name} {' '.join(values)}"
            for name, values in settings.CONTENT_SECURITY_POLICY.items()
        )
        response.headers.setdefault(header, policy)
        return response
