"""The data use agreement (SPPD, Surat Perjanjian Penggunaan Data) as a PDF.

One renderer per document: a template, rendered in the customer's language, turned into PDF
bytes by WeasyPrint. Storing the bytes is the task's business (orders/tasks.py).
"""

from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import ProductKind, Region, Variable
from offices.documents import letterhead_of
from silastik.documents import pdf_render
from silastik.users.models import Domicile
from silastik.verification.services import verification_code_of, verification_mark

from .models import Order, OrderAction, OrderEvent, OrderLine, OrderLineVariable

# Up to this many chosen variables are listed in Article 1 itself; more (or any in a bilingual
# agreement, whose columns are narrow) go to Annex 1, which lists every one of them.
VARIABLES_INLINE = 30
AGREEMENT_KINDS = (ProductKind.MICRODATA, ProductKind.MAP)
# The agreement's text, one template per part; a bilingual agreement sets each part in
# Indonesian and in English side by side.
SECTIONS = ("parties", "article1", "article2", "article3", "article4", "article5")
BILINGUAL_LANGUAGES = ("id", "en")
SPPD_KIND = "sppd"  # its verification code belongs to the offer that issued it

LABELS = {
    "number": gettext_lazy("Number"),
    "no": gettext_lazy("No."),
    "variable": gettext_lazy("Variable"),
    "label": gettext_lazy("Label"),
    "data_file": gettext_lazy("Data file"),
    "background": gettext_lazy("Background"),
    "purpose": gettext_lazy("Purpose"),
    "method": gettext_lazy("Method"),
    "outputs": gettext_lazy("Planned outputs"),
    "second_party": gettext_lazy("Second Party"),
    "first_party": gettext_lazy("First Party"),
    "data_user": gettext_lazy("Data user"),
    "stamp": gettext_lazy("Meterai Rp10.000"),
    "stamp_or": gettext_lazy("or e-meterai"),
    "annex": gettext_lazy("Annex 1: the chosen variables"),
    "annex_intro": gettext_lazy("Every variable chosen, as agreed in the data use agreement"),
    "binding": gettext_lazy(
        "This agreement is made in Indonesian and in English. The Indonesian text (left) binds "
        "the parties; the English translation (right) is given for the Second Party's "
        "understanding."
    ),
}


@dataclass(frozen=True)
class AgreementItem:
    """One line of the order as the agreement describes it."""

    line: OrderLine
    product: object
    variables: list[Variable] = field(default_factory=list)
    variables_total: int = 0
    regions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_map(self) -> bool:
        return self.line.kind == ProductKind.MAP

    @property
    def variables_more(self) -> int:
        return self.variables_total - len(self.variables)


def sppd_number(*, order: Order) -> str:
    return f"SPPD/{order.number}"


def sppd_is_bilingual(*, order: Order) -> bool:
    """An agreement with a customer abroad is bilingual: the Indonesian text binds, the
    English translation stands beside it."""
    return order.customer.domicile == Domicile.ABROAD


def sppd_render_pdf(*, order: Order) -> bytes:
    bilingual = sppd_is_bilingual(order=order)
    return pdf_render(
        template="documents/sppd.html",
        context=sppd_context(order=order),
        language="id" if bilingual else order.customer.language,
        time_zone=order.office.time_zone if order.office else "",
    )


def sppd_offer_event(*, order: Order) -> OrderEvent | None:
    """The offer that issued the current agreement."""
    return order.events.filter(action=OrderAction.OFFER).order_by("-at", "-pk").first()


