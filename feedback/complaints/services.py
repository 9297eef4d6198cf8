"""Complaints and suggestions: filed by anyone, answered and closed by PST staff.

Every change of a complaint locks its row, checks the move against COMPLAINT_MOVES, writes a
message to the thread (which doubles as the audit log) and queues the filer's e-mail in the
outbox, delivered once the transaction has committed.
"""

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from offices.models import Office
from offices.selectors import works_at
from orders.models import Order, OrderStatus
from silastik import uploads
from silastik.codes import code_new, code_normalize
from silastik.errors import ApplicationError
from silastik.links import absolute_url
from silastik.mail.services import email_queue
from silastik.users.models import User

from .models import (
    COMPLAINT_MOVES,
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintMessage,
    ComplaintStatus,
    MessageKind,
)

# Crockford's base32 (silastik.codes). Eight characters are 40 random bits: with lookups
# rate-limited, guessing any of the codes in use takes far longer than a complaint lives.
CODE_LENGTH = 8
CODE_PREFIX = "PGD"
CODE_ATTEMPTS = 5
TEXT_MAX = 5000
# The same text from the same address this soon is a double click, not a second complaint.
REPEAT_WINDOW = timedelta(minutes=5)
NAME_MAX = 150
PHONE_MAX = 30


class ComplaintError(ApplicationError):
    """Not allowed now, or not for this person; nothing was changed."""


# --- codes ----------------------------------------------------------------------------------------


def complaint_code_new() -> str:
    return code_new(length=CODE_LENGTH, prefix=CODE_PREFIX)


def complaint_code_normalize(text: str) -> str | None:
    """The stored form of a code as someone typed it (see silastik.codes), or None."""
    return code_normalize(text, length=CODE_LENGTH, prefix=CODE_PREFIX)


# --- filing -------------------------------------------------------------------------------------


def complaint_submit(
    *,
    category: str,
    text: str,
    contact_email: str,
    language: str,
    office: Office | None = None,
    by: User | AnonymousUser | None = None,
    contact_name: str = "",
    order: Order | None = None,
    attachment: UploadedFile | None = None,
    ip: str | None = None,
) -> Complaint:
    """File a complaint to an office. `by` is the signed-in filer or None; only they may name
    their order, and a complaint about an order goes to the office that served it."""
    by = by if by is not None and by.is_authenticated else None
    if category not in ComplaintCategory.values:
        raise ComplaintError(_("Choose what the complaint is about."))
    text = _text(text, empty=_("Write your complaint or suggestion."))
    contact_email = _contact_email(contact_email or (by.email if by else ""), required=False)
    if order is not None and (
        by is None or order.customer_id != by.pk or order.status == OrderStatus.DRAFT
    ):
        raise ComplaintError(_("You can only refer to one of your own orders."))
    office = _addressee(office=office, order=order)
    if attachment is not None:
        _attachment_check(attachment)
    with transaction.atomic():
        # A second click on "Send": the same complaint, one code. Without an e-mail address
        # nothing here tells two filers apart (a kiosk's address is everyone's), so the view
        # recognises its own browser's second click instead (complaints/views.py).
        repeated = (
            Complaint.objects.filter(
                office=office,
                contact_email__iexact=contact_email,
                text=text,
                created_at__gte=timezone.now() - REPEAT_WINDOW,
            ).first()
            if contact_email
            else None
        )
        if repeated is not None:
            return repeated
        complaint = _create_with_code(
            office=office,
            category=category,
            text=text,
            contact_email=contact_email,
            contact_name=(contact_name or "").strip()[:NAME_MAX],
            submitted_by=by,
            order=order,
            language=_language(language),
            ip=_ip(ip),
        )
        if attachment is not None:
            complaint.attachment_name = getattr(attachment, "original_name", attachment.name or "")
            complaint.attachment.save(attachment.name, attachment, save=False)
            complaint.save(update_fields=["attachment", "attachment_name"])
        _notify(complaint=complaint, template="complaint_received")
    return complaint


def complaint_record(
    *,
    office: Office,
    by: User,
    channel: str,
    category: str,
    text: str,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    language: str = "id",
) -> Complaint:
    """Staff enter a complaint that reached their office another way than the web form (the
    suggestion box, e-mail, WhatsApp, the telephone, LAPOR!): it is then answered, tracked and
    counted like any other. With an e-mail address the filer gets the tracking code."""
    if by is None or not by.is_pst_staff or not works_at(by, office.pk):
        raise ComplaintError(_("Only the office's PST staff can enter a complaint for it."))
    if channel not in ComplaintChannel.values or channel == ComplaintChannel.WEB:
        raise ComplaintError(_("Choose how the complaint reached the office."))
    if category not in ComplaintCategory.values:
        raise ComplaintError(_("Choose what the complaint is about."))
    text = _text(text, empty=_("Write the complaint or suggestion as it was received."))
    contact_email = _contact_email(contact_email, required=False)
    with transaction.atomic():
        # The staff member's row is the lock: a double click enters one complaint.
        User.objects.select_for_update().filter(pk=by.pk).first()
        repeated = Complaint.objects.filter(
            office=office,
            entered_by=by,
            text=text,
            created_at__gte=timezone.now() - REPEAT_WINDOW,
        ).first()
        if repeated is not None:
            return repeated
        complaint = _create_with_code(
            office=office,
            category=category,
            text=text,
            channel=channel,
            contact_email=contact_email,
            contact_name=(contact_name or "").strip()[:NAME_MAX],
            contact_phone=(contact_phone or "").strip()[:PHONE_MAX],
            entered_by=by,
            language=_language(language),
        )
        _notify(complaint=complaint, template="complaint_received")
    return complaint


