"""The cart (an order in the draft state) and submitting it as a request."""

from dataclasses import dataclass
from typing import Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import DataFormat, Product, ProductKind
from catalog.pricing import TariffMissing, Tariffs, product_quote, tariffs_in_force
from catalog.selection import Selection, SizeEstimate, dataset_size_estimate, map_area_count
from offices.models import Office
from offices.services import number_next
from silastik.users.models import User

from ..models import (
    Exemption,
    Order,
    OrderAction,
    OrderChannel,
    OrderLine,
    OrderLineVariable,
    SppdStatus,
)
from ..models import OrderStatus as S
from ..selectors import line_selections
from .moves import OrderError, order_transition, text_limit

# The purchase terms shown at submission; a change of wording gets a new version.
TERMS_VERSION = "2024-1"
ABSTRACT_FIELDS = ("abstract_background", "abstract_purpose", "abstract_method", "abstract_outputs")
# Each part of the abstract, a few paragraphs (about 300 words): the four fit the agreement's
# first pages. Unlimited, 2 MB once made a 548-page SPPD in 34 s.
ABSTRACT_MAX_LENGTH = 2000


def _check_customer(user: User) -> None:
    if not user.is_customer:
        raise OrderError(_("Only customers' accounts can order."))
    if not user.is_verified:
        raise OrderError(_("Verify your e-mail address before ordering."))


def _cart_for(customer: User) -> Order:
    try:
        with transaction.atomic():
            return Order.objects.get_or_create(customer=customer, status=S.DRAFT)[0]
    except IntegrityError:  # a cart made a moment ago by a second click
        return Order.objects.get(customer=customer, status=S.DRAFT)


def _microdata_estimate(*, product: Product, selection: Selection) -> SizeEstimate | None:
    """The size a microdata line is quoted from and keeps: for the chosen regions where their
    records are counted (catalog.selection.selection_estimates)."""
    if product.kind != ProductKind.MICRODATA:
        return None
    estimate = dataset_size_estimate(dataset=product.dataset, selection=selection)
    if estimate.no_records_in_regions:
        raise OrderError(_("The chosen regions have no records in this dataset."))
    return estimate


def _line_values(
    *, product: Product, selection: Selection, tariffs: Tariffs, language: str
) -> dict:
    estimate = _microdata_estimate(product=product, selection=selection)
    try:
        quote = product_quote(
            product=product, selection=selection, tariffs=tariffs, estimate=estimate
        )
    except TariffMissing as exc:
        raise OrderError(str(exc)) from exc
    except ValueError as exc:
        raise OrderError(_("Choose at least one variable, or the full set.")) from exc
    description = product.title
    values: dict[str, object] = {"kind": product.kind, "quoted_amount": quote.total}
    if estimate is not None:  # microdata
        values["size_bytes"] = estimate.size_bytes
        values["by_variable"] = selection.by_variable
        values["regions"] = list(selection.regions)
        values["data_format"] = _data_format(selection)
        with translation.override(language):  # the line's name on the customer's papers
            if selection.by_variable:
                description += " — " + ngettext(
                    "%(n)d chosen variable", "%(n)d chosen variables", len(selection.variables)
                ) % {"n": len(selection.variables)}
            else:
                description += " — " + _("full set")
    elif product.kind == ProductKind.PUBLICATION and selection.copies:
        return _printed_values(product=product, copies=selection.copies, language=language)
    elif product.kind == ProductKind.MAP:
        digital_map = product.digitalmap
        values["regions"] = list(selection.regions)
        values["quantity"] = (
            1
            if digital_map.is_national
            else (len(selection.regions) or map_area_count(digital_map))
        )
    values["description"] = description
    return values


def _data_format(selection: Selection) -> str:
    chosen = selection.data_format or DataFormat.CSV
    if chosen not in DataFormat.values:
        raise OrderError(_("Choose the data's format: CSV, SPSS or Stata."))
    return chosen


# A sane ceiling for one line of printed copies; an office's stock is the real limit.
PRINTED_COPIES_MAX = 100