def sppd_context(*, order: Order, on: date | None = None) -> dict:
    bilingual = sppd_is_bilingual(order=order)
    offer = sppd_offer_event(order=order)
    zone = order.office.zone if order.office else None
    items = _agreement_items(order=order)
    context = {
        "order": order,
        "number": sppd_number(order=order),
        # The day of the offer on the serving office's calendar: the verification page says
        # the same date.
        "date": on or timezone.localdate(offer.at if offer else None, zone),
        "office": letterhead_of(order.office),
        "customer": order.customer,
        "items": items,
        "bilingual": bilingual,
        "variables_in_annex": bilingual
        or any(item.variables_total > VARIABLES_INLINE for item in items),
        "verification": verification_mark(
            verification_code_of(kind=SPPD_KIND, object_id=offer.pk) if offer else ""
        ),
    }
    languages = BILINGUAL_LANGUAGES if bilingual else (order.customer.language,)
    context["labels"] = _labels(languages, office_name=order.office.name)
    context["sections"] = [
        {"name": name, "texts": [_section(name, context, language) for language in languages]}
        for name in SECTIONS
    ]
    return context


def _section(name: str, context: dict, language: str) -> str:
    with translation.override(language):
        return mark_safe(render_to_string(f"documents/sppd/{name}.html", context))  # noqa: S308


def _labels(languages: tuple[str, ...], *, office_name: str) -> dict[str, str]:
    labels = {**LABELS, "head_of_office": _lazy_head_of(office_name)}
    if len(languages) == 1:
        return {key: _in(languages[0], text) for key, text in labels.items()}
    rendered = {}
    for key, text in labels.items():
        first, second = (_in(language, text) for language in languages)
        rendered[key] = (
            format_html('{} / <span class="en">{}</span>', first, second)
            if first != second
            else first
        )
    return rendered


def _in(language: str, text) -> str:
    with translation.override(language):
        return str(text)


class _lazy_head_of:
    """ "Head of <office>", translated when it is turned into text."""

    def __init__(self, office_name: str) -> None:
        self.office_name = office_name

    def __str__(self) -> str:
        return _("Head of %(office)s") % {"office": self.office_name}


def _agreement_items(*, order: Order) -> list[AgreementItem]:
    lines = list(
        order.lines.filter(kind__in=AGREEMENT_KINDS).select_related(
            "product__dataset", "product__digitalmap", "product__region"
        )
    )
    names = dict(
        Region.objects.filter(
            code__in={code for line in lines for code in line.regions}
        ).values_list("code", "name")
    )
    return [
        AgreementItem(
            line=line,
            product=line.product.detail,
            regions=[(code, names.get(code, "")) for code in line.regions],
            **_chosen_variables(line=line),
        )
        for line in lines
    ]


def _chosen_variables(*, line: OrderLine) -> dict:
    """Every chosen variable: the agreement lists them all (in Annex 1 when many)."""
    if line.kind != ProductKind.MICRODATA or not line.by_variable:
        return {}
    chosen = list(
        Variable.objects.filter(
            pk__in=OrderLineVariable.objects.filter(line=line).values("variable_id")
        )
        .select_related("file")
        .only("name", "label", "file__name")
        .order_by("file__position", "position", "pk")
    )
    return {"variables": chosen, "variables_total": len(chosen)}


def sppd_countersigned_pdf(*, order: Order, signed: bytes, accepted: date) -> bytes:
    """The customer's signed agreement with the office's countersignature page after it: the
    copy that binds both parties. ValueError when the signed file is no readable PDF."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    offer = sppd_offer_event(order=order)
    page = pdf_render(
        template="documents/sppd_countersign.html",
        context={
            "order": order,
            "number": sppd_number(order=order),
            "office": letterhead_of(order.office),
            "received": timezone.localtime(order.sppd_received_at, order.office.zone)
            if order.sppd_received_at
            else accepted,
            "accepted": accepted,
            "verification": verification_mark(
                verification_code_of(kind=SPPD_KIND, object_id=offer.pk) if offer else ""
            ),
        },
        language="id",
        time_zone=order.office.time_zone,
    )
    writer = PdfWriter()
    try:
        writer.append(PdfReader(io.BytesIO(signed)))
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ValueError("the signed agreement is no readable PDF") from exc
    writer.append(PdfReader(io.BytesIO(page)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
