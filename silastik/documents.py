"""PDF documents: a template rendered in one language, turned into bytes by WeasyPrint."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation


def pdf_render(*, template: str, context: dict, language: str, time_zone: str = "") -> bytes:
    """`time_zone` is the issuing office's (WIB, WITA, WIT): every date and time on the paper is
    on its clock, wherever and whenever the PDF is rendered (a worker, a request of another
    office's staff)."""
    # Imported here, not at the top: loading WeasyPrint takes most of a second, which every
    # web process would otherwise pay at start-up for pages that never make a PDF.
    import weasyprint

    with translation.override(language), timezone.override(time_zone or None):
        html = render_to_string(template, context)
    # The project's root as the base URL: documents name the bundled fonts and images by their
    # path in the repository (static/fonts/…).
    base_url = settings.BASE_DIR.as_uri() + "/"
    return weasyprint.HTML(string=html, base_url=base_url).write_pdf()


def pdf_render_baseline() -> bytes:
    """The cheapest PDF WeasyPrint makes: what every document costs before its own content."""
    import weasyprint

    return weasyprint.HTML(string="<p>Silastik</p>").write_pdf()
