"""Desk orders: PST staff order for a walk-in visitor; the back office takes over after."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from catalog.models import Product, ProductKind
from catalog.selection import Selection
from offices.selectors import office_of
from orders import services as order_services
from orders.models import OrderStatus as S
from orders.selectors import cart_of, lines_region_estimates
from silastik.users.auth import client_ip
from silastik.users.decorators import role_required

from . import orders as desk_orders
from .models import Visit, VisitStatus
from .order_forms import ConsultationForm, DeskAccountForm, DeskSearchForm, DeskSubmitForm
from .services import DeskError
from .views import works_at_a_desk


def desk_visit(request, visit_id: int) -> Visit:
    """A visit to the person's own office; another office's is not found."""
    return get_object_or_404(
        Visit.objects.select_related("visitor__user", "order", "office"),
        pk=visit_id,
        office=office_of(request.user),
    )


def request_sent(visit: Visit) -> bool:
    return visit.order is not None and visit.order.status != S.DRAFT


@role_required(works_at_a_desk)
def start(request, visit_id: int):
    """Find the visitor's account by e-mail or create it, with the profile an order needs."""
    visit = desk_visit(request, visit_id)
    if request_sent(visit):
        return redirect("desk_orders:detail", visit.pk)
    form = DeskAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account, created = desk_orders.desk_account_link(
                visit=visit, by=request.user, email=data["email"], profile=data
            )
        except DeskError as exc:
            messages.error(request, exc.message)
        else:
            message = (
                _("Account %(email)s created for the visitor.")
                if created
                else _("The visitor's account %(email)s is linked.")
            )
            messages.success(request, message % {"email": account.email})
            return redirect("desk_orders:cart", visit.pk)
    account = desk_orders.visit_account_find(
        visit=visit, email=form.data.get("email", "") if form.is_bound else ""
    )
    if not form.is_bound:
        initial = desk_orders.visit_account_initial(visit=visit, account=account)
        form = DeskAccountForm(initial=initial)
    # Another person's account is only said to exist, never shown: its name and details are
    # not the visitor's to see.
    own = account is not None and desk_orders.account_is_visitors(
        account, visit.visitor.identity_number
    )
    return render(
        request,
        "desk/orders/start.html",
        {
            "visit": visit,
            "form": form,
            "account": account if own else None,
            "other": not own and account is not None,
        },
    )


@role_required(works_at_a_desk)
def cart(request, visit_id: int):
    """Search the catalog, fill the visitor's cart, and send it as their request."""
    visit = desk_visit(request, visit_id)
    if request_sent(visit):
        return redirect("desk_orders:detail", visit.pk)
    customer = visit.visitor.user
    if customer is None:
        return redirect("desk_orders:start", visit.pk)
    current = cart_of(customer=customer)
    lines = (
        list(current.lines.select_related("product__dataset", "product__digitalmap"))
        if current
        else []
    )
    needs_abstract = any(line.needs_agreement for line in lines)
    form = DeskSubmitForm(
        request.POST or None, request.FILES or None, needs_abstract=needs_abstract
    )
    if request.method == "POST" and lines and form.is_valid():
        if order_services.cart_reprice(customer=customer):
            messages.warning(request, _("The tariffs changed: check the new total and send again."))
            return redirect("desk_orders:cart", visit.pk)
        response = _submit(request, visit, form.cleaned_data)
        if response is not None:
            return response
    search = DeskSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    return render(
        request,
        "desk/orders/cart.html",
        {
            "visit": visit,
            "customer": customer,
            "lines": lines,
            "region_estimates": lines_region_estimates(lines=lines),
            "total": sum(line.quoted_amount for line in lines),
            "needs_abstract": needs_abstract,
            "form": form,
            "search": search,
            "q": q,
            "results": desk_orders.desk_products_find(office=visit.office, q=q),
            "serving": visit.status == VisitStatus.SERVING,
        },
    )


def _submit(request, visit: Visit, data: dict):
    try:
        order = desk_orders.desk_order_submit(
            visit=visit,
            by=request.user,
            ip=client_ip(request),
            terms_accepted=data["terms"],
            abstract={
                k: v for k, v in data.items() if k.startswith("abstract_") and k != "abstract_file"
            },
            abstract_file=data.get("abstract_file"),
            exemption_letter=data.get("exemption_letter"),
        )
    except DeskError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, _("Request %(number)s is sent.") % {"number": order.number})
    return redirect("desk_orders:detail", visit.pk)


@role_required(works_at_a_desk)
@require_POST
def cart_add(request, visit_id: int, product_id: int):
    visit = desk_visit(request, visit_id)
    # The desk sells its own office's products only.
    product = get_object_or_404(Product, pk=product_id, is_published=True, office=visit.office)
    selection = None
    if "copies" in request.POST and product.kind == ProductKind.PUBLICATION:
        # Printed copies, as online (orders.views.cart_add): anything but a count is refused.
        typed = request.POST["copies"].strip()
        copies = int(typed) if typed.isascii() and typed.isdigit() and len(typed) < 6 else -1
        selection = Selection(copies=copies or -1)
    try:
        desk_orders.desk_cart_add(
            visit=visit, by=request.user, product=product, selection=selection
        )
    except DeskError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("“%(title)s” is in the cart.") % {"title": product.title})
    return redirect("desk_orders:cart", visit.pk)


@role_required(works_at_a_desk)
@require_POST
def cart_remove(request, visit_id: int, line_id: int):
    visit = desk_visit(request, visit_id)
    try:
        desk_orders.desk_cart_remove(visit=visit, by=request.user, line_id=line_id)
    except DeskError as exc:
        messages.error(request, exc.message)
    return redirect("desk_orders:cart", visit.pk)


@role_required(works_at_a_desk)
@require_GET
def detail(request, visit_id: int):
    """The desk order of a visit: where it stands, the way to the back office, consultation."""
    visit = desk_visit(request, visit_id)
    if visit.order is None and not visit.redirected_to_consultation:
        return redirect("desk_orders:start", visit.pk)
    return render(request, "desk/orders/detail.html", _detail_context(visit))


def _detail_context(visit: Visit, form: ConsultationForm | None = None) -> dict:
    order = visit.order
    may_redirect = (
        visit.status == VisitStatus.SERVING
        and not visit.redirected_to_consultation
        and (order is None or order.status in (S.DRAFT, S.SUBMITTED))
    )
    return {
        "visit": visit,
        "order": order,
        "consultation_form": (form or ConsultationForm()) if may_redirect else None,
    }


@role_required(works_at_a_desk)
def consultation(request, visit_id: int):
    """The requested data do not fit: reject the request and send the visitor to consultation."""
    visit = desk_visit(request, visit_id)
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            desk_orders.desk_consultation_redirect(
                visit=visit, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DeskError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The visitor is sent to statistical consultation."))
            return redirect("desk_orders:detail", visit.pk)
    status = 400 if form.is_bound else 200
    return render(request, "desk/orders/detail.html", _detail_context(visit, form), status=status)
