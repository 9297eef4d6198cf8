"""The month's satisfaction index (IKM) for the head's home page (silastik.work): the index,
its grade and each element's score as bars, from one aggregate query."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone

from offices.selectors import office_of
from silastik.work import FiguresPanel, figures_panel_register
from silastik.work.charts import Bar, bars_scaled

from .ikm import ELEMENTS
from .models import Rating
from .selectors import ikm_of

HIGHEST_SCORE = 4


def ikm_figures(request: HttpRequest) -> dict:
    office = office_of(request.user)
    if office is None:
        return {}
    today = timezone.localdate(timezone=office.zone)
    result = ikm_of(
        Rating.objects.filter(
            office=office,
            created_at__date__gte=today.replace(day=1),
            created_at__date__lte=today,
        )
    )
    bars = [
        Bar(
            str(element.name),
            float(result.nrr[element.code]),
            formats.number_format(result.nrr[element.code], 2),
            tone="success" if result.nrr[element.code] >= 3 else "warning",
        )
        for element in ELEMENTS
        if element.code in result.nrr
    ]
    return {
        "ikm": {
            "result": result,
            "index": formats.number_format(result.ikm, 2) if result.ikm is not None else "—",
            "bars": bars_scaled(bars, top=HIGHEST_SCORE),
            "url": reverse("ikm:analysis"),
        }
    }


def figures_register() -> None:
    figures_panel_register(
        FiguresPanel(
            roles=frozenset({"head"}),
            section="head",
            template="work/_ikm.html",
            context=ikm_figures,
            position=0,
        )
    )
