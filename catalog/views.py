from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors
from .forms import SelectionForm
from .models import Category, Product, ProductKind
from .picker import codebook_page, picker_context
from .pricing import list_price, tariffs_in_force
from .search import (
    anonymous_page_get,
    anonymous_page_keep,
    anonymous_page_key,
    catalog_find,
    facets_shown,
    fragment_key,
    products_of,
)
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
# The search document is the database's (the largest column of a product): never loaded.
PRODUCTS = (
    Product.objects.filter(is_published=True)
    .select_related("publication", "dataset", "digitalmap", "subject", "region", "office")
    .defer("search_document")
)

# What the picker answers a change with needs the dataset or the map, not the list's columns:
# fewer joins and no long text for the request a customer makes most often.
PICKABLE = (
    Product.objects.filter(is_published=True)
    .exclude(kind=ProductKind.PUBLICATION)
    .select_related("dataset", "digitalmap")
    .defer("search_document", "description", "description_en")
)


@require_GET
def catalog_list(request):
    """Search, facets and the page's products: one pass over the matches (catalog.search).
    Everything below the search form is read lazily: when the rendered results of this address
    are in the cache (templates/catalog/list.html), nothing is searched at all."""
    page_key = anonymous_page_key(request)
    if (kept := anonymous_page_get(request, page_key)) is not None:
        return kept
    query = selectors.CatalogQuery.from_querydict(request.GET)
    number = _page_number(request.GET.get("page"))
    language = get_language()
    results = SimpleLazyObject(lambda: _results(query, number, language=language))
    context = {
        "query": query,
        "page": SimpleLazyObject(lambda: results["page"]),
        "items": SimpleLazyObject(lambda: results["items"]),
        "facets": SimpleLazyObject(lambda: results["facets"]),
        "sorts": SORT_LABELS,
        "sort_asked": request.GET.get("sort") in selectors.SORTS,
        "fragment_seconds": settings.CATALOG_SEARCH_CACHE_SECONDS,
        "fragment_key": fragment_key(request.get_full_path(), language=language),
    }
    response = render(request, "catalog/list.html", context)
    anonymous_page_keep(page_key, response)
    return response


def _results(query: selectors.CatalogQuery, number: int, *, language: str) -> dict:
    found = catalog_find(query, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    paginator = Paginator(range(found.total), PAGE_SIZE)
    if number > paginator.num_pages:  # past the end: the last page, as get_page() does
        number = paginator.num_pages
        found = catalog_find(query, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    products = products_of(found.ids)
    tariffs = tariffs_in_force()
    return {
        "page": Page(products, number, paginator),
        "items": [(p, list_price(product=p, tariffs=tariffs)) for p in products],
        "facets": facets_shown(query, found, language=language),
    }


def _page_number(value: str | None) -> int:
    if value and value.isascii() and value.isdigit() and len(value) < 7:
        return max(1, int(value))
    return 1


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
        # A variable's value labels are at <categories_url><id>/label/ (catalog:categories):
        # reversed once here, not once per row of the codebook.
        "categories_url": reverse("catalog:variables", args=[product.slug]),
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
    product = get_object_or_404(PICKABLE, slug=slug)
    selection = selection_get(session=request.session, product_id=product.pk)
    form = SelectionForm(request.POST, product=product, current=selection)
    if form.is_valid():
        selection = form.selection()
        selection_store(session=request.session, product_id=product.pk, selection=selection)
    if not request.headers.get("HX-Request"):
        return redirect(product.get_absolute_url())
    # The choice as it now is, read once: the estimate and the price follow from it.
    context = {
        **picker_context(product, selection, region_choices=form.region_choices),
        **_urls(product),
    }
    response = render(request, "catalog/_picker.html", context)
    if form.is_valid() and form.cleaned_data["action"] in ("file", "clear", "all"):
        response["HX-Trigger"] = "selection-changed"
    return response