def _addressee(*, office: Office | None, order: Order | None) -> Office:
    """The office the complaint goes to: the one that served the order named, else the one
    chosen, which must be open to the public."""
    if order is not None and order.office is not None:
        return order.office
    if office is None or not office.is_active:
        raise ComplaintError(_("Choose the office your complaint or suggestion is for."))
    return office


def _create_with_code(**fields: object) -> Complaint:
    for attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Complaint.objects.create(code=complaint_code_new(), **fields)
        except IntegrityError:
            # 40 random bits collide about never; if they did, another code is as good.
            if attempt == CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _attachment_check(attachment: UploadedFile) -> None:
    try:
        uploads.upload_accept(attachment, policy=uploads.COMPLAINT)
    except ValidationError as exc:
        raise ComplaintError(" ".join(exc.messages)) from exc


# --- the thread -----------------------------------------------------------------------------------


def complaint_answer(*, complaint: Complaint, by: User, text: str) -> Complaint:
    """Staff answer; the filer gets the answer by e-mail and sees it on the status page."""
    _require_staff(by, complaint)
    text = _text(text, empty=_("Write the answer."))
    return _move(
        complaint=complaint, kind=MessageKind.ANSWER, by=by, text=text, notify="complaint_answered"
    )


def complaint_close(*, complaint: Complaint, by: User, note: str = "") -> Complaint:
    """Staff close the complaint, with an optional note to the filer. Closing twice is a no-op."""
    _require_staff(by, complaint)
    note = _text(note, empty=None)
    return _move(
        complaint=complaint, kind=MessageKind.CLOSING, by=by, text=note, notify="complaint_closed"
    )


def complaint_reply(
    *, complaint: Complaint, text: str, by: User | AnonymousUser | None = None
) -> Complaint:
    """The filer (whoever holds the code) adds a follow-up; it waits for staff again."""
    by = by if by is not None and by.is_authenticated else None
    text = _text(text, empty=_("Write your message."))
    return _move(complaint=complaint, kind=MessageKind.FOLLOW_UP, by=by, text=text, notify=None)


def _move(
    *, complaint: Complaint, kind: str, by: User | None, text: str, notify: str | None
) -> Complaint:
    sources, target = COMPLAINT_MOVES[kind]
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if kind == MessageKind.CLOSING and locked.status == ComplaintStatus.CLOSED:
            return locked
        if locked.status not in sources:
            raise ComplaintError(_("This complaint is closed; nothing can be added to it."))
        if _is_repeat(complaint=locked, kind=kind, by=by, text=text):
            return locked  # a second click on the same form
        now = timezone.now()
        message = ComplaintMessage.objects.create(
            complaint=locked,
            kind=kind,
            author=by,
            text=text,
            from_status=locked.status,
            to_status=target,
            created_at=now,
        )
        locked.status = target
        fields = ["status"]
        if kind == MessageKind.ANSWER and locked.answered_at is None:
            locked.answered_at = now
            fields.append("answered_at")
        if target == ComplaintStatus.CLOSED:
            locked.closed_at = now
            fields.append("closed_at")
        locked.save(update_fields=fields)
        if notify:
            _notify(complaint=locked, template=notify, message=message)
    return locked


def _is_repeat(*, complaint: Complaint, kind: str, by: User | None, text: str) -> bool:
    last = complaint.messages.order_by("-created_at", "-pk").first()
    return last is not None and (last.kind, last.author_id, last.text) == (
        kind,
        by.pk if by else None,
        text,
    )


def _require_staff(by: User | None, complaint: Complaint) -> None:
    if by is None or not by.is_authenticated or not by.is_pst_staff:
        raise ComplaintError(_("Only PST staff can answer or close a complaint."))
    if not works_at(by, complaint.office_id):
        raise ComplaintError(_("Only the staff of the office it is addressed to can answer it."))


# --- helpers --------------------------------------------------------------------------------------


def _notify(
    *, complaint: Complaint, template: str, message: ComplaintMessage | None = None
) -> None:
    if not complaint.contact_email:
        return  # followed by its code only: the answer waits on the complaint's page
    link = absolute_url(complaint.get_absolute_url())
    # The greeting uses the account's name only: a name typed into the public form would let
    # anyone put words of their own into an e-mail to any address.
    # Only when the mail goes to the account's own address: a filer chooses both their name and
    # the contact address, and must not be able to greet strangers with words of their choosing.
    account = complaint.submitted_by
    own = account is not None and account.email.casefold() == complaint.contact_email.casefold()
    name = account.full_name if account is not None and own else ""
    email_queue(
        to=complaint.contact_email,
        template=template,
        context={
            "complaint": complaint,
            "office": complaint.office,
            "message": message,
            "link": link,
            "name": name,
        },
        language=complaint.language,
    )


def _text(text: str, *, empty: str | None) -> str:
    text = (text or "").strip()
    if not text and empty:
        raise ComplaintError(empty)
    if len(text) > TEXT_MAX:
        raise ComplaintError(
            _("Write at most %(limit)s characters.")
            % {"limit": number_format(TEXT_MAX, force_grouping=True)}
        )
    return text


def _contact_email(email: str, *, required: bool = True) -> str:
    email = (email or "").strip()
    if not email:
        if not required:
            return ""
        raise ComplaintError(_("Give an e-mail address, so that we can answer you."))
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ComplaintError(_("Enter a valid e-mail address.")) from exc
    return email


def _language(language: str) -> str:
    supported = dict(settings.LANGUAGES)
    return language if language in supported else settings.LANGUAGE_CODE


def _ip(ip: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(ip or ""))
    except ValueError:
        return None
