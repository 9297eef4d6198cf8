"""The data use agreement (SPPD, Surat Perjanjian Penggunaan Data) as a PDF.

One renderer per document: a template, rendered in the customer's language, turned into PDF
bytes by WeasyPrint. Storing the bytes is the task's business (orders/tasks.py).
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from catalog.models import ProductKind, Region, Variable
from offices.documents import letterhead_of
from silastik.documents import pdf_render

from .models import Order, OrderLine, OrderLineVariable

# A selection can run to hundreds of variables; the agreement lists the first ones and counts
# the rest, the full list staying in the order itself.
VARIABLES_LISTED = 60
AGREEMENT_KINDS = (ProductKind.MICRODATA, ProductKind.MAP)


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


def sppd_render_pdf(*, order: Order) -> bytes:
    return pdf_render(
        template="documents/sppd.html",
        context=sppd_context(order=order),
        language=order.customer.language,
    )


def sppd_context(*, order: Order, on: date | None = None) -> dict:
    return {
        "order": order,
        "number": sppd_number(order=order),
        "date": on or timezone.localdate(),
        "office": letterhead_of(order.office),
        "customer": order.customer,
        "items": _agreement_items(order=order),
    }


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
    if line.kind != ProductKind.MICRODATA or not line.by_variable:
        return {}
    chosen = Variable.objects.filter(
        pk__in=OrderLineVariable.objects.filter(line=line).values("variable_id")
    )
    return {
        "variables": list(
            chosen.select_related("file").order_by("file__position", "position", "pk")[
                :VARIABLES_LISTED
            ]
        ),
        "variables_total": chosen.count(),
    }
