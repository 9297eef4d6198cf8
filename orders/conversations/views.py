"""The customer's side of conversations with an office."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silastik.files import private_file_response
from silastik.ratelimit import RateLimit
from silastik.users.decorators import verified_required

from ..models import Order, OrderStatus
from .forms import ConversationStartForm, MessageForm
from .models import Conversation, ConversationMessage
from .services import (
    ConversationError,
    conversation_of_order,
    conversation_post,
    conversation_start,
    conversation_visible,
)

HOUR = 3600
STARTS_PER_HOUR = 10


def _own(request: HttpRequest, pk: int) -> Conversation:
    # Another customer's conversation is simply not found.
    return get_object_or_404(
        Conversation.objects.select_related("office", "order"), pk=pk, customer=request.user
    )


@verified_required
def conversation_list(request: HttpRequest) -> HttpResponse:
    conversations = Conversation.objects.filter(customer=request.user).select_related(
        "office", "order"
    )
    return render(request, "orders/conversations/list.html", {"conversations": conversations[:200]})


def _start_limit() -> RateLimit:
    # A customer's questions to offices: each one e-mails the office's staff.
    return RateLimit("conversation-start", STARTS_PER_HOUR, HOUR)


@verified_required
def conversation_new(request: HttpRequest) -> HttpResponse:
    form = ConversationStartForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not _start_limit().hit(f"user:{request.user.pk}"):
        messages.error(
            request,
            _("You have started many conversations in the last hour; try again later."),
        )
        return render(request, "orders/conversations/new.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = conversation_start(
                customer=request.user,
                office=data["office"],
                subject=data["subject"],
                text=data["text"],
                attachment=data["attachment"],
            )
        except ConversationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Your question is sent to %(office)s; you get their answer by e-mail.")
                % {"office": conversation.office.name},
            )
            return redirect(conversation.get_absolute_url())
    status = 400 if form.is_bound else 200
    return render(request, "orders/conversations/new.html", {"form": form}, status=status)


@verified_required
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _own(request, pk)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation_post(
                conversation=conversation,
                by=request.user,
                text=form.cleaned_data["text"],
                attachment=form.cleaned_data["attachment"],
            )
        except ConversationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your message is sent to the office."))
        return redirect(conversation.get_absolute_url())
    thread = conversation.messages.select_related("author")
    return render(
        request,
        "orders/conversations/detail.html",
        {"conversation": conversation, "thread": thread, "form": form},
        status=400 if form.is_bound else 200,
    )


@verified_required
@require_POST
def order_message(request: HttpRequest, pk: int) -> HttpResponse:
    """A message about one of the customer's orders, written on the order page."""
    order = get_object_or_404(
        Order.objects.exclude(status=OrderStatus.DRAFT), pk=pk, customer=request.user
    )
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(f"{order.get_absolute_url()}#messages")
    try:
        conversation = conversation_of_order(order=order, by=request.user)
        conversation_post(
            conversation=conversation,
            by=request.user,
            text=form.cleaned_data["text"],
            attachment=form.cleaned_data["attachment"],
        )
    except ConversationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your message is sent to the office."))
    return redirect(f"{order.get_absolute_url()}#messages")


def attachment_download(request: HttpRequest, pk: int, message_pk: int) -> HttpResponse:
    """A message's file: for the customer and their office's staff only."""
    if not request.user.is_authenticated:
        raise Http404
    message = get_object_or_404(
        ConversationMessage.objects.select_related("conversation"),
        pk=message_pk,
        conversation_id=pk,
    )
    if not message.attachment or not conversation_visible(message.conversation, request.user):
        raise Http404
    return private_file_response(
        name=message.attachment.name,
        filename=message.attachment_name or message.attachment.name.rsplit("/", 1)[-1],
        attachment=True,
    )
