"""The desk's picker: staff choose for the visitor what the catalog's picker offers online —
chosen variables of a dataset, optionally limited to regions, or single areas of a regency
map — with the catalog's own form, estimates and prices, and put the choice in the visitor's
cart. The choice being made is kept in the staff member's session per visit and product."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from catalog.forms import SelectionForm
from catalog.models import Product, ProductKind
from catalog.picker import codebook_page, picker_context
from catalog.selection import Selection
from orders.models import OrderStatus
from orders.selectors import cart_of, line_selections
from silastik.users.decorators import role_required

from . import orders as desk_orders
from .models import Visit, VisitStatus
from .order_views import desk_visit, request_sent
from .services import DeskError
from .views import works_at_a_desk

SESSION_KEY = "desk.selection"


def _key(visit: Visit, product: Product) -> str:
    return f"{visit.pk}:{product.pk}"


def _pickable(visit: Visit, product_id: int) -> Product:
    """A product of the desk's office that has something to choose: a dataset, or a map of a
    regency or city (a national map is one map, and a publication is sold whole)."""
    return get_object_or_404(
        Product.objects.select_related("dataset", "digitalmap", "office"),
        Q(kind=ProductKind.MICRODATA) | Q(kind=ProductKind.MAP, digitalmap__region__isnull=False),
        pk=product_id,
        is_published=True,
        office=visit.office,
    )


def _in_cart(visit: Visit, product: Product) -> Selection | None:
    """The choice already in the visitor's cart for this product, to change it."""
    customer = visit.visitor.user
    cart = cart_of(customer=customer) if customer else None
    line = cart.lines.filter(product=product).first() if cart else None
    return line_selections(lines=[line])[line.pk] if line else None


def _selection(request, visit: Visit, product: Product) -> Selection:
    stored = request.session.get(SESSION_KEY, {}).get(_key(visit, product))
    if stored is not None:
        return Selection.from_session(stored)
    return _in_cart(visit, product) or Selection()


def _store(request, visit: Visit, product: Product, selection: Selection | None) -> None:
    stored = request.session.get(SESSION_KEY, {})
    if selection is None:
        stored.pop(_key(visit, product), None)
    else:
        stored[_key(visit, product)] = selection.as_session()
    request.session[SESSION_KEY] = stored


def _picker_context(
    request, visit: Visit, product: Product, *, region_choices: list | None = None
) -> dict:
    selection = _selection(request, visit, product)
    return {
        **picker_context(product, selection, region_choices=region_choices),
        **_urls(visit, product),
        "visit": visit,
        "serving": visit.status == VisitStatus.SERVING,
    }


def _urls(visit: Visit, product: Product) -> dict:
    """The catalog's picker and codebook templates, sending to the desk's own pages."""
    pick = reverse("desk_orders:pick", args=[visit.pk, product.pk])
    return {
        "selection_url": reverse("desk_orders:pick_update", args=[visit.pk, product.pk]),
        "variables_url": pick,
        "codebook_url": pick,
        # Value labels are public: the catalog's own page of them (catalog:categories).
        "categories_url": reverse("catalog:variables", args=[product.slug]),
    }


def _variables_context(request, visit: Visit, product: Product) -> dict:
    chosen = _selection(request, visit, product).variables
    return {
        "visit": visit,
        "product": product,
        **_urls(visit, product),
        **codebook_page(dataset_id=product.pk, params=request.GET, chosen=chosen),
    }


def _open(request, visit_id: int):
    """The visit (of the person's office) whose cart is still open, with an account."""
    visit = desk_visit(request, visit_id)
    if request_sent(visit) or visit.visitor.user is None:
        return visit, False
    return visit, True


@role_required(works_at_a_desk)
@require_GET
def pick(request, visit_id: int, product_id: int):
    visit, is_open = _open(request, visit_id)
    if not is_open:
        return redirect("desk_orders:cart", visit.pk)
    product = _pickable(visit, product_id)
    if product.kind == ProductKind.MICRODATA and request.headers.get("HX-Request"):
        # The codebook's search and pages, without the rest of the page.
        context = _variables_context(request, visit, product)
        return render(request, "catalog/_variables.html", context)
    context = _picker_context(request, visit, product)
    if product.kind == ProductKind.MICRODATA:
        context["files"] = product.dataset.files.all()
        context.update(_variables_context(request, visit, product))
    return render(request, "desk/orders/pick.html", context)


@role_required(works_at_a_desk)
@require_POST
def pick_update(request, visit_id: int, product_id: int):
    """One change to the choice, through the catalog's own form (the same checks online)."""
    visit, is_open = _open(request, visit_id)
    if not is_open:
        raise Http404
    product = _pickable(visit, product_id)
    current = _selection(request, visit, product)
    form = SelectionForm(request.POST, product=product, current=current)
    if form.is_valid():
        _store(request, visit, product, form.selection())
    if not request.headers.get("HX-Request"):
        return redirect("desk_orders:pick", visit.pk, product.pk)
    context = _picker_context(request, visit, product, region_choices=form.region_choices)
    response = render(request, "desk/orders/_pick_picker.html", context)
    if form.is_valid() and form.cleaned_data["action"] in ("file", "clear"):
        response["HX-Trigger"] = "selection-changed"
    return response


@role_required(works_at_a_desk)
@require_POST
def pick_add(request, visit_id: int, product_id: int):
    """Put the choice in the visitor's cart, priced as the online cart prices it."""
    visit = desk_visit(request, visit_id)
    if visit.order is not None and visit.order.status != OrderStatus.DRAFT:
        return redirect("desk_orders:detail", visit.pk)
    product = _pickable(visit, product_id)
    selection = _selection(request, visit, product)
    if product.kind == ProductKind.MICRODATA:
        selection = selection.with_format(request.POST.get("data_format"))
    try:
        desk_orders.desk_cart_add(
            visit=visit, by=request.user, product=product, selection=selection
        )
    except DeskError as exc:
        messages.error(request, exc.message)
        return redirect("desk_orders:pick", visit.pk, product.pk)
    _store(request, visit, product, None)
    messages.success(request, _("“%(title)s” is in the cart.") % {"title": product.title})
    return redirect("desk_orders:cart", visit.pk)
