"""What the product picker and its codebook show for a choice: the size estimate, the regions
or areas to choose from, the price, and a page of the codebook. One builder for the catalog's
product page and the walk-in desk's picker (desk/picker_views.py), so both quote alike."""

from django.core.paginator import Paginator
from django.http import QueryDict

from . import selectors
from .models import DataFormat, Product, ProductKind
from .pricing import TariffMissing, product_quote
from .selection import (
    Selection,
    SizeEstimate,
    dataset_region_choices,
    dataset_size_estimate,
    map_areas,
)

VARIABLES_PAGE_SIZE = 50


def quote_context(
    product: Product, selection: Selection, estimate: SizeEstimate | None = None
) -> dict:
    try:
        quote = product_quote(product=product, selection=selection, estimate=estimate)
    except TariffMissing as exc:
        return {"quote": None, "quote_error": str(exc)}
    except ValueError:  # nothing chosen yet
        return {"quote": None, "quote_error": None}
    return {"quote": quote, "quote_error": None}


def picker_context(
    product: Product, selection: Selection, *, region_choices: list | None = None
) -> dict:
    """The choice, its estimate and price, and what can be chosen (regions, map areas);
    `region_choices` when the caller has read them already (the selection form)."""
    context: dict = {"product": product, "selection": selection}
    if product.kind == ProductKind.MICRODATA:
        dataset = product.dataset
        # One estimate for the size shown and the price, whatever the number of regions.
        estimate = dataset_size_estimate(dataset=dataset, selection=selection)
        context["region_choices"] = (
            region_choices if region_choices is not None else dataset_region_choices(dataset)
        )
        context["estimate"] = estimate
        context["data_formats"] = DataFormat.choices
        context.update(quote_context(product, selection, estimate))
        return context
    context.update(quote_context(product, selection))
    if product.kind == ProductKind.MAP and not product.digitalmap.is_national:
        context["areas"] = map_areas(product.digitalmap).select_related("parent")
    return context


def codebook_page(*, dataset_id: int, params: QueryDict, chosen: frozenset[int]) -> dict:
    """A page of the codebook as asked in the query string (search `vq`, file, `vpage`)."""
    q = params.get("vq", "")[:100]
    file_id = params.get("file", "")
    variables = selectors.codebook_variables(
        dataset_id=dataset_id,
        q=q,
        file_id=int(file_id) if file_id.isascii() and file_id.isdigit() else None,
    )
    page = Paginator(variables, VARIABLES_PAGE_SIZE).get_page(params.get("vpage"))
    return {"variables": page, "vq": q, "vfile": file_id, "chosen": chosen}