def _printed_values(*, product: Product, copies: int, language: str) -> dict:
    """Printed copies of a publication: the office's price per copy, while its stock lasts
    (checked again, under lock, when they are handed over)."""
    publication = product.publication
    if publication.printed_price is None:
        raise OrderError(_("This publication is not sold in print."))
    if not 1 <= copies <= PRINTED_COPIES_MAX:
        raise OrderError(
            _("Order between 1 and %(max)d printed copies.") % {"max": PRINTED_COPIES_MAX}
        )
    if copies > publication.printed_copies:
        raise OrderError(
            ngettext(
                "Only %(n)d printed copy is left.",
                "Only %(n)d printed copies are left.",
                publication.printed_copies,
            )
            % {"n": publication.printed_copies}
            if publication.printed_copies
            else _("The printed copies are sold out; the PDF can still be ordered.")
        )
    with translation.override(language):
        label = ngettext("printed, %(n)d copy", "printed, %(n)d copies", copies) % {"n": copies}
    return {
        "kind": product.kind,
        "printed": True,
        "quantity": copies,
        "quoted_amount": publication.printed_price * copies,
        "description": f"{product.title} — {label}",
    }


def _locked_cart(customer: User) -> Order:
    """The customer's draft, locked; a cart sent a moment ago is never changed again."""
    for _attempt in range(2):
        cart = _cart_for(customer)
        locked = Order.objects.select_for_update().filter(pk=cart.pk, status=S.DRAFT).first()
        if locked is not None:
            return locked
    raise OrderError(_("Your cart was just sent. Try again."))


def cart_add(*, customer: User, product: Product, selection: Selection) -> OrderLine:
    """Put a product, as chosen on its page, into the customer's cart (again: replaces it)."""
    _check_customer(customer)
    if not product.is_published:
        raise OrderError(_("This product is not available."))
    # A line's name is printed on the customer's papers (the offer, the agreement, the
    # invoice), which are in the language of their profile, whichever one they browse in.
    values = _line_values(
        product=product,
        selection=selection,
        tariffs=tariffs_in_force(),
        language=customer.language,
    )
    with transaction.atomic():
        cart = _locked_cart(customer)
        cart.lines.filter(product=product).delete()
        line = OrderLine.objects.create(
            order=cart, product=product, position=cart.lines.count(), **values
        )
        if values.get("by_variable"):
            OrderLineVariable.objects.bulk_create(
                OrderLineVariable(line=line, variable_id=v)
                for v in product.dataset.variables.filter(pk__in=selection.variables).values_list(
                    "pk", flat=True
                )
            )
    return line


def cart_remove(*, customer: User, line_id: int) -> None:
    with transaction.atomic():
        cart = Order.objects.select_for_update().filter(customer=customer, status=S.DRAFT).first()
        if cart is not None:
            cart.lines.filter(pk=line_id).delete()


@dataclass(frozen=True)
class Submission:
    """What the customer gave when sending the cart; the same for every office's request."""

    ip: str | None
    texts: dict[str, str]
    abstract_file: File | None
    exemption_letter: File | None
    channel: str
    note: str
    entered_by: User | None


def orders_submit(
    *,
    order: Order,
    by: User,
    ip: str | None,
    terms_accepted: bool,
    abstract: dict[str, str],
    abstract_file: File | None = None,
    exemption_letter: File | None = None,
    channel: str = OrderChannel.ONLINE,
    note: str = "",
    entered_by: User | None = None,
    office: Office | None = None,
) -> list[Order]:
    """Send the cart as requests, one per office whose products it holds (each office serves
    its own): terms agreed (version, time, IP), the abstract where the data need it.
    Everything is read under the cart's lock, so a second click or a line added in another tab
    cannot slip past the checks; all requests are made, or none. At the walk-in desk staff send
    it for the visitor (channel walk_in, the desk's IP, a note saying who), and `office` says
    the desk's office: the cart may hold only its products."""
    _check_customer(by)
    if order.customer_id != by.pk:
        raise OrderError(_("You may not do this with this order."))
    if by.profile_missing:
        raise OrderError(_("Complete your profile before ordering."))
    if not terms_accepted:
        raise OrderError(_("Agree to the terms of purchase to send the request."))
    texts = {field: (abstract.get(field) or "").strip() for field in ABSTRACT_FIELDS}
    for text in texts.values():
        text_limit(text, ABSTRACT_MAX_LENGTH)
    submission = Submission(
        ip=ip,
        texts=texts,
        abstract_file=abstract_file,
        exemption_letter=exemption_letter,
        channel=channel,
        note=note,
        entered_by=entered_by,
    )
    with transaction.atomic():
        cart = Order.objects.select_for_update().filter(pk=order.pk, status=S.DRAFT).first()
        if cart is None:
            raise OrderError(_("This cart has already been sent."))
        lines = list(
            cart.lines.select_related(
                "product__office", "product__publication", "product__dataset", "product__digitalmap"
            )
        )
        _lines_check(lines)
        groups = lines_by_office(lines)
        if office is not None and set(groups) != {office}:
            raise OrderError(
                _("Only products of %(office)s can be ordered here.") % {"office": office.name}
            )
        if any(line.needs_agreement for line in lines) and not all(submission.texts.values()):
            raise OrderError(_("Microdata and maps need the whole data-use abstract."))
        submitted: list[Order] = []
        for serving, group in groups.items():
            # The cart becomes the first office's request; each further office gets a draft of
            # its own (one may exist only once the cart is no longer one), with its lines.
            target = cart if not submitted else Order.objects.create(customer=cart.customer)
            if submitted:
                OrderLine.objects.filter(pk__in=[line.pk for line in group]).update(order=target)
            submitted.append(
                _request_send(order=target, office=serving, lines=group, by=by, given=submission)
            )
        return submitted


