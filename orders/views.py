from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from catalog.models import Product, ProductKind
from catalog.selection import Selection, selection_get
from silastik.errors import ApplicationError
from silastik.users.auth import client_ip
from silastik.users.decorators import verified_required

from . import forms, services
from .conversations.forms import MessageForm
from .files import (
    download_allowed,
    download_resolve,
    download_response,
    download_token,
    sppd_renderable,
)
from .models import Conversation, FileKind, LineFile, Order, SppdStatus
from .models import OrderStatus as S
from .panels import order_panels
from .selectors import (
    cart_of,
    customer_next_step,
    lines_region_estimates,
    order_sla,
    order_timeline,
)
from .services import OrderError
from .workflow import Actor, moves_for


def _own_order(request, pk: int) -> Order:
    # Another customer's order id is simply not found: nothing tells it exists.
    return get_object_or_404(
        Order.objects.select_related("customer", "office").exclude(status=S.DRAFT),
        pk=pk,
        customer=request.user,
    )


@verified_required
@require_GET
def order_list(request):
    orders = (
        Order.objects.filter(customer=request.user)
        .select_related("office")
        .exclude(status=S.DRAFT)
        .prefetch_related("lines")
        .order_by("-submitted_at")
    )
    return render(
        request,
        "orders/order_list.html",
        {"orders": orders, "cart": cart_of(customer=request.user)},
    )


