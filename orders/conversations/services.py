"""Messages between a customer and an office's PST staff.

A customer writes about an order (the thread is made with the first message) or asks an office
a question before ordering; staff answer, may put what was asked for in the customer's cart,
and close the conversation when the service is complete. Each message from the customer tells
the office's staff (silastik.notifications); each from staff is e-mailed to the customer in
their language.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalog.models import Product
from catalog.selection import Selection
from offices.models import Office
from offices.selectors import office_people, works_at
from silastik import uploads
from silastik.errors import ApplicationError
from silastik.links import absolute_url
from silastik.mail.services import email_queue
from silastik.notifications.services import notify
from silastik.users.models import User
from silastik.users.roles import Role

from ..models import Order, OrderStatus
from .models import Conversation, ConversationMessage, ConversationStatus

TEXT_MAX = 4000
SUBJECT_MAX = 200
# A second tap on "Send" with the same words is the same message.
REPEAT_WINDOW = timedelta(minutes=2)
POLICY = uploads.COMPLAINT  # PDF, PNG or JPEG, at most 5 MB


class ConversationError(ApplicationError):
    pass


def is_office_side(user: User, office_id: int | None) -> bool:
    return bool(user.is_authenticated and user.is_pst_staff and works_at(user, office_id))


def conversation_visible(conversation: Conversation, user: User) -> bool:
    """The customer's own, or their office's staff's; nobody else learns it exists."""
    return conversation.customer_id == user.pk or is_office_side(user, conversation.office_id)


def conversation_start(
    *,
    customer: User,
    office: Office,
    subject: str,
    text: str,
    attachment: UploadedFile | None = None,
) -> Conversation:
    """A question to an office before ordering ("which publication has …?")."""
    if customer.roles:
        raise ConversationError(_("Conversations are between a customer and an office."))
    if not office.is_active:
        raise ConversationError(_("Choose the office you want to write to."))
    subject = _text(subject, limit=SUBJECT_MAX, empty=_("Write what your question is about."))
    text = _text(text, limit=TEXT_MAX, empty=_("Write your message."))
    with transaction.atomic():
        # The customer's row is the lock: two taps on "Send" at once start one conversation.
        User.objects.select_for_update().filter(pk=customer.pk).first()
        repeated = Conversation.objects.filter(
            customer=customer,
            office=office,
            order__isnull=True,
            subject=subject,
            created_at__gte=timezone.now() - REPEAT_WINDOW,
            messages__text=text,
        ).first()
        if repeated is not None:
            return repeated
        conversation = Conversation.objects.create(
            office=office, customer=customer, subject=subject
        )
        conversation_post(conversation=conversation, by=customer, text=text, attachment=attachment)
    return conversation


def conversation_of_order(*, order: Order, by: User) -> Conversation:
    """The order's thread, made when first needed."""
    if order.customer_id != by.pk and not is_office_side(by, order.office_id):
        raise ConversationError(_("You may not do this with this order."))
    if order.office_id is None or order.status == OrderStatus.DRAFT:
        raise ConversationError(_("Messages with the office start once the request is sent."))
    conversation, _made = Conversation.objects.get_or_create(
        order=order,
        defaults={
            "office_id": order.office_id,
            "customer_id": order.customer_id,
            "subject": _("Order %(number)s") % {"number": order.number},
        },
    )
    return conversation


