from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors
from .forms import SelectionForm
from .models import Category, Product, ProductKind
from .picker import codebook_page, picker_context
from .pricing import list_price, tariffs_in_force
from .selection import (
    selection_get,
    selection_store,
)

SORT_LABELS = {
    "relevance": _("Relevance"),
    "newest": _("Newest first"),
    "oldest": _("Oldest first"),
    "title": _("Title A–Z"),
}
PAGE_SIZE = 20
PRODUCTS = Product.objects.filter(is_published=True).select_related(
    "publication", "dataset", "digitalmap", "subject", "region", "office"
)


@require_GET
def catalog_list(request):
    query = selectors.CatalogQuery.from_querydict(request.GET)
    page = Paginator(selectors.catalog_search(query), PAGE_SIZE).get_page(request.GET.get("page"))
    tariffs = tariffs_in_force()
    context = {
        "query": query,
        "page": page,
        "items": [(p, list_price(product=p, tariffs=tariffs)) for p in page],
        "facets": selectors.catalog_facets(query, language=get_language()),
        "sorts": SORT_LABELS,
    }
    return render(request, "catalog/list.html", context)


def _picker_context(request, product: Product) -> dict:
    selection = selection_get(session=request.session, product_id=product.pk)
    return {**picker_context(product, selection), **_urls(product)}


def _urls(product: Product) -> dict:
    """Where the picker and the codebook (catalog/_picker.html, _variables.html) send a change
    and fetch a page; the desk gives its own (desk/picker_views.py)."""
    return {
        "selection_url": reverse("catalog:selection", args=[product.slug]),
        "variables_url": reverse("catalog:variables", args=[product.slug]),
        "codebook_url": product.get_absolute_url(),
    }


@require_GET
def product_detail(request, slug: str):
    product = get_object_or_404(PRODUCTS, slug=slug)
    context = _picker_context(request, product)
    if product.kind == ProductKind.MICRODATA:
        dataset = product.dataset
        context["files"] = dataset.files.all()
        context["attachments"] = dataset.attachments.all()
        context.update(_variables_context(request, dataset.pk))
    template = {
        ProductKind.PUBLICATION: "catalog/publication_detail.html",
        ProductKind.MICRODATA: "catalog/dataset_detail.html",
        ProductKind.MAP: "catalog/map_detail.html",
    }[product.kind]
    return render(request, template, context)


def _variables_context(request, dataset_id: int) -> dict:
    selection = selection_get(session=request.session, product_id=dataset_id)
    return codebook_page(dataset_id=dataset_id, params=request.GET, chosen=selection.variables)


@require_GET
def dataset_variables(request, slug: str):
    dataset = get_object_or_404(PRODUCTS.filter(kind=ProductKind.MICRODATA), slug=slug).dataset
    context = {"product": dataset, **_urls(dataset), **_variables_context(request, dataset.pk)}
    return render(request, "catalog/_variables.html", context)


@require_GET
def variable_categories(request, slug: str, variable_id: int):
    categories = Category.objects.filter(
        variable_id=variable_id,
        variable__dataset__slug=slug,
        variable__dataset__is_published=True,
    ).order_by("position", "pk")
    if not categories.exists():
        raise Http404
    return render(request, "catalog/_categories.html", {"categories": categories})


@require_POST
def selection_update(request, slug: str):
    product = get_object_or_404(PRODUCTS.exclude(kind=ProductKind.PUBLICATION), slug=slug)
    current = selection_get(session=request.session, product_id=product.pk)
    form = SelectionForm(request.POST, product=product, current=current)
    if form.is_valid():
        selection_store(session=request.session, product_id=product.pk, selection=form.selection())
    if not request.headers.get("HX-Request"):
        return redirect(product.get_absolute_url())
    response = render(request, "catalog/_picker.html", _picker_context(request, product))
    if form.is_valid() and form.cleaned_data["action"] in ("file", "clear", "all"):
        response["HX-Trigger"] = "selection-changed"
    return response