@verified_required
def cart_view(request):
    cart = cart_of(customer=request.user)
    lines = list(cart.lines.select_related("product__office", "product__dataset")) if cart else []
    needs_abstract = any(line.needs_agreement for line in lines)
    form = forms.SubmitForm(
        request.POST or None, request.FILES or None, needs_abstract=needs_abstract
    )
    if request.method == "POST" and cart and form.is_valid():
        data = form.cleaned_data
        if services.cart_reprice(customer=request.user):
            messages.warning(request, _("The tariffs changed: check the new total and send again."))
            return redirect("orders:cart")
        try:
            sent = services.orders_submit(
                order=cart,
                by=request.user,
                ip=client_ip(request),
                terms_accepted=data["terms"],
                abstract={
                    k: v
                    for k, v in data.items()
                    if k.startswith("abstract_") and k != "abstract_file"
                },
                abstract_file=data.get("abstract_file"),
                exemption_letter=data.get("exemption_letter"),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            for order in sent:
                messages.success(
                    request,
                    _(
                        "Your request %(number)s is sent to %(office)s. We will answer within "
                        "10 working days."
                    )
                    % {"number": order.number, "office": order.office.name},
                )
            return redirect(sent[0].get_absolute_url() if len(sent) == 1 else "orders:list")
    total = sum(line.quoted_amount for line in lines)
    # Each office serves its own products: the cart shows who gets which request, and its total.
    offices = [
        (office, group, sum(line.quoted_amount for line in group))
        for office, group in services.lines_by_office(lines).items()
    ]
    return render(
        request,
        "orders/cart.html",
        {
            "cart": cart,
            "lines": lines,
            "offices": offices,
            "form": form,
            "total": total,
            "needs_abstract": needs_abstract,
            "region_estimates": lines_region_estimates(lines=lines),
        },
    )


@verified_required
@require_POST
def cart_add(request, product_id: int):
    product = get_object_or_404(Product, pk=product_id, is_published=True)
    selection = selection_get(session=request.session, product_id=product.pk)
    if "copies" in request.POST and product.kind == ProductKind.PUBLICATION:
        # Printed copies of a publication: a count typed in. Anything that is no count of at
        # least one (empty, "0", "-2", "²") goes to the service as -1, which refuses it.
        typed = request.POST["copies"].strip()
        copies = int(typed) if typed.isascii() and typed.isdigit() and len(typed) < 6 else -1
        selection = Selection(copies=copies or -1)
    if product.kind == ProductKind.MICRODATA:
        selection = selection.with_format(request.POST.get("data_format"))
    try:
        services.cart_add(customer=request.user, product=product, selection=selection)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(product.get_absolute_url())
    messages.success(request, _("“%(title)s” is in your cart.") % {"title": product.title})
    return redirect("orders:cart")


@verified_required
@require_POST
def cart_remove(request, line_id: int):
    services.cart_remove(customer=request.user, line_id=line_id)
    return redirect("orders:cart")


@verified_required
@require_GET
def order_detail(request, pk: int):
    order = _own_order(request, pk)
    return render(request, "orders/order_detail.html", _detail_context(request, order))


def _detail_context(request, order: Order, **forms_) -> dict:
    user = request.user
    lines = list(order.lines.prefetch_related("files", "variables"))
    links = {}
    for line in lines:
        for kind in (FileKind.SAMPLE, FileKind.PRODUCT):
            current = line.current_file(kind)
            if current is not None and download_allowed(
                order=order, user=user, document=kind, line_file=current
            ):
                links[(line.pk, kind)] = download_token(
                    user=user, order=order, document=kind, file_id=current.pk
                )
    documents = {
        name: download_token(user=user, order=order, document=name)
        for name, field in (
            # The agreement to sign is offered even when its PDF is still missing (a lost
            # task): the download renders it then.
            ("sppd", order.sppd_document or sppd_renderable(order=order)),
            ("sppd_signed", order.sppd_signed),
            ("sppd_countersigned", order.sppd_countersigned),
            ("abstract", order.abstract_file),
            ("letter", order.exemption_letter),
        )
        if field
    }
    moves = moves_for(status=order.status, actor=Actor.CUSTOMER)
    window_over = bool(
        order.status == S.COMPLETED
        and order.downloads_until
        and timezone.now() > order.downloads_until
    )
    conversation = Conversation.objects.filter(order=order).first()
    return {
        "order": order,
        "conversation": conversation,
        "has_printed": any(line.printed for line in lines),
        "conversation_thread": conversation.messages.select_related("author")
        if conversation
        else [],
        "message_form": MessageForm(),
        "lines": [
            (line, links.get((line.pk, FileKind.SAMPLE)), links.get((line.pk, FileKind.PRODUCT)))
            for line in lines
        ],
        "documents": documents,
        "timeline": order_timeline(order=order, for_customer=True),
        "next_step": customer_next_step(order=order),
        "moves": moves,
        "answer_form": forms_.get("answer_form") or forms.NoteForm(),
        "revision_form": forms_.get("revision_form")
        or forms.RevisionForm(sample_allowed=order.sample_revisions < 1),
        "cancel_form": forms.NoteForm(),
        "sppd_form": forms_.get("sppd_form") or forms.SppdUploadForm(),
        "problem_form": forms_.get("problem_form") or forms.ProblemForm(order=order),
        "sppd_open": order.sppd_status in (SppdStatus.PENDING, SppdStatus.UPLOADED)
        and order.status in services.SPPD_OPEN,
        "window_over": window_over,
        "link": _link_state(order) if window_over else None,
        "sla_used": order_sla(order=order)[0],
        # Billing's invoice and payment, feedback's rating: their apps register the panels.
        **order_panels(request=request, order=order),
    }


def _link_state(order: Order) -> dict:
    """After the download window: whether a new link waits for staff, may still be asked for
    (up to 30 days after completion), or can no longer be (the customer orders again)."""
    until = services.link_request_until(order)
    if order.link_requested_at is not None:
        state = "pending"
    elif until is not None and timezone.now() <= until:
        state = "open"
    else:
        state = "closed"
    return {"state": state, "asked_at": order.link_requested_at, "until": until}


@verified_required
@require_POST
def order_act(request, pk: int, action: str):
    order = _own_order(request, pk)
    bound = {}
    said = ""
    try:
        if action == "answer":
            form = bound["answer_form"] = forms.NoteForm(request.POST)
            if form.is_valid():
                services.order_answer(
                    order=order, by=request.user, answer=form.cleaned_data["note"]
                )
                said = _("Your answer is sent; the office continues with your request.")
        elif action == "revise":
            form = bound["revision_form"] = forms.RevisionForm(
                request.POST, sample_allowed=order.sample_revisions < 1
            )
            if form.is_valid():
                services.order_request_revision(
                    order=order,
                    by=request.user,
                    what=form.cleaned_data["what"],
                    note=form.cleaned_data["note"],
                )
                said = _("Your correction request is sent; the office sends a corrected offer.")
        elif action == "cancel":
            form = forms.NoteForm(request.POST)
            form.is_valid()
            services.order_cancel(
                order=order, by=request.user, reason=form.cleaned_data.get("note", "")
            )
            said = _("The order is cancelled.")
        elif action == "sppd":
            form = bound["sppd_form"] = forms.SppdUploadForm(request.POST, request.FILES)
            if form.is_valid():
                services.order_sppd_upload(
                    order=order, by=request.user, signed_file=form.cleaned_data["signed_file"]
                )
                said = _(
                    "Your signed agreement is uploaded. The office checks it and sends you the "
                    "countersigned copy."
                )
        elif action == "problem":
            form = bound["problem_form"] = forms.ProblemForm(request.POST, order=order)
            if form.is_valid():
                services.order_report_problem(
                    order=order,
                    by=request.user,
                    line_id=form.cleaned_data["line"].pk,
                    description=form.cleaned_data["description"],
                )
                said = _("The problem is reported; the office corrects it within 5 working days.")
        elif action == "accept":
            form = None
            services.order_accept(order=order, by=request.user)
            said = _("The offer is accepted; the office delivers the products.")
        elif action == "link":
            form = None
            services.order_link_request(order=order, by=request.user)
            said = _("Your request for a new download link is sent to the office.")
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(order.get_absolute_url())
    if form is not None and not form.is_valid():
        messages.error(request, _("Check the form below."))
        order.refresh_from_db()
        return render(
            request,
            "orders/order_detail.html",
            _detail_context(request, order, **bound),
            status=400,
        )
    messages.success(request, said)
    return redirect(order.get_absolute_url())


@login_required
@require_GET
def download(request, token: str):
    try:
        order, document, line_file = download_resolve(token=token, user=request.user)
        return download_response(
            request=request, order=order, document=document, line_file=line_file
        )
    except (OrderError, Order.DoesNotExist, LineFile.DoesNotExist) as exc:
        message = (
            exc.message if isinstance(exc, OrderError) else _("This download link is not valid.")
        )
        return render(request, "orders/download_refused.html", {"message": message}, status=403)