def order_submit(**kwargs: Any) -> Order:
    """orders_submit for a cart known to hold one office's products (the walk-in desk, tests):
    the request made."""
    return orders_submit(**kwargs)[0]


def lines_by_office(lines: list[OrderLine]) -> dict[Office, list[OrderLine]]:
    """The cart's lines per serving office, the offices in code order."""
    groups: dict[Office, list[OrderLine]] = {}
    for line in sorted(lines, key=lambda line: (line.product.office.code, line.position, line.pk)):
        groups.setdefault(line.product.office, []).append(line)
    return groups


def _request_send(
    *, order: Order, office: Office, lines: list[OrderLine], by: User, given: Submission
) -> Order:
    needs_agreement = any(line.needs_agreement for line in lines)

    def change(o: Order) -> list[str]:
        now = timezone.now()
        year = timezone.localdate(now).year
        o.number = f"PST-{year}-{number_next(kind='order', year=year):06d}"
        o.office = office
        o.submitted_at = now
        o.terms_version, o.terms_agreed_at, o.terms_agreed_ip = TERMS_VERSION, now, given.ip
        o.channel = given.channel
        fields = ["number", "office", "submitted_at", "terms_version", "terms_agreed_at"]
        fields += ["terms_agreed_ip", "channel"]
        if needs_agreement:
            for field, text in given.texts.items():
                setattr(o, field, text)
            o.sppd_status = SppdStatus.PENDING
            fields += [*ABSTRACT_FIELDS, "sppd_status"]
            if given.abstract_file:
                o.abstract_file = given.abstract_file
                fields.append("abstract_file")
        if given.exemption_letter:
            o.exemption_letter = given.exemption_letter
            o.exemption = Exemption.REQUESTED
            fields += ["exemption_letter", "exemption"]
        return fields

    return order_transition(
        order=order,
        move=OrderAction.SUBMIT,
        by=by,
        note=given.note,
        change=change,
        entered_by=given.entered_by,
    )


def _lines_check(lines: list[OrderLine]) -> None:
    if not lines:
        raise OrderError(_("Your cart is empty."))
    if any(not line.product.is_published for line in lines):
        raise OrderError(_("A product in your cart is no longer available: remove it first."))


def cart_reprice(*, customer: User) -> bool:
    """Quote the cart again at today's tariffs; True when a price changed (the customer sees
    the new total before sending)."""
    tariffs = tariffs_in_force()
    changed = False
    with transaction.atomic():
        cart = Order.objects.select_for_update().filter(customer=customer, status=S.DRAFT).first()
        if cart is None:
            return False
        lines = list(cart.lines.select_related("product__dataset", "product__digitalmap"))
        selections = line_selections(lines=lines)
        for line in lines:
            try:
                fresh = _line_values(
                    product=line.product,
                    selection=selections[line.pk],
                    tariffs=tariffs,
                    language=customer.language,
                )
            except OrderError:
                continue
            fields = [
                name
                for name in ("quoted_amount", "size_bytes")
                if name in fresh and fresh[name] != getattr(line, name)
            ]
            for name in fields:
                setattr(line, name, fresh[name])
            if fields:
                line.save(update_fields=fields)
            # A new size at the same price (region counts entered meanwhile) is no news.
            changed = changed or "quoted_amount" in fields
    return changed