def conversation_post(
    *,
    conversation: Conversation,
    by: User,
    text: str,
    attachment: UploadedFile | None = None,
) -> ConversationMessage:
    from_office = is_office_side(by, conversation.office_id)
    if not from_office and conversation.customer_id != by.pk:
        raise ConversationError(_("You may not write in this conversation."))
    text = _text(text, limit=TEXT_MAX, empty=_("Write your message."))
    if attachment is not None:
        _attachment_check(attachment)
    now = timezone.now()
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if not locked.is_open:
            if locked.order_id is None or from_office:
                raise ConversationError(
                    _("The office has closed this conversation; start a new one to write again.")
                )
            # An order has one thread: the customer writing again (a problem found later)
            # opens it again for the office.
            locked.status = ConversationStatus.OPEN
            locked.closed_at = None
            locked.closed_by = None
            locked.save(update_fields=["status", "closed_at", "closed_by"])
        last = locked.messages.order_by("-created_at", "-pk").first()
        if (
            attachment is None
            and last is not None
            and (last.author_id, last.text) == (by.pk, text)
            and not last.attachment
            and now - last.created_at < REPEAT_WINDOW
        ):
            return last  # a second tap on "Send"
        message = ConversationMessage(
            conversation=locked, author=by, from_office=from_office, text=text, created_at=now
        )
        if attachment is not None:
            message.attachment_name = getattr(attachment, "original_name", "") or ""
            message.attachment.save(attachment.name or "attachment", attachment, save=False)
        message.save()
        locked.waiting_for_office = not from_office
        locked.last_message_at = now
        locked.save(update_fields=["waiting_for_office", "last_message_at"])
        if from_office:
            _customer_mail(conversation=locked, message=message, template="conversation_message")
        else:
            _office_notify(conversation=locked, message=message)
    return message


def conversation_close(*, conversation: Conversation, by: User) -> Conversation:
    """Staff close the conversation when the service is complete. Closing twice is a no-op."""
    if not is_office_side(by, conversation.office_id):
        raise ConversationError(_("Only the office's PST staff can close a conversation."))
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if not locked.is_open:
            return locked
        locked.status = ConversationStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.closed_by = by
        locked.waiting_for_office = False
        locked.save(update_fields=["status", "closed_at", "closed_by", "waiting_for_office"])
        _customer_mail(conversation=locked, message=None, template="conversation_closed")
    return locked


def conversation_to_cart(
    *, conversation: Conversation, by: User, product: Product
) -> ConversationMessage:
    """Turn a question into an order: staff put the product asked about in the customer's cart
    (as the full product; the customer may still change the choice) and say so in the thread."""
    from ..services import cart_add

    if not is_office_side(by, conversation.office_id):
        raise ConversationError(_("Only the office's PST staff can do this."))
    if product.office_id != conversation.office_id or not product.is_published:
        raise ConversationError(_("Choose one of your office's published products."))
    in_cart = Order.objects.filter(
        customer=conversation.customer, status=OrderStatus.DRAFT, lines__product=product
    )
    if in_cart.exists():
        # Adding it again would replace the customer's own choice (variables, regions).
        raise ConversationError(_("This product is in the customer's cart already."))
    with transaction.atomic():
        cart_add(customer=conversation.customer, product=product, selection=Selection())
        with translation.override(conversation.customer.language):
            text = _(
                "I have put “%(title)s” in your cart: check the choice there and send the request."
            ) % {"title": product.title}
        return conversation_post(conversation=conversation, by=by, text=text)


def _text(text: str, *, limit: int, empty: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ConversationError(empty)
    if len(text) > limit:
        raise ConversationError(
            _("Write at most %(limit)d characters (%(count)d given).")
            % {"limit": limit, "count": len(text)}
        )
    return text


def _attachment_check(attachment: UploadedFile) -> None:
    try:
        uploads.upload_accept(attachment, policy=POLICY)
    except ValidationError as exc:
        raise ConversationError(" ".join(exc.messages)) from exc


def _office_notify(*, conversation: Conversation, message: ConversationMessage) -> None:
    notify(
        recipients=office_people(office_id=conversation.office_id, role=Role.PST_STAFF),
        event=f"conversation-message:{message.pk}",
        message=gettext_noop("%(customer)s wrote about “%(subject)s”"),
        params={"customer": conversation.customer.full_name, "subject": conversation.subject},
        link=reverse("admin:orders_conversation_change", args=[conversation.pk]),
    )


def _customer_mail(
    *, conversation: Conversation, message: ConversationMessage | None, template: str
) -> None:
    customer = conversation.customer
    email_queue(
        to=customer.email,
        template=template,
        context={
            "customer": customer,
            "conversation": conversation,
            "office": conversation.office,
            "message": message,
            "link": absolute_url(conversation.get_absolute_url()),
        },
        language=customer.language,
    )
